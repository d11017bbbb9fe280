// keepout render: print-ready maps (PDF, PNG, SVG) and the atlas of deployment sites.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <unistd.h>

#include "analysis/snapshot.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/resources.hpp"
#include "render/render.hpp"
#include "store/mission.hpp"
#include "store/repository.hpp"
#include "source/features.hpp"

namespace keepout::cli {

namespace {

struct RenderArgs {
    std::string out, style, page, as_of, atlas, site;
    bool landscape = false, portrait = false, all_pages = false;
    double dpi = 150;
};

// --style, else $KEEPOUT_STYLE; empty: the mission's default map, built from its profile.
std::string find_style(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("KEEPOUT_STYLE"); env && *env) return env;
    return {};
}

// out.png, page 2 → out-2.png
std::string page_file(const std::string& path, std::size_t page) {
    if (page == 0) return path;
    std::filesystem::path p(path);
    return (p.parent_path() / (p.stem().string() + "-" + std::to_string(page + 1) + p.extension().string())).string();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

int cmd_render(const Global& g, const RenderArgs& a) {
    render::MapRequest req;
    try {
        req.format = render::format_for_path(a.out);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (a.landscape && a.portrait) throw UsageError("give --landscape or --portrait, not both");
    if (!a.page.empty()) req.page = a.page == "A4" ? render::PageSize::A4 : render::PageSize::A3;
    if (a.landscape) req.landscape = true;
    if (a.portrait) req.landscape = false;
    req.dpi = a.dpi;
    // A picture is the map: PNG and SVG leave out the table's continuation pages unless asked.
    req.map_pages_only = req.format != render::Format::pdf && !a.all_pages;
    if (!a.atlas.empty() && a.atlas != "sites") throw UsageError("--atlas takes 'sites'");
    if (!a.site.empty() && a.atlas.empty()) throw UsageError("--site goes with --atlas sites");
    // The style before the list: a bad style is reported before any work on the map. A style file
    // may take layers from the mission profile; without one, the map is drawn from the profile.
    auto store = open_store(g);
    const std::optional<model::MissionProfile> mission = store::mission(*store);
    const std::string style_file = find_style(a.style);
    const render::Style style = style_file.empty() ? render::default_style(mission ? &*mission : nullptr)
                                                   : render::load_style(style_file, source::read_features,
                                                                        mission ? &*mission : nullptr);
    const model::Date as_of = date_or_today(*store, a.as_of);
    auto snap = analysis::Snapshot::build(*store, as_of);
    render::RenderOutput out;
    try {
        out = a.atlas.empty() ? render::render_document(*snap, style, req) : render::render_atlas(*snap, style, req, a.site);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    std::vector<std::string> written;
    for (std::size_t i = 0; i < out.files.size(); ++i) {
        written.push_back(page_file(a.out, i));
        write_file(written.back(), out.files[i]);
    }
    const auto& r = out.report;
    std::cout << "wrote " << a.out;
    if (written.size() > 1) std::cout << " and " << written.size() - 1 << " more page file(s)";
    std::cout << ": " << r.pages_written << (r.pages_written == 1 ? " page" : " pages");
    if (r.pages_written < r.pages) std::cout << " of " << r.pages << " (--all-pages or PDF for the rest of the table)";
    std::cout << ", "
              << (r.page.w > r.page.h ? "landscape" : "portrait") << ", 1:" << render::grouped(r.scale_denominator) << " ("
              << r.crs << "), " << snap->listed().size() << " listed venues as of " << snap->as_of().iso()
              << " (list version " << snap->list_version() << "), " << r.labels.size() << " labels placed, "
              << r.labels_dropped << " dropped\n";
    // Venue numbers key the map to the table: say which ones found no room on the map or in a
    // detail inset.
    std::string missing;
    for (auto& t : r.venues_without_number) missing += (missing.empty() ? "" : ", ") + t;
    if (!r.venues_without_number.empty())
        std::cerr << "keepout: warning: " << r.venues_without_number.size()
                  << " venue number(s) found no room on the map or in a detail inset (see the table): " << missing << '\n';
    if (!r.insets.empty()) std::cout << r.insets.size() << " detail inset(s) for venues too close together at this scale\n";
    return 0;
}

}  // namespace

void add_render_commands(CLI::App& app, Global& g, int& rc) {
    auto args = std::make_shared<RenderArgs>();
    auto* r = app.add_subcommand("render", "print-ready maps: PDF (text kept as text), PNG at any dpi, or SVG");
    r->add_option("--out", args->out, "output file: .pdf, .png or .svg (further PNG/SVG pages: FILE-2.png, …)")
        ->required();
    r->add_option("--style", args->style, "style file, e.g. share/keepout/styles/kosovo-slide.json (default $KEEPOUT_STYLE, else the mission's "
                                          "map from its profile: area, reference layers, sites, rings and venues)");
    r->add_option("--page", args->page, "A4 or A3 (default: the style's)")->check(CLI::IsMember({"A4", "A3"}));
    r->add_flag("--landscape", args->landscape, "landscape (default: the style's orientation)");
    r->add_flag("--portrait", args->portrait, "portrait (default: the style's orientation)");
    r->add_option("--dpi", args->dpi, "PNG resolution (default 150)")->check(CLI::Range(10.0, 2400.0));
    r->add_flag("--all-pages", args->all_pages, "PNG/SVG: also write the pages that continue the venue table");
    r->add_option("--as-of", args->as_of, "date of the list YYYY-MM-DD (default today)");
    r->add_option("--atlas", args->atlas, "'sites': one page per deployment site with its rings and venue table");
    r->add_option("--site", args->site, "with --atlas: only this site (exact name)");
    r->callback([&g, &rc, args] { rc = cmd_render(g, *args); });
}

}  // namespace keepout::cli
