#include "geo/coordinates.hpp"

// Parsing is strict on purpose: a check that answers "not listed" for a misread position is worse
// than one that refuses the input. GeographicLib does the decoding (DMS, MGRS, UTM/UPS); the code
// here only decides which form the text is in, puts the pieces into the shape GeographicLib
// expects, and adds the checks GeographicLib leaves to its callers (finite values, longitude range,
// band letters, no sums of angles, …).

#include <GeographicLib/DMS.hpp>
#include <GeographicLib/MGRS.hpp>
#include <GeographicLib/UTMUPS.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace keepout::geo {

namespace {

using GeographicLib::DMS;
using GeographicLib::GeographicErr;
using GeographicLib::MGRS;
using GeographicLib::UTMUPS;

// ---------------------------------------------------------------------------------------------
// Messages

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// The input as quoted in a message, cut (on a character boundary) so that an oversized request
// does not land whole in a log.
std::string quoted(std::string_view text) {
    constexpr std::size_t max = 80;
    if (text.size() <= max) return "\"" + std::string(text) + "\"";
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0u) == 0x80u) --n;
    return "\"" + std::string(text.substr(0, n)) + "…\"";
}

[[noreturn]] void fail(std::string_view input, const std::string& reason) {
    throw CoordinateError("invalid coordinate " + quoted(input) + ": " + reason);
}

// ---------------------------------------------------------------------------------------------
// Characters

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_hemisphere(char c) {
    const char u = upper(c);
    return u == 'N' || u == 'S' || u == 'E' || u == 'W';
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = upper(c);
    return out;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (upper(a[i]) != upper(b[i])) return false;
    return true;
}

