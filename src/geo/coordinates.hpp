#pragma once
// Positions as people type them, parsed strictly: a malformed coordinate is an error, never a guess.
#include <stdexcept>
#include <string>
#include <string_view>

namespace keepout::geo {

struct LonLat {
    double lon = 0;
    double lat = 0;
};

struct CoordinateError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Accepts, on WGS 84:
//  - decimal "lat,lon" or "lat lon" ("42.6629, 21.1655"; hemisphere letters allowed: "42.66N 21.16E");
//  - degrees-minutes-seconds ("42°39'46\"N 21°09'56\"E", "42 39 46 N, 21 9 56 E", "42d39m46sN 21d09m56sE");
//  - UTM/UPS with zone and band or hemisphere ("34T 513563 4723390", "34N 513563 4723390");
//  - MGRS ("34TDN1356323390", "34T DN 13563 23390"); the centre of the MGRS square is used.
// Throws CoordinateError with the reason otherwise (out of range, unknown form, bad zone, …).
LonLat parse_coordinate(std::string_view text);

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
