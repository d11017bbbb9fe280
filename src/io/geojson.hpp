#pragma once
#include <string>
#include <string_view>

namespace keepout::io {

// The GeoJSON geometry object (text) of a WKB geometry.
std::string wkb_to_geojson(std::string_view wkb);
// Well-known text of a WKB geometry, for tables and CSV.
std::string wkb_to_wkt(std::string_view wkb);

}  // namespace keepout::io
