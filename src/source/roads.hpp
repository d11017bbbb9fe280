#pragma once
// Road lines for patrol routing: every line of a GDAL-readable vector layer (GeoPackage,
// Shapefile, GeoJSON, OSM, …), in EPSG:4326, as plain lon/lat polylines. No GDAL types here.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/coordinates.hpp"
#include "source/errors.hpp"

namespace keepout::source {

struct RoadLines {
    std::string source;                               // the path read
    std::string layer;                                // the layer read
    std::vector<std::vector<geo::LonLat>> lines;      // one per LineString part, 2 points or more
    std::size_t features = 0;                         // features read
    std::size_t skipped = 0;                          // features without a line (points, polygons, empty)
};

// Reads every LineString / MultiLineString (curves linearised) of a layer (default: the first
// layer with lines), reprojected to EPSG:4326. Throws IoError naming the file when it cannot be
// read or holds no line at all.
RoadLines read_road_lines(const std::string& path, const std::string& layer = "");

}  // namespace keepout::source
