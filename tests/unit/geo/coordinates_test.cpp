// Coordinate parsing and formatting, against GeographicLib's GeoConvert (2.1.2). Reference values
// were produced with, e.g.:
//   echo "42d39'46\"N 21d09'56\"E" | GeoConvert -g -p 10
//   echo "34n 513563 4723390"      | GeoConvert -g -p 10
//   echo "34TDN1356323390"         | GeoConvert -g -p 10   (GeoConvert, too, takes the square's centre)
//   echo "42.6632737 21.1650847"   | GeoConvert -m -p 0    (and -u -p 0, -m -p -2, -m -p 6)
#include "geo/coordinates.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <limits>
#include <string>
#include <vector>

#include "geo/geodesic.hpp"

using namespace keepout::geo;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

// GeoConvert prints 14 decimals; GeographicLib underneath both, so agreement is to round-off.
constexpr double kDeg = 1e-10;

void check_position(const std::string& text, double lat, double lon) {
    CAPTURE(text);
    const LonLat p = parse_coordinate(text);
    CHECK_THAT(p.lat, WithinAbs(lat, kDeg));
    CHECK_THAT(p.lon, WithinAbs(lon, kDeg));
}

}  // namespace

TEST_CASE("parse_coordinate: decimal latitude and longitude", "[geo][coordinates]") {
    for (const char* text : {"42.6629,21.1655", "42.6629, 21.1655", "42.6629 ,21.1655", "42.6629 21.1655",
                             " \t42.6629   21.1655\n", "42.6629N 21.1655E", "42.6629n, 21.1655e", "N42.6629 E21.1655",
                             "42.6629 N 21.1655 E", "+42.6629 +21.1655", "42.6629 21.1655E",
                             "42.6629\xC2\xA0" "21.1655"}) {  // a no-break space separates too
        check_position(text, 42.6629, 21.1655);
    }
    check_position("-42.6629 -21.1655", -42.6629, -21.1655);
    check_position("42.6629S 21.1655W", -42.6629, -21.1655);
    check_position("\xE2\x88\x92" "42.6629 21.1655", -42.6629, 21.1655);  // U+2212 minus sign
    check_position("0,0", 0, 0);
    check_position("90 180", 90, 180);
    check_position("-90,-180", -90, -180);
}

TEST_CASE("parse_coordinate: plain lat,lon reads the same bits as the general parser", "[geo][coordinates]") {
    // "A,B" without spaces takes a from_chars shortcut; "A , B" goes through GeographicLib's decoder.
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> lat(-90, 90), lon(-180, 180);
    std::uniform_int_distribution<int> digits(0, 17);
    for (int i = 0; i < 5000; ++i) {
        char a[64], b[64];
        std::snprintf(a, sizeof a, "%.*f", digits(rng), lat(rng));
        std::snprintf(b, sizeof b, "%.*f", digits(rng), lon(rng));
        const std::string fast = std::string(a) + "," + b, general = std::string(a) + " , " + b;
        CAPTURE(fast);
        const LonLat p = parse_coordinate(fast), q = parse_coordinate(general);
        CHECK(std::memcmp(&p.lat, &q.lat, sizeof p.lat) == 0);
        CHECK(std::memcmp(&p.lon, &q.lon, sizeof p.lon) == 0);
    }
    for (const char* text : {"042.5,021.25", "-0,-0.0", "90,180", "-90,-180", "42,21", "42.123456789012345678901,21.5"}) {
        CAPTURE(text);
        const std::string general = std::string(text).replace(std::string(text).find(','), 1, " , ");
        const LonLat p = parse_coordinate(text), q = parse_coordinate(general);
        CHECK(std::memcmp(&p, &q, sizeof p) == 0);
    }
}