// Unsigned decimal: digits with at most one decimal point, at least one digit; no sign, no exponent.
std::optional<double> unsigned_number(std::string_view s) {
    bool digit = false, point = false;
    for (char c : s) {
        if (is_digit(c)) {
            digit = true;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            return std::nullopt;
        }
    }
    if (!digit) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// Checks that the text is UTF-8 and turns every kind of space into an ASCII space. GeographicLib's
// DMS parser silently deletes no-break, thin and zero-width spaces, which would glue "4 2" into
// 42; as separators they are harmless.
std::string normalise(std::string_view input) {
    std::string out;
    out.reserve(input.size());
    for (std::size_t i = 0; i < input.size();) {
        const auto c = static_cast<unsigned char>(input[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80u) {
            len = 1;
            cp = c;
        } else if ((c & 0xE0u) == 0xC0u && c >= 0xC2u) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0u) == 0xE0u) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8u) == 0xF0u && c <= 0xF4u) {
            len = 4;
            cp = c & 0x07u;
        } else {
            fail(input, "not valid UTF-8");
        }
        if (i + len > input.size()) fail(input, "not valid UTF-8");
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(input[i + k]);
            if ((cc & 0xC0u) != 0x80u) fail(input, "not valid UTF-8");
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        const bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
                           cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
                           cp == 0x2063 || cp == 0x3000 || cp == 0xFEFF;
        if (space) {
            out.push_back(' ');
        } else {
            out.append(input.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        const std::size_t b = i;
        while (i < s.size() && s[i] != ' ') ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// UTM / UPS: "34T 513563 4723390", "34N 513563 4723390", "34north …", "N 2000000 2000000" (UPS)

constexpr std::string_view kBands = "CDEFGHJKLMNPQRSTUVWX";  // UTM latitude bands, 8° each (X: 12°)

// A zone token: zone digits followed by one letter or "north"/"south"; or, for UPS, only the
// hemisphere. Whether the zone number itself is legal is left to UTMUPS::DecodeZone.
bool is_zone_token(std::string_view t) {
    std::size_t i = 0;
    while (i < t.size() && is_digit(t[i])) ++i;
    const std::string_view rest = t.substr(i);
    if (iequals(rest, "north") || iequals(rest, "south")) return true;
    if (rest.size() != 1 || !is_alpha(rest[0])) return false;
    return i > 0 || upper(rest[0]) == 'N' || upper(rest[0]) == 'S';
}

LonLat parse_utm(std::string_view input, std::string_view zone_token, double easting, double northing) {
    const std::string z = upper(zone_token);
    std::size_t ndigits = 0;
    while (ndigits < z.size() && is_digit(z[ndigits])) ++ndigits;

    // After the zone number comes either a latitude band (C–M south, N–X north) or a hemisphere.
    // The letters N and S are both: "34N" could be band N (0°–8°N) or the northern hemisphere, and
    // "34S" band S (32°–40°N) or the southern hemisphere. Like GeographicLib's UTMUPS::DecodeZone
    // (and GeoConvert), a lone N or S after the zone is read as the HEMISPHERE. For N both readings
    // give the same point; for S they do not, so a position in band S must be written with the
    // hemisphere ("38N 444000 3688000") or as MGRS. Every other letter is a band and is checked
    // against the latitude the easting/northing give.
    std::optional<char> band;
    std::string zonestr = z;
    if (ndigits > 0 && z.size() == ndigits + 1 && z.back() != 'N' && z.back() != 'S') {
        const char b = z.back();
        if (kBands.find(b) == std::string_view::npos)
            fail(input, std::string("'") + b +
                            "' after the UTM zone is neither a latitude band (C-X without I and O) nor a "
                            "hemisphere (N, S)");
        band = b;
        zonestr = z.substr(0, ndigits) + (b >= 'N' ? "N" : "S");
    }
    int zone = 0;
    bool northp = true;
    try {
        UTMUPS::DecodeZone(zonestr, zone, northp);
    } catch (const GeographicErr& e) {
        fail(input, "bad UTM/UPS zone \"" + std::string(zone_token) + "\": " + e.what());
    }
    // Ranges: GeographicLib's MGRS limits (mgrslimits = true), i.e. UTM eastings in [100, 900] km
    // and northings in [0, 9500] km north, [1000, 10000] km south; UPS [1300, 2700] km north,
    // [800, 3200] km south. The looser default ([0, 1000] km eastings) would let "42N 21 30", a
    // mistyped 42°N 21°30', through as a point on the equator. Reverse also lets a northing run on
    // across the equator (down to -9000 km north, up to 19500 km south): typed input may not; a
    // negative number never reaches here (see unsigned_number).
    if (zone != UTMUPS::UPS && !northp && northing > 10'000'000)
        fail(input, "northing " + number(northing) + " m is beyond the equator for a southern-hemisphere zone");
    double lat = 0, lon = 0;
    try {
        UTMUPS::Reverse(zone, northp, easting, northing, lat, lon, /*mgrslimits=*/true);
    } catch (const GeographicErr& e) {
        fail(input, std::string("easting/northing outside the zone: ") + e.what());
    }
    if (band) {
        // 1e-5° (about a metre) of slack so that a point rounded to the metre on a band edge passes.
        const auto i = static_cast<double>(kBands.find(*band));
        const double lo = -80 + 8 * i, hi = *band == 'X' ? 84 : lo + 8;
        constexpr double slack = 1e-5;
        if (lat < lo - slack || lat > hi + slack)
            fail(input, "the northing gives latitude " + number(lat) + ", outside latitude band " + *band + " [" +
                            number(lo) + ", " + number(hi) + "]");
    }
    if (!std::isfinite(lat) || !std::isfinite(lon)) fail(input, "UTM/UPS conversion gave no position");
    return {lon + 0.0, lat + 0.0};
}

// ---------------------------------------------------------------------------------------------
// MGRS: "34TDN1356323390", "34T DN 13563 23390", "34TDN 13563 23390", UPS "ZAB1234"

bool is_gzd_token(std::string_view t) {  // grid zone designation: "34T", "4Q"; UPS "A", "B", "Y", "Z"
    if (t.size() == 1) {
        const char u = upper(t[0]);
        return u == 'A' || u == 'B' || u == 'Y' || u == 'Z';
    }
    return (t.size() == 2 || t.size() == 3) && all_digits(t.substr(0, t.size() - 1)) && is_alpha(t.back());
}

// Length of the letters part ("34TDN", "ZAB") when `s` has the shape of an MGRS reference, else 0.
std::size_t mgrs_prefix(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i > 2) return 0;
    if (i == 0) {
        if (s.empty()) return 0;
        const char u = upper(s[0]);
        if (u != 'A' && u != 'B' && u != 'Y' && u != 'Z') return 0;
    }
    if (s.size() < i + 3 || !is_alpha(s[i]) || !is_alpha(s[i + 1]) || !is_alpha(s[i + 2])) return 0;
    const std::size_t letters_end = i + 3;
    for (std::size_t k = letters_end; k < s.size(); ++k)
        if (!is_digit(s[k])) return 0;
    return letters_end;
}

// The MGRS reference with its spaces taken out, when the tokens are one; nullopt otherwise.
std::optional<std::string> mgrs_reference(std::string_view input, const std::vector<std::string_view>& tokens) {
    if (tokens.size() == 1 && is_gzd_token(tokens[0])) return upper(tokens[0]);  // rejected below, clearly
    std::string head;
    std::size_t next = 1;
    if (tokens.size() >= 2 && is_gzd_token(tokens[0]) && tokens[1].size() >= 2 && is_alpha(tokens[1][0]) &&
        is_alpha(tokens[1][1])) {
        head = std::string(tokens[0]) + std::string(tokens[1]);
        next = 2;
    } else {
        head = std::string(tokens[0]);
    }
    const std::size_t letters = mgrs_prefix(head);
    if (letters == 0) return std::nullopt;

    // Digits: all together, or easting and northing as two groups of the same length.
    std::vector<std::string_view> groups;
    const std::string_view head_digits = std::string_view(head).substr(letters);
    if (!head_digits.empty()) groups.push_back(head_digits);
    for (std::size_t k = next; k < tokens.size(); ++k) {
        if (!all_digits(tokens[k])) fail(input, "unexpected \"" + std::string(tokens[k]) + "\" in an MGRS reference");
        groups.push_back(tokens[k]);
    }
    if (groups.size() > 2) fail(input, "an MGRS reference has at most two groups of digits (easting, northing)");
    if (groups.size() == 2 && groups[0].size() != groups[1].size())
        fail(input, "MGRS easting and northing have different numbers of digits (" +
                        std::to_string(groups[0].size()) + " and " + std::to_string(groups[1].size()) + ")");
    std::string out = upper(std::string_view(head).substr(0, letters));
    for (auto g : groups) out.append(g);
    return out;
}

LonLat parse_mgrs(std::string_view input, const std::string& mgrs) {
    int zone = 0, prec = 0;
    bool northp = true;
    double x = 0, y = 0;
    try {
        MGRS::Reverse(mgrs, zone, northp, x, y, prec, /*centerp=*/true);
    } catch (const GeographicErr& e) {
        fail(input, std::string("bad MGRS reference: ") + e.what());
    }
    if (prec < 0) fail(input, "a grid zone designation alone (\"" + mgrs + "\") is not a position");
    // A reference without digits names a 100 km square; as typed input that is far likelier a
    // slip (a stray word such as "zap" is a valid polar square) than a position anyone means.
    if (prec == 0) fail(input, "an MGRS reference without digits names a 100 km square, not a position");
    double lat = 0, lon = 0;
    try {
        UTMUPS::Reverse(zone, northp, x, y, lat, lon);
    } catch (const GeographicErr& e) {
        fail(input, std::string("bad MGRS reference: ") + e.what());
    }
    if (!std::isfinite(lat) || !std::isfinite(lon)) fail(input, "MGRS conversion gave no position");
    return {lon + 0.0, lat + 0.0};
}

// ---------------------------------------------------------------------------------------------
// Latitude and longitude, decimal or degrees-minutes-seconds

bool has_degree_mark(std::string_view t) {
    for (std::string_view mark : {"\xC2\xB0", "\xC2\xBA", "\xE2\x81\xB0", "\xCB\x9A", "\xE2\x88\x98", "d", "D", "*"})
        if (t.find(mark) != std::string_view::npos) return true;
    return false;
}

// Splits tokens without a comma into latitude and longitude. Two tokens are one each; more must be
// split by hemisphere letters ("42 39 46 N 21 9 56 E", "N 42 39 46 E 21 9 56") or by degree marks
// ("42° 39' 46\" 21° 09' 56\""). Anything else ("42 39 46 21 9 56", or is it "42 39, 46 21 9 56"?)
// is refused rather than guessed.
std::optional<std::size_t> split_point(const std::vector<std::string_view>& t) {
    const std::size_t n = t.size();
    if (n == 2) return 1;
    if (is_hemisphere(t[0].front())) {
        for (std::size_t j = 1; j < n; ++j)
            if (is_hemisphere(t[j].front())) return j;
    } else {
        for (std::size_t i = 0; i + 1 < n; ++i)
            if (is_hemisphere(t[i].back())) return i + 1;
    }
    if (has_degree_mark(t[0])) {
        std::optional<std::size_t> second;
        for (std::size_t j = 1; j < n; ++j) {
            if (!has_degree_mark(t[j])) continue;
            if (second) return std::nullopt;
            second = j;
        }
        return second;
    }
    return std::nullopt;
}

// One angle's tokens as one DMS string for GeographicLib: bare numbers in a row become
// d:m:s ("42 39 46 N" → "42:39:46N"); tokens carrying their own marks are put together
// ("42° 39' 46\"" → "42°39'46\"").
std::string join_angle(const std::vector<std::string_view>& tokens) {
    std::string out;
    for (auto t : tokens) {
        auto numeric_end = [](char c) { return is_digit(c) || c == '.'; };
        if (!out.empty() && numeric_end(out.back()) && numeric_end(t.front())) out.push_back(':');
        out.append(t);
    }
    return out;
}

// Prepares one angle for DMS::Decode and refuses what it would accept too readily.
void prepare_angle(std::string_view input, std::string& a) {
    // Signs: DMS::Decode adds up pieces ("42.6+1" is 43.6°, "70:01:15W-0:0:30W" is legal); typed by
    // a person that is a slip, so a sign is allowed only at the very start.
    static constexpr std::string_view signs[] = {"+",
                                                 "-",
                                                 "\xE2\x80\x90",  // U+2010 hyphen
                                                 "\xE2\x80\x91",  // U+2011 non-breaking hyphen
                                                 "\xE2\x80\x92",  // U+2012 figure dash
                                                 "\xE2\x80\x93",  // U+2013 en dash
                                                 "\xE2\x80\x94",  // U+2014 em dash
                                                 "\xE2\x88\x92",  // U+2212 minus sign
                                                 "\xE2\x9E\x95",  // U+2795 heavy plus
                                                 "\xE2\x9E\x96",  // U+2796 heavy minus
                                                 "\xE2\x81\xA4"};  // U+2064 invisible plus
    for (auto s : signs) {
        for (std::size_t p = a.find(s); p != std::string::npos; p = a.find(s, p + 1))
            if (p != 0) fail(input, "a sign inside \"" + a + "\" (only a leading sign is allowed)");
    }
    // Letters: hemispheres, and d/m/s as degree, minute and second marks ("42d39m46sN"). GeographicLib
    // knows d but not m and s, so m becomes ' and s ". An s after minutes could also be South
    // ("42d39m46s": 46 seconds, or 46 south?); it is taken as seconds only when a hemisphere letter
    // follows, and refused otherwise.
    bool minutes = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char c = a[i];
        if (!is_alpha(c)) {
            // Minute marks: ' and the primes GeographicLib reads as one (U+2032, U+2019, U+00B4).
            if (c == '\'' || a.compare(i, 3, "\xE2\x80\xB2") == 0 || a.compare(i, 3, "\xE2\x80\x99") == 0 ||
                a.compare(i, 2, "\xC2\xB4") == 0)
                minutes = true;
            continue;
        }
        const char u = upper(c);
        const bool after_number = i > 0 && (is_digit(a[i - 1]) || a[i - 1] == '.');
        if (u == 'M' && after_number) {
            a[i] = '\'';
            minutes = true;
        } else if (u == 'S' && after_number && minutes) {
            if (i + 1 < a.size() && is_hemisphere(a[i + 1])) {
                a[i] = '"';
            } else {
                fail(input, "\"s\" in \"" + std::string(a) +
                                "\" could mean seconds or South; write the seconds with \" or add the hemisphere");
            }
        } else if (!is_hemisphere(c) && u != 'D') {
            fail(input, "not a latitude/longitude, UTM or MGRS coordinate (unexpected \"" + std::string(1, c) +
                            "\")");
        }
    }
}

