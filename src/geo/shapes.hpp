#pragma once
// Venue and site geometries as plain lon/lat rings, decoded once from WKB, for the hot paths of
// point checks and proximity (no GEOS call per query).
#include <string_view>
#include <utility>
#include <vector>

#include "geo/coordinates.hpp"
#include "geo/grid_index.hpp"

namespace keepout::geo {

using Ring = std::vector<LonLat>;
struct Polygon {
    std::vector<Ring> rings;  // the first is the outer ring, the others holes
};

struct Shape {
    bool is_point = true;
    LonLat point;                   // the point; for areas, a representative vertex
    std::vector<Polygon> polygons;  // empty for a point
    Box box;
};

// Decodes ISO/OGC WKB Point, Polygon or MultiPolygon (geo/wkb.hpp reads it; extra ordinates are
// dropped); throws GeometryError for any other type or malformed bytes.
Shape shape_from_wkb(std::string_view wkb);

// Inside a footprint (on the boundary counts as inside). Always false for a point shape.
bool contains(const Shape& s, LonLat p);

// The point of `s` nearest to p: p itself when inside, else on the boundary (or the point).
// Found in a local plane around p; callers measure the distance geodesically.
LonLat nearest_point(const Shape& s, LonLat p);

// The nearest points of two shapes, first on a, second on b; equal when they touch or overlap.
std::pair<LonLat, LonLat> nearest_points(const Shape& a, const Shape& b);

// Degrees of latitude that `metres` can span at most (one degree is at least 110.57 km), rounded
// up: how far north or south expand() grows a box.
double max_dlat_deg(double metres);

// Box grown by `metres` in every direction (safe over-estimate for index queries).
Box expand(const Box& b, double metres);

}  // namespace keepout::geo
