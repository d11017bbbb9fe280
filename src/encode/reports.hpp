#pragma once
// The JSON, GeoJSON and CSV documents of the contract (DESIGN.md), built once here and served
// alike by the command line and the HTTP API. Text out, so nlohmann stays out of this header.
#include <string>
#include <string_view>

#include "analysis/check.hpp"
#include "analysis/proximity.hpp"
#include "model/rules.hpp"

namespace keepout::encode {

using analysis::NameCheck;
using analysis::PositionCheck;
using analysis::ProximityReport;
using analysis::Snapshot;

// Distances to 0.1 m, bearings to 0.1° in [0, 360).
double round_distance(double metres);
double round_bearing(double degrees);

// The venue's MGRS reference to 1 m ("34TEN1352823436"): its point, or a point on its footprint
// (geo::representative_point), in the grid zone of that point.
std::string venue_mgrs(const analysis::VenueView&);

// {"verdict", "as_of", "list_version", "query" (at, lat, lon, mgrs, radius_m), "matches": [...
// each with the venue's "mgrs"], "nearest"}
std::string position_check_json(const Snapshot&, const PositionCheck&, std::string_view at_text, geo::LonLat at,
                                double radius_m);
// {"verdict", "as_of", "list_version", "query", "candidates", "warnings", "matches": [...],
//  "not_listed": [...]}; each match has the venue's own name, its status, the matched name.
std::string name_check_json(const Snapshot&, const NameCheck&, std::string_view query);
// The same verdict for a person reading a terminal.
std::string name_check_text(const Snapshot&, const NameCheck&, std::string_view query);

// {"as_of", "list_version", "rings", "pairs", "sites", "venues"}
std::string proximity_json(const Snapshot&, const ProximityReport&);
// One LineString per pair, from the site's nearest point to the venue's.
std::string proximity_geojson(const Snapshot&, const ProximityReport&);
// site,venue,external_id,distance_m,bearing_deg
std::string proximity_csv(const ProximityReport&);

// Every act on one venue as a JSON array, in the order the rules apply them, each marked with
// whether it counts on `on`.
std::string venue_history_json(const model::ListHistory&, model::Id venue_id, model::Date on);

}  // namespace keepout::encode
