#pragma once
// Lon/lat to a projected CRS and back through PROJ (axis order normalised for visualisation: x
// east, y north): maps, grids and the OGC API's coordinate systems. PROJ types stay in
// projection.cpp. A Projection is used by one thread at a time (thread_projection below).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/coordinates.hpp"

namespace keepout::geo {

struct ProjectionError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct XY {
    double x = 0, y = 0;
};

class Projection {
public:
    // Any CRS PROJ knows whose axes are in metres ("EPSG:32736", "EPSG:3857", a PROJ string …).
    explicit Projection(const std::string& crs);
    ~Projection();
    Projection(const Projection&) = delete;
    Projection& operator=(const Projection&) = delete;

    const std::string& crs() const { return crs_; }
    XY forward(LonLat p) const;
    LonLat inverse(XY p) const;
    // In place, lon/lat in, x/y out (same storage).
    void forward(std::vector<XY>& points) const;
    // In place, x/y in, lon/lat out (same storage).
    void inverse(std::vector<XY>& points) const;

    // Point scale factor at p: projected metres per true metre (mean of east and north).
    double scale_factor(LonLat p) const;
    // Angle of true north at p, degrees clockwise from the CRS's y axis (grid north).
    double north_angle(LonLat p) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string crs_;
};

// The Projection of `crs` for this thread, built once (building one reads proj.db).
const Projection& thread_projection(const std::string& crs);

}  // namespace keepout::geo
