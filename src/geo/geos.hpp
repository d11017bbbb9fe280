#pragma once
// Geometry operations through the GEOS C API. GEOS types stay in geos.cpp: callers pass and get
// ISO WKB, so no header outside src/geo needs geos_c.h.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace keepout::geo {

struct Shape;  // geo/shapes.hpp
struct LonLat;  // geo/coordinates.hpp

struct GeometryError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Empty when the geometry is valid by OGC rules; otherwise GEOS's reason, e.g.
// "Self-intersection[21.1 42.6]". Throws GeometryError when the WKB cannot be read.
std::string invalid_reason(std::string_view wkb);

// A valid version of the geometry (GEOS MakeValid), as WKB.
std::string make_valid(std::string_view wkb);

// "Point", "Polygon", … as GEOS names the type.
std::string geometry_type(std::string_view wkb);

// Whether the geometry shares any point with the lon/lat box.
bool intersects_box(std::string_view wkb, double min_lon, double min_lat, double max_lon, double max_lat);

// The union of several geometries as one (Polygon or MultiPolygon for areas), as WKB.
std::string union_of(const std::vector<std::string>& wkbs);

// A point guaranteed to lie on the shape (GEOS point-on-surface): the shape's point for a point,
// an interior point of the largest polygon's area for a footprint. What clients that want one
// point per venue (the OGC points collection, MGRS in a verdict, a GPS waypoint) are given.
LonLat representative_point(const Shape&);

}  // namespace keepout::geo