LonLat parse_lat_lon(std::string_view input, const std::string& text, const std::vector<std::string_view>& tokens) {
    // The only letters a latitude/longitude may hold: hemispheres and d/m/s marks.
    for (char c : text) {
        const char u = upper(c);
        if (is_alpha(c) && !is_hemisphere(c) && u != 'D' && u != 'M')
            fail(input, "not a latitude/longitude, UTM or MGRS coordinate (unexpected \"" + std::string(1, c) + "\")");
    }
    std::vector<std::string_view> first, second;
    const std::size_t comma = text.find(',');
    if (comma != std::string::npos) {
        if (text.find(',', comma + 1) != std::string::npos)
            fail(input, "more than one comma (expected \"lat,lon\")");
        first = split_spaces(std::string_view(text).substr(0, comma));
        second = split_spaces(std::string_view(text).substr(comma + 1));
        if (first.empty() || second.empty()) fail(input, "expected a latitude and a longitude around the comma");
    } else {
        if (tokens.size() < 2) fail(input, "expected a latitude and a longitude, UTM or MGRS");
        const auto at = split_point(tokens);
        if (!at)
            fail(input,
                 "cannot tell where the latitude ends and the longitude begins; separate them with a comma or "
                 "add hemisphere letters");
        first.assign(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(*at));
        second.assign(tokens.begin() + static_cast<std::ptrdiff_t>(*at), tokens.end());
    }
    std::string a = join_angle(first), b = join_angle(second);
    prepare_angle(input, a);
    prepare_angle(input, b);
    // Latitude first, always. DMS::DecodeLatLon would let hemisphere letters swap the two
    // ("21.16E 42.66N"), but then a slip of one letter ("42.66 21.16N" for …E) silently moves the
    // point to 21°N 42°E; the letters must agree with the order instead. (After prepare_angle, the
    // only letters left are hemispheres and d.)
    auto holds = [](const std::string& s, char x, char y) {
        for (char c : s)
            if (upper(c) == x || upper(c) == y) return true;
        return false;
    };
    if (holds(a, 'E', 'W')) fail(input, "the latitude comes first and takes N or S, not E or W");
    if (holds(b, 'N', 'S')) fail(input, "the longitude comes second and takes E or W, not N or S");
    double lat = 0, lon = 0;
    try {
        DMS::DecodeLatLon(a, b, lat, lon, /*longfirst=*/false);
    } catch (const GeographicErr& e) {
        fail(input, e.what());
    }
    if (!std::isfinite(lat) || !std::isfinite(lon)) fail(input, "not a number");
    if (lat < -90 || lat > 90) fail(input, "latitude " + number(lat) + " is outside [-90, 90]");
    if (lon < -180 || lon > 180) fail(input, "longitude " + number(lon) + " is outside [-180, 180]");
    return {lon + 0.0, lat + 0.0};
}

