// keepout check and keepout proximity: the analysis engine from the command line.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/check.hpp"
#include "analysis/proximity.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "geo/geodesic.hpp"
#include "store/repository.hpp"

namespace keepout::cli {

using namespace keepout::model;
using namespace keepout::analysis;
using nlohmann::json;

namespace {

// Distances are reported to 0.1 m, bearings to 0.1°.
double tenth(double v) { return std::round(v * 10.0) / 10.0; }

std::string metres_text(double m) {
    char b[32];
    std::snprintf(b, sizeof b, m < 10000 ? "%.1f m" : "%.2f km", m < 10000 ? m : m / 1000.0);
    return b;
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

std::string reasons_text(const std::vector<Reason>& rs) {
    std::string out;
    for (Reason r : rs) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
    return out;
}

json listed_venue_json(const VenueView& v) {
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
    json j = listed_venue_json(*m.venue);
    j["distance_m"] = tenth(m.distance_m);
    j["bearing_deg"] = tenth(m.bearing_deg) >= 360.0 ? 0.0 : tenth(m.bearing_deg);
    return j;
}

std::shared_ptr<const Snapshot> snapshot_for(const Global& g, const std::string& as_of_text) {
    auto s = store::Store::open(g.db);
    Date as_of = Date::today_utc();
    if (!as_of_text.empty()) {
        auto d = Date::try_parse(as_of_text);
        if (!d) throw UsageError("invalid --as-of '" + as_of_text + "': expected YYYY-MM-DD");
        as_of = *d;
    }
    return Snapshot::build(*s, as_of);
}

void print_listed_line(const VenueView& v) {
    std::cout << "  " << v.venue.name << " [" << v.venue.external_id << "], " << to_string(v.venue.category)
              << (v.venue.address.empty() ? "" : ", " + v.venue.address) << "\n    directive " << v.directive_ref
              << ", listed since " << v.listed_since.iso() << ", reasons: " << reasons_text(v.reasons) << '\n';
}

}  // namespace

int cmd_check(const Global& g, const CheckArgs& a) {
    if (a.at.empty() == a.name.empty()) throw UsageError("give exactly one of --at COORD or --name TEXT");
    if (!(a.radius >= 0) || !std::isfinite(a.radius) || a.radius > 100000)
        throw UsageError("--radius must be between 0 and 100000 metres");
    geo::LonLat at{};
    if (!a.at.empty()) at = geo::parse_coordinate(a.at);  // before any database work: a bad coordinate is an error
    auto snap = snapshot_for(g, a.as_of);
    json out{{"as_of", snap->as_of().iso()}, {"list_version", snap->list_version()}};

    if (!a.at.empty()) {
        auto c = check_position(*snap, at, a.radius);
        out["verdict"] = c.off_limits ? "off-limits" : "not-listed";
        out["query"] = {{"at", a.at}, {"lat", at.lat}, {"lon", at.lon}, {"radius_m", a.radius}};
        out["matches"] = json::array();
        for (auto& m : c.matches) out["matches"].push_back(position_json(m));
        out["nearest"] = c.nearest ? position_json(*c.nearest) : json(nullptr);
        if (g.format == "json") {
            std::cout << out.dump(2) << '\n';
            return 0;
        }
        std::cout << "Position " << at.lat << ", " << at.lon << " (MGRS " << geo::to_mgrs(at) << "), radius "
                  << a.radius << " m, as of " << snap->as_of().iso() << " (list version " << snap->list_version()
                  << ")\n\n";
        if (c.off_limits) {
            std::cout << "OFF-LIMITS: " << c.matches.size() << " listed venue(s) here\n";
            for (auto& m : c.matches) {
                print_listed_line(*m.venue);
                std::cout << "    " << (m.distance_m == 0 ? std::string("inside its footprint")
                                                          : metres_text(m.distance_m) + " away") << '\n';
            }
        } else {
            std::cout << "NOT LISTED: no listed venue within " << a.radius
                      << " m. Not listed does not mean approved.\n";
            if (c.nearest)
                std::cout << "Nearest listed venue: " << c.nearest->venue->venue.name << " ["
                          << c.nearest->venue->venue.external_id << "] at " << metres_text(c.nearest->distance_m)
                          << ", bearing " << tenth(c.nearest->bearing_deg) << "°\n";
        }
        return 0;
    }

    auto c = check_name(*snap, a.name);
    out["verdict"] = c.off_limits ? "off-limits" : "not-listed";
    out["query"] = {{"name", a.name}, {"threshold", kNameMatchThreshold}};
    out["matches"] = json::array();
    for (auto& [v, m] : c.listed) {
        json j = listed_venue_json(*v);
        j["score"] = std::round(m.score * 1000.0) / 1000.0;
        j["matched_name"] = m.matched;
        j["match_kind"] = m.kind == NameKind::name ? "name" : m.kind == NameKind::alias ? "alias" : "former";
        out["matches"].push_back(j);
    }
    out["not_listed"] = json::array();
    for (auto& [v, m] : c.not_listed) {
        json j{{"venue_id", v->venue.id},
               {"external_id", v->venue.external_id},
               {"name", v->venue.name},
               {"score", std::round(m.score * 1000.0) / 1000.0},
               {"matched_name", m.matched}};
        if (v->last_act && v->last_act->action == Action::lift)
            j["lifted_by"] = {{"directive", v->last_act->directive_ref},
                              {"effective", v->last_act->effective_from.iso()},
                              {"reasons", reasons_json(v->last_act->reasons)}};
        j["status"] = j.contains("lifted_by") ? "lifted" : "not listed";
        out["not_listed"].push_back(j);
    }
    if (g.format == "json") {
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::cout << "Name \"" << a.name << "\", as of " << snap->as_of().iso() << " (list version "
              << snap->list_version() << ")\n\n";
    if (c.off_limits) {
        std::cout << "OFF-LIMITS:\n";
        for (auto& [v, m] : c.listed) {
            print_listed_line(*v);
            std::cout << "    matched \"" << m.matched << "\", score " << std::round(m.score * 100) / 100 << '\n';
        }
    } else {
        std::cout << "NOT LISTED: no listed venue matches. Not listed does not mean approved.\n";
    }
    for (auto& [v, m] : c.not_listed) {
        std::cout << "Similar name not on the list: " << v->venue.name << " [" << v->venue.external_id << "]";
        if (v->last_act && v->last_act->action == Action::lift)
            std::cout << ", lifted by " << v->last_act->directive_ref << " from "
                      << v->last_act->effective_from.iso() << " (" << reasons_text(v->last_act->reasons) << ")";
        std::cout << '\n';
    }
    return 0;
}

int cmd_proximity(const Global& g, const ProximityArgs& a) {
    auto snap = snapshot_for(g, a.as_of);
    std::vector<double> rings = a.radii;
    ProximityReport r;
    try {
        r = proximity(*snap, rings, a.site, a.threads);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (g.format == "csv") {
        std::cout << csv_line({"site", "venue", "external_id", "distance_m", "bearing_deg"}) << '\n';
        for (auto& p : r.pairs) {
            char d[32], b[32];
            std::snprintf(d, sizeof d, "%.1f", tenth(p.distance_m));
            std::snprintf(b, sizeof b, "%.1f", tenth(p.bearing_deg) >= 360.0 ? 0.0 : tenth(p.bearing_deg));
            std::cout << csv_line({p.site->site.name, p.venue->venue.name, p.venue->venue.external_id, d, b}) << '\n';
        }
        return 0;
    }
    auto pair_json = [](const ProximityPair& p) {
        return json{{"site", p.site->site.name},
                    {"site_id", p.site->site.id},
                    {"venue", p.venue->venue.name},
                    {"venue_id", p.venue->venue.id},
                    {"external_id", p.venue->venue.external_id},
                    {"distance_m", tenth(p.distance_m)},
                    {"bearing_deg", tenth(p.bearing_deg) >= 360.0 ? 0.0 : tenth(p.bearing_deg)}};
    };
    if (g.format == "geojson") {
        json features = json::array();
        for (auto& p : r.pairs)
            features.push_back({{"type", "Feature"},
                                {"geometry",
                                 {{"type", "LineString"},
                                  {"coordinates", {{p.from.lon, p.from.lat}, {p.to.lon, p.to.lat}}}}},
                                {"properties", pair_json(p)}});
        std::cout << json{{"type", "FeatureCollection"}, {"as_of", snap->as_of().iso()},
                          {"list_version", snap->list_version()}, {"features", features}}
                         .dump()
                  << '\n';
        return 0;
    }
    if (g.format == "json") {
        json out{{"as_of", snap->as_of().iso()}, {"list_version", snap->list_version()}, {"rings", r.rings}};
        out["pairs"] = json::array();
        for (auto& p : r.pairs) out["pairs"].push_back(pair_json(p));
        out["sites"] = json::array();
        for (auto& s : r.sites) {
            json ring_counts = json::object();
            for (std::size_t i = 0; i < r.rings.size(); ++i) ring_counts[ring_key(r.rings[i])] = s.ring_counts[i];
            out["sites"].push_back({{"site", s.site->site.name},
                                    {"site_id", s.site->site.id},
                                    {"kind", to_string(s.site->site.kind)},
                                    {"personnel", s.site->site.personnel},
                                    {"rings", ring_counts},
                                    {"nearest_venue", s.nearest ? json(s.nearest->venue->venue.name) : json(nullptr)},
                                    {"nearest_venue_id", s.nearest ? json(s.nearest->venue->venue.id) : json(nullptr)},
                                    {"nearest_m", s.nearest ? json(tenth(s.nearest->distance_m)) : json(nullptr)},
                                    {"exposure", std::round(s.exposure * 10.0) / 10.0}});
        }
        out["venues"] = json::array();
        for (auto& v : r.venues)
            out["venues"].push_back({{"venue", v.venue->venue.name},
                                     {"venue_id", v.venue->venue.id},
                                     {"external_id", v.venue->venue.external_id},
                                     {"nearest_site", v.nearest.site->site.name},
                                     {"nearest_m", tenth(v.nearest.distance_m)}});
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::cout << "Listed venues near deployment sites as of " << snap->as_of().iso() << " (list version "
              << snap->list_version() << "), most exposed first\n\n";
    std::vector<std::string> headers{"site", "personnel"};
    for (double ring : r.rings) headers.push_back("≤" + ring_key(ring) + " m");
    headers.insert(headers.end(), {"nearest listed venue", "distance", "exposure"});
    std::vector<std::vector<std::string>> rows;
    for (auto& s : r.sites) {
        std::vector<std::string> row{s.site->site.name, std::to_string(s.site->site.personnel)};
        for (auto c : s.ring_counts) row.push_back(std::to_string(c));
        row.push_back(s.nearest ? s.nearest->venue->venue.name : "-");
        row.push_back(s.nearest ? metres_text(s.nearest->distance_m) : "-");
        char e[32];
        std::snprintf(e, sizeof e, "%.0f", s.exposure);
        row.push_back(e);
        rows.push_back(row);
    }
    print_table(std::cout, headers, rows);
    std::cout << '\n' << r.pairs.size() << " site–venue pairs within " << ring_key(r.rings.back()) << " m\n";
    return 0;
}

}  // namespace keepout::cli
