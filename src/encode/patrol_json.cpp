#include "encode/patrol_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "geo/coordinates.hpp"

namespace keepout::encode {

using namespace keepout::analysis;
using nlohmann::json;

namespace {
// Kilometres to the metre.
double km3(double m) { return std::round(m) / 1000.0; }
}  // namespace

std::string patrol_geojson(const PatrolPlan& plan) {
    json features = json::array();
    auto point = [](geo::LonLat p) { return json{{"type", "Point"}, {"coordinates", {p.lon, p.lat}}}; };
    features.push_back({{"type", "Feature"},
                        {"geometry", point(plan.from)},
                        {"properties",
                         {{"role", "start"},
                          {"name", plan.from_name},
                          {"site_id", plan.site ? json(plan.site->site.id) : json(nullptr)},
                          {"mgrs", geo::to_mgrs(plan.from)}}}});
    for (std::size_t pi = 0; pi < plan.patrols.size(); ++pi) {
        const Patrol& p = plan.patrols[pi];
        json line = json::array();
        for (const auto& leg : p.legs)
            for (std::size_t k = 0; k < leg.size(); ++k) {
                if (k == 0 && !line.empty()) continue;  // shared with the end of the previous leg
                line.push_back({leg[k].lon, leg[k].lat});
            }
        features.push_back({{"type", "Feature"},
                            {"geometry", {{"type", "LineString"}, {"coordinates", line}}},
                            {"properties",
                             {{"role", "route"},
                              {"patrol", pi + 1},
                              {"stops", p.stops.size()},
                              {"return_leg_km", km3(p.return_leg_m)},
                              {"length_km", km3(p.length_m)}}}});
        for (std::size_t k = 0; k < p.stops.size(); ++k) {
            const PatrolStop& s = p.stops[k];
            const VenueView& v = *s.venue;
            json props{{"role", "stop"},
                       {"patrol", pi + 1},
                       {"order", k + 1},
                       {"venue_id", v.venue.id},
                       {"external_id", v.venue.external_id},
                       {"name", v.venue.name},
                       {"category", model::to_string(v.venue.category)},
                       {"address", v.venue.address},
                       {"municipality", v.venue.municipality},
                       {"sector", s.sector},
                       {"directive", v.directive_ref},
                       {"listed_since", v.listed_since.iso()},
                       {"mgrs", geo::to_mgrs(s.at)},
                       {"lat", std::round(s.at.lat * 1e6) / 1e6},
                       {"lon", std::round(s.at.lon * 1e6) / 1e6},
                       {"leg_km", km3(s.leg_m)},
                       {"cumulative_km", km3(s.cumulative_m)}};
            if (plan.along_roads) props["off_road_m"] = std::round(s.off_road_m * 10) / 10;
            features.push_back({{"type", "Feature"}, {"geometry", point(s.at)}, {"properties", props}});
        }
    }
    json doc{{"type", "FeatureCollection"},
             {"as_of", plan.as_of.iso()},
             {"time_zone", plan.time_zone},
             {"list_version", plan.list_version},
             {"from", plan.from_name},
             {"sector", plan.sector.empty() ? json(nullptr) : json(plan.sector)},
             {"unit", plan.unit.empty() ? json(nullptr) : json(plan.unit)},
             {"radius_m", plan.radius_m ? json(*plan.radius_m) : json(nullptr)},
             {"along_roads", plan.along_roads},
             {"venues", plan.venues},
             {"patrols", plan.patrols.size()},
             {"nearest_neighbour_km", km3(plan.tour.nearest_neighbour_m)},
             {"improved_km", km3(plan.tour.final_m)},
             {"total_km", km3(plan.total_m)},
             {"features", features}};
    return doc.dump();
}

std::string sector_report_json(const Snapshot& snap, const SectorReport& r) {
    json sectors = json::array();
    for (const auto& c : r.sectors) {
        json cats = json::object();
        for (std::size_t k = 0; k < c.by_category.size(); ++k)
            if (c.by_category[k]) cats[std::string(model::to_string(model::Category(k)))] = c.by_category[k];
        sectors.push_back({{"sector", c.sector->sector.name},
                           {"sector_id", c.sector->sector.id},
                           {"unit", c.sector->sector.unit},
                           {"listed", c.listed},
                           {"by_category", cats},
                           {"sites", c.sites}});
    }
    json units = json::array();
    for (const auto& u : r.units) units.push_back({{"unit", u.unit}, {"sectors", u.sectors}, {"listed", u.listed}});
    return json{{"as_of", snap.as_of().iso()},
                {"time_zone", snap.time_zone()},
                {"list_version", snap.list_version()},
                {"listed", r.listed},
                {"outside", r.outside},
                {"sectors", sectors},
                {"units", units}}
        .dump();
}

}  // namespace keepout::encode
