// The patrol card, composed like the slide and the atlas: the page composer's pages and
// markings, the shared title block, scale bar, north arrow and table, the grid of render/grid,
// and every label on the map (the start's name, the stop numbers, the grid figures, the
// backdrop's names) through LabelPlacer.
#include "render/patrol_card.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "geo/utm_zones.hpp"
#include "render/composer.hpp"
#include "render/draw.hpp"
#include "render/features.hpp"
#include "render/format.hpp"
#include "render/furniture.hpp"
#include "render/grid.hpp"
#include "render/labels.hpp"
#include "render/layout.hpp"
#include "render/map.hpp"
#include "render/palette.hpp"
#include "geo/projection.hpp"
#include "render/table.hpp"

namespace keepout::render {

namespace {

const std::string kFont = "Noto Sans";
constexpr PageSize kCardPage = PageSize::A4;
constexpr double kMapHeight = 350;  // points: the map's frame on the first page of a patrol

// The stops' table; the address is how a patrol finds a venue on the ground: as wide as it can be.
Table card_table(const analysis::PatrolPlan& plan, const analysis::Patrol* p) {
    Table t;
    t.columns = {{"#", 16},        {"Venue", 106},          {"Address", 0, true},        {"Category", 44},
                 {"MGRS (1 m)", 74, false, false, false, true}, {"Sector", 66}, {"Leg km", 30, false, true},
                 {"Cum. km", 34, false, true}, {"Checked", 36, false, false, false, false, true}};
    t.font_scale = 1.235;  // 6.8 points on A4: rows to read and tick on the move
    t.row_spacing = 1.84;
    const std::string start_kind = plan.site ? std::string(model::to_string(plan.site->site.kind)) : "position";
    t.rows.push_back({{"S", plan.from_name, "", start_kind, geo::to_mgrs(plan.from), plan.from_sector, "", km_text(0), ""}, true});
    if (!p) return t;
    for (std::size_t k = 0; k < p->stops.size(); ++k) {
        const auto& s = p->stops[k];
        t.rows.push_back({{std::to_string(k + 1), s.venue->venue.name, s.venue->venue.address,
                           std::string(model::to_string(s.venue->venue.category)), geo::to_mgrs(s.at), s.sector,
                           km_text(s.leg_m), km_text(s.cumulative_m), ""}});
    }
    t.rows.push_back({{"S", "back to " + plan.from_name, "", start_kind, geo::to_mgrs(plan.from), plan.from_sector,
                       km_text(p->return_leg_m), km_text(p->length_m), ""},
                      true});
    return t;
}

TitleBlock card_head(const analysis::PatrolPlan& plan, std::size_t index, const analysis::Patrol* p) {
    TitleBlock tb;
    tb.title = "MILITARY POLICE PATROL CARD";
    tb.title_right = analysis::patrol_title(plan, index) + (p ? " \xc2\xb7 " + km_text(p->length_m) + " km" : "");
    tb.title_right_color = palette::route;
    const std::string area = !plan.sector.empty() ? plan.sector
                             : plan.radius_m     ? "within " + grouped(*plan.radius_m) + " m of the start"
                                                 : std::string("-");
    const std::string legs = plan.along_roads ? "along roads" : "straight legs (geodesic)";
    const std::string blank = "<span foreground=\"#999999\">______________________</span>";
    tb.facts = {
        {"From", markup_escape(plan.from_name) + "  (MGRS " + geo::to_mgrs(plan.from) + ")"},
        {"Sector", markup_escape(area) + (plan.sector.empty() && !plan.from_sector.empty()
                                              ? "  (start in " + markup_escape(plan.from_sector) + ")"
                                              : "")},
        {"Unit", markup_escape(plan.unit.empty() ? std::string("-") : plan.unit)},
        {"Date", blank},
        {"List as of", plan.as_of.iso() + "  (" + markup_escape(plan.time_zone) + ", list version " + std::to_string(plan.list_version) + ")"},
        {"Stops", std::to_string(p ? p->stops.size() : 0) + " of " + std::to_string(plan.venues) +
                      " listed venues \xc2\xb7 " + legs},
        {"Leader", blank},
        {"Call sign", blank},
    };
    tb.fact_columns = 2;
    tb.facts_markup = true;
    tb.notice = "Every listed venue is off-limits to all members of the mission by directive of the Head of Mission. "
                "Numbers on the map follow the order of the table.";
    return tb;
}

struct CardMap {
    std::string crs;
    double denominator = 0;
    std::vector<LabelRecord> labels;
    ScaleBar bar;
    NorthArrow arrow;
};

// The map of one patrol (or of the start alone when there is none) in `frame`.
CardMap draw_patrol_map(cairo_t* cr, Text& text, const analysis::PatrolPlan& plan, const analysis::Patrol* patrol,
                        const Rect& frame, const PatrolCardOptions& options, double fk) {
    CardMap job;
    // Everything to show, in lon/lat.
    std::vector<geo::LonLat> pts{plan.from};
    if (patrol) {
        for (const auto& s : patrol->stops) pts.push_back(s.at);
        for (const auto& leg : patrol->legs) pts.insert(pts.end(), leg.begin(), leg.end());
    }
    geo::Box box{pts[0].lon, pts[0].lat, pts[0].lon, pts[0].lat};
    for (auto p : pts) {
        box.min_lon = std::min(box.min_lon, p.lon);
        box.max_lon = std::max(box.max_lon, p.lon);
        box.min_lat = std::min(box.min_lat, p.lat);
        box.max_lat = std::max(box.max_lat, p.lat);
    }
    const geo::LonLat mid{(box.min_lon + box.max_lon) / 2, (box.min_lat + box.max_lat) / 2};
    job.crs = geo::utm_crs_of(mid);
    const Projection& proj = thread_projection(job.crs);
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (auto p : pts) {
        const XY q = proj.forward(p);
        x0 = std::min(x0, q.x), x1 = std::max(x1, q.x), y0 = std::min(y0, q.y), y1 = std::max(y1, q.y);
    }
    const double w = std::max(x1 - x0, 1500.0) * 1.16, h = std::max(y1 - y0, 1500.0) * 1.16;
    job.denominator = options.scale > 0 ? options.scale : std::max(5000.0, nice_scale(fit_scale(w, h, frame.w, frame.h)));
    const MapView view(frame, {(x0 + x1) / 2, (y0 + y1) / 2}, job.denominator);
    auto page = [&](geo::LonLat p) { return view.to_page(proj.forward(p)); };
    const geo::LonLat centre = proj.inverse(view.centre());

    // The furniture first, measured: the labels keep clear of it.
    job.bar = furniture_scale_bar(job.denominator, proj.scale_factor(centre), fk);
    const double bar_x = frame.x + 8, bar_y = frame.bottom() - 8 - draw_scale_bar(nullptr, text, job.bar, 0, 0, kFont, fk, true).h;
    const Rect bar_box = draw_scale_bar(nullptr, text, job.bar, bar_x, bar_y, kFont, fk, true).inset(-3);
    const double arrow_h = 26;
    job.arrow = draw_north_arrow(nullptr, text, frame.right() - 16, frame.y + 11, arrow_h, proj.north_angle(centre), kFont, fk);

    // The grid: true UTM lines at half the slide's spacing on a large scale, figured in MGRS digits.
    GridSpec spec;
    spec.kind = "utm";
    spec.spacing_m = grid_spacing(job.denominator) / (job.denominator <= 30000 ? 2.0 : 1.0);
    spec.color = palette::card_grid;
    const Grid grid = compute_grid(proj, view, spec, fk);

    // Labels: the start's name first (clear of the venues' points), then the stop numbers (on
    // their venue, else out on a leader), then the grid figures where they stand.
    const XY start_xy = page(plan.from);
    const Rect start_box{start_xy.x - 6.5, start_xy.y - 6.5, 13, 13};
    std::vector<XY> stop_xy;
    if (patrol)
        for (const auto& st : patrol->stops) stop_xy.push_back(page(st.at));
    const Rect bounds = frame.inset(1);
    auto start_label = text.layout({kFont, 7, true, false}, plan.from_name);
    double slw = 0, slh = 0;
    Text::size(start_label.get(), slw, slh);
    std::optional<Rect> start_label_box;
    std::optional<LabelPlacement> start_leader;  // when the name had to move out among the stops
    {
        LabelPlacer first(bounds);
        for (const Rect& o : {bar_box, job.arrow.box, start_box}) first.add_obstacle(o);
        for (const XY& q : stop_xy) first.add_obstacle({q.x - 5, q.y - 5, 10, 10});
        LabelRequest r{start_xy.x, start_xy.y, slw, slh, 1.5, 6.5};
        r.leader = true;
        if (auto placed = first.place({r}); !placed.empty()) {
            start_label_box = placed[0].box;
            if (placed[0].leader) start_leader = placed[0];
        }
    }
    LabelPlacer placer(bounds);
    for (const Rect& o : {bar_box, job.arrow.box, start_box}) placer.add_obstacle(o);
    if (start_label_box) placer.add_obstacle(*start_label_box);
    if (start_leader) {  // the numbers keep off the name's leader too
        const double len = std::hypot(start_leader->lx1 - start_leader->lx0, start_leader->ly1 - start_leader->ly0);
        for (double t = 0; t <= len; t += 2) {
            const double f = len > 0 ? t / len : 0;
            placer.add_obstacle({start_leader->lx0 + (start_leader->lx1 - start_leader->lx0) * f - 0.5,
                                 start_leader->ly0 + (start_leader->ly1 - start_leader->ly0) * f - 0.5, 1, 1});
        }
    }
    std::vector<LabelRequest> requests;
    std::vector<double> badge_r;
    for (std::size_t i = 0; i < stop_xy.size(); ++i) {
        const double r = i + 1 >= 10 ? 6.2 : 5.2;
        LabelRequest q{stop_xy[i].x, stop_xy[i].y, 2 * r + 1, 2 * r + 1, 2, 1.8, 2};
        q.leader = true;
        q.on_anchor = true;
        requests.push_back(q);
        badge_r.push_back(r);
    }
    std::vector<InnerGridLabel> figures = inner_grid_labels(text, grid, frame, {kFont, 5.5, false, false}, 1);
    for (auto& f : figures) requests.push_back(f.request);
    const std::vector<LabelPlacement> placed = placer.place(requests);

    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_clip(cr);
    set_color(cr, options.backdrop ? options.backdrop->background : palette::card_map);
    cairo_paint(cr);
    if (options.backdrop) {
        // The backdrop's file and mission layers, their names placed clear of everything above.
        Style base = *options.backdrop;
        base.layers.clear();
        std::vector<const FeatureData*> data;
        for (const auto& layer : options.backdrop->layers)
            if ((layer.source.kind == SourceKind::file || layer.source.kind == SourceKind::mission) && layer.source.data) {
                base.layers.push_back(layer);
                data.push_back(layer.source.data.get());
            }
        MapDrawOptions opt;
        opt.obstacles = {bar_box, job.arrow.box, start_box};
        if (start_label_box) opt.obstacles.push_back(*start_label_box);
        for (const auto& p : placed) opt.obstacles.push_back(p.box);
        for (const XY& q : stop_xy) opt.obstacles.push_back({q.x - 3, q.y - 3, 6, 6});
        if (!base.layers.empty()) {
            const MapDrawResult drawn = draw_map(cr, text, proj, view, base, data, opt);
            job.labels = drawn.labels;
        }
    }
    draw_grid_lines(cr, text, grid, spec, frame, fk, kFont);

    if (patrol) {
        // The route: a white casing, then the line, then an arrow at the middle of each leg.
        auto trace = [&](const std::vector<geo::LonLat>& leg) {
            for (std::size_t k = 0; k < leg.size(); ++k) {
                const XY q = page(leg[k]);
                if (k == 0) cairo_move_to(cr, q.x, q.y);
                else cairo_line_to(cr, q.x, q.y);
            }
        };
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        for (const auto& leg : patrol->legs) trace(leg);
        set_color(cr, palette::halo);
        cairo_set_line_width(cr, 3.6);
        cairo_stroke(cr);
        for (const auto& leg : patrol->legs) trace(leg);
        set_color(cr, palette::route);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        for (const auto& leg : patrol->legs) {
            // The arrow sits halfway along the leg as drawn.
            std::vector<XY> q;
            for (auto p : leg) q.push_back(page(p));
            double total = 0;
            for (std::size_t k = 1; k < q.size(); ++k) total += std::hypot(q[k].x - q[k - 1].x, q[k].y - q[k - 1].y);
            if (total < 30) continue;
            double half = total / 2;
            for (std::size_t k = 1; k < q.size(); ++k) {
                const double dx = q[k].x - q[k - 1].x, dy = q[k].y - q[k - 1].y, len = std::hypot(dx, dy);
                if (len <= 0) continue;
                if (half > len) {
                    half -= len;
                    continue;
                }
                const double ux = dx / len, uy = dy / len, cx = q[k - 1].x + ux * half, cy = q[k - 1].y + uy * half;
                const double a = 4.2, b = 2.8;
                cairo_move_to(cr, cx + ux * a, cy + uy * a);
                cairo_line_to(cr, cx - ux * a - uy * b, cy - uy * a + ux * b);
                cairo_line_to(cr, cx - ux * a * 0.4, cy - uy * a * 0.4);
                cairo_line_to(cr, cx - ux * a + uy * b, cy - uy * a - ux * b);
                cairo_close_path(cr);
                set_color(cr, palette::route);
                cairo_fill(cr);
                break;
            }
        }
        // Where the route leaves the road for a venue (roads only): a dotted line.
        if (plan.along_roads) {
            cairo_save(cr);
            const double dash[] = {1.2, 1.6};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 0.7);
            set_color(cr, palette::route);
            for (const auto& s : patrol->stops) {
                if (s.off_road_m < 1) continue;
                const XY a = page(s.road_at), b = page(s.at);
                cairo_move_to(cr, a.x, a.y);
                cairo_line_to(cr, b.x, b.y);
            }
            cairo_stroke(cr);
            cairo_restore(cr);
        }
    }

