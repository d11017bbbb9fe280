#pragma once
#include <string>
#include <string_view>

namespace keepout::source {

// The GeoJSON geometry object (text) of a WKB geometry.
std::string wkb_to_geojson(std::string_view wkb);
// Well-known text of a WKB geometry, for tables and CSV.
std::string wkb_to_wkt(std::string_view wkb);

}  // namespace keepout::source

namespace keepout::source {
// A GeoJSON geometry object (text) as validated 2D WKB in EPSG:4326: Point, Polygon or MultiPolygon,
// coordinates in range, polygons valid. Throws std::invalid_argument with the reason.
std::string geojson_to_wkb(const std::string& geometry_json);
}  // namespace keepout::source
