#include "render/grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "geo/coordinates.hpp"
#include "geo/utm_zones.hpp"

namespace keepout::render {

namespace {

// "<small>46</small>20" or, in full, "<small>46</small>20<small>000mN</small>"; with 500 m
// lines "<small>46</small>20.5" (in full "…20<small>500mN</small>").
std::string principal(double metres, double spacing, bool full, char axis) {
    const GridFigures g = grid_figures(metres, spacing);
    const std::string lead = g.hundreds != 0 ? "<span size=\"smaller\">" + std::to_string(g.hundreds) + "</span>" : "";
    if (!full) return lead + g.digits;
    const GridFigures whole = grid_figures(metres, 1000);
    char rest[16];
    std::snprintf(rest, sizeof rest, "%03ld", long(std::llround(metres - std::floor(metres / 1000 + 1e-9) * 1000)) % 1000);
    return "<span size=\"smaller\">" + std::to_string(g.hundreds) + "</span>" + whole.digits + "<span size=\"smaller\">" +
           rest + "m" + axis + "</span>";
}

// Crossings of a polyline with the line x = c (vertical) or y = c.
std::optional<double> crossing(const std::vector<XY>& line, bool vertical, double c) {
    for (std::size_t i = 1; i < line.size(); ++i) {
        const double a = vertical ? line[i - 1].x : line[i - 1].y, b = vertical ? line[i].x : line[i].y;
        if ((a - c) * (b - c) <= 0 && a != b) {
            const double t = (c - a) / (b - a);
            return vertical ? line[i - 1].y + t * (line[i].y - line[i - 1].y) : line[i - 1].x + t * (line[i].x - line[i - 1].x);
        }
    }
    return std::nullopt;
}

constexpr double kGridZoneReachDeg = 9;  // a zone and a half each side of its central meridian
constexpr double kMaxGridLines = 60;

}  // namespace

Grid compute_grid(const Projection& proj, const MapView& view, const GridSpec& spec, double font_k) {
    Grid g;
    const Rect& f = view.frame();
    const geo::LonLat centre = proj.inverse(view.centre());
    const Projection& utm = thread_projection(geo::utm_crs_of(centre));
    g.spacing = spec.spacing_m > 0 ? spec.spacing_m : grid_spacing(view.denominator());
    // The UTM extent of the frame. A frame reaching further than kGridZoneReachDeg from the
    // zone's central meridian, or out of UTM's latitudes, gets no grid: the zone's grid means
    // nothing there (and its lines would run off to huge values).
    const double cm = (geo::utm_zone_of(centre) - 1) * 6.0 - 177.0;
    double e0 = 1e300, e1 = -1e300, n0 = 1e300, n1 = -1e300;
    for (int i = 0; i <= 20; ++i) {
        const double t = i / 20.0;
        for (XY q : {XY{f.x + t * f.w, f.y}, XY{f.x + t * f.w, f.bottom()}, XY{f.x, f.y + t * f.h}, XY{f.right(), f.y + t * f.h}}) {
            const geo::LonLat p = proj.inverse(view.to_crs(q));
            double dlon = std::abs(p.lon - cm);
            if (dlon > 180) dlon = 360 - dlon;
            if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || dlon > kGridZoneReachDeg || p.lat > 84.5 || p.lat < -80.5) {
                g.spacing = 0;
                return g;
            }
            const XY u = utm.forward(p);
            if (!std::isfinite(u.x) || !std::isfinite(u.y)) {
                g.spacing = 0;
                return g;
            }
            e0 = std::min(e0, u.x), e1 = std::max(e1, u.x), n0 = std::min(n0, u.y), n1 = std::max(n1, u.y);
        }
    }
    // At most kMaxGridLines lines each way: a wider spacing (1, 2, 5 × 10^n m) when the style's
    // or the scale's would draw more.
    for (int k = 0; std::max(e1 - e0, n1 - n0) / g.spacing > kMaxGridLines && k < 64; ++k) {
        const double p = std::pow(10.0, std::floor(std::log10(g.spacing) + 1e-9)), m = g.spacing / p;
        g.spacing = (m < 1.5 ? 2 : m < 3.5 ? 5 : 10) * p;
    }
    auto to_page = [&](double e, double n) { return view.to_page(proj.forward(utm.inverse({e, n}))); };
    const int steps = 32;
    const auto es = grid_values(e0, e1, g.spacing), ns = grid_values(n0, n1, g.spacing);
    // Lines run a little past the frame so that they cross its edges (clipped when drawn).
    const double pe = (e1 - e0) * 0.05, pn = (n1 - n0) * 0.05;
    const double E0 = e0 - pe, E1 = e1 + pe, N0 = n0 - pn, N1 = n1 + pn;
    bool first_e = true;
    for (double e : es) {
        std::vector<XY> line;
        for (int i = 0; i <= steps; ++i) line.push_back(to_page(e, N0 + (N1 - N0) * i / steps));
        if (auto x = crossing(line, false, f.bottom()); x && *x >= f.x && *x <= f.right()) {
            g.eastings.push_back({e, *x});
            g.bottom.push_back({principal(e, g.spacing, first_e, 'E'), e, *x});
            first_e = false;
        }
        if (auto x = crossing(line, false, f.y); x && *x >= f.x && *x <= f.right()) g.top.push_back({principal(e, g.spacing, false, 'E'), e, *x});
        g.lines.push_back(std::move(line));
    }
    for (double n : ns) {
        std::vector<XY> line;
        for (int i = 0; i <= steps; ++i) line.push_back(to_page(E0 + (E1 - E0) * i / steps, n));
        if (auto y = crossing(line, true, f.x); y && *y >= f.y && *y <= f.bottom()) {
            g.northings.push_back({n, *y});
            g.left.push_back({principal(n, g.spacing, false, 'N'), n, *y});
        }
        if (auto y = crossing(line, true, f.right()); y && *y >= f.y && *y <= f.bottom())
            g.right.push_back({principal(n, g.spacing, false, 'N'), n, *y});
        g.lines.push_back(std::move(line));
    }
    // The southernmost northing label in full.
    if (!g.left.empty()) {
        auto it = std::max_element(g.left.begin(), g.left.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
        const double n = it->value;
        it->markup = principal(n, g.spacing, true, 'N');
    }
    // MGRS 100 km squares: the two letters in the lower left of each square's visible part.
    if (spec.kind == "mgrs" && (e1 - e0) / 1e5 * (n1 - n0) / 1e5 <= kMaxGridLines * kMaxGridLines) {
        try {
            g.zone = geo::to_mgrs(centre, 0).substr(0, 3);
        } catch (const std::exception&) {
        }
        for (double e = std::floor(e0 / 1e5) * 1e5; e < e1; e += 1e5)
            for (double n = std::floor(n0 / 1e5) * 1e5; n < n1; n += 1e5) {
                const XY a = to_page(std::max(e, e0), std::max(n, n0)), b = to_page(std::min(e + 1e5, e1), std::min(n + 1e5, n1));
                Rect vis{std::max(std::min(a.x, b.x), f.x), std::max(std::min(a.y, b.y), f.y), 0, 0};
                vis.w = std::min(std::max(a.x, b.x), f.right()) - vis.x;
                vis.h = std::min(std::max(a.y, b.y), f.bottom()) - vis.y;
                if (vis.w < 60 * font_k || vis.h < 40 * font_k) continue;
                std::string id;
                try {
                    const std::string m = geo::to_mgrs(utm.inverse({e + 5e4, n + 5e4}), 0);
                    id = m.substr(m.size() - 2);
                } catch (const std::exception&) {
                    continue;
                }
                const double w = 22 * font_k, h = 14 * font_k;
                g.squares.push_back({id, {vis.x + 4, vis.bottom() - h - 4, w, h}});
            }
    }
    return g;
}

void draw_grid_lines(cairo_t* cr, Text& text, const Grid& g, const GridSpec& spec, const Rect& frame, double k,
                     const std::string& font) {
    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_clip(cr);
    set_color(cr, spec.color, 0.75);
    cairo_set_line_width(cr, spec.width);
    for (auto& line : g.lines) {
        cairo_new_path(cr);
        for (std::size_t i = 0; i < line.size(); ++i)
            i ? cairo_line_to(cr, line[i].x, line[i].y) : cairo_move_to(cr, line[i].x, line[i].y);
        cairo_stroke(cr);
    }
    const Color faint{spec.color.r, spec.color.g, spec.color.b, 0.55};
    for (auto& s : g.squares) {
        auto l = text.layout({font, 11 * k, true, false}, s.id);
        Text::draw(cr, l.get(), s.box.x, s.box.y, faint);
    }
    cairo_restore(cr);
}

void draw_grid_band(cairo_t* cr, Text& text, const Grid& g, const GridSpec& spec, const PageLayout& L, double k,
                    const std::string& font) {
    const Rect& f = L.frame;
    const FontSpec label{font, 6.5 * k, false, false};
    const double tick = 2.2 * kPtPerMm * std::max(0.8, k);
    set_color(cr, spec.color);
    cairo_set_line_width(cr, 0.4);
    // The figures of all four sides through one placer: a figure that would touch another (lines
    // close together, two sides meeting at a corner) is left out. A full northing figure may run
    // into the page's margin.
    const double margin = 10 * kPtPerMm;
    LabelPlacer placer({L.map_area.x - margin, L.map_area.y - 2, L.map_area.w + 2 * margin, L.map_area.h + 4});
    struct Pending {
        LayoutPtr layout;
        LabelRequest request;
    };
    std::vector<Pending> pending;
    auto horizontal = [&](const std::vector<GridLabel>& labels, double edge, double dir) {
        for (auto& lab : labels) {
            cairo_move_to(cr, lab.pos, edge);
            cairo_line_to(cr, lab.pos, edge + dir * tick);
            cairo_stroke(cr);
            auto l = text.layout(label, lab.markup, true);
            double w = 0, h = 0;
            Text::size(l.get(), w, h);
            const double x = lab.pos - w / 2;
            if (x < L.map_area.x || x + w > L.map_area.right()) continue;  // beyond the band's ends
            const double y = dir > 0 ? edge + tick + 0.5 : edge - tick - 0.5 - h;
            LabelRequest r{x + w / 2, y + h / 2, w, h};
            r.fixed = true;
            r.clearance = 1;  // figures on one side at least 2 points apart
            pending.push_back({std::move(l), r});
        }
    };
    auto vertical = [&](const std::vector<GridLabel>& labels, double edge, double dir) {
        std::vector<GridLabel> sorted = labels;
        std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
        for (auto& lab : sorted) {
            cairo_move_to(cr, edge, lab.pos);
            cairo_line_to(cr, edge + dir * tick, lab.pos);
            cairo_stroke(cr);
            auto l = text.layout(label, lab.markup, true);
            double w = 0, h = 0;
            Text::size(l.get(), w, h);
            // Outside the neatline, clear of the tick; within the band's height.
            const double x = dir < 0 ? edge - 1.5 - w : edge + 1.5;
            if (lab.pos - h / 2 < L.map_area.y || lab.pos + h / 2 > L.map_area.bottom()) continue;
            LabelRequest r{x + w / 2, lab.pos, w, h};
            r.fixed = true;
            r.clearance = 0.5;
            pending.push_back({std::move(l), r});
        }
    };
    horizontal(g.bottom, f.bottom(), 1);
    horizontal(g.top, f.y, -1);
    vertical(g.left, f.x, -1);
    vertical(g.right, f.right(), 1);
    std::vector<LabelRequest> requests;
    for (auto& p : pending) requests.push_back(p.request);
    for (const LabelPlacement& p : placer.place(requests))
        Text::draw(cr, pending[p.request].layout.get(), p.box.x, p.box.y, spec.color);
}

std::vector<InnerGridLabel> inner_grid_labels(Text& text, const Grid& g, const Rect& frame, const FontSpec& font,
                                              int priority) {
    std::vector<InnerGridLabel> out;
    auto add = [&](double value, double x, double y, bool above) {
        auto l = text.layout(font, grid_figures(value, g.spacing).digits);
        double w = 0, h = 0;
        Text::size(l.get(), w, h);
        const double top = above ? y - h - 0.5 : y;
        LabelRequest r{x + w / 2, top + h / 2, w, h};
        r.fixed = true;
        r.priority = priority;
        out.push_back({r, std::move(l)});
    };
    for (const GridLabel& e : g.top) add(e.value, e.pos + 1, frame.y + 1, false);
    for (const GridLabel& n : g.left) add(n.value, frame.x + 1.5, n.pos, true);
    return out;
}

}  // namespace keepout::render