    // The start, then the numbered stops on top.
    cairo_rectangle(cr, start_xy.x - 5.5, start_xy.y - 5.5, 11, 11);
    set_color(cr, palette::site_blue);
    cairo_fill_preserve(cr);
    set_color(cr, palette::paper);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    text.line(cr, {kFont, 6.5, true, false}, "S", start_xy.x, start_xy.y, 0.5, 0.5, palette::paper);
    if (start_leader) {
        cairo_move_to(cr, start_leader->lx0, start_leader->ly0);
        cairo_line_to(cr, start_leader->lx1, start_leader->ly1);
        set_color(cr, palette::site_blue);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
    if (start_label_box) {
        Text::draw(cr, start_label.get(), start_label_box->x, start_label_box->y, palette::site_blue, &palette::halo, 1.4);
        job.labels.push_back({plan.from_name, *start_label_box});
    }
    for (const LabelPlacement& pl : placed) {
        if (pl.request >= stop_xy.size()) {  // a grid figure
            const InnerGridLabel& f = figures[pl.request - stop_xy.size()];
            Text::draw(cr, f.layout.get(), pl.box.x, pl.box.y, palette::site_blue, &palette::halo, 1.2);
            job.labels.push_back({pango_layout_get_text(f.layout.get()), pl.box});
            continue;
        }
        const std::size_t i = pl.request;
        const XY q = stop_xy[i], b{pl.box.cx(), pl.box.cy()};
        const double r = badge_r[i];
        const double dx = b.x - q.x, dy = b.y - q.y, d = std::hypot(dx, dy);
        if (d > 0.5) {  // moved off its venue: a dot on the venue and a leader to the circle
            cairo_move_to(cr, q.x, q.y);
            cairo_line_to(cr, b.x - dx / d * r, b.y - dy / d * r);
            set_color(cr, palette::stop);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
            cairo_new_sub_path(cr);
            cairo_arc(cr, q.x, q.y, 1.8, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        const std::string num = std::to_string(i + 1);
        cairo_new_sub_path(cr);
        cairo_arc(cr, b.x, b.y, r, 0, 2 * M_PI);
        set_color(cr, palette::paper);
        cairo_fill_preserve(cr);
        set_color(cr, palette::stop);
        cairo_set_line_width(cr, 1.3);
        cairo_stroke(cr);
        text.line(cr, {kFont, num.size() > 2 ? 5.0 : 6.3, true, false}, num, b.x, b.y, 0.5, 0.5, palette::route);
        job.labels.push_back({num, pl.box});
    }
    // A stop whose number found no room anywhere still shows where it is.
    std::vector<bool> numbered(stop_xy.size(), false);
    for (const LabelPlacement& pl : placed)
        if (pl.request < stop_xy.size()) numbered[pl.request] = true;
    for (std::size_t i = 0; i < stop_xy.size(); ++i)
        if (!numbered[i]) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, stop_xy[i].x, stop_xy[i].y, 2.2, 0, 2 * M_PI);
            set_color(cr, palette::stop);
            cairo_fill(cr);
        }

    draw_scale_bar(cr, text, job.bar, bar_x, bar_y, kFont, fk, true);
    draw_north_arrow(cr, text, frame.right() - 16, frame.y + 11, arrow_h, proj.north_angle(centre), kFont, fk);
    cairo_restore(cr);

    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    set_color(cr, palette::ink);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    return job;
}

}  // namespace

std::string find_style_file(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("KEEPOUT_STYLE"); env && *env) return env;
    return {};
}