void check_position(LonLat p) {
    if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180)
        throw CoordinateError("invalid position: lat " + number(p.lat) + ", lon " + number(p.lon));
}

// The form web pages and scripts send, "42.66,21.16": two plain decimals around one comma, no
// spaces, signs, marks or letters. Read with from_chars (correctly rounded, as GeographicLib's
// decoder is) without building the token lists of the general parser; anything else, and any
// value out of range, takes the general path, which words the errors.
std::optional<LonLat> plain_lat_lon(std::string_view s) {
    auto decimal = [](std::string_view t) {
        std::size_t i = !t.empty() && t[0] == '-';
        const std::size_t int_start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == int_start) return false;
        if (i == t.size()) return true;
        if (t[i] != '.') return false;
        const std::size_t frac_start = ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        return i > frac_start && i == t.size();
    };
    const std::size_t comma = s.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    const std::string_view a = s.substr(0, comma), b = s.substr(comma + 1);
    if (!decimal(a) || !decimal(b)) return std::nullopt;
    LonLat p;
    if (std::from_chars(a.data(), a.data() + a.size(), p.lat).ec != std::errc() ||
        std::from_chars(b.data(), b.data() + b.size(), p.lon).ec != std::errc())
        return std::nullopt;
    if (!(p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180)) return std::nullopt;
    p.lat += 0.0;  // "-0" is 0, as the general parser reads it
    p.lon += 0.0;
    return p;
}

}  // namespace

