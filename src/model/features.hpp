#pragma once
// Map features as plain data: each feature's geometry as 2D ISO WKB in EPSG:4326 (lon/lat) and
// its attribute values. source/features.hpp reads them from a file; the renderer draws them
// without knowing where they came from (a front end hands it a reader).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace keepout::model {

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

}  // namespace keepout::model
