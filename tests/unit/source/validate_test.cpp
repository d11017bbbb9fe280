// Field-level checks shared by the importers.
#include "source/validate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace keepout::source;
using namespace std::string_literals;
using Names = std::vector<std::string>;

TEST_CASE("is_valid_utf8 accepts well-formed text", "[io][validate]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("Bar Restaurant Kosova"));
    CHECK(is_valid_utf8("Kafe Ëndrra, Rruga Nënë Tereza, Prishtinë"));  // Albanian
    CHECK(is_valid_utf8("Ноћни клуб Приштина"));                       // Serbian Cyrillic
    CHECK(is_valid_utf8("Çarshia e Gjatë — “quoted” €"));
    CHECK(is_valid_utf8("\xF0\x9F\x8D\xBA"));  // 4-byte sequence (beer mug emoji)
    CHECK(is_valid_utf8("a\0b"s));              // an embedded NUL is a valid code point
}

TEST_CASE("is_valid_utf8 rejects malformed bytes", "[io][validate]") {
    for (const std::string& bad : {"\xC3\x28"s,           // bad continuation byte
                                  "\xFF"s,               // never valid
                                  "\xFE"s,               //
                                  "abc\xC3"s,            // truncated 2-byte sequence at the end
                                  "\xE2\x82"s,           // truncated 3-byte sequence
                                  "\xF0\x9F\x8D"s,       // truncated 4-byte sequence
                                  "\xC0\xAF"s,           // overlong '/'
                                  "\xE0\x80\xAF"s,       // overlong 3-byte '/'
                                  "\xED\xA0\x80"s,       // UTF-16 surrogate half
                                  "\xF4\x90\x80\x80"s,   // beyond U+10FFFF
                                  "\x80"s,               // lone continuation byte
                                  "Prishtin\xEB"s}) {    // Latin-1 ë, not UTF-8
        CAPTURE(bad);
        CHECK_FALSE(is_valid_utf8(bad));
    }
}

TEST_CASE("trim removes surrounding whitespace only", "[io][validate]") {
    CHECK(trim("  bar  ") == "bar");
    CHECK(trim("\t\r\n bar \f\v") == "bar");
    CHECK(trim("a b") == "a b");
    CHECK(trim("  a  b  ") == "a  b");
    CHECK(trim("") == "");
    CHECK(trim(" \t\n ") == "");
    CHECK(trim("x") == "x");
}

TEST_CASE("normalise_code lowercases, trims and reads '_' and ' ' as '-'", "[io][validate]") {
    CHECK(normalise_code("Private House") == "private-house");
    CHECK(normalise_code("  ORGANIZED_CRIME ") == "organized-crime");
    CHECK(normalise_code("private-house") == "private-house");
    CHECK(normalise_code("Bar") == "bar");
    CHECK(normalise_code("") == "");
    CHECK(normalise_code("Health Safety") == "health-safety");
}

TEST_CASE("parse_name_list reads a JSON array of strings", "[io][validate]") {
    CHECK(parse_name_list(R"(["Club Eden", "Eden Bar"])") == Names{"Club Eden", "Eden Bar"});
    CHECK(parse_name_list(R"(  ["a"]  )") == Names{"a"});
    CHECK(parse_name_list("[]").empty());
    CHECK(parse_name_list(R"(["  padded  ", "", "   ", "x"])") == Names{"padded", "x"});
    CHECK(parse_name_list(R"(["dup", "other", "dup", " dup "])") == Names{"dup", "other"});
    CHECK(parse_name_list(R"(["Ноћни клуб", "Klubi i natës"])") == Names{"Ноћни клуб", "Klubi i natës"});
    CHECK(parse_name_list(R"(["a;b"])") == Names{"a;b"});  // a ';' inside a JSON string is not a separator
}

TEST_CASE("parse_name_list reads semicolon-separated text", "[io][validate]") {
    CHECK(parse_name_list("Club Eden; Eden Bar") == Names{"Club Eden", "Eden Bar"});
    CHECK(parse_name_list("one") == Names{"one"});
    CHECK(parse_name_list(";;a;; b ;") == Names{"a", "b"});
    CHECK(parse_name_list("x;y;x;y;z") == Names{"x", "y", "z"});
    CHECK(parse_name_list("").empty());
    CHECK(parse_name_list("   ").empty());
    CHECK(parse_name_list(" ; ; ").empty());
}

