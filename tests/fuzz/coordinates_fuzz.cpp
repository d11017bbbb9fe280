// Fuzz target: geo::parse_coordinate and parse_position (with and without the zones of a
// mission's sites) on any bytes. They may only return a position on WGS 84 or throw
// CoordinateError; what they return must survive the trip through to_mgrs and to_utm and back
// within the rounding of those forms.
#include <GeographicLib/Geodesic.hpp>

#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "geo/coordinates.hpp"

namespace {

using keepout::fuzz::broken;
using keepout::geo::CoordinateError;
using keepout::geo::LonLat;

std::string describe(LonLat p) { return "lat " + std::to_string(p.lat) + ", lon " + std::to_string(p.lon); }

double metres(LonLat a, LonLat b) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, s12);
    return s12;
}

// `text` is a form keepout wrote for `p`: it must parse again, to a point within `tolerance_m`.
void round_trip(const char* form, const std::string& text, LonLat p, double tolerance_m) {
    LonLat q;
    try {
        q = keepout::geo::parse_coordinate(text);
    } catch (const CoordinateError& e) {
        broken(form, "\"" + text + "\" written for " + describe(p) + " is refused: " + e.what());
    }
    const double d = metres(p, q);
    if (!(d <= tolerance_m))
        broken(form, "\"" + text + "\" written for " + describe(p) + " reads back as " + describe(q) + ", " +
                         std::to_string(d) + " m away");
}

// A parsed position must be on WGS 84 and come back from its MGRS and UTM/UPS forms.
void check_position(const char* how, std::string_view text, LonLat p) {
    if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || p.lat < -90 || p.lat > 90 || p.lon < -180 || p.lon > 180)
        broken(how, "\"" + std::string(text) + "\" gives " + describe(p));
    std::string mgrs, utm;
    try {
        mgrs = keepout::geo::to_mgrs(p, 5);
        utm = keepout::geo::to_utm(p);
        (void)keepout::geo::grid_zone_of(p);
    } catch (const CoordinateError& e) {
        broken("every parsed position has an MGRS and a UTM/UPS form", describe(p) + ": " + e.what());
    }
    // MGRS at 5 digits names a 1 m square read back at its centre; UTM is rounded to the metre.
    // Grid metres are ground metres within the scale factor (under 1.001 in UTM, 1.0 at UPS poles
    // up to about 1.0016 at the UPS limits), hence the slack.
    round_trip("to_mgrs then parse_coordinate", mgrs, p, 1.5);
    round_trip("to_utm then parse_coordinate", utm, p, 1.5);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = keepout::fuzz::bytes(data, size);
    (void)keepout::geo::looks_like_position(text);
    bool parsed = false;
    LonLat p;
    try {
        p = keepout::geo::parse_coordinate(text);
        parsed = true;
    } catch (const CoordinateError&) {
        // refused, as it should be for most bytes
    }
    if (parsed) {
        check_position("parse_coordinate returns a position on WGS 84", text, p);
        LonLat q;
        try {
            q = keepout::geo::parse_position(text).at;
        } catch (const CoordinateError& e) {
            broken("parse_coordinate is parse_position(text).at", "\"" + std::string(text) + "\": " + e.what());
        }
        if (q.lat != p.lat || q.lon != p.lon)
            broken("parse_coordinate is parse_position(text).at", describe(p) + " against " + describe(q));
    }
    // With the zones of a mission's sites, as the check does: an MGRS reference may leave its zone out.
    static const keepout::geo::PositionContext context{{"34T", "34U", "35T"}};
    try {
        const auto r = keepout::geo::parse_position(text, context);
        check_position("parse_position returns a position on WGS 84", text, r.at);
    } catch (const CoordinateError&) {
    }
    return 0;
}
