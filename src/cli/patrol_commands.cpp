// keepout patrol and keepout sectors: military police patrol planning from the command line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/patrol.hpp"
#include "cli/resources.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "source/roads.hpp"
#include "encode/patrol_json.hpp"
#include "encode/route_files.hpp"
#include "source/validate.hpp"
#include "text/csv.hpp"
#include "model/date.hpp"
#include "render/patrol_card.hpp"
#include "store/mission.hpp"
#include "store/repository.hpp"
#include "source/features.hpp"

namespace keepout::cli {

namespace {

struct PatrolArgs {
    std::string from, sector, as_of, roads, roads_layer, style;
    std::vector<std::string> out;
    double radius = 0;
    std::size_t max_stops = 0;
    double max_km = 0;
    bool no_map = false;
};

struct SectorsArgs {
    std::string as_of;
};

std::string lower_ext(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    for (auto& c : e) c = char(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string km(double m) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", m / 1000.0);
    return b;
}

int cmd_patrol(const Global& g, const PatrolArgs& a) {
    if (a.from.empty()) throw UsageError("--from SITE is required");
    if (a.out.empty()) throw UsageError("--out FILE is required (.gpx, .kml, .csv, .pdf or .geojson)");
    for (const auto& f : a.out) {
        const std::string e = lower_ext(f);
        if (e != ".gpx" && e != ".kml" && e != ".csv" && e != ".pdf" && e != ".geojson" && e != ".json")
            throw UsageError("--out " + f + ": the extension must be .gpx, .kml, .csv, .pdf or .geojson");
    }
    if (a.sector.empty() && a.radius <= 0) throw UsageError("give --sector NAME or --radius M (or both)");
    if (a.radius < 0 || !std::isfinite(a.radius) || a.radius > 500000)
        throw UsageError("--radius must be between 0 and 500000 metres");
    if (a.max_km < 0 || !std::isfinite(a.max_km)) throw UsageError("--max-km must be a positive number of kilometres");

    // The road network before the database, so a bad file is reported first.
    std::optional<source::RoadLines> lines;
    std::optional<analysis::RoadGraph> graph;
    if (!a.roads.empty()) {
        lines = source::read_road_lines(a.roads, a.roads_layer);
        graph.emplace(lines->lines);
    }

    auto store = open_store(g);
    const model::Date as_of = date_or_today(*store, a.as_of);
    auto snap = analysis::Snapshot::build(*store, as_of);
    analysis::PatrolRequest req;
    req.from = a.from;
    req.sector = a.sector;
    if (a.radius > 0) req.radius_m = a.radius;
    req.max_stops = a.max_stops;
    req.max_km = a.max_km;
    if (graph) {
        req.roads = &*graph;
        req.roads_source = std::filesystem::path(a.roads).filename().string();
    }
    analysis::PatrolPlan plan;
    try {
        plan = analysis::plan_patrol(*snap, req);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }

    // The files.
    const auto doc = encode::patrol_document(plan, model::utc_now_iso());
    std::vector<std::string> written;
    for (const auto& f : a.out) {
        const std::string e = lower_ext(f);
        if (e == ".gpx") write_file(f, encode::route_gpx(doc));
        else if (e == ".kml") write_file(f, encode::route_kml(doc));
        else if (e == ".csv") write_file(f, encode::route_csv(doc));
        else if (e == ".geojson" || e == ".json") write_file(f, encode::patrol_geojson(plan) + "\n");
        else {
            // The card's map over the style file's boundaries and towns, else over the mission's
            // area and reference layers.
            std::optional<render::Style> style;
            const std::string style_path = a.no_map ? std::string() : render::find_style_file(a.style);
            std::optional<model::MissionProfile> mission;
            if (!a.no_map) mission = store::mission(*store);
            try {
                if (!style_path.empty())
                    style = render::load_style(style_path, source::read_features, mission ? &*mission : nullptr);
                else if (mission)
                    style = render::default_style(&*mission);
            } catch (const std::exception& ex) {
                if (!a.style.empty()) throw;
                std::cerr << "keepout: warning: no backdrop on the patrol card (" << ex.what() << ")\n";
            }
            if (!style && !a.no_map)
                std::cerr << "keepout: warning: the patrol card's map has no boundaries or towns: no mission profile "
                             "(keepout mission import) and no --style FILE (or --no-backdrop)\n";
            render::PatrolCardOptions opt;
            opt.backdrop = style ? &*style : nullptr;
            render::PatrolCardReport rep;
            write_file(f, render::render_patrol_card(plan, opt, &rep));
        }
        written.push_back(f);
    }

    if (g.format == "json") {
        nlohmann::json patrols = nlohmann::json::array();
        for (const auto& p : plan.patrols)
            patrols.push_back({{"stops", p.stops.size()}, {"length_km", std::round(p.length_m) / 1000.0}});
        nlohmann::json j{{"as_of", plan.as_of.iso()},
                         {"list_version", plan.list_version},
                         {"from", plan.from_name},
                         {"sector", plan.sector},
                         {"unit", plan.unit},
                         {"radius_m", plan.radius_m ? nlohmann::json(*plan.radius_m) : nlohmann::json(nullptr)},
                         {"along_roads", plan.along_roads},
                         {"venues", plan.venues},
                         {"nearest_neighbour_km", std::round(plan.tour.nearest_neighbour_m) / 1000.0},
                         {"two_opt_or_opt_km", std::round(plan.tour.improved_m) / 1000.0},
                         {"improved_km", std::round(plan.tour.final_m) / 1000.0},
                         {"exact", plan.tour.exact},
                         {"total_km", std::round(plan.total_m) / 1000.0},
                         {"patrols", patrols},
                         {"files", written}};
        std::cout << j.dump() << '\n';
        return 0;
    }

    std::cout << "Patrol from " << plan.from_name;
    if (!plan.sector.empty()) std::cout << ", sector " << plan.sector;
    if (plan.radius_m) std::cout << ", within " << *plan.radius_m << " m";
    if (!plan.unit.empty()) std::cout << " (unit " << plan.unit << ")";
    std::cout << ", Off-Limits list as of " << plan.as_of.iso() << " (list version " << plan.list_version << ")\n";
    if (lines)
        std::cout << "Roads: " << lines->lines.size() << " lines from " << a.roads << " (layer " << lines->layer << "), "
                  << graph->node_count() << " nodes, " << graph->component_count() << " connected part(s); routing on the largest ("
                  << graph->largest_component_nodes() << " nodes)\n";
    if (plan.venues == 0) {
        std::cout << "No listed venue in this selection: nothing to patrol.\n";
    } else {
        const auto& t = plan.tour;
        char gain[32];
        std::snprintf(gain, sizeof gain, "%.1f%%",
                      t.nearest_neighbour_m > 0 ? 100.0 * (t.nearest_neighbour_m - t.final_m) / t.nearest_neighbour_m : 0.0);
        std::cout << plan.venues << " listed venue(s); one loop through all: nearest neighbour " << km(t.nearest_neighbour_m)
                  << " km, after 2-opt and Or-opt " << km(t.improved_m) << " km"
                  << (t.exact ? (t.final_m < t.improved_m ? ", exact optimum " + km(t.final_m) + " km"
                                                          : std::string(" (the exact optimum)"))
                              : std::string())
                  << ", " << gain << " shorter" << (plan.along_roads ? " (along roads)" : " (geodesic)") << "\n";
        if (plan.patrols.size() > 1)
            std::cout << "Split into " << plan.patrols.size() << " patrols"
                      << (a.max_stops ? " of at most " + std::to_string(a.max_stops) + " stops" : std::string())
                      << (a.max_km > 0 ? std::string(a.max_stops ? " and" : " of") + " at most " + km(a.max_km * 1000) + " km"
                                       : std::string())
                      << ", " << km(plan.total_m) << " km in all\n";
        std::cout << '\n';
        std::vector<std::string> headers{"patrol", "order", "venue", "MGRS", "sector", "leg km", "cum km"};
        if (plan.along_roads) headers.push_back("off road m");
        std::vector<std::vector<std::string>> rows;
        for (std::size_t pi = 0; pi < plan.patrols.size(); ++pi) {
            const auto& p = plan.patrols[pi];
            const std::string pn = std::to_string(pi + 1);
            rows.push_back({pn, "0", plan.from_name, geo::to_mgrs(plan.from), plan.from_sector, "", "0.00"});
            if (plan.along_roads) rows.back().push_back("");
            for (std::size_t k = 0; k < p.stops.size(); ++k) {
                const auto& s = p.stops[k];
                rows.push_back({pn, std::to_string(k + 1), s.venue->venue.name, geo::to_mgrs(s.at), s.sector, km(s.leg_m),
                                km(s.cumulative_m)});
                if (plan.along_roads) rows.back().push_back(std::to_string(std::lround(s.off_road_m)));
            }
            rows.push_back({pn, std::to_string(p.stops.size() + 1), plan.from_name, geo::to_mgrs(plan.from),
                            plan.from_sector, km(p.return_leg_m), km(p.length_m)});
            if (plan.along_roads) rows.back().push_back("");
        }
        print_table(std::cout, headers, rows);
        std::cout << '\n';
    }
    for (const auto& f : written) std::cout << "wrote " << f << '\n';
    return 0;
}

int cmd_sectors(const Global& g, const SectorsArgs& a) {
    auto store = open_store(g);
    auto snap = analysis::Snapshot::build(*store, date_or_today(*store, a.as_of));
    const auto r = analysis::sector_report(*snap);
    if (g.format == "json") {
        std::cout << encode::sector_report_json(*snap, r) << '\n';
        return 0;
    }
    if (g.format == "csv") {
        std::cout << "sector,unit,listed,sites\n";
        for (const auto& c : r.sectors) {
            std::string sites;
            for (const auto& s : c.sites) sites += (sites.empty() ? "" : ";") + s;
            std::cout << text::csv_row({c.sector->sector.name, c.sector->sector.unit, std::to_string(c.listed), sites}) << '\n';
        }
        return 0;
    }
    std::cout << "Listed venues per sector as of " << snap->as_of().iso() << " (list version " << snap->list_version()
              << "): " << r.listed << " listed, " << r.outside << " outside every sector\n\n";
    if (r.sectors.empty()) {
        std::cout << "No sectors loaded (keepout import sectors FILE).\n";
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r.sectors) {
        // The commonest categories, most first.
        std::vector<std::pair<std::size_t, std::size_t>> cats;
        for (std::size_t k = 0; k < c.by_category.size(); ++k)
            if (c.by_category[k]) cats.push_back({c.by_category[k], k});
        std::sort(cats.begin(), cats.end(), [](auto& x, auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
        std::string mix;
        for (std::size_t k = 0; k < cats.size() && k < 4; ++k)
            mix += (mix.empty() ? "" : ", ") + std::string(model::to_string(model::Category(cats[k].second))) + " " +
                   std::to_string(cats[k].first);
        std::string sites;
        for (const auto& s : c.sites) sites += (sites.empty() ? "" : ", ") + s;
        rows.push_back({c.sector->sector.name, c.sector->sector.unit.empty() ? "-" : c.sector->sector.unit,
                        std::to_string(c.listed), mix, sites});
    }
    print_table(std::cout, {"sector", "unit", "listed", "categories", "deployment sites"}, rows);
    std::cout << "\nPer responsible unit\n\n";
    rows.clear();
    for (const auto& u : r.units) {
        std::string secs;
        for (const auto& s : u.sectors) secs += (secs.empty() ? "" : ", ") + s;
        rows.push_back({u.unit.empty() ? "(no unit)" : u.unit, std::to_string(u.listed), secs});
    }
    print_table(std::cout, {"unit", "listed", "sectors"}, rows);
    return 0;
}

}  // namespace

void add_patrol_commands(CLI::App& app, Global& g, int& rc) {
    auto a = std::make_shared<PatrolArgs>();
    auto* p = app.add_subcommand("patrol", "an ordered patrol route from a site through the listed venues and back");
    p->add_option("--from", a->from, "start and end: a deployment site (name) or a position (lat,lon, UTM, MGRS)")
        ->required();
    p->add_option("--sector", a->sector, "the listed venues of this sector (name, or a unique part of it)");
    p->add_option("--radius", a->radius, "the listed venues within this many metres of the start");
    p->add_option("--as-of", a->as_of, "date of the list YYYY-MM-DD (default today)");
    p->add_option("--out", a->out, "output file(s) by extension: .gpx, .kml, .csv, .pdf (patrol card), .geojson")
        ->required();
    p->add_option("--roads", a->roads, "road lines (any GDAL line layer): legs along the roads");
    p->add_option("--roads-layer", a->roads_layer, "layer of --roads (default: the first layer of lines)");
    p->add_option("--max-stops", a->max_stops, "at most this many venues per patrol (split into several)")
        ->check(CLI::Range(std::size_t(1), std::size_t(100000)));
    p->add_option("--max-km", a->max_km, "at most this many km per patrol, there and back (split into several)");
    p->add_option("--style", a->style, "map style whose boundaries and towns are drawn on the card (default: the mission's area and reference layers)");
    p->add_flag("--no-backdrop", a->no_map, "the card's map without boundaries and towns");
    p->add_option("--format", g.format, "what is printed: table or json")->check(CLI::IsMember({"table", "json"}));
    p->callback([&g, &rc, a] { rc = cmd_patrol(g, *a); });

    auto s = std::make_shared<SectorsArgs>();
    auto* sec = app.add_subcommand("sectors", "listed venues per patrol sector and per responsible unit");
    sec->add_option("--as-of", s->as_of, "date of the list YYYY-MM-DD (default today)");
    sec->add_option("--format", g.format, "output: table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));
    sec->callback([&g, &rc, s] { rc = cmd_sectors(g, *s); });
}

}  // namespace keepout::cli