TEST_CASE("parse_name_list rejects a malformed JSON array", "[io][validate]") {
    CHECK_THROWS_AS(parse_name_list(R"(["unterminated)"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list("[1, 2"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"(["a", 2])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"(["a", null])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"([["nested"]])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"([{"name": "a"}])"), std::invalid_argument);
}

TEST_CASE("parse_number accepts only a whole finite decimal number", "[io][validate]") {
    REQUIRE(parse_number("42.5"));
    CHECK(*parse_number("42.5") == Approx(42.5));
    REQUIRE(parse_number(" 42 "));
    CHECK(*parse_number(" 42 ") == 42.0);
    REQUIRE(parse_number("4e1"));
    CHECK(*parse_number("4e1") == 40.0);
    REQUIRE(parse_number("-21.16"));
    CHECK(*parse_number("-21.16") == Approx(-21.16));
    REQUIRE(parse_number("+3"));
    CHECK(*parse_number("+3") == 3.0);
    REQUIRE(parse_number("0"));
    CHECK(*parse_number("0") == 0.0);

    for (const char* bad : {"abc", "42abc", "", "   ", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "4 2",
                            "42,5", "0x10", "+", "-", "++1", "1.2.3", "e5"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_number(bad));
    }
}

TEST_CASE("parse_number rejects a sign after a plus sign", "[io][validate]") {
    // "+-5" is not a number; the leading '+' is skipped and from_chars then reads "-5".
    INFO("parse_number(\"+-5\") = " << parse_number("+-5").value_or(0.0));
    CHECK_FALSE(parse_number("+-5"));
    INFO("parse_integer(\"+-5\") = " << parse_integer("+-5").value_or(0));
    CHECK_FALSE(parse_integer("+-5"));
}

TEST_CASE("parse_integer accepts whole numbers, also written as 120.0", "[io][validate]") {
    REQUIRE(parse_integer("42"));
    CHECK(*parse_integer("42") == 42);
    REQUIRE(parse_integer(" -7 "));
    CHECK(*parse_integer(" -7 ") == -7);
    REQUIRE(parse_integer("120.0"));
    CHECK(*parse_integer("120.0") == 120);
    REQUIRE(parse_integer("4e1"));
    CHECK(*parse_integer("4e1") == 40);
    REQUIRE(parse_integer("+5"));
    CHECK(*parse_integer("+5") == 5);
    REQUIRE(parse_integer("9223372036854775807"));
    CHECK(*parse_integer("9223372036854775807") == 9223372036854775807LL);

    for (const char* bad : {"abc", "42abc", "", "nan", "inf", "42.5", "0.1", "1e400", "9223372036854775808",
                            "1e17", "4 2"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_integer(bad));
    }
}

// ---- The bounds of one row ----

namespace {

// Little-endian ISO WKB, written by hand so the checks meet bytes GDAL would never produce.
struct Wkb {
    std::string b;
    Wkb& u8(unsigned v) { return b.push_back(char(v)), *this; }
    Wkb& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b.push_back(char((v >> (8 * i)) & 0xff));
        return *this;
    }
    Wkb& f64(double d) {
        std::uint64_t v;
        std::memcpy(&v, &d, 8);
        for (int i = 0; i < 8; ++i) b.push_back(char((v >> (8 * i)) & 0xff));
        return *this;
    }
    Wkb& header(std::uint32_t type) { return u8(1).u32(type); }
    Wkb& ring(const std::vector<std::pair<double, double>>& pts) {
        u32(std::uint32_t(pts.size()));
        for (auto& [x, y] : pts) f64(x).f64(y);
        return *this;
    }
};

using Ring = std::vector<std::pair<double, double>>;
Ring square(double lon, double lat, double side) {
    return {{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}};
}
std::string polygon_wkb(const Ring& r) { return Wkb().header(3).u32(1).ring(r).b; }
std::string point_wkb(double x, double y) { return Wkb().header(1).f64(x).f64(y).b; }

