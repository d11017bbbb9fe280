#pragma once
// Any GDAL-readable vector file read whole, as plain data (model/features.hpp) for the map
// renderer and the mission file. No GDAL types here.
#include <string>

#include "model/features.hpp"
#include "source/errors.hpp"

namespace keepout::source {

using model::FeatureRecord;
using model::FeatureTable;
using model::FieldValue;

// Reads every feature of a layer (default: the first), reprojected to EPSG:4326 when the file
// has another CRS. Throws IoError naming the file for a missing file, layer or CRS.
FeatureTable read_features(const std::string& path, const std::string& layer = "");

}  // namespace keepout::source