TEST_CASE("parse_coordinate: latitude first, always", "[geo][coordinates]") {
    // No letters: never swapped, even when the first number looks more like a longitude.
    check_position("21.1655 42.6629", 21.1655, 42.6629);
    // Letters must agree with the order rather than swap the two (GeographicLib's DecodeLatLon
    // would swap): one mistyped letter would otherwise move the point to another continent.
    for (const char* text : {"21.1655E 42.6629N", "E21.1655, N42.6629", "42.6629 21.1655N", "42.6629E 21.1655",
                             "21°09'56\"E 42°39'46\"N"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(parse_coordinate(text), CoordinateError);
    }
}

TEST_CASE("parse_coordinate: degrees, minutes and seconds in several spellings", "[geo][coordinates]") {
    // GeoConvert -g -p 10 of 42d39'46"N 21d09'56"E.
    const double lat = 42.66277777777778, lon = 21.16555555555556;
    for (const char* text : {
             "42°39'46\"N 21°09'56\"E",
             "42°39'46\"N, 21°09'56\"E",
             "42° 39' 46\" N 21° 09' 56\" E",
             "42° 39' 46\", 21° 09' 56\"",
             "42° 39' 46\" 21° 09' 56\"",  // no comma, no letters: split at the second degree mark
             "42°39′46″N 21°09′56″E",      // U+2032 prime, U+2033 double prime
             "42º39'46''N 21º09'56''E",    // U+00BA, two apostrophes for seconds
             "42 39 46 N 21 9 56 E",
             "42 39 46 N, 21 9 56 E",
             "42 39 46N 21 09 56E",
             "N 42 39 46 E 21 9 56",
             "N42 39 46, E21 09 56",
             "42 39 46, 21 9 56",
             "42:39:46N 21:09:56E",
             "42:39:46, 21:09:56",
             "42d39m46sN 21d09m56sE",
             "42D39M46SN 21D09M56SE",
             "42d39'46\"n 21d9'56\"e",
         }) {
        check_position(text, lat, lon);
    }
    // Degrees and decimal minutes; southern and western hemispheres.
    check_position("42 39.5 N, 21 9.25 E", 42 + 39.5 / 60, 21 + 9.25 / 60);
    check_position("42°39'46\"S 21°09'56\"W", -lat, -lon);
    check_position("-42 39 46, -21 9 56", -lat, -lon);
}

TEST_CASE("parse_coordinate: UTM with a latitude band or a hemisphere", "[geo][coordinates]") {
    // GeoConvert -g -p 10 of "34n 513563 4723390".
    const double lat = 42.66285681508686, lon = 21.16549814119792;
    for (const char* text : {"34T 513563 4723390", "34t 513563 4723390", "  34T   513563   4723390 ",
                             "34N 513563 4723390", "34n 513563 4723390", "34north 513563 4723390",
                             "34T 513563.0 4723390.0"}) {
        check_position(text, lat, lon);
    }
    // Band G is south (bands C–M): GeoConvert -g -p 10 of "34s 513563 5276610".
    check_position("34G 513563 5276610", -42.66285681508686, 21.16549814119792);
}

TEST_CASE("parse_coordinate: a lone S after the zone is the southern hemisphere, as in GeographicLib",
          "[geo][coordinates]") {
    // "34S" could be latitude band S (32°N–40°N) or the southern hemisphere; UTMUPS::DecodeZone and
    // GeoConvert read the hemisphere, and so does keepout: GeoConvert -g -p 10 of "34s 513563 4723390".
    check_position("34S 513563 4723390", -47.64274634756107, 21.18057745704758);
}

TEST_CASE("parse_coordinate: UPS with the hemisphere alone", "[geo][coordinates]") {
    CHECK_THAT(parse_coordinate("N 2000000 2000000").lat, WithinAbs(90, kDeg));
    CHECK_THAT(parse_coordinate("S 2000000 2000000").lat, WithinAbs(-90, kDeg));
}

TEST_CASE("parse_coordinate: MGRS, the centre of the square", "[geo][coordinates]") {
    // GeoConvert -g -p 10 of 34TDN1356323390 (1 m square; zone 34, column D: 100 km west of
    // "34T 513563 4723390", whose MGRS is 34TEN1356323390).
    const double lat = 42.65812606248524, lon = 19.94537124394608;
    for (const char* text : {"34TDN1356323390", "34T DN 13563 23390", "34tdn1356323390", "34TDN 13563 23390",
                             "34T DN 1356323390", "34T DN13563 23390", " 34TDN1356323390 "}) {
        check_position(text, lat, lon);
    }
    // 100 m square: GeoConvert -g -p 10 of 34TDN135233.
    check_position("34TDN135233", 42.65775987994117, 19.94521271898853);
    check_position("34T DN 135 233", 42.65775987994117, 19.94521271898853);
    // The 1 m square whose south-west corner is the UTM example: GeoConvert -g -p 10 of 34TEN1356323390.
    check_position("34TEN1356323390", 42.66286130906516, 21.16550425420533);
}

TEST_CASE("parse_coordinate rejects malformed input with CoordinateError", "[geo][coordinates]") {
    const std::vector<std::string> bad = {
        // from the brief
        "", "42.6", "abc", "95,21", "42,200", "42.6,21.1,5", "34TDN135632339", "99T 513563 4723390",
        "42.6 21.1 junk",
        // empty and incomplete
        "   ", "\t\n", ",", "42,", ",21", "42.6,", "N", "42.6N",
        // out of range
        "-91 21", "90.0000001 0", "0 180.0000001", "0 -180.0000001", "42 540", "-95.5, 21",
        "91°00'00\"N 21°E",
        // not numbers
        "nan 21", "42, inf", "4.2e1 21", "0x2A 21", "42.6.1 21", "forty-two, twenty-one",
        // trailing or inner garbage
        "42.6 21.1 5", "42.6 21.1;", "42.6, 21.1 x", "42.6?21.1", "42.6 21.1 N",
        // sums and inner signs GeographicLib would add up
        "42.6+1 21.1", "42-1 21", "42.6 21.1-0.5", "N-42 21",
        // DMS out of range or ambiguous
        "42°75' 21", "42 39 75, 21", "42:60:00 21", "42.5:30 21",
        "42 39 46 21 9 56",       // where does the latitude end?
        "42 21 9 56",             // 42 | 21 9 56, or 42 21 | 9 56?
        "42d39m46s 21d09m56s",    // s: seconds or South?
        "42°39'46s 21°09'56s",
        "42.66N 21.16N",          // two latitudes
        "42.66E 21.16W",          // two longitudes
        "N42S 21",
        "4\xC2\xA0" "2 21",       // a no-break space does not glue 4 and 2 into 42
        "42\xB0 21",              // not UTF-8 (a Latin-1 degree sign)
        // UTM
        "99N 513563 4723390", "0T 513563 4723390", "61T 513563 4723390", "034T 513563 4723390",
        "34I 513563 4723390", "34O 513563 4723390", "34A 513563 4723390", "34Z 513563 4723390",
        "34U 513563 4723390",     // band U is 48°N–56°N, the northing gives 42.66°N
        "34M 513563 4723390",     // band M is south of the equator
        "34T 1513563 4723390", "34T 99999 4723390", "34T 900001 4723390",  // easting
        "34N 513563 9500001", "34G 513563 10500000", "34S 513563 999999",  // northing
        "34T -513563 4723390", "34T 513563 -4723390", "34T 513563 4723390 7", "34T 513563",
        "34T 5e5 4723390", "42N 21 30", "N 42.5 21.3", "T 513563 4723390",
        // MGRS
        "34TDN1", "34TDN135632339", "34TDN13563233900", "34T DN 1356 323390", "34T DN 13563 23390 5",
        "34IDN1356323390", "34ODN1356323390", "34UDN1356323390", "99TDN1356323390", "134TDN1356323390",
        "34TDN1356323390x", "34TDN 13563 2339x", "34T", "34TDN", "34T DN", "bac", "zap", "ZAB", "INV",
    };
    for (const auto& text : bad) {
        CAPTURE(text);
        CHECK_THROWS_AS(parse_coordinate(text), CoordinateError);
    }
}

TEST_CASE("CoordinateError names the input and the reason", "[geo][coordinates]") {
    CHECK_THROWS_WITH(parse_coordinate("42.6 21.1 junk"), Contains("\"42.6 21.1 junk\""));
    CHECK_THROWS_WITH(parse_coordinate("95,21"), Contains("\"95,21\"") && Contains("atitude"));
    CHECK_THROWS_WITH(parse_coordinate("42,200"), Contains("longitude 200"));
    CHECK_THROWS_WITH(parse_coordinate(""), Contains("empty"));
    CHECK_THROWS_WITH(parse_coordinate("34TDN135632339"), Contains("34TDN135632339") && Contains("MGRS"));
    CHECK_THROWS_WITH(parse_coordinate("99T 513563 4723390"), Contains("Zone 99"));
    CHECK_THROWS_WITH(parse_coordinate("34U 513563 4723390"), Contains("band U"));
    // An oversized input is quoted only in part.
    const std::string huge(10000, '9');
    try {
        parse_coordinate(huge);
        FAIL("no exception");
    } catch (const CoordinateError& e) {
        CHECK(std::string(e.what()).size() < 400);
    }
}

TEST_CASE("to_mgrs and to_utm match GeoConvert", "[geo][coordinates]") {
    const LonLat p{21.1650847, 42.6632737};
    CHECK(to_mgrs(p) == "34TEN1352923436");                          // GeoConvert -m -p 0
    CHECK(to_mgrs(p, 5) == "34TEN1352923436");
    CHECK(to_mgrs(p, 3) == "34TEN135234");                           // GeoConvert -m -p -2
    CHECK(to_mgrs(p, 11) == "34TEN1352902702923436225400");          // GeoConvert -m -p 6
    CHECK(to_utm(p) == "34T 513529 4723436");                        // GeoConvert -u -p 0: 34n 513529 4723436
    const LonLat q{-21.1650847, -42.6632737};
    CHECK(to_mgrs(q) == "27GVN8647076563");                          // GeoConvert -m -p 0
    CHECK(to_utm(q) == "27G 486471 5276564");                        // GeoConvert -u -p 0: 27s 486471 5276564
    // A point in band S (GeoConvert -m: 34SED0000073043) is written with its hemisphere, N, since
    // "34S" would be read back as the southern hemisphere.
    const LonLat s{21, 35};
    CHECK(to_mgrs(s) == "34SED0000073043");
    CHECK(to_utm(s) == "34N 500000 3873043");                        // GeoConvert -u -p 0: 34n 500000 3873043
    CHECK_THAT(parse_coordinate(to_utm(s)).lat, WithinAbs(35, 1e-5));
}

TEST_CASE("to_mgrs and to_utm reject what they cannot express", "[geo][coordinates]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(to_mgrs({21, 91}), CoordinateError);
    CHECK_THROWS_AS(to_mgrs({181, 42}), CoordinateError);
    CHECK_THROWS_AS(to_mgrs({nan, 42}), CoordinateError);
    CHECK_THROWS_AS(to_mgrs({21, 42}, -1), CoordinateError);
    CHECK_THROWS_AS(to_mgrs({21, 42}, 12), CoordinateError);
    CHECK_THROWS_AS(to_utm({21, -90.5}), CoordinateError);
    CHECK_THROWS_AS(to_utm({21, nan}), CoordinateError);
}

TEST_CASE("to_mgrs and to_utm round-trip through parse_coordinate over Kosovo", "[geo][coordinates]") {
    int n = 0;
    for (double lat = 41.8; lat <= 43.3; lat += 0.0937) {
        for (double lon = 20.0; lon <= 21.8; lon += 0.1123) {
            const LonLat p{lon, lat};
            CAPTURE(lat, lon);
            // The centre of the 1 m square is at most √2/2 m from the point.
            const std::string m = to_mgrs(p);
            const LonLat pm = parse_coordinate(m);
            CHECK(inverse(p, pm).distance_m <= 0.7072);
            CHECK(to_mgrs(pm) == m);  // stable: the centre maps back to its own square
            // 10 m squares: the centre is within √2 × 5 m.
            CHECK(inverse(p, parse_coordinate(to_mgrs(p, 4))).distance_m <= 7.072);
            // UTM to the metre: at most √2/2 grid metres off, times the scale factor (< 1.0004).
            const std::string u = to_utm(p);
            CHECK(inverse(p, parse_coordinate(u)).distance_m <= 0.7075);
            CHECK(to_utm(parse_coordinate(u)) == u);
            ++n;
        }
    }
    CHECK(n >= 200);
}

TEST_CASE("parse_coordinate: inputs that crashed GeographicLib's DMS decoder are refused", "[geo][coordinates]") {
    // Found by fuzzing; the first arrived over HTTP as ?at=3%602%3A9%3A2%3A2%2C2, the second is
    // easily typed into the web page's box.
    for (const char* text : {"3`2:9:2:2,2", "4N 500 0700 67 3. 2 1", "4N 500 0700 67 3. 2 1E", "1:1:1:1:1:1,2",
                             "9999999999999999999999999999999:1 2", "1e400 2", "1.5:1 2", "N1 2 3 4 5 6 7 8 9"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(parse_coordinate(text), CoordinateError);
    }
    CHECK_THROWS_WITH(parse_coordinate(std::string(300, '1')), Contains("too long"));
}

TEST_CASE("parse_position: decimal commas where they cannot mean anything else", "[geo][coordinates]") {
    for (const char* text : {"42,6633, 21,1651", "42,6633 21,1651", "42,6633;21,1651", "42,6633; 21,1651",
                             "42,66330 , 21,16510", "42,6633N 21,1651E", "42,6633 N, 21,1651 E"}) {
        CAPTURE(text);
        const ParsedPosition p = parse_position(text);
        CHECK(p.decimal_comma);
        CHECK_THAT(p.at.lat, WithinAbs(42.6633, kDeg));
        CHECK_THAT(p.at.lon, WithinAbs(21.1651, kDeg));
    }
    const ParsedPosition four = parse_position("42,66,21,16");
    CHECK(four.decimal_comma);
    CHECK_THAT(four.at.lat, WithinAbs(42.66, kDeg));
    CHECK_THAT(four.at.lon, WithinAbs(21.16, kDeg));
    // Degrees and decimal minutes with a comma.
    CHECK_THAT(parse_position("42 39,5 N, 21 9,25 E").at.lon, WithinAbs(21 + 9.25 / 60, kDeg));
    // One comma is the separator, never a decimal comma.
    CHECK_FALSE(parse_position("42.66,21.16").decimal_comma);
    CHECK_THAT(parse_coordinate("42,21").lat, WithinAbs(42, kDeg));
    // Where the commas could be read two ways, or not at all, refuse.
    for (const char* text : {"42,66,21", "42,6,6,21,1", "42,6633,, 21,1651", "42,66; 21,16; 5", "42, 66, 21, 16"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(parse_position(text), CoordinateError);
    }
}

TEST_CASE("parse_position: MGRS without its zone, when the context leaves one", "[geo][coordinates]") {
    const LonLat full = parse_coordinate("34TEN1352823436");
    PositionContext kosovo{{"34T"}};
    for (const char* text : {"EN 13528 23436", "EN1352823436", "en 1352823436", "EN 135 234"}) {
        CAPTURE(text);
        const ParsedPosition p = parse_position(text, kosovo);
        CHECK(p.form == PositionForm::mgrs);
        REQUIRE(p.zone_from_context);
        CHECK(*p.zone_from_context == "34T");
        CHECK(inverse(p.at, full).distance_m < 80);
    }
    // Column E is not in zone 33 (columns S–Z): only 34T is left.
    CHECK(*parse_position("EN 13528 23436", PositionContext{{"33T", "34T", "34t"}}).zone_from_context == "34T");
    // No zone to take it from, or none where the square exists: refused with what to write.
    CHECK_THROWS_WITH(parse_position("EN 13528 23436"), Contains("34TEN1352823436") || Contains("grid zone"));
    CHECK_THROWS_AS(parse_position("EN 13528 23436", PositionContext{{"33T"}}), CoordinateError);
    CHECK_THROWS_AS(parse_position("EN 1352 23436", kosovo), CoordinateError);
}

TEST_CASE("looks_like_position: what must be read as a position, never as a name", "[geo][coordinates]") {
    for (const char* text : {"42.6633, 21.1651", "42,6633, 21,1651", "21.1651, 42.6633", "EN 13528 23436",
                             "34TEN1352823436", "EN1352823436", "34T 513528 4723436", "42°39'47.8\"N 21°09'54.3\"E",
                             "4N 500 0700 67 3. 2 1", "3`2:9:2:2,2", "42d39m46sN 21d09m56sE", "34north 513563 4723390",
                             "N 42 39 46 E 21 9 56", "42 21"}) {
        CAPTURE(text);
        CHECK(looks_like_position(text));
    }
    for (const char* text : {"Zana", "Bar 1990", "Hotel 2000", "Club 7", "Кафе 22", "Pëllumbi 2", "Night Club Zana e Natës",
                             "", "42", "E", "\xff\xfe 42 21", "مقهى 12 34"}) {
        CAPTURE(text);
        CHECK_FALSE(looks_like_position(text));
    }
}

// The examples a refused position is answered with are written around the mission area's centre
// (reference values from GeoConvert -u -p 0 and -m -p 5, the MGRS square's digits truncated
// as MGRS does: northing 84326.7 is square 84326), and each of them reads back as that position.
TEST_CASE("position examples are in the mission's own area, in its own UTM zone and hemisphere", "[geo][coordinates]") {
    auto reads_back = [](const std::vector<std::string>& examples, LonLat at) {
        for (const auto& e : examples) {
            INFO(e);
            const LonLat p = parse_position(e).at;
            CHECK(inverse(p, at).distance_m < 10);
        }
    };
    const LonLat lebanon{35.4832135, 33.268851};  // centre of data/lebanon/boundary.geojson's box
    const auto l = position_examples_at(lebanon);
    REQUIRE(l.size() == 5);
    CHECK(l[0] == "33.2689, 35.4832");
    CHECK(l[1] == "33,2689; 35,4832");
    CHECK(l[2] == "33\u00B016'07.9\"N 35\u00B028'59.6\"E");
    CHECK(l[3] == "36N 731294 3683843");   // band S, written with its hemisphere
    CHECK(l[4] == "36SYB3129483843");
    reads_back(l, lebanon);

    const LonLat kivu{29.05, -1.95};  // tests/data/kivu: south of the equator, zone 35
    const auto k = position_examples_at(kivu);
    REQUIRE(k.size() == 5);
    CHECK(k[0] == "-1.9500, 29.0500");
    CHECK(k[2] == "1\u00B057'00.0\"S 29\u00B003'00.0\"E");
    CHECK(k[3] == "35M 728031 9784327");
    CHECK(k[4] == "35MQT2803184326");
    reads_back(k, kivu);

    // What a program hands out: the position it was given, else the neutral one; never Kosovo's.
    set_position_examples_at(kivu);
    CHECK(position_examples() == k);
    set_position_examples_at(std::nullopt);
    const auto neutral = position_examples();
    CHECK(neutral == position_examples_at(kNeutralExamplePosition));
    for (const auto& e : neutral) CHECK_THAT(e, !Contains("34T") && !Contains("42.6"));
    reads_back(neutral, kNeutralExamplePosition);
    CHECK_THROWS_AS(set_position_examples_at(LonLat{200, 0}), CoordinateError);
    // West and south of Greenwich and the equator, the letters say so.
    CHECK(position_examples_at({-70.25, -33.5})[2] == "33\u00B030'00.0\"S 70\u00B015'00.0\"W");
}