std::string refusal(const std::string& wkb, FeatureKind kind = FeatureKind::venue) {
    try {
        check_geometry(wkb, kind);
    } catch (const InvalidField& e) {
        CHECK(e.field == "geometry");
        return e.what();
    }
    return "";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("check_geometry accepts what a venue is", "[io][validate][geometry]") {
    CHECK(refusal(point_wkb(21.1, 42.6)).empty());
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.001))).empty());
    const auto box = check_geometry(polygon_wkb(square(21.1, 42.6, 0.001)), FeatureKind::venue);
    CHECK(box.min_lon == 21.1);
    CHECK(box.max_lat == Approx(42.601));
    // Two buildings of one compound, 200 m apart.
    auto multi = Wkb().header(6).u32(2);
    multi.header(3).u32(1).ring(square(21.1, 42.6, 0.0005));
    multi.header(3).u32(1).ring(square(21.1025, 42.6, 0.0005));
    CHECK(refusal(multi.b).empty());
    // Big-endian WKB reads the same.
    std::string be = {char(0), 0, 0, 0, 1};
    for (double d : {21.1, 42.6}) {
        std::uint64_t v;
        std::memcpy(&v, &d, 8);
        for (int i = 7; i >= 0; --i) be.push_back(char((v >> (8 * i)) & 0xff));
    }
    CHECK(refusal(be).empty());
}

TEST_CASE("check_geometry refuses what cannot be a venue", "[io][validate][geometry]") {
    CHECK(contains(refusal(polygon_wkb({{-179.9, -16.8}, {179.9, -16.8}, {179.9, -16.7}, {-179.9, -16.7}, {-179.9, -16.8}})),
                   "crosses the antimeridian"));
    CHECK(contains(refusal(polygon_wkb(square(21.1, 42.6, 0.1))), "km across"));         // about 13 km
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.03))).empty());                          // about 4 km
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.05)), FeatureKind::site).empty());       // a large camp
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 1.0)), FeatureKind::sector).empty());      // a district
    auto apart = Wkb().header(6).u32(2);
    apart.header(3).u32(1).ring(square(21.1, 42.6, 0.0005));
    apart.header(3).u32(1).ring(square(22.3, 42.6, 0.0005));
    CHECK(contains(refusal(apart.b), "parts of the footprint are"));
    // Parts on either side of 180°: no edge is long, the whole spans the world.
    auto sides = Wkb().header(6).u32(2);
    sides.header(3).u32(1).ring(square(179.99, -16.8, 0.005));
    sides.header(3).u32(1).ring(square(-179.999, -16.8, 0.005));
    CHECK(contains(refusal(sides.b), "across the antimeridian or round the world"));

    CHECK(contains(refusal(point_wkb(NAN, NAN)), "empty"));
    CHECK(contains(refusal(point_wkb(21.1, NAN)), "not finite"));
    CHECK(contains(refusal(point_wkb(INFINITY, 42)), "not finite"));
    CHECK(contains(refusal(point_wkb(200, 42)), "out of range"));
    CHECK(contains(refusal(point_wkb(21, 42), FeatureKind::sector), "Point is not accepted here"));
    CHECK(contains(refusal(Wkb().header(3).u32(0).b), "polygon is empty"));
    CHECK(contains(refusal(Wkb().header(6).u32(0).b), "multipolygon is empty"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21, 42}})), "at least 4"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21.002, 42}, {21, 42}})), "no area"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21.001, 42.001}, {21, 42.001}})), "not closed"));
    CHECK(contains(refusal(Wkb().header(2).u32(0).b), "LineString is not accepted"));
    CHECK(contains(refusal(Wkb().header(1001).f64(21).f64(42).f64(0).b), "Z or M"));
    CHECK(contains(refusal(Wkb().header(0x80000001u).f64(21).f64(42).f64(0).b), "EWKB"));
    CHECK(contains(refusal(""), "truncated"));
    CHECK(contains(refusal("\x07"), "not WKB"));
    CHECK(contains(refusal(point_wkb(21, 42) + "x"), "bytes after its end"));
    // A forged count of a billion points in a few bytes is refused, not allocated or read.
    CHECK(contains(refusal(Wkb().header(3).u32(1).u32(1000000000).f64(21).b), "truncated"));
}

TEST_CASE("check_geometry bounds the vertices of every kind", "[io][validate][geometry]") {
    auto circle = [](std::size_t n) {
        Ring r;
        for (std::size_t i = 0; i < n; ++i) {
            const double a = 2 * M_PI * double(i) / double(n);
            r.emplace_back(21.1 + 0.0005 * std::cos(a), 42.6 + 0.0005 * std::sin(a));
        }
        r.push_back(r.front());
        return r;
    };
    CHECK(refusal(polygon_wkb(circle(9999))).empty());
    CHECK(contains(refusal(polygon_wkb(circle(10000))), "10001 vertices, at most 10000 for a venue"));
    CHECK(refusal(polygon_wkb(circle(10000)), FeatureKind::sector).empty());
    CHECK_THROWS_AS(check_vertex_count(geometry_bounds(FeatureKind::site).max_vertices + 1, FeatureKind::site),
                    InvalidField);
    CHECK_NOTHROW(check_vertex_count(geometry_bounds(FeatureKind::site).max_vertices, FeatureKind::site));
}

