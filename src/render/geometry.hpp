#pragma once
// Geometries as the renderer draws them: lon/lat parts of one kind. Polygons keep every ring of
// every member in one list and are filled even-odd, which draws holes and multipolygons alike.
#include <string_view>
#include <vector>

#include "geo/coordinates.hpp"
#include "geo/grid_index.hpp"
#include "geo/shapes.hpp"

namespace keepout::render {

enum class GeomKind { none, point, line, polygon };

struct Geom {
    GeomKind kind = GeomKind::none;
    std::vector<std::vector<geo::LonLat>> parts;  // points: one part holding every point
    geo::Box box;
};

// Decodes 2D ISO/OGC WKB (either byte order) of any simple-feature type; a collection takes the
// kind of its first non-empty member. Throws std::invalid_argument on malformed input.
Geom geom_from_wkb(std::string_view wkb);

// From a decoded keepout shape (venues, sites, sectors of a snapshot).
Geom geom_from_shape(const geo::Shape& s);

// A point for a marker or label: the point itself; for lines the middle vertex; for polygons a
// point inside the largest ring (area centroid when inside, else the middle of the widest
// interior span through it).
geo::LonLat anchor_point(const Geom& g);

}  // namespace keepout::render