LonLat parse_coordinate(std::string_view input) {
    if (const auto p = plain_lat_lon(input)) return *p;
    const std::string text = normalise(input);
    const std::vector<std::string_view> tokens = split_spaces(text);
    if (tokens.empty()) fail(input, "empty");
    if (text.find(',') == std::string::npos) {
        if (tokens.size() == 3 && is_zone_token(tokens[0])) {
            const auto easting = unsigned_number(tokens[1]), northing = unsigned_number(tokens[2]);
            if (easting && northing) return parse_utm(input, tokens[0], *easting, *northing);
        }
        if (const auto mgrs = mgrs_reference(input, tokens)) return parse_mgrs(input, *mgrs);
    }
    return parse_lat_lon(input, text, tokens);
}

std::string to_mgrs(LonLat p, int digits) {
    check_position(p);
    if (digits < 0 || digits > 11) throw CoordinateError("MGRS digits must be in [0, 11], not " + std::to_string(digits));
    try {
        int zone = 0;
        bool northp = true;
        double x = 0, y = 0;
        UTMUPS::Forward(p.lat, p.lon, zone, northp, x, y);
        std::string out;
        MGRS::Forward(zone, northp, x, y, p.lat, digits, out);
        return out;
    } catch (const GeographicErr& e) {
        throw CoordinateError("cannot express lat " + number(p.lat) + ", lon " + number(p.lon) + " in MGRS: " + e.what());
    }
}

