// keepout mission import|show: the mission profile, the one place where a mission differs from another.
#include <CLI/CLI.hpp>

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/resources.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "geo/utm_zones.hpp"
#include "source/geojson.hpp"
#include "source/mission_file.hpp"
#include "store/mission.hpp"

namespace keepout::cli {

namespace {

int cmd_mission_import(const Global& g, const std::string& file) {
    // Read and check everything first: a bad file changes nothing.
    const model::MissionProfile m = source::read_mission_file(file);
    auto s = open_store(g);
    store::set_mission(*s, m);
    std::size_t features = 0;
    for (const auto& l : m.layers) features += l.features.size();
    std::cout << "mission " << m.name << " imported from " << file << ": time zone " << m.time_zone << ", "
              << m.layers.size() << " reference layers (" << features << " features)\n";
    return 0;
}

int cmd_mission_show(const Global& g) {
    auto s = open_store(g);
    const auto m = store::mission(*s);
    if (!m) throw UsageError("no mission profile in " + g.db + " yet: keepout mission import mission.json");
    const std::vector<int> zones = geo::utm_epsg_codes_touching(m->area_wkb);
    if (g.format == "json") {
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : m->layers) layers.push_back({{"name", l.name}, {"features", l.features.size()}});
        const nlohmann::json out{{"name", m->name},
                                 {"full_name", m->full_name},
                                 {"head_of_mission", m->head_of_mission},
                                 {"time_zone", m->time_zone},
                                 {"languages", m->languages},
                                 {"default_radius_m", m->default_radius_m},
                                 {"review_interval_days", m->review_interval_days
                                                              ? nlohmann::json(m->review_interval_days)
                                                              : nlohmann::json(nullptr)},
                                 {"area", nlohmann::json::parse(source::wkb_to_geojson(m->area_wkb))},
                                 {"utm_zones", zones},
                                 {"layers", layers}};
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return 0;
    }
    std::string langs, codes, layer_list;
    for (const auto& l : m->languages) langs += (langs.empty() ? "" : ", ") + l;
    for (int z : zones) codes += (codes.empty() ? "EPSG:" : ", EPSG:") + std::to_string(z);
    for (const auto& l : m->layers)
        layer_list += (layer_list.empty() ? "" : ", ") + l.name + " (" + std::to_string(l.features.size()) + ")";
    print_table(std::cout, {"field", "value"},
                {{"name", m->name},
                 {"full name", m->full_name},
                 {"head of mission", m->head_of_mission},
                 {"time zone", m->time_zone},
                 {"languages", langs},
                 {"default radius", std::to_string(int(m->default_radius_m)) + " m"},
                 {"review interval", m->review_interval_days
                                         ? "every listing after " + std::to_string(m->review_interval_days) + " days"
                                         : std::string("none (emergency review dates only)")},
                 {"UTM zones", codes},
                 {"layers", layer_list.empty() ? "none" : layer_list}});
    return 0;
}

}  // namespace

void add_mission_commands(CLI::App& app, Global& g, int& rc) {
    auto* mission = app.add_subcommand("mission", "the mission profile: name, time zone, languages, area, layers");
    mission->require_subcommand(1);
    static std::string file;
    auto* imp = mission->add_subcommand("import", "set the mission profile from a mission.json (layers are copied in)");
    imp->add_option("FILE", file, "mission.json: name, full_name, head_of_mission, time_zone, languages, review_interval_days, area, layers")
        ->required();
    imp->callback([&] { rc = cmd_mission_import(g, file); });
    auto* show = mission->add_subcommand("show", "the mission profile and the UTM zones its area touches");
    show->add_option("--format", g.format, "table or json")->check(CLI::IsMember({"table", "json"}));
    show->callback([&] { rc = cmd_mission_show(g); });
}

}  // namespace keepout::cli
