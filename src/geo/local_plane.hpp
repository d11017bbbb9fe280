#pragma once
// A local plane in metres around an origin, x east and y north, scaled by the WGS 84 radii of
// curvature at the origin (the meridian's M and the prime vertical's N): exact at the origin, off
// by parts per million at the few kilometres a nearest point or a road snap looks at. Scaling
// longitude by cos(latitude) alone on a sphere turns bearings by up to 0.2° near the equator and
// shortens north–south metres by 0.75 % at 60°.
#include <cmath>

#include "geo/coordinates.hpp"

namespace keepout::geo {

struct MetricPlane {
    double lon0 = 0, lat0 = 0, kx = 1, ky = 1;  // metres per degree east and north at the origin

    MetricPlane() = default;
    explicit MetricPlane(LonLat o) : lon0(o.lon), lat0(o.lat) {
        constexpr double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
        constexpr double deg = 3.14159265358979323846 / 180.0;
        const double phi = o.lat * deg, s = std::sin(phi), w = 1 - e2 * s * s;
        const double n = a / std::sqrt(w), m = a * (1 - e2) / (w * std::sqrt(w));
        kx = n * std::cos(phi) * deg;
        ky = m * deg;
    }
    // Longitude differences are taken the short way round the antimeridian.
    void to(LonLat p, double& x, double& y) const {
        double dlon = p.lon - lon0;
        if (dlon > 180) dlon -= 360;
        if (dlon < -180) dlon += 360;
        x = dlon * kx;
        y = (p.lat - lat0) * ky;
    }
    LonLat from(double x, double y) const { return {lon0 + x / kx, lat0 + y / ky}; }
};

}  // namespace keepout::geo