std::string render_patrol_card(const analysis::PatrolPlan& plan, const PatrolCardOptions& options,
                               PatrolCardReport* report) {
    const PageLayout L = layout_page(kCardPage, false);
    const PageDims page = L.page;
    const double k = furniture_scale(kCardPage);
    const double margin = 10 * kPtPerMm;
    // One column down the page: title block, map, note, table; the footer's line kept free.
    const Rect column{margin, margin, page.w - 2 * margin, page.h - 2 * margin - 4 * kPtPerMm};
    const std::string printed = printed_date(options.produced_on);
    PageMarkings markings{kFont, options.backdrop ? options.backdrop->page.marking : PageTemplate{}.marking,
                          palette::marking, footer_text(plan.as_of, plan.time_zone, plan.list_version, printed)};
    PageComposer composer(options.format, options.dpi, markings);
    Text& text = composer.text();

    // Every patrol's table split first, for the page count.
    struct Sheet {
        const analysis::Patrol* patrol = nullptr;
        TitleBlock head;
        Table table;
        TableSplit split;
        ContinuationSpec more;
        Rect frame, note, rest;
    };
    const std::size_t n_patrols = std::max<std::size_t>(1, plan.patrols.size());
    std::vector<Sheet> sheets;
    int pages = 0;
    for (std::size_t i = 0; i < n_patrols; ++i) {
        Sheet s;
        s.patrol = plan.patrols.empty() ? nullptr : &plan.patrols[i];
        s.head = card_head(plan, i, s.patrol);
        s.table = card_table(plan, s.patrol);
        ColumnFlow flow({column});
        const double head_h = draw_title_block(nullptr, text, s.head, {0, 0, column.w, 0}, kFont, k).height;
        flow.take(head_h);
        s.frame = *flow.take(kMapHeight);
        s.note = *flow.take(16);
        s.rest = flow.rest(0);
        s.more = {kCardPage, false, 1, analysis::patrol_title(plan, i) + " from " + plan.from_name + " (continued)",
                  "Off-Limits list as of " + plan.as_of.iso() + " (" + plan.time_zone + ") \xc2\xb7 list version " + std::to_string(plan.list_version),
                  kFont, k};
        if (s.patrol) s.split = split_table(s.table, rows_fitting(s.table, s.rest.h, k), continuation_rows_per_page(s.table, s.more));
        pages += s.split.pages;
        sheets.push_back(std::move(s));
    }
    composer.set_total_pages(pages);

    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const Sheet& s = sheets[i];
        cairo_t* cr = composer.begin_page(page);
        const TitleBlockDrawn head = draw_title_block(cr, text, s.head, {column.x, column.y, column.w, 0}, kFont, k);
        const CardMap map = draw_patrol_map(cr, text, plan, s.patrol, s.frame, options, k);
        if (i == 0 && report) {
            report->scale_denominator = map.denominator;
            report->crs = map.crs;
            report->page = page;
            report->frame = s.frame;
            report->labels = map.labels;
            report->scale_bar_m = map.bar.length_m, report->scale_bar_pt = map.bar.length_pt;
            report->scale_bar_labels = scale_bar_labels(map.bar);
            report->north_arrow = map.arrow.box;
            report->north_arrow_ink_x = map.arrow.ink.x, report->north_arrow_ink_y = map.arrow.ink.y;
            report->title_band = head.band;
        }
        const std::string note = "Scale " + scale_text(map.denominator) + " \xc2\xb7 UTM grid (" + map.crs +
                                 "), lines labelled with MGRS digits \xc2\xb7 route " +
                                 (plan.along_roads ? "along roads" + (plan.roads_source.empty() ? std::string()
                                                                                               : " (" + plan.roads_source + ")")
                                                   : std::string("as straight legs; distances are geodesic on WGS 84"));
        text.line(cr, {kFont, 6 * k, false, false}, note, s.note.x, s.note.y + 4, 0, 0, palette::grey);
        if (!s.patrol)
            text.line(cr, {kFont, 9 * k, true, false}, "No listed venue in this selection.", s.rest.x, s.rest.y, 0, 0,
                      palette::route);
        else if (s.split.first > 0)
            draw_table(cr, text, s.table, 0, s.split.first, s.rest, k, kFont, false);
        composer.end_page(k);
        if (s.patrol) composer.continue_table(s.table, s.split.first, s.more);
    }
    if (report) report->pages = composer.page_number();
    auto files = composer.finish();
    return files.empty() ? std::string() : files.front();
}

}  // namespace keepout::render
