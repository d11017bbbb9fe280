#pragma once
// nlohmann::json objects of the venue documents, for the writers inside encode/ that extend them.
#include <nlohmann/json.hpp>

#include "analysis/snapshot.hpp"
#include "model/rules.hpp"

namespace keepout::encode::detail {

nlohmann::json venue_properties(const analysis::VenueView&, bool with_listed);
nlohmann::json shape_geometry(const geo::Shape&);
nlohmann::json venue_feature(const analysis::VenueView&, bool with_listed);
// Every act on a venue (encode/reports.hpp venue_history_json).
nlohmann::json venue_history(const model::ListHistory&, model::Id venue_id, model::Date on);

}  // namespace keepout::encode::detail