std::string to_utm(LonLat p) {
    check_position(p);
    try {
        int zone = 0;
        bool northp = true;
        double x = 0, y = 0;
        UTMUPS::Forward(p.lat, p.lon, zone, northp, x, y);
        std::string designator;
        if (zone == UTMUPS::UPS) {
            designator = northp ? "N" : "S";  // UPS: the hemisphere alone, as UTMUPS::DecodeZone reads it
        } else {
            std::string gzd;
            MGRS::Forward(zone, northp, x, y, p.lat, -1, gzd);  // "34T"
            designator = gzd;
            // Band S would be read back as the southern hemisphere (see parse_utm), so a point in
            // band S (32°N–40°N) is written with its hemisphere, N, instead.
            if (designator.back() == 'S') designator.back() = 'N';
        }
        char buf[64];
        std::snprintf(buf, sizeof buf, " %.0f %.0f", x, y);
        return designator + buf;
    } catch (const GeographicErr& e) {
        throw CoordinateError("cannot express lat " + number(p.lat) + ", lon " + number(p.lon) + " in UTM/UPS: " + e.what());
    }
}

}  // namespace keepout::geo

namespace keepout::geo {

EastNorth utm_forward(LonLat p, int zone, bool north) {
    int z = 0;
    bool n = false;
    double x = 0, y = 0;
    try {
        GeographicLib::UTMUPS::Forward(p.lat, p.lon, z, n, x, y, zone);
        if (n != north) GeographicLib::UTMUPS::Transfer(z, n, x, y, zone, north, x, y, z);
    } catch (const GeographicLib::GeographicErr& e) {
        throw CoordinateError(std::string("cannot project to UTM zone ") + std::to_string(zone) + ": " + e.what());
    }
    return {x, y};
}

LonLat utm_reverse(EastNorth p, int zone, bool north) {
    double lat = 0, lon = 0;
    try {
        GeographicLib::UTMUPS::Reverse(zone, north, p.easting, p.northing, lat, lon, false);
    } catch (const GeographicLib::GeographicErr& e) {
        throw CoordinateError(std::string("not a position in UTM zone ") + std::to_string(zone) + ": " + e.what());
    }
    return {lon, lat};
}

}  // namespace keepout::geo
