#pragma once
// Positions as people type them, parsed strictly: a malformed coordinate is an error, never a guess.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace keepout::geo {

struct LonLat {
    double lon = 0;
    double lat = 0;
};

struct CoordinateError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// What the parser understood, for messages and verdicts.
enum class PositionForm { decimal, dms, utm, mgrs };

struct ParsedPosition {
    LonLat at;
    PositionForm form = PositionForm::decimal;
    bool decimal_comma = false;  // commas were read as decimal points ("42,6633, 21,1651")
    // An MGRS reference typed without its grid zone: the zone the context gave it ("34T").
    std::optional<std::string> zone_from_context;
};

// What the caller knows that the text may leave out.
struct PositionContext {
    // Grid zone designations ("34T") an MGRS reference without its zone may belong to: typically
    // the zones of the mission's deployment sites. One zone giving a valid square is an answer;
    // several, or none, are refused.
    std::vector<std::string> grid_zones;
};

// Accepts, on WGS 84:
//  - decimal "lat,lon" or "lat lon" ("42.6629, 21.1655"; hemisphere letters allowed: "42.66N 21.16E");
//  - degrees-minutes-seconds ("42°39'46\"N 21°09'56\"E", "42 39 46 N, 21 9 56 E", "42d39m46sN 21d09m56sE");
//  - UTM/UPS with zone and band or hemisphere ("34T 513563 4723390", "34N 513563 4723390");
//  - MGRS ("34TDN1356323390", "34T DN 13563 23390"); the centre of the MGRS square is used.
//  - decimal commas where they cannot be read otherwise ("42,6633, 21,1651", "42,6633 21,1651");
//  - MGRS without the grid zone ("EN 13528 23436") when the context leaves one zone.
// Throws CoordinateError with the reason otherwise (out of range, unknown form, bad zone, …).
// Every piece is tokenised and range-checked here before any library sees it; text longer than
// kMaxPositionBytes is refused unread.
ParsedPosition parse_position(std::string_view text, const PositionContext& context = {});
LonLat parse_coordinate(std::string_view text);  // parse_position(text).at

inline constexpr std::size_t kMaxPositionBytes = 200;

// True when the text is made only of what positions are made of (digits, separators, degree,
// minute and second marks, signs, hemisphere letters, UTM zones and MGRS letters), so that it
// must be read as a position or refused, and never searched as a name.
bool looks_like_position(std::string_view text);

// A few positions in each accepted form, for messages that refuse one: one position written as
// decimal degrees (point and comma), DMS, UTM with its zone and band, and MGRS. They are around the
// position set with set_position_examples_at (the programs set the mission area's centre), else
// around kNeutralExamplePosition, in the open sea on no mission's ground.
std::vector<std::string> position_examples();
std::vector<std::string> position_examples_at(LonLat p);
// Thread-safe; std::nullopt goes back to the neutral position. Throws CoordinateError out of range.
void set_position_examples_at(std::optional<LonLat> p);
inline constexpr LonLat kNeutralExamplePosition{0.5, 0.5};

// The grid zone designation of a position ("34T"); empty near the poles (UPS).
std::string grid_zone_of(LonLat p);

// MGRS string for a position, `digits` per easting/northing (5 = 1 m, 4 = 10 m, …).
std::string to_mgrs(LonLat p, int digits = 5);

// "34T 513563 4723390": zone, band, easting and northing in metres.
std::string to_utm(LonLat p);

}  // namespace keepout::geo

namespace keepout::geo {

// Easting/northing in a fixed UTM zone (north hemisphere when `north`), e.g. EPSG:32634 is zone 34
// north; GeographicLib's transverse Mercator, accurate to nanometres within the zone.
struct EastNorth {
    double easting = 0;
    double northing = 0;
};
EastNorth utm_forward(LonLat p, int zone, bool north);
LonLat utm_reverse(EastNorth p, int zone, bool north);

}  // namespace keepout::geo
