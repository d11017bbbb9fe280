#pragma once
// The mission's area and reference layers as GeoJSON for a web map: simplified for the screen,
// coordinates to 5 decimals (about a metre), every stored property kept.
#include <string>
#include <vector>

#include "model/mission.hpp"

namespace keepout::encode {

// The GeoJSON FeatureCollection of one layer (`name` in its "name" member), each geometry
// simplified (topology kept) to `tolerance_deg` degrees; points are kept as they are.
std::string mission_layer_geojson(const std::string& name, const std::vector<model::ReferenceFeature>& features,
                                  double tolerance_deg);

// "Point", "LineString", "Polygon", … of the first feature with a geometry; empty when none.
std::string mission_layer_geometry(const std::vector<model::ReferenceFeature>& features);

}  // namespace keepout::encode
