// The patrol card: Cairo and Pango through the render subsystem's own helpers (Output, Text,
// Projection, MapView, scale bar and grid arithmetic), and its map layers for the backdrop.
#include "render/patrol_card.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "geo/geodesic.hpp"
#include "render/draw.hpp"
#include "render/features.hpp"
#include "render/layout.hpp"
#include "render/map.hpp"
#include "render/projection.hpp"

namespace keepout::render {

namespace {

const Color kInk{0.1, 0.1, 0.12, 1};
const Color kGrey{0.38, 0.38, 0.4, 1};
const Color kRule{0.75, 0.75, 0.75, 1};
const Color kUnBlue{0.0, 0.62, 0.86, 1};
const Color kSiteBlue{0.114, 0.306, 0.537, 1};
const Color kRoute{0.70, 0.07, 0.09, 1};
const Color kStop{0.84, 0.10, 0.11, 1};
const Color kMarking{0.65, 0.06, 0.08, 1};
const Color kWhite{1, 1, 1, 1};
const Color kHalo{1, 1, 1, 0.85};
const Color kGrid{0.18, 0.37, 0.6, 0.55};
const Color kZebra{0.94, 0.94, 0.93, 1};
const Color kMapBackground{0.965, 0.96, 0.94, 1};

const std::string kFont = "Noto Sans";
const std::string kMarkingText = "UN \xe2\x80\x94 FOR OFFICIAL USE ONLY";

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

struct Row {
    std::string num, venue, address, category, mgrs, sector, leg, cum;
    bool start = false;
};

struct Column {
    const char* title;
    double w;
    double align;  // 0 left, 1 right
};
// The address is how a patrol finds a venue on the ground: as wide as the name.
const Column kColumns[] = {{"#", 16, 0},         {"Venue", 106, 0},  {"Address", 112, 0}, {"Category", 44, 0},
                           {"MGRS (1 m)", 74, 0}, {"Sector", 66, 0},  {"Leg km", 30, 1},   {"Cum. km", 34, 1},
                           {"Checked", 36, 0}};
constexpr std::size_t kChecked = std::size(kColumns) - 1, kMgrs = 4;

constexpr double kRowH = 12.5;

// The map of one patrol in `frame`.
struct MapJob {
    Rect frame;
    std::string crs;
    double denominator = 0;
};

void draw_scale_bar(cairo_t* cr, Text& text, const Projection& proj, const MapView& view, geo::LonLat centre) {
    const Rect& f = view.frame();
    const ScaleBar bar = scale_bar(view.denominator(), proj.scale_factor(centre), f.w * 0.28);
    const double x = f.x + 8, bh = 3, seg = bar.length_pt / bar.segments;
    const double y = f.bottom() - 20;
    cairo_rectangle(cr, x - 4, y - 4, bar.length_pt + 30, 22);
    set_color(cr, kHalo);
    cairo_fill(cr);
    for (int i = 0; i < bar.segments; ++i) {
        cairo_rectangle(cr, x + i * seg, y, seg, bh);
        set_color(cr, i % 2 ? kWhite : kInk);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, bar.length_pt, bh);
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    const FontSpec label{kFont, 6, false, false};
    text.line(cr, label, "0", x, y + bh + 1.5, 0.5, 0, kInk);
    text.line(cr, label, fmt("%g", bar.length_m / bar.unit_m) + " " + bar.unit, x + bar.length_pt, y + bh + 1.5, 0.5, 0,
              kInk);
}

void draw_north_arrow(cairo_t* cr, Text& text, double x, double y, double angle_deg) {
    const double h = 26;
    cairo_save(cr);
    cairo_translate(cr, x, y + h * 0.6);
    cairo_rotate(cr, angle_deg * M_PI / 180);
    const double w = h * 0.26, top = -h * 0.42, bottom = h * 0.32;
    for (int side : {-1, 1}) {
        cairo_move_to(cr, 0, top);
        cairo_line_to(cr, side * w, bottom);
        cairo_line_to(cr, 0, bottom - h * 0.16);
        cairo_close_path(cr);
        set_color(cr, side < 0 ? kWhite : kInk);
        cairo_fill_preserve(cr);
        set_color(cr, kInk);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    text.line(cr, {kFont, 8, true, false}, "N", x, y + 2, 0.5, 0.5, kInk);
}

// Map of one patrol (or of the start alone when there is none).
MapJob draw_patrol_map(cairo_t* cr, Text& text, const analysis::PatrolPlan& plan, const analysis::Patrol* patrol,
                       Rect frame, const Style* backdrop) {
    MapJob job;
    job.frame = frame;
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
    job.crs = utm_crs_for(mid);
    Projection proj(job.crs);
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (auto p : pts) {
        const XY q = proj.forward(p);
        x0 = std::min(x0, q.x), x1 = std::max(x1, q.x), y0 = std::min(y0, q.y), y1 = std::max(y1, q.y);
    }
    const double w = std::max(x1 - x0, 1500.0) * 1.16, h = std::max(y1 - y0, 1500.0) * 1.16;
    job.denominator = std::max(5000.0, nice_scale(fit_scale(w, h, frame.w, frame.h)));
    const MapView view(frame, {(x0 + x1) / 2, (y0 + y1) / 2}, job.denominator);
    auto page = [&](geo::LonLat p) { return view.to_page(proj.forward(p)); };

    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_clip(cr);
    set_color(cr, backdrop ? backdrop->background : kMapBackground);
    cairo_paint(cr);

    // Where the numbered circles go: on their venue, or moved out along a leader when they would
    // cover an earlier one (venues a few hundred metres apart at a sector's scale).
    std::vector<XY> stop_xy, badge_xy;
    std::vector<double> badge_r;
    const XY start_xy = page(plan.from);
    std::vector<Rect> taken{{start_xy.x - 6.5, start_xy.y - 6.5, 13, 13}};
    const Rect arrow_box{frame.right() - 30, frame.y + 2, 28, 34};
    const Rect bar_box{frame.x + 2, frame.bottom() - 26, frame.w * 0.28 + 34, 24};
    auto is_free = [&](const Rect& r) {
        if (!frame.inset(1).contains(r) || r.overlaps(arrow_box) || r.overlaps(bar_box)) return false;
        for (const Rect& t : taken)
            if (r.overlaps(t)) return false;
        return true;
    };
    // The start's name: right, left, above or below its square, placed first: the circles
    // move out of its way.
    std::vector<Rect> points;  // the venues, which the name should not hide
    if (patrol)
        for (const auto& st : patrol->stops) {
            const XY q = page(st.at);
            points.push_back({q.x - 5, q.y - 5, 10, 10});
        }
    auto start_label = text.layout({kFont, 7, true, false}, plan.from_name);
    double slw = 0, slh = 0;
    Text::size(start_label.get(), slw, slh);
    Rect start_label_box{start_xy.x + 8, start_xy.y - slh / 2, slw, slh};
    for (const Rect& cand : {Rect{start_xy.x + 8, start_xy.y - slh / 2, slw, slh},
                             Rect{start_xy.x - 8 - slw, start_xy.y - slh / 2, slw, slh},
                             Rect{start_xy.x - slw / 2, start_xy.y - 8 - slh, slw, slh},
                             Rect{start_xy.x - slw / 2, start_xy.y + 8, slw, slh},
                             Rect{start_xy.x + 8, start_xy.y - 6 - slh, slw, slh},
                             Rect{start_xy.x + 8, start_xy.y + 6, slw, slh}})
        if (is_free(cand) && std::none_of(points.begin(), points.end(), [&](const Rect& q) { return q.overlaps(cand); })) {
            start_label_box = cand;
            break;
        }
    taken.push_back(start_label_box);
    if (patrol)
        for (std::size_t k = 0; k < patrol->stops.size(); ++k) {
            const XY q = page(patrol->stops[k].at);
            stop_xy.push_back(q);
            const double r = k + 1 >= 10 ? 6.2 : 5.2;
            XY best = q;
            bool placed = is_free({q.x - r, q.y - r, 2 * r, 2 * r});
            for (double dist : {15.0, 22.0, 30.0, 40.0}) {
                for (int a = 0; a < 12 && !placed; ++a) {
                    const double ang = -M_PI / 4 + a * M_PI / 6;
                    const XY c{q.x + dist * std::cos(ang), q.y + dist * std::sin(ang)};
                    if (is_free({c.x - r, c.y - r, 2 * r, 2 * r})) {
                        best = c;
                        placed = true;
                    }
                }
                if (placed) break;
            }
            badge_xy.push_back(best);
            badge_r.push_back(r);
            taken.push_back({best.x - r - 0.5, best.y - r - 0.5, 2 * r + 1, 2 * r + 1});
        }
    if (backdrop) {
        Style base = *backdrop;
        base.layers.clear();
        std::vector<const FeatureData*> data;
        for (const auto& layer : backdrop->layers)
            if (layer.source.kind == SourceKind::file && layer.source.data) {
                base.layers.push_back(layer);
                data.push_back(layer.source.data.get());
            }
        MapDrawOptions opt;
        opt.obstacles = taken;
        for (const XY& q : stop_xy) opt.obstacles.push_back({q.x - 3, q.y - 3, 6, 6});
        opt.obstacles.push_back(arrow_box);
        opt.obstacles.push_back(bar_box);
        if (!base.layers.empty()) draw_map(cr, text, proj, view, base, data, opt);
    }

    // The UTM grid, labelled with the two digits an MGRS reference uses.
    const double spacing = grid_spacing(job.denominator) / (job.denominator <= 30000 ? 2.0 : 1.0);
    const GridLines grid = grid_lines(view, spacing);
    cairo_set_line_width(cr, 0.3);
    set_color(cr, kGrid);
    for (const auto& g : grid.eastings) {
        cairo_move_to(cr, g.pos, frame.y);
        cairo_line_to(cr, g.pos, frame.bottom());
    }
    for (const auto& g : grid.northings) {
        cairo_move_to(cr, frame.x, g.pos);
        cairo_line_to(cr, frame.right(), g.pos);
    }
    cairo_stroke(cr);
    const FontSpec grid_font{kFont, 5.5, false, false};
    auto two_digits = [spacing](double v) { return grid_figures(v, spacing).digits; };  // "20.5" on 500 m lines
    for (const auto& g : grid.eastings) {
        auto l = text.layout(grid_font, two_digits(g.value));
        double tw = 0, th = 0;
        Text::size(l.get(), tw, th);
        Text::draw(cr, l.get(), g.pos + 1, frame.y + 1, kSiteBlue, &kHalo, 1.2);
    }
    for (const auto& g : grid.northings) {
        auto l = text.layout(grid_font, two_digits(g.value));
        double tw = 0, th = 0;
        Text::size(l.get(), tw, th);
        Text::draw(cr, l.get(), frame.x + 1.5, g.pos - th - 0.5, kSiteBlue, &kHalo, 1.2);
    }

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
        set_color(cr, kHalo);
        cairo_set_line_width(cr, 3.6);
        cairo_stroke(cr);
        for (const auto& leg : patrol->legs) trace(leg);
        set_color(cr, kRoute);
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
                set_color(cr, kRoute);
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
            set_color(cr, kRoute);
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
    set_color(cr, kSiteBlue);
    cairo_fill_preserve(cr);
    set_color(cr, kWhite);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    text.line(cr, {kFont, 6.5, true, false}, "S", start_xy.x, start_xy.y, 0.5, 0.5, kWhite);
    Text::draw(cr, start_label.get(), start_label_box.x, start_label_box.y, kSiteBlue, &kHalo, 1.4);
    for (std::size_t k = 0; k < stop_xy.size(); ++k) {
        const XY q = stop_xy[k], b = badge_xy[k];
        const double r = badge_r[k];
        const double dx = b.x - q.x, dy = b.y - q.y, d = std::hypot(dx, dy);
        if (d > 0.5) {  // moved out: a dot on the venue and a leader to the circle
            cairo_move_to(cr, q.x, q.y);
            cairo_line_to(cr, b.x - dx / d * r, b.y - dy / d * r);
            set_color(cr, kStop);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
            cairo_new_sub_path(cr);
            cairo_arc(cr, q.x, q.y, 1.8, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        const std::string num = std::to_string(k + 1);
        cairo_new_sub_path(cr);
        cairo_arc(cr, b.x, b.y, r, 0, 2 * M_PI);
        set_color(cr, kWhite);
        cairo_fill_preserve(cr);
        set_color(cr, kStop);
        cairo_set_line_width(cr, 1.3);
        cairo_stroke(cr);
        text.line(cr, {kFont, num.size() > 2 ? 5.0 : 6.3, true, false}, num, b.x, b.y, 0.5, 0.5, kRoute);
    }

    const geo::LonLat centre = proj.inverse(view.centre());
    draw_scale_bar(cr, text, proj, view, centre);
    draw_north_arrow(cr, text, frame.right() - 16, frame.y + 8, proj.north_angle(centre));
    cairo_restore(cr);

    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    return job;
}

void draw_table(cairo_t* cr, Text& text, const std::vector<Row>& rows, std::size_t from, std::size_t to, double x,
                double y) {
    const FontSpec head{kFont, 6.8, true, false}, body{kFont, 6.8, false, false}, mono{"DejaVu Sans Mono", 6.6, false, false};
    double total = 0;
    for (const auto& c : kColumns) total += c.w;
    cairo_rectangle(cr, x, y, total, kRowH);
    set_color(cr, kSiteBlue);
    cairo_fill(cr);
    double cx = x;
    for (const auto& c : kColumns) {
        auto l = text.layout(head, c.title, false, c.w - 4, true);
        double tw = 0, th = 0;
        Text::size(l.get(), tw, th);
        Text::draw(cr, l.get(), c.align > 0 ? cx + c.w - 2 - tw : cx + 2, y + (kRowH - th) / 2, kWhite);
        cx += c.w;
    }
    y += kRowH;
    for (std::size_t i = from; i < to; ++i) {
        const Row& r = rows[i];
        if (i % 2 == 1) {
            cairo_rectangle(cr, x, y, total, kRowH);
            set_color(cr, kZebra);
            cairo_fill(cr);
        }
        const std::string cells[] = {r.num, r.venue, r.address, r.category, r.mgrs, r.sector, r.leg, r.cum, ""};
        static_assert(std::size(cells) == std::size(kColumns));
        cx = x;
        for (std::size_t k = 0; k < std::size(kColumns); ++k) {
            const Column& c = kColumns[k];
            if (!cells[k].empty()) {
                FontSpec f = k == kMgrs ? mono : body;
                if (r.start && (k == 0 || k == 1)) f.bold = true;
                auto l = text.layout(f, cells[k], false, c.w - 4, true);
                double tw = 0, th = 0;
                Text::size(l.get(), tw, th);
                Text::draw(cr, l.get(), c.align > 0 ? cx + c.w - 2 - tw : cx + 2, y + (kRowH - th) / 2,
                           r.start ? kSiteBlue : kInk);
            }
            cx += c.w;
        }
        // The tick column is a box to write in.
        cairo_rectangle(cr, cx - kColumns[kChecked].w + 2, y + 1.5, kColumns[kChecked].w - 4, kRowH - 3);
        set_color(cr, kRule);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
        y += kRowH;
    }
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + total, y);
    set_color(cr, kRule);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
}

std::vector<Row> table_rows(const analysis::PatrolPlan& plan, const analysis::Patrol* p) {
    std::vector<Row> rows;
    Row start;
    start.start = true;
    start.num = "S";
    start.venue = plan.from_name;
    start.category = plan.site ? std::string(model::to_string(plan.site->site.kind)) : "position";
    start.mgrs = geo::to_mgrs(plan.from);
    start.sector = plan.from_sector;
    start.cum = "0.00";
    rows.push_back(start);
    if (!p) return rows;
    for (std::size_t k = 0; k < p->stops.size(); ++k) {
        const auto& s = p->stops[k];
        Row r;
        r.num = std::to_string(k + 1);
        r.venue = s.venue->venue.name;
        r.address = s.venue->venue.address;
        r.category = std::string(model::to_string(s.venue->venue.category));
        r.mgrs = geo::to_mgrs(s.at);
        r.sector = s.sector;
        r.leg = fmt("%.2f", s.leg_m / 1000);
        r.cum = fmt("%.2f", s.cumulative_m / 1000);
        rows.push_back(std::move(r));
    }
    Row back = start;
    back.venue = "back to " + plan.from_name;
    back.leg = fmt("%.2f", p->return_leg_m / 1000);
    back.cum = fmt("%.2f", p->length_m / 1000);
    rows.push_back(std::move(back));
    return rows;
}

void markings(cairo_t* cr, Text& text, PageDims page, const std::string& footer, int page_no, int pages) {
    const FontSpec mark{kFont, 8.5, true, false}, small{kFont, 6, false, false};
    text.line(cr, mark, kMarkingText, page.w / 2, 17, 0.5, 0.5, kMarking);
    text.line(cr, mark, kMarkingText, page.w / 2, page.h - 14, 0.5, 0.5, kMarking);
    const double m = 12 * kPtPerMm;
    text.line(cr, small, footer, m, page.h - 28, 0, 0.5, kGrey);
    text.line(cr, small, "Page " + std::to_string(page_no) + " of " + std::to_string(pages), page.w - m, page.h - 28, 1,
              0.5, kGrey);
}

}  // namespace

std::string find_style_file(const std::string& given) {
    if (!given.empty()) return given;
    if (const char* env = std::getenv("KEEPOUT_STYLE"); env && *env) return env;
    const std::filesystem::path rel = std::filesystem::path("styles") / "kosovo-slide.json";
    std::error_code ec;
    if (std::filesystem::exists(rel, ec)) return rel.string();
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    for (auto dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
        if (std::filesystem::exists(dir / rel, ec)) return (dir / rel).string();
    return {};
}

std::string render_patrol_card(const analysis::PatrolPlan& plan, const PatrolCardOptions& options,
                               PatrolCardReport* report) {
    const PageDims page = page_dims(PageSize::A4, false);
    const double table_w = [] {
        double t = 0;
        for (const auto& c : kColumns) t += c.w;
        return t;
    }();
    const double x = (page.w - table_w) / 2;
    const Rect frame{x, 118, table_w, 350};
    const double table_y = frame.bottom() + 24;
    const double bottom = page.h - 40;
    const std::size_t first_rows = std::size_t((bottom - table_y) / kRowH) - 1;
    const double cont_y = 60;
    const std::size_t more_rows = std::size_t((bottom - cont_y) / kRowH) - 1;
    const std::string printed = options.produced_on.empty() ? model::Date::today_utc().iso() : options.produced_on;
    const std::string footer = "keepout \xc2\xb7 Off-Limits list as of " + plan.as_of.iso() + ", list version " +
                               std::to_string(plan.list_version) + " \xc2\xb7 printed " + printed;

    // Pages per patrol first, for the page count.
    const std::size_t n_patrols = std::max<std::size_t>(1, plan.patrols.size());
    std::vector<std::vector<Row>> tables;
    int pages = 0;
    for (std::size_t i = 0; i < n_patrols; ++i) {
        tables.push_back(table_rows(plan, plan.patrols.empty() ? nullptr : &plan.patrols[i]));
        const std::size_t rows = tables.back().size();
        pages += 1 + int(rows > first_rows ? (rows - first_rows + more_rows - 1) / more_rows : 0);
    }

    Output out(Format::pdf, 72);
    Text text;
    int page_no = 0;
    for (std::size_t i = 0; i < n_patrols; ++i) {
        const analysis::Patrol* p = plan.patrols.empty() ? nullptr : &plan.patrols[i];
        const std::vector<Row>& rows = tables[i];
        cairo_t* cr = out.begin_page(page);
        set_color(cr, kWhite);
        cairo_paint(cr);
        ++page_no;
        // Title block.
        const FontSpec title{kFont, 13, true, false}, big{kFont, 11, true, false}, info{kFont, 7.6, false, false};
        text.line(cr, title, "MILITARY POLICE PATROL CARD", x, 30, 0, 0, kInk);
        text.line(cr, big, analysis::patrol_title(plan, i) + (p ? " \xc2\xb7 " + fmt("%.2f", p->length_m / 1000) + " km" : ""),
                  x + table_w, 31, 1, 0, kRoute);
        cairo_rectangle(cr, x, 49, table_w, 1.2);
        set_color(cr, kUnBlue);
        cairo_fill(cr);
        const std::string area = !plan.sector.empty() ? plan.sector
                                 : plan.radius_m     ? "within " + grouped(*plan.radius_m) + " m of the start"
                                                     : std::string("-");
        const std::string left[] = {
            "<b>From</b>  " + markup_escape(plan.from_name) + "  (MGRS " + geo::to_mgrs(plan.from) + ")",
            "<b>Sector</b>  " + markup_escape(area) +
                (plan.sector.empty() && !plan.from_sector.empty() ? "  (start in " + markup_escape(plan.from_sector) + ")" : ""),
            "<b>Unit</b>  " + markup_escape(plan.unit.empty() ? std::string("-") : plan.unit),
        };
        std::string legs = plan.along_roads ? "along roads" : "straight legs (geodesic)";
        const std::string right[] = {
            "<b>List as of</b>  " + plan.as_of.iso() + "  (list version " + std::to_string(plan.list_version) + ")",
            "<b>Stops</b>  " + std::to_string(p ? p->stops.size() : 0) + " of " + std::to_string(plan.venues) +
                " listed venues \xc2\xb7 " + legs,
            "<b>Date</b> ____________  <b>Leader</b> ______________  <b>Call sign</b> ________",
        };
        for (int k = 0; k < 3; ++k) {
            text.line(cr, info, left[k], x, 57 + k * 13.5, 0, 0, kInk, true);
            text.line(cr, info, right[k], x + table_w * 0.52, 57 + k * 13.5, 0, 0, kInk, true);
        }
        text.line(cr, {kFont, 6.5, false, true},
                  "Every listed venue is off-limits to all members of the mission by directive of the Head of Mission. "
                  "Numbers on the map follow the order of the table.",
                  x, 101, 0, 0, kGrey);

        const MapJob job = draw_patrol_map(cr, text, plan, p, frame, options.backdrop);
        if (i == 0 && report) {
            report->scale_denominator = job.denominator;
            report->crs = job.crs;
        }
        const std::string note = "Scale 1:" + grouped(job.denominator) + " \xc2\xb7 UTM grid (" + job.crs +
                                 "), lines labelled with MGRS digits \xc2\xb7 route " +
                                 (plan.along_roads ? "along roads" + (plan.roads_source.empty() ? std::string()
                                                                                               : " (" + plan.roads_source + ")")
                                                   : std::string("as straight legs; distances are geodesic on WGS 84"));
        text.line(cr, {kFont, 6, false, false}, note, x, frame.bottom() + 4, 0, 0, kGrey);
        if (!p) text.line(cr, {kFont, 9, true, false}, "No listed venue in this selection.", x, table_y, 0, 0, kRoute);

        std::size_t next = std::min(rows.size(), first_rows);
        if (p) draw_table(cr, text, rows, 0, next, x, table_y);
        markings(cr, text, page, footer, page_no, pages);
        out.end_page();
        while (p && next < rows.size()) {
            cr = out.begin_page(page);
            set_color(cr, kWhite);
            cairo_paint(cr);
            ++page_no;
            text.line(cr, big, analysis::patrol_title(plan, i) + " from " + plan.from_name + " (continued)", x, 32, 0, 0,
                      kInk);
            const std::size_t to = std::min(rows.size(), next + more_rows);
            draw_table(cr, text, rows, next, to, x, cont_y);
            next = to;
            markings(cr, text, page, footer, page_no, pages);
            out.end_page();
        }
    }
    if (report) report->pages = page_no;
    auto files = out.finish();
    return files.empty() ? std::string() : files.front();
}

}  // namespace keepout::render
