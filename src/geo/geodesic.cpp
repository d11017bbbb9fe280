#include "geo/geodesic.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace keepout::geo {

namespace {

// GeographicLib's WGS 84 instance: built once, immutable, safe to share between threads.
const GeographicLib::Geodesic& wgs84() { return GeographicLib::Geodesic::WGS84(); }

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// GeographicLib answers NaN for a latitude beyond the poles; an error says more than a NaN
// distance that compares false with every radius.
void check_point(LonLat p, const char* role) {
    if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || p.lat < -90 || p.lat > 90)
        throw CoordinateError(std::string(role) + " is not a position: lat " + number(p.lat) + ", lon " +
                              number(p.lon));
}

// GeographicLib gives azimuths in [-180, 180]; the contract is [0, 360). A tiny negative azimuth
// plus 360 rounds to 360 itself, which is north, hence the second step; + 0.0 turns -0 into 0.
double to_bearing(double azi) {
    double a = azi < 0 ? azi + 360.0 : azi;
    if (a >= 360.0) a -= 360.0;
    return a + 0.0;
}

}  // namespace

GeodesicResult inverse(LonLat a, LonLat b) {
    check_point(a, "geodesic start");
    check_point(b, "geodesic end");
    double s12 = 0, azi1 = 0, azi2 = 0;
    wgs84().Inverse(a.lat, a.lon, b.lat, b.lon, s12, azi1, azi2);
    return {s12, to_bearing(azi1), to_bearing(azi2)};
}

LonLat direct(LonLat a, double azimuth_deg, double distance_m) {
    check_point(a, "geodesic start");
    if (!std::isfinite(azimuth_deg) || !std::isfinite(distance_m))
        throw CoordinateError("geodesic azimuth " + number(azimuth_deg) + " or distance " + number(distance_m) +
                              " is not a number");
    double lat2 = 0, lon2 = 0;
    wgs84().Direct(a.lat, a.lon, azimuth_deg, distance_m, lat2, lon2);  // lon2 in [-180, 180]
    return {lon2, lat2};
}

EdgeFoot nearest_on_geodesic(LonLat a, LonLat b, LonLat p, double start) {
    check_point(a, "edge start");
    check_point(b, "edge end");
    check_point(p, "position");
    const GeographicLib::GeodesicLine edge = wgs84().InverseLine(a.lat, a.lon, b.lat, b.lon);
    const double length = edge.Distance();
    auto at = [&](double s, double& azi) {
        double lat = 0, lon = 0;
        edge.Position(s, lat, lon, azi);
        return LonLat{lon, lat};
    };
    double s = std::clamp(std::isfinite(start) ? start : 0.5, 0.0, 1.0) * length, azi_edge = 0;
    LonLat x = at(s, azi_edge);
    double d = 0, azi1 = 0, azi2 = 0;
    wgs84().Inverse(p.lat, p.lon, x.lat, x.lon, d, azi1, azi2);
    // Newton's step for d(s): d'(s) is the cosine of the angle at x between the edge and the
    // geodesic from p, and on a plane the foot of the perpendicular lies d·cos before x. It
    // converges in two or three steps for edges and distances of footprints and camps.
    for (int step = 0; step < 12 && length > 0; ++step) {
        const double next = std::clamp(s - d * std::cos((azi2 - azi_edge) * M_PI / 180.0), 0.0, length);
        if (std::fabs(next - s) < 1e-5) break;
        double azi = 0;
        const LonLat y = at(next, azi);
        double dy = 0, a1 = 0, a2 = 0;
        wgs84().Inverse(p.lat, p.lon, y.lat, y.lon, dy, a1, a2);
        if (dy > d) break;  // at an end, or no better: keep what is best so far
        s = next, x = y, d = dy, azi_edge = azi, azi2 = a2;
    }
    return {x, d};
}

}  // namespace keepout::geo
