#include "analysis/reports.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace keepout::analysis {

using namespace keepout::model;
using nlohmann::json;

double round_distance(double m) { return std::round(m * 10.0) / 10.0; }
double round_bearing(double d) {
    double r = std::round(d * 10.0) / 10.0;
    return r >= 360.0 ? r - 360.0 : r;
}

namespace {

std::string csv_field(std::string_view v) {
    std::string c(v);
    if (!c.empty() && std::string_view("=+-@\t\r").find(c.front()) != std::string_view::npos) c = "'" + c;
    if (c.find_first_of(",\"\r\n") == std::string::npos) return c;
    std::string q = "\"";
    for (char ch : c) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string ring_key(double r) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", r);
    return b;
}

json reasons_json(const std::vector<Reason>& rs) {
    json a = json::array();
    for (Reason r : rs) a.push_back(std::string(to_string(r)));
    return a;
}

json venue_json(const VenueView& v) {
    return {{"venue_id", v.venue.id},
            {"external_id", v.venue.external_id},
            {"name", v.venue.name},
            {"category", to_string(v.venue.category)},
            {"address", v.venue.address},
            {"municipality", v.venue.municipality},
            {"directive", v.listed ? json(v.directive_ref) : json(nullptr)},
            {"listed_since", v.listed ? json(v.listed_since.iso()) : json(nullptr)},
            {"reasons", reasons_json(v.reasons)}};
}

json position_json(const PositionMatch& m) {
    json j = venue_json(*m.venue);
    j["distance_m"] = round_distance(m.distance_m);
    j["bearing_deg"] = round_bearing(m.bearing_deg);
    return j;
}

json pair_json(const ProximityPair& p) {
    return {{"site", p.site->site.name},
            {"site_id", p.site->site.id},
            {"venue", p.venue->venue.name},
            {"venue_id", p.venue->venue.id},
            {"external_id", p.venue->venue.external_id},
            {"distance_m", round_distance(p.distance_m)},
            {"bearing_deg", round_bearing(p.bearing_deg)}};
}

}  // namespace

std::string position_check_json(const Snapshot& s, const PositionCheck& c, std::string_view at_text, geo::LonLat at,
                                double radius_m) {
    json out{{"verdict", c.off_limits ? "off-limits" : "not-listed"},
             {"as_of", s.as_of().iso()},
             {"list_version", s.list_version()},
             {"query", {{"at", at_text}, {"lat", at.lat}, {"lon", at.lon}, {"radius_m", radius_m}}}};
    out["matches"] = json::array();
    for (auto& m : c.matches) out["matches"].push_back(position_json(m));
    out["nearest"] = c.nearest ? position_json(*c.nearest) : json(nullptr);
    return out.dump(2);
}

std::string name_check_json(const Snapshot& s, const NameCheck& c, std::string_view query) {
    json out{{"verdict", c.off_limits ? "off-limits" : "not-listed"},
             {"as_of", s.as_of().iso()},
             {"list_version", s.list_version()},
             {"query", {{"name", query}, {"threshold", kNameMatchThreshold}}}};
    auto kind = [](NameKind k) { return k == NameKind::name ? "name" : k == NameKind::alias ? "alias" : "former"; };
    out["matches"] = json::array();
    for (auto& [v, m] : c.listed) {
        json j = venue_json(*v);
        j["score"] = std::round(m.score * 1000.0) / 1000.0;
        j["matched_name"] = m.matched;
        j["match_kind"] = kind(m.kind);
        out["matches"].push_back(j);
    }
    out["not_listed"] = json::array();
    for (auto& [v, m] : c.not_listed) {
        json j{{"venue_id", v->venue.id},
               {"external_id", v->venue.external_id},
               {"name", v->venue.name},
               {"score", std::round(m.score * 1000.0) / 1000.0},
               {"matched_name", m.matched},
               {"match_kind", kind(m.kind)}};
        if (v->last_act && v->last_act->action == Action::lift)
            j["lifted_by"] = {{"directive", v->last_act->directive_ref},
                              {"effective", v->last_act->effective_from.iso()},
                              {"reasons", reasons_json(v->last_act->reasons)}};
        j["status"] = j.contains("lifted_by") ? "lifted" : "not listed";
        out["not_listed"].push_back(j);
    }
    return out.dump(2);
}

std::string proximity_json(const Snapshot& s, const ProximityReport& r) {
    json out{{"as_of", s.as_of().iso()}, {"list_version", s.list_version()}, {"rings", r.rings}};
    out["pairs"] = json::array();
    for (auto& p : r.pairs) out["pairs"].push_back(pair_json(p));
    out["sites"] = json::array();
    for (auto& e : r.sites) {
        json ring_counts = json::object();
        for (std::size_t i = 0; i < r.rings.size(); ++i) ring_counts[ring_key(r.rings[i])] = e.ring_counts[i];
        out["sites"].push_back({{"site", e.site->site.name},
                                {"site_id", e.site->site.id},
                                {"kind", to_string(e.site->site.kind)},
                                {"personnel", e.site->site.personnel},
                                {"rings", ring_counts},
                                {"nearest_venue", e.nearest ? json(e.nearest->venue->venue.name) : json(nullptr)},
                                {"nearest_venue_id", e.nearest ? json(e.nearest->venue->venue.id) : json(nullptr)},
                                {"nearest_m", e.nearest ? json(round_distance(e.nearest->distance_m)) : json(nullptr)},
                                {"exposure", std::round(e.exposure * 10.0) / 10.0}});
    }
    out["venues"] = json::array();
    for (auto& v : r.venues)
        out["venues"].push_back({{"venue", v.venue->venue.name},
                                 {"venue_id", v.venue->venue.id},
                                 {"external_id", v.venue->venue.external_id},
                                 {"nearest_site", v.nearest.site->site.name},
                                 {"nearest_m", round_distance(v.nearest.distance_m)}});
    return out.dump(2);
}

std::string proximity_geojson(const Snapshot& s, const ProximityReport& r) {
    json features = json::array();
    for (auto& p : r.pairs)
        features.push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "LineString"}, {"coordinates", {{p.from.lon, p.from.lat}, {p.to.lon, p.to.lat}}}}},
             {"properties", pair_json(p)}});
    return json{{"type", "FeatureCollection"},
                {"as_of", s.as_of().iso()},
                {"list_version", s.list_version()},
                {"features", features}}
        .dump();
}

std::string proximity_csv(const ProximityReport& r) {
    std::string out = "site,venue,external_id,distance_m,bearing_deg\n";
    for (auto& p : r.pairs) {
        char d[64];
        std::snprintf(d, sizeof d, ",%.1f,%.1f\n", round_distance(p.distance_m), round_bearing(p.bearing_deg));
        out += csv_field(p.site->site.name) + "," + csv_field(p.venue->venue.name) + "," +
               csv_field(p.venue->venue.external_id) + d;
    }
    return out;
}

std::string venue_history_json(const ListHistory& history, Id venue_id, Date on) {
    json acts = json::array();
    for (auto& e : history.venue_history(venue_id, on)) {
        json x{{"directive", e.directive->ref},
               {"directive_status", to_string(e.directive->status)},
               {"action", to_string(e.listing->action)},
               {"reasons", reasons_json(e.listing->reasons)},
               {"effective_from", e.listing->effective_from.iso()},
               {"until", e.listing->until ? json(e.listing->until->iso()) : json(nullptr)},
               {"counts_on_date", e.counts_on_date}};
        if (e.directive->ended_on) x["directive_ended"] = e.directive->ended_on->iso();
        acts.push_back(x);
    }
    return acts.dump();
}

}  // namespace keepout::analysis
