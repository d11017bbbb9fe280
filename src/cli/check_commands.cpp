// keepout check and keepout proximity: the analysis engine from the command line.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "analysis/check.hpp"
#include "analysis/position_review.hpp"
#include "analysis/proximity.hpp"
#include "cli/resources.hpp"
#include "cli/args.hpp"
#include "encode/reports.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "geo/coordinates.hpp"
#include "geo/geodesic.hpp"
#include "store/repository.hpp"

namespace keepout::cli {

using namespace keepout::model;
using namespace keepout::analysis;
using namespace keepout::encode;

namespace {

double tenth(double v) { return round_distance(v); }

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

std::string reasons_text(const std::vector<Reason>& rs) {
    std::string out;
    for (Reason r : rs) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
    return out;
}

std::shared_ptr<const Snapshot> snapshot_for(const Global& g, const std::string& as_of_text) {
    auto s = open_store(g);
    const Date as_of = date_or_today(*s, as_of_text);
    return Snapshot::build(*s, as_of);
}

void print_listed_line(const VenueView& v) {
    std::cout << "  " << v.venue.name << " [" << v.venue.external_id << "], " << to_string(v.venue.category)
              << (v.venue.address.empty() ? "" : ", " + v.venue.address) << "\n    MGRS " << encode::venue_mgrs(v)
              << "\n    directive " << v.directive_ref
              << ", listed since " << v.listed_since.iso() << ", reasons: " << reasons_text(v.reasons) << '\n';
}

}  // namespace

int cmd_check(const Global& g, const CheckArgs& a) {
    if (a.at.empty() == a.name.empty()) throw UsageError("give exactly one of --at COORD or --name TEXT");
    if (!(a.radius >= 0) || !std::isfinite(a.radius) || a.radius > 100000)
        throw UsageError("--radius must be between 0 and 100000 metres");
    // Before any database work a bad coordinate is an error; only an MGRS reference without its
    // zone needs the snapshot (the sites' zones) to be read.
    std::optional<geo::ParsedPosition> parsed;
    if (!a.at.empty()) {
        try {
            parsed = geo::parse_position(a.at);
        } catch (const geo::CoordinateError&) {
            if (!geo::looks_like_position(a.at)) {
                install_mission_resources(g);  // the error's examples, in the mission's area
                throw;
            }
        }
    }
    auto snap = snapshot_for(g, a.as_of);
    if (!a.at.empty()) {
        if (!parsed) parsed = geo::parse_position(a.at, geo::PositionContext{snap->grid_zones()});
        const geo::LonLat at = parsed->at;
        auto c = check_position(*snap, at, a.radius);
        review_position(*snap, *parsed, c);
        if (g.format == "json") {
            std::cout << position_check_json(*snap, c, a.at, at, a.radius) << '\n';
            return 0;
        }
        std::cout << "Position " << at.lat << ", " << at.lon << " (MGRS " << geo::to_mgrs(at) << "), radius "
                  << a.radius << " m, as of " << snap->as_of().iso() << " (" << snap->time_zone() << ", list version "
                  << snap->list_version()
                  << ")\n\n";
        for (auto& w : c.warnings) std::cout << "WARNING: " << w.message << '\n';
        if (!c.warnings.empty()) std::cout << '\n';
        if (c.off_limits) {
            std::cout << "OFF-LIMITS: " << c.matches.size() << " listed venue(s) here\n";
            for (auto& m : c.matches) {
                print_listed_line(*m.venue);
                std::cout << "    " << (m.distance_m == 0 ? std::string("inside its footprint")
                                                          : metres_text(m.distance_m) + " away") << '\n';
            }
        } else if (c.ambiguous) {
            std::cout << "AMBIGUOUS: no listed venue within " << a.radius
                      << " m of the position as typed, but it may not be the position meant (see above).\n";
        } else {
            std::cout << "NOT LISTED: no listed venue within " << a.radius
                      << " m. Not listed does not mean approved.\n";
            if (c.nearest)
                std::cout << "Nearest listed venue: " << c.nearest->venue->venue.name << " ["
                          << c.nearest->venue->venue.external_id << "] (MGRS " << encode::venue_mgrs(*c.nearest->venue)
                          << ") at " << metres_text(c.nearest->distance_m)
                          << ", bearing " << tenth(c.nearest->bearing_deg) << "°\n";
        }
        return 0;
    }

    auto c = check_name(*snap, a.name);
    std::cout << (g.format == "json" ? name_check_json(*snap, c, a.name) + "\n" : name_check_text(*snap, c, a.name));
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
        std::cout << proximity_csv(r);
        return 0;
    }
    if (g.format == "geojson") {
        std::cout << proximity_geojson(*snap, r) << '\n';
        return 0;
    }
    if (g.format == "json") {
        std::cout << proximity_json(*snap, r) << '\n';
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
