#pragma once
// The patrol plan and the sector report as JSON documents, the same for the command line and
// the API: analysis/patrol.hpp computes them, this writes them.
#include <string>

#include "analysis/patrol.hpp"

namespace keepout::encode {

// GeoJSON FeatureCollection: the site, each stop (with order, MGRS, legs) and each patrol's route.
std::string patrol_geojson(const analysis::PatrolPlan&);

// {"as_of", "list_version", "listed", "outside", "sectors": [...], "units": [...]}
std::string sector_report_json(const analysis::Snapshot&, const analysis::SectorReport&);

}  // namespace keepout::encode