TEST_CASE("check_text counts code points and refuses hidden characters", "[io][validate][text]") {
    std::string cyr;
    for (std::size_t i = 0; i < kMaxTextCodePoints; ++i) cyr += "ё";
    CHECK_NOTHROW(check_text("name", cyr));
    CHECK_THROWS_WITH(check_text("name", cyr + "ё"), Catch::Contains("201 characters long, at most 200"));
    CHECK_THROWS_AS(check_text("name", "a\0b"s), InvalidField);
    CHECK_THROWS_WITH(check_text("name", "a\nb"), Catch::Contains("control character U+000A"));
    CHECK_THROWS_WITH(check_text("name", "a\x7f"), Catch::Contains("U+007F"));
    CHECK_THROWS_WITH(check_text("name", "a\xC2\x85"), Catch::Contains("U+0085"));  // NEL, C1
    CHECK_THROWS_WITH(check_text("name", "Bar \xE2\x80\xAE" "eman"), Catch::Contains("bidirectional control U+202E"));
    CHECK_THROWS_WITH(check_text("name", "\xE2\x81\xA6x"), Catch::Contains("U+2066"));
    CHECK_THROWS_WITH(check_text("name", "\xC3\x28"), Catch::Contains("not valid UTF-8"));
    CHECK_NOTHROW(check_text("name", "مطعم \xE2\x80\x8F" "الأرز"));  // Arabic with a right-to-left mark
    try {
        check_text("address", "a\tb");
        FAIL("a tab is a control character");
    } catch (const InvalidField& e) {
        CHECK(e.field == "address");
    }
}

TEST_CASE("name lists are bounded and deduplicated in linear time", "[io][validate][names]") {
    std::string many = "[";
    for (int i = 0; i < 100000; ++i) many += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
    many += "]";
    CHECK_THROWS_WITH(parse_name_list(many), Catch::Contains("100000 aliases given, at most 64 per venue"));
    std::string sixty_four = "[";
    for (int i = 0; i < 64; ++i) sixty_four += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
    CHECK(parse_name_list(sixty_four + "]").size() == 64);
    CHECK(parse_name_list(sixty_four + ",\"0\",\" 1 \"]").size() == 64);  // duplicates do not count
    CHECK_THROWS_AS(parse_name_list(sixty_four + ",\"64\"]", "former_names"), InvalidField);
    CHECK_THROWS_AS(parse_name_list(std::string(100000, '[') + std::string(100000, ']')), std::invalid_argument);
    CHECK_THROWS_WITH(parse_name_list("ok;bad\x01"), Catch::Contains("entry 2"));
    CHECK(clean_name_list({" a ", "", "a", "b"}) == Names{"a", "b"});
}

TEST_CASE("check_venue holds every rule for a venue however it arrives", "[io][validate][venue]") {
    keepout::model::Venue v;
    v.name = "Bar Hëna";
    v.geometry = point_wkb(21.1, 42.6);
    CHECK_NOTHROW(check_venue(v));
    auto field_of = [](const keepout::model::Venue& bad) {
        try {
            check_venue(bad);
        } catch (const InvalidField& e) {
            return e.field;
        }
        return std::string();
    };
    auto b = v;
    b.name = "  ";
    CHECK(field_of(b) == "name");
    b = v;
    b.aliases.assign(65, "x");
    CHECK(field_of(b) == "aliases");
    b = v;
    b.former_names = {std::string(201, 'x')};
    CHECK(field_of(b) == "former_names");
    b = v;
    b.address = "a\r\nb";
    CHECK(field_of(b) == "address");
    b = v;
    b.geometry = polygon_wkb(square(21.1, 42.6, 1));
    CHECK(field_of(b) == "geometry");
    b = v;
    b.geometry = polygon_wkb({{21, 42}, {21.001, 42.001}, {21.001, 42}, {21, 42.001}, {21, 42}});  // bow-tie
    CHECK(field_of(b) == "geometry");
    b = v;
    b.geometry.clear();
    CHECK(field_of(b) == "geometry");
}
