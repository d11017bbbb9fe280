#pragma once
// Any GDAL-readable vector file read whole, as plain data for the map renderer: each feature's
// geometry as 2D ISO WKB in EPSG:4326 (lon/lat) and its attribute values. No GDAL types here.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "source/errors.hpp"

namespace keepout::source {

// null, integer, real or text (dates and lists arrive as their text).
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct FeatureRecord {
    std::string wkb;                  // empty when the feature has no geometry
    std::vector<FieldValue> values;   // one per field, in the order of FeatureTable::fields
};

struct FeatureTable {
    std::string source;               // the path read
    std::vector<std::string> fields;  // attribute names
    std::vector<FeatureRecord> rows;
};

// Reads every feature of a layer (default: the first), reprojected to EPSG:4326 when the file
// has another CRS. Throws IoError naming the file for a missing file, layer or CRS.
FeatureTable read_features(const std::string& path, const std::string& layer = "");

}  // namespace keepout::source
