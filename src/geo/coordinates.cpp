#include "geo/coordinates.hpp"

// Parsing is strict on purpose: a check that answers "not listed" for a misread position is worse
// than one that refuses the input. keepout tokenises and range-checks every coordinate itself:
// latitude and longitude (decimal and degrees-minutes-seconds) are decoded here, and GeographicLib
// only converts UTM and MGRS references whose shape has been checked first. (GeographicLib's DMS
// decoder, fed unfiltered text, can be made to crash.)

#include <GeographicLib/MGRS.hpp>
#include <GeographicLib/UTMUPS.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "text/utf8.hpp"

namespace keepout::geo {

namespace {

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

[[noreturn]] void fail(std::string_view input, const std::string& reason) {
    throw CoordinateError("invalid coordinate " + text::quote(input) + ": " + reason);
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
    if (!digit || s.size() > 40) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// The text in the small ASCII alphabet the parsers read: every kind of space becomes ' ', degree
// marks (° º ˚ …) become kDegree, minute marks (' ′ ’ ´) '\'', second marks (" ″ ”) '"', signs
// '+' and '-'. Anything else outside ASCII letters, digits and . , ; : is refused, and so is
// text that is not UTF-8 or longer than kMaxPositionBytes. When `lenient` (for
// looks_like_position), returns nullopt instead of throwing.
constexpr char kDegree = '@';

std::optional<std::string> canonical(std::string_view input, bool lenient) {
    if (input.size() > kMaxPositionBytes) {
        if (lenient) return std::nullopt;
        fail(input, "too long for a position (" + std::to_string(input.size()) + " bytes; at most " +
                        std::to_string(kMaxPositionBytes) + ")");
    }
    std::string out;
    out.reserve(input.size());
    for (std::size_t i = 0; i < input.size();) {
        const std::size_t start = i;
        const auto cp = text::decode_next(input, i);
        if (!cp) {
            if (lenient) return std::nullopt;
            fail(input, "not valid UTF-8");
        }
        const char32_t c = *cp;
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x00A0 ||
                           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
        if (space) {
            out.push_back(' ');
        } else if (c == 0x00B0 || c == 0x00BA || c == 0x2070 || c == 0x02DA || c == 0x2218 || c == '*') {
            out.push_back(kDegree);
        } else if (c == '\'' || c == 0x2032 || c == 0x2019 || c == 0x2018 || c == 0x00B4) {
            out.push_back('\'');
        } else if (c == '"' || c == 0x2033 || c == 0x201D || c == 0x201C) {
            out.push_back('"');
        } else if (c == '+' || c == 0x2795) {
            out.push_back('+');
        } else if (c == '-' || (c >= 0x2010 && c <= 0x2014) || c == 0x2212 || c == 0x2796) {
            out.push_back('-');
        } else if (c < 0x80 && (is_digit(static_cast<char>(c)) || is_alpha(static_cast<char>(c)) || c == '.' ||
                                c == ',' || c == ';' || c == ':')) {
            out.push_back(static_cast<char>(c));
        } else {
            if (lenient) return std::nullopt;
            fail(input, "unexpected character " + text::quote(input.substr(start, i - start)) +
                            " (a position is made of digits, signs, degree/minute/second marks, N/S/E/W, "
                            "UTM zones and MGRS letters)");
        }
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

// Decimal commas, as Albanian, Serbian, French and many others write them. A comma between two
// digits may be a decimal comma or the separator of latitude and longitude; it is read as a
// decimal comma only where no other reading is possible:
//  - one comma, or none: it is the separator ("42.66,21.16");
//  - several, exactly one of them not between two digits: that one separates, the others are
//    decimal ("42,6633, 21,1651");
//  - a semicolon separates, and every comma is decimal ("42,6633;21,1651");
//  - three commas between digits and nothing else: the middle one separates ("42,66,21,16");
//  - two commas between digits and the numbers apart by spaces ("42,6633 21,1651").
// Anything else is refused. Returns the text with '.' for decimal commas and ',' as separator.
std::string resolve_commas(std::string_view input, std::string s, bool& decimal_comma) {
    std::vector<std::size_t> commas, between_digits, others, semicolons;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ';') semicolons.push_back(i);
        if (s[i] != ',') continue;
        commas.push_back(i);
        (i > 0 && i + 1 < s.size() && is_digit(s[i - 1]) && is_digit(s[i + 1]) ? between_digits : others).push_back(i);
    }
    if (semicolons.size() > 1) fail(input, "more than one semicolon (expected \"lat; lon\")");
    auto decimal = [&](const std::vector<std::size_t>& at) {
        for (auto i : at) s[i] = '.';
        decimal_comma = decimal_comma || !at.empty();
    };
    if (semicolons.size() == 1) {
        if (!others.empty()) fail(input, "a comma that is not a decimal comma beside a semicolon");
        decimal(between_digits);
        s[semicolons[0]] = ',';
        return s;
    }
    if (commas.size() <= 1) return s;
    if (others.size() == 1) {
        decimal(between_digits);
        return s;
    }
    if (others.empty() && between_digits.size() == 3) {
        decimal({between_digits[0], between_digits[2]});
        return s;
    }
    if (others.empty() && between_digits.size() == 2) {
        std::string t = s;
        for (auto i : between_digits) t[i] = '.';
        if (split_spaces(t).size() == 2) {
            decimal(between_digits);
            return s;
        }
    }
    fail(input, "cannot tell which commas are decimal commas and which one separates latitude and longitude "
                "(write \"42.6633, 21.1651\" or \"42,6633; 21,1651\")");
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
// MGRS without the grid zone: "EN 13528 23436", "EN1352823436", "EN 1352823436"

// The square letters and digits when the tokens have that shape; nullopt otherwise.
std::optional<std::string> zoneless_mgrs(std::string_view input, const std::vector<std::string_view>& tokens) {
    const std::string_view head = tokens[0];
    if (head.size() < 2 || !is_alpha(head[0]) || !is_alpha(head[1])) return std::nullopt;
    const std::string_view head_digits = head.substr(2);
    if (!head_digits.empty() && !all_digits(head_digits)) return std::nullopt;
    std::vector<std::string_view> groups;
    if (!head_digits.empty()) groups.push_back(head_digits);
    for (std::size_t k = 1; k < tokens.size(); ++k) {
        if (!all_digits(tokens[k])) return std::nullopt;
        groups.push_back(tokens[k]);
    }
    if (groups.empty()) return std::nullopt;
    if (groups.size() > 2) fail(input, "an MGRS reference has at most two groups of digits (easting, northing)");
    if (groups.size() == 2 && groups[0].size() != groups[1].size())
        fail(input, "MGRS easting and northing have different numbers of digits (" +
                        std::to_string(groups[0].size()) + " and " + std::to_string(groups[1].size()) + ")");
    std::string out = upper(head.substr(0, 2));
    for (auto g : groups) out.append(g);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Latitude and longitude, decimal or degrees-minutes-seconds, decoded here.

bool has_degree_mark(std::string_view t) {
    for (char c : t)
        if (c == kDegree || c == 'd' || c == 'D') return true;
    return false;
}

// Splits tokens without a separator into latitude and longitude. Two tokens are one each; more
// must be split by hemisphere letters ("42 39 46 N 21 9 56 E", "N 42 39 46 E 21 9 56") or by
// degree marks ("42° 39' 46\" 21° 09' 56\""). Anything else ("42 39 46 21 9 56", or is it
// "42 39, 46 21 9 56"?) is refused rather than guessed.
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

struct Angle {
    double degrees = 0;
    char hemisphere = 0;  // 'N', 'S', 'E', 'W' or 0
    bool sexagesimal = false;
};

// One angle: [hemisphere] [sign] degrees [minutes [seconds]] [hemisphere], where each part is a
// plain decimal followed by its mark (° d, ' m, " s '') or separated from the next by a colon or
// a space. Parts come in order, minutes and seconds below 60, only the last part has a fraction,
// a sign only at the very start and never with a hemisphere. Whatever else is refused.
Angle parse_angle(std::string_view input, std::string_view a) {
    Angle out;
    std::size_t i = 0;
    auto skip_spaces = [&] {
        while (i < a.size() && a[i] == ' ') ++i;
    };
    skip_spaces();
    if (i < a.size() && is_hemisphere(a[i]) && (i + 1 == a.size() || !is_alpha(a[i + 1]))) {
        out.hemisphere = upper(a[i]);
        ++i;
        skip_spaces();
    }
    int sign = 1;
    bool signed_ = false;
    if (i < a.size() && (a[i] == '+' || a[i] == '-')) {
        sign = a[i] == '-' ? -1 : 1;
        signed_ = true;
        ++i;
    }
    struct Part {
        std::string_view digits;
        int unit = -1;  // 0 degrees, 1 minutes, 2 seconds; -1 from its position
        bool fraction = false;
    };
    std::vector<Part> parts;
    bool minute_mark = false;  // an explicit minute mark (' or m) was written
    while (i < a.size()) {
        skip_spaces();
        if (i == a.size()) break;
        if (is_hemisphere(a[i])) {
            if (out.hemisphere) fail(input, "two hemisphere letters in one angle");
            out.hemisphere = upper(a[i]);
            ++i;
            skip_spaces();
            if (i != a.size()) fail(input, "unexpected text after the hemisphere letter");
            break;
        }
        if (a[i] == '+' || a[i] == '-')
            fail(input, "a sign inside an angle (only a leading sign is allowed)");
        const std::size_t b = i;
        bool point = false, digit = false;
        while (i < a.size() && (is_digit(a[i]) || (a[i] == '.' && !point))) {
            if (a[i] == '.') point = true; else digit = true;
            ++i;
        }
        if (!digit) {
            if (i < a.size() && a[i] == '.') fail(input, "a number with two decimal points");
            if (i < a.size() && is_alpha(a[i]))
                fail(input, "not a latitude/longitude, UTM or MGRS coordinate (unexpected \"" + std::string(1, a[i]) +
                                "\")");
            fail(input, "expected a number");
        }
        if (parts.size() == 3) fail(input, "more than degrees, minutes and seconds in one angle");
        Part part{a.substr(b, i - b), -1, point};
        if (part.digits.size() > 30) fail(input, "a number too long for an angle");
        // The mark after the number, if any.
        if (i < a.size()) {
            const char c = a[i];
            const char u = upper(c);
            if (c == kDegree || u == 'D') {
                part.unit = 0, ++i;
            } else if (c == '\'' && i + 1 < a.size() && a[i + 1] == '\'') {
                part.unit = 2, i += 2;
            } else if (c == '\'' || u == 'M') {
                part.unit = 1, ++i;
                minute_mark = true;
            } else if (c == '"') {
                part.unit = 2, ++i;
            } else if (u == 'S' && minute_mark) {
                // "42d39m46s": s for seconds, or South? Only seconds when a hemisphere follows.
                if (i + 1 < a.size() && is_hemisphere(a[i + 1])) {
                    part.unit = 2, ++i;
                } else {
                    fail(input, "\"s\" after the seconds could mean seconds or South; write the seconds with \" or "
                                "add the hemisphere");
                }
            } else if (c == ':') {
                ++i;
                if (i == a.size() || !is_digit(a[i])) fail(input, "a colon must separate two numbers");
            } else if (is_alpha(c) && !is_hemisphere(c)) {
                fail(input,
                     "not a latitude/longitude, UTM or MGRS coordinate (unexpected \"" + std::string(1, c) + "\")");
            } else if (c != ' ' && !is_hemisphere(c)) {
                fail(input, "unexpected \"" + std::string(1, c) + "\" in an angle");
            }
        }
        const int previous = parts.empty() ? -1 : parts.back().unit;
        if (part.unit < 0) part.unit = previous + 1;
        if (part.unit <= previous) fail(input, "degrees, minutes and seconds out of order");
        if (part.unit > 2) fail(input, "more than degrees, minutes and seconds in one angle");
        if (parts.empty() && part.unit != 0) fail(input, "minutes or seconds without degrees");
        if (!parts.empty() && parts.back().fraction)
            fail(input, "only the last of degrees, minutes and seconds may have a fraction");
        parts.push_back(part);
    }
    if (parts.empty()) fail(input, "expected a number");
    if (signed_ && out.hemisphere) fail(input, "a sign and a hemisphere letter together");

    auto value = [&](std::string_view digits) {
        double v = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(v))
            fail(input, "not a number: " + std::string(digits));
        return v;
    };
    std::string_view int_part = parts[0].digits.substr(0, parts[0].digits.find('.'));
    while (int_part.size() > 1 && int_part.front() == '0') int_part.remove_prefix(1);
    if (int_part.size() > 3) fail(input, "degrees " + std::string(parts[0].digits) + " out of range");
    double deg = value(parts[0].digits);
    out.sexagesimal = parts.size() > 1;
    for (std::size_t k = 1; k < parts.size(); ++k) {
        const double v = value(parts[k].digits);
        const char* what = parts[k].unit == 1 ? "minutes" : "seconds";
        if (v >= 60) fail(input, std::string(what) + " " + std::string(parts[k].digits) + " must be below 60");
        deg += v / (parts[k].unit == 1 ? 60.0 : 3600.0);
    }
    if (out.hemisphere == 'S' || out.hemisphere == 'W') sign = -sign;
    out.degrees = sign * deg;
    return out;
}

ParsedPosition parse_lat_lon(std::string_view input, const std::string& text, const std::vector<std::string_view>& tokens) {
    std::string first, second;
    const std::size_t comma = text.find(',');
    if (comma != std::string::npos) {
        if (text.find(',', comma + 1) != std::string::npos) fail(input, "more than one comma (expected \"lat,lon\")");
        first = text.substr(0, comma);
        second = text.substr(comma + 1);
        if (split_spaces(first).empty() || split_spaces(second).empty())
            fail(input, "expected a latitude and a longitude around the comma");
    } else {
        if (tokens.size() < 2) fail(input, "expected a latitude and a longitude, UTM or MGRS");
        const auto at = split_point(tokens);
        if (!at)
            fail(input,
                 "cannot tell where the latitude ends and the longitude begins; separate them with a comma or "
                 "add hemisphere letters");
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            std::string& to = k < *at ? first : second;
            if (!to.empty()) to.push_back(' ');
            to.append(tokens[k]);
        }
    }
    const Angle lat = parse_angle(input, first), lon = parse_angle(input, second);
    // Latitude first, always: the letters must agree with the order rather than swap the two, or
    // a slip of one letter ("42.66 21.16N" for …E) would move the point to another continent.
    if (lat.hemisphere == 'E' || lat.hemisphere == 'W') fail(input, "the latitude comes first and takes N or S, not E or W");
    if (lon.hemisphere == 'N' || lon.hemisphere == 'S')
        fail(input, "the longitude comes second and takes E or W, not N or S");
    if (!std::isfinite(lat.degrees) || !std::isfinite(lon.degrees)) fail(input, "not a number");
    if (lat.degrees < -90 || lat.degrees > 90) fail(input, "latitude " + number(lat.degrees) + " is outside [-90, 90]");
    if (lon.degrees < -180 || lon.degrees > 180)
        fail(input, "longitude " + number(lon.degrees) + " is outside [-180, 180]");
    ParsedPosition out;
    out.at = {lon.degrees + 0.0, lat.degrees + 0.0};
    out.form = lat.sexagesimal || lon.sexagesimal ? PositionForm::dms : PositionForm::decimal;
    return out;
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

ParsedPosition parse_position(std::string_view input, const PositionContext& context) {
    if (const auto p = plain_lat_lon(input)) return ParsedPosition{*p, PositionForm::decimal, false, std::nullopt};
    ParsedPosition out;
    const std::string text = resolve_commas(input, *canonical(input, false), out.decimal_comma);
    const std::vector<std::string_view> tokens = split_spaces(text);
    if (tokens.empty()) fail(input, "empty");
    if (text.find(',') == std::string::npos) {
        if (tokens.size() == 3 && is_zone_token(tokens[0])) {
            const auto easting = unsigned_number(tokens[1]), northing = unsigned_number(tokens[2]);
            if (easting && northing) {
                out.at = parse_utm(input, tokens[0], *easting, *northing);
                out.form = PositionForm::utm;
                return out;
            }
        }
        if (const auto mgrs = mgrs_reference(input, tokens)) {
            out.at = parse_mgrs(input, *mgrs);
            out.form = PositionForm::mgrs;
            return out;
        }
        if (const auto square = zoneless_mgrs(input, tokens)) {
            out.form = PositionForm::mgrs;
            std::vector<std::string> zones;
            for (const auto& z : context.grid_zones) {
                const std::string u = upper(z);
                if (std::find(zones.begin(), zones.end(), u) == zones.end()) zones.push_back(u);
            }
            if (zones.empty())
                fail(input, "an MGRS reference without its grid zone: write the zone number and band letter before " +
                                *square);
            std::vector<std::pair<std::string, LonLat>> found;
            for (const auto& zone : zones) {
                if (!is_gzd_token(zone)) continue;
                try {
                    const LonLat p = parse_mgrs(input, zone + *square);
                    // The square must really lie in that zone and band (GeographicLib lets a
                    // northing stray a little into the next band).
                    if (to_mgrs(p, 0) == zone + square->substr(0, 2)) found.emplace_back(zone, p);
                } catch (const CoordinateError&) {
                }
            }
            std::string list;
            for (const auto& z : zones) list += (list.empty() ? "" : ", ") + z;
            if (found.empty())
                fail(input, "square " + square->substr(0, 2) + " is not in the mission's grid zone(s) " + list +
                                "; write the zone too (e.g. " + zones.front() + *square + ")");
            if (found.size() > 1) {
                std::string which;
                for (const auto& f : found) which += (which.empty() ? "" : " or ") + f.first + *square;
                fail(input, "an MGRS reference without its grid zone could be " + which + "; write the zone too");
            }
            out.at = found[0].second;
            out.zone_from_context = found[0].first;
            return out;
        }
    }
    const ParsedPosition ll = parse_lat_lon(input, text, tokens);
    out.at = ll.at;
    out.form = ll.form;
    return out;
}

LonLat parse_coordinate(std::string_view input) { return parse_position(input).at; }

bool looks_like_position(std::string_view input) {
    // Words of letters decide: a position holds no word of three letters or more but an MGRS
    // zone-and-square ("34TEN…"), "north" or "south"; a name always does ("Bar 1990", "Zana").
    // Other characters (marks, separators, a stray backtick) do not make a name: "3`2:9" is a
    // position typed wrong, to be refused as one.
    if (input.size() > 4 * kMaxPositionBytes || !text::is_valid_utf8(input)) return false;
    int digits = 0, groups = 0;  // digits, and runs of them
    bool in_group = false;
    std::size_t i = 0;
    while (i < input.size()) {
        const std::size_t start = i;
        const char32_t c = *text::decode_next(input, i);
        const bool digit = c >= '0' && c <= '9';
        groups += digit && !in_group;
        in_group = digit;
        if (digit) {
            ++digits;
            continue;
        }
        const bool ascii_letter = c < 0x80 && is_alpha(static_cast<char>(c));
        // A letter of another script (Cyrillic, Arabic, …): names, never positions. The marks
        // canonical() knows are not letters.
        const bool other_letter = c >= 0x80 && !(c == 0x00B0 || c == 0x00BA || c == 0x2070 || c == 0x02DA ||
                                                 c == 0x2218 || c == 0x2032 || c == 0x2033 || c == 0x2018 ||
                                                 c == 0x2019 || c == 0x201C || c == 0x201D || c == 0x00B4 ||
                                                 c == 0x00A0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
                                                 c == 0x205F || c == 0x3000 || c == 0xFEFF || c == 0x2212 ||
                                                 (c >= 0x2010 && c <= 0x2014) || c == 0x2795 || c == 0x2796);
        if (other_letter) return false;
        if (!ascii_letter) continue;
        std::size_t end = start;
        while (end < input.size() && is_alpha(input[end])) ++end;
        const std::string_view word = input.substr(start, end - start);
        i = end;
        if (word.size() <= 2 || iequals(word, "north") || iequals(word, "south")) continue;
        const bool after_digit = start > 0 && is_digit(input[start - 1]);
        const std::string w = upper(word);
        const bool zone_square = word.size() == 3 && after_digit && kBands.find(w[0]) != std::string_view::npos &&
                                 w[1] != 'I' && w[1] != 'O' && w[2] != 'I' && w[2] != 'O';
        if (!zone_square) return false;
    }
    // Two numbers at least ("42 21", "34T 513528 4723436"): one alone ("42", "Bar 1990") is not
    // a position anyone types, unless it is as long as an MGRS reference ("EN1352823436").
    return digits >= 2 && (groups >= 2 || digits >= 6);
}

namespace {

// Where the examples are: the mission area's centre once a program knows it.
std::mutex& examples_mutex() {
    static std::mutex m;
    return m;
}
std::optional<LonLat>& examples_at() {
    static std::optional<LonLat> at;
    return at;
}

// "42°39'47.8\"N": degrees, minutes and seconds to a tenth, with the hemisphere letter.
std::string dms(double v, char positive, char negative) {
    const char hemisphere = v < 0 ? negative : positive;
    int tenths = static_cast<int>(std::lround(std::fabs(v) * 36000.0));  // |v| ≤ 180: fits
    const int deg = tenths / 36000;
    tenths -= deg * 36000;
    const int min = tenths / 600;
    tenths -= min * 600;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%d\u00B0%02d'%02d.%d\"%c", deg, min, tenths / 10, tenths % 10, hemisphere);
    return buf;
}

}  // namespace

std::vector<std::string> position_examples_at(LonLat p) {
    check_position(p);
    char decimal[64], comma[64];
    std::snprintf(decimal, sizeof decimal, "%.4f, %.4f", p.lat, p.lon);
    std::snprintf(comma, sizeof comma, "%.4f; %.4f", p.lat, p.lon);
    std::string with_commas = comma;
    std::replace(with_commas.begin(), with_commas.end(), '.', ',');
    std::vector<std::string> out{decimal, with_commas, dms(p.lat, 'N', 'S') + " " + dms(p.lon, 'E', 'W')};
    // Near the poles there is no UTM zone (UPS instead); the examples are then the forms above.
    try {
        out.push_back(to_utm(p));
        out.push_back(to_mgrs(p, 5));
    } catch (const CoordinateError&) {
    }
    return out;
}

void set_position_examples_at(std::optional<LonLat> p) {
    if (p) check_position(*p);
    std::lock_guard lock(examples_mutex());
    examples_at() = p;
}

std::vector<std::string> position_examples() {
    std::optional<LonLat> at;
    {
        std::lock_guard lock(examples_mutex());
        at = examples_at();
    }
    return position_examples_at(at.value_or(kNeutralExamplePosition));
}

std::string grid_zone_of(LonLat p) {
    // The MGRS reference without digits is the zone and its 100 km square ("34TEN"); a polar
    // (UPS) one has a letter where the zone would be ("ZAB").
    const std::string square = to_mgrs(p, 0);
    if (square.size() < 4) return {};
    return square.substr(0, square.size() - 2);
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
