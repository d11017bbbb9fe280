// The print products: the map page with its furniture (title block, legend, scale bar, north
// arrow, labelled grid, inset locator, handling marking, venue table) and its continuation pages;
// the atlas of deployment sites; Web Mercator tiles.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "analysis/proximity.hpp"
#include "geo/coordinates.hpp"
#include "encode/png.hpp"
#include "render/draw.hpp"
#include "render/features.hpp"
#include "render/map.hpp"
#include "render/render.hpp"

namespace keepout::render {

namespace {

// The OGC standardised rendering pixel is 0.28 mm: tiles are drawn at 25.4 / 0.28 dpi.
constexpr double kTileDpi = 25.4 / 0.28;
constexpr int kTileBuffer = 128;  // pixels drawn around a block of tiles for label placement
const Color kInk{0.1, 0.1, 0.12, 1};
const Color kGrey{0.4, 0.4, 0.42, 1};
const Color kRule{0.55, 0.55, 0.58, 1};
const Color kUnBlue{0.0, 0.45, 0.7, 1};

// PROJ objects are per thread; building one reads proj.db, so each thread keeps its own.
const Projection& projection(const std::string& crs) {
    thread_local std::map<std::string, std::unique_ptr<Projection>> cache;
    auto& p = cache[crs];
    if (!p) p = std::make_unique<Projection>(crs);
    return *p;
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

std::string distance_text(double m) {
    return m < 1000 ? fmt("%.0f m", m) : fmt("%.2f km", m / 1000);
}

std::string radius_text(double m) { return m >= 1000 ? fmt("%g km", m / 1000) : fmt("%g m", m); }

std::string mgrs_text(geo::LonLat p) {
    try {
        const std::string m = geo::to_mgrs(p, 4);  // 10 m: "34TDN13562339"
        if (m.size() == 13) return m.substr(0, 3) + " " + m.substr(3, 2) + " " + m.substr(5, 4) + " " + m.substr(9, 4);
        return m;
    } catch (const std::exception&) {
        return "";
    }
}

std::string category_text(model::Category c) {
    std::string s(model::to_string(c));
    std::replace(s.begin(), s.end(), '-', ' ');
    if (!s.empty()) s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

// ---------------------------------------------------------------- sources

struct Sources {
    analysis::ProximityReport report;
    std::unique_ptr<FeatureData> venues_listed, venues_all, sites, sectors;
    std::vector<const FeatureData*> per_layer;
};

std::vector<double> proximity_rings(const Style& style, double extra) {
    auto rings = style.ring_radii();
    if (rings.empty()) rings = {1000, 2000, 5000};
    if (extra > 0 && std::find(rings.begin(), rings.end(), extra) == rings.end()) rings.push_back(extra);
    std::sort(rings.begin(), rings.end());
    return rings;
}

void build_sources(Sources& s, const analysis::Snapshot& snap, const Style& style, const VenueNumbers& numbers) {
    s.per_layer.clear();
    for (const Layer& l : style.layers) {
        switch (l.source.kind) {
        case SourceKind::file: s.per_layer.push_back(l.source.data.get()); break;
        case SourceKind::venues: {
            auto& slot = l.source.listed_only ? s.venues_listed : s.venues_all;
            if (!slot) slot = std::make_unique<FeatureData>(venue_features(snap, l.source.listed_only, numbers));
            s.per_layer.push_back(slot.get());
            break;
        }
        case SourceKind::sites:
            if (!s.sites) s.sites = std::make_unique<FeatureData>(site_features(snap, s.report));
            s.per_layer.push_back(s.sites.get());
            break;
        case SourceKind::sectors:
            if (!s.sectors) s.sectors = std::make_unique<FeatureData>(sector_features(snap));
            s.per_layer.push_back(s.sectors.get());
            break;
        }
    }
}

// Bounds of the features a style draws, for its default extent.
std::optional<geo::Box> style_extent(const Style& style, const Sources& src) {
    if (style.extent) return style.extent;
    std::optional<geo::Box> b;
    for (std::size_t i = 0; i < style.layers.size(); ++i) {
        if (!style.extent_layer.empty() && style.layers[i].name != style.extent_layer) continue;
        const FeatureData* d = src.per_layer[i];
        if (!d || !d->has_bounds) continue;
        if (!b) b = d->bounds;
        else
            b = geo::Box{std::min(b->min_lon, d->bounds.min_lon), std::min(b->min_lat, d->bounds.min_lat),
                         std::max(b->max_lon, d->bounds.max_lon), std::max(b->max_lat, d->bounds.max_lat)};
    }
    return b;
}

// Projected bounds of a lon/lat box (its edges sampled).
void projected_bounds(const Projection& proj, const geo::Box& b, XY& lo, XY& hi) {
    lo = {1e300, 1e300}, hi = {-1e300, -1e300};
    const int n = 24;
    for (int i = 0; i <= n; ++i) {
        const double t = double(i) / n;
        const double lon = b.min_lon + t * (b.max_lon - b.min_lon), lat = b.min_lat + t * (b.max_lat - b.min_lat);
        for (geo::LonLat p : {geo::LonLat{lon, b.min_lat}, geo::LonLat{lon, b.max_lat}, geo::LonLat{b.min_lon, lat},
                              geo::LonLat{b.max_lon, lat}}) {
            const XY q = proj.forward(p);
            if (!std::isfinite(q.x) || !std::isfinite(q.y)) continue;
            lo.x = std::min(lo.x, q.x), lo.y = std::min(lo.y, q.y), hi.x = std::max(hi.x, q.x), hi.y = std::max(hi.y, q.y);
        }
    }
}

// ---------------------------------------------------------------- grid

struct GridLabel {
    std::string markup;
    double pos;  // page x (top/bottom) or y (left/right)
};
struct SquareLabel {
    std::string id;
    Rect box;
};
struct Grid {
    std::vector<std::vector<XY>> lines;
    std::vector<GridLine> eastings, northings;  // where the lines cross the bottom and left edges
    std::vector<GridLabel> bottom, top, left, right;
    std::vector<SquareLabel> squares;
    std::string zone;       // "34T"
    double spacing = 0;
};

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

Grid compute_grid(const Projection& proj, const MapView& view, const GridSpec& spec, double font_k) {
    Grid g;
    const Rect& f = view.frame();
    const geo::LonLat centre = proj.inverse(view.centre());
    const Projection& utm = projection(utm_crs_for(centre));
    g.spacing = spec.spacing_m > 0 ? spec.spacing_m : grid_spacing(view.denominator());
    // The UTM extent of the frame. A frame reaching further than kGridZoneReachDeg from the
    // zone's central meridian, or out of UTM's latitudes, gets no grid: the zone's grid means
    // nothing there (and its lines would run off to huge values).
    const double cm = (utm_zone_for(centre) - 1) * 6.0 - 177.0;
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
            g.bottom.push_back({principal(e, g.spacing, first_e, 'E'), *x});
            first_e = false;
        }
        if (auto x = crossing(line, false, f.y); x && *x >= f.x && *x <= f.right()) g.top.push_back({principal(e, g.spacing, false, 'E'), *x});
        g.lines.push_back(std::move(line));
    }
    for (double n : ns) {
        std::vector<XY> line;
        for (int i = 0; i <= steps; ++i) line.push_back(to_page(E0 + (E1 - E0) * i / steps, n));
        if (auto y = crossing(line, true, f.x); y && *y >= f.y && *y <= f.bottom()) {
            g.northings.push_back({n, *y});
            g.left.push_back({principal(n, g.spacing, false, 'N'), *y});
        }
        if (auto y = crossing(line, true, f.right()); y && *y >= f.y && *y <= f.bottom())
            g.right.push_back({principal(n, g.spacing, false, 'N'), *y});
        g.lines.push_back(std::move(line));
    }
    // The southernmost northing label in full.
    if (!g.left.empty()) {
        auto it = std::max_element(g.left.begin(), g.left.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
        const double n = g.northings[std::size_t(it - g.left.begin())].value;
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
    auto horizontal = [&](const std::vector<GridLabel>& labels, double edge, double dir) {
        double last_right = -1e9;
        for (auto& lab : labels) {
            cairo_move_to(cr, lab.pos, edge);
            cairo_line_to(cr, lab.pos, edge + dir * tick);
            cairo_stroke(cr);
            auto l = text.layout(label, lab.markup, true);
            double w = 0, h = 0;
            Text::size(l.get(), w, h);
            const double x = lab.pos - w / 2;
            if (x < last_right + 2 || x < L.map_area.x || x + w > L.map_area.right()) continue;
            Text::draw(cr, l.get(), x, dir > 0 ? edge + tick + 0.5 : edge - tick - 0.5 - h, spec.color);
            last_right = x + w;
        }
    };
    auto vertical = [&](const std::vector<GridLabel>& labels, double edge, double dir) {
        double last_bottom = -1e9;
        std::vector<GridLabel> sorted = labels;
        std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
        for (auto& lab : sorted) {
            cairo_move_to(cr, edge, lab.pos);
            cairo_line_to(cr, edge + dir * tick, lab.pos);
            cairo_stroke(cr);
            auto l = text.layout(label, lab.markup, true);
            double w = 0, h = 0;
            Text::size(l.get(), w, h);
            const double y = lab.pos - h / 2;
            if (y < last_bottom + 1 || y < L.map_area.y || y + h > L.map_area.bottom()) continue;
            // Outside the neatline, clear of the tick; a full label may run into the margin.
            const double x = dir < 0 ? edge - 1.5 - w : edge + 1.5;
            Text::draw(cr, l.get(), x, y, spec.color);
            last_bottom = y + h;
        }
    };
    horizontal(g.bottom, f.bottom(), 1);
    horizontal(g.top, f.y, -1);
    vertical(g.left, f.x, -1);
    vertical(g.right, f.right(), 1);
}

// ---------------------------------------------------------------- legend

struct LegendEntry {
    std::string title;
    std::vector<const Rule*> rules;
    // A marker sized by an attribute: three sample values shown beside it.
    const MarkerSymbolizer* graduated = nullptr;
    double lo = 0, hi = 0;
};

std::vector<LegendEntry> legend_entries(const Style& style, const MapDrawResult& drawn) {
    std::vector<LegendEntry> out;
    // Top of the drawing order first.
    for (std::size_t li = style.layers.size(); li-- > 0;) {
        const Layer& layer = style.layers[li];
        std::vector<LegendEntry> sizes;  // one per attribute that sizes a marker in this layer
        for (std::size_t ri = 0; ri < layer.rules.size(); ++ri) {
            const Rule& rule = layer.rules[ri];
            if (li >= drawn.hits.size() || drawn.hits[li][ri] == 0) continue;
            for (auto& s : rule.symbolizers)
                if (auto* m = std::get_if<MarkerSymbolizer>(&s); m && !m->size.attribute.empty()) {
                    const auto& range = drawn.size_range[li][ri];
                    auto it = std::find_if(sizes.begin(), sizes.end(),
                                           [&](auto& e) { return e.graduated->size.attribute == m->size.attribute; });
                    if (it == sizes.end())
                        sizes.push_back({"Symbol size by " + m->size.attribute, {}, m, range.first, range.second});
                    else
                        it->lo = std::min(it->lo, range.first), it->hi = std::max(it->hi, range.second);
                }
            if (rule.title.empty()) continue;
            auto it = std::find_if(out.begin(), out.end(), [&](auto& e) { return e.title == rule.title; });
            if (it == out.end()) {
                out.push_back({rule.title, {}, nullptr, 0, 0});
                it = out.end() - 1;
            }
            it->rules.push_back(&rule);
        }
        out.insert(out.end(), sizes.begin(), sizes.end());
    }
    return out;
}

// Round values for a size legend: 1, 2, 2.5 or 5 × 10^n, at most v.
double nice_floor(double v) {
    if (v <= 0) return 0;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    double best = p;
    for (double m : {1.0, 2.0, 2.5, 5.0})
        if (m * p <= v * (1 + 1e-9)) best = m * p;
    return best;
}

void draw_swatch(cairo_t* cr, Text& text, const LegendEntry& e, const Rect& r, const Color& paper) {
    bool has_polygon = false;
    for (const Rule* rule : e.rules)
        for (auto& s : rule->symbolizers) has_polygon = has_polygon || std::holds_alternative<PolygonSymbolizer>(s);
    bool drew = false;
    for (const Rule* rule : e.rules)
        for (auto& s : rule->symbolizers) {
            if (auto* p = std::get_if<PolygonSymbolizer>(&s)) {
                cairo_rectangle(cr, r.x + 1, r.y + 1, r.w - 2, r.h - 2);
                set_color(cr, p->fill, p->opacity);
                cairo_fill(cr);
                drew = true;
            } else if (auto* l = std::get_if<LineSymbolizer>(&s)) {
                cairo_new_path(cr);
                if (has_polygon) {
                    cairo_rectangle(cr, r.x + 1, r.y + 1, r.w - 2, r.h - 2);
                } else {
                    cairo_move_to(cr, r.x + 1, r.cy());
                    cairo_line_to(cr, r.right() - 1, r.cy());
                }
                set_color(cr, l->color, l->opacity);
                cairo_set_line_width(cr, std::min(l->width, 3.0));
                cairo_set_dash(cr, l->dash.empty() ? nullptr : l->dash.data(), int(l->dash.size()), 0);
                cairo_stroke(cr);
                cairo_set_dash(cr, nullptr, 0, 0);
                drew = true;
            } else if (auto* rs = std::get_if<RingsSymbolizer>(&s)) {
                // Each ring symbolizer of the entry as one more circle around the swatch's centre.
                std::size_t total = 0, index = 0;
                for (const Rule* r2 : e.rules)
                    for (auto& s2 : r2->symbolizers)
                        if (std::holds_alternative<RingsSymbolizer>(s2)) {
                            if (&s2 == &s) index = total;
                            ++total;
                        }
                const double rad = r.h * 0.62 * double(index + 1) / double(std::max<std::size_t>(total, 1));
                cairo_new_path(cr);
                cairo_arc(cr, r.cx(), r.cy(), rad, 0, 2 * M_PI);
                if (index == 0 && rs->fill.a > 0) {
                    set_color(cr, rs->fill, rs->opacity);
                    cairo_fill_preserve(cr);
                }
                std::vector<double> dash = rs->dash;
                for (double& x : dash) x *= 0.6;
                set_color(cr, rs->color, rs->opacity);
                cairo_set_line_width(cr, std::min(rs->width, 0.6));
                cairo_set_dash(cr, dash.empty() ? nullptr : dash.data(), int(dash.size()), 0);
                cairo_stroke(cr);
                cairo_set_dash(cr, nullptr, 0, 0);
                drew = true;
            } else if (auto* m = std::get_if<MarkerSymbolizer>(&s)) {
                double size = m->size.attribute.empty() ? m->size.fixed : (m->size.range[0] + m->size.range[1]) / 2;
                size = std::min(size, r.h + 2);
                marker_path(cr, m->shape, r.cx(), r.cy(), size);
                set_color(cr, m->fill, m->opacity);
                cairo_fill_preserve(cr);
                set_color(cr, m->stroke.a > 0 ? m->stroke : paper, m->opacity);
                cairo_set_line_width(cr, m->stroke_width);
                cairo_stroke(cr);
                drew = true;
            }
        }
    if (!drew)
        for (const Rule* rule : e.rules)
            for (auto& s : rule->symbolizers)
                if (auto* t = std::get_if<TextSymbolizer>(&s)) {
                    auto l = text.layout({t->font, std::min(t->size, r.h), t->bold, t->italic}, "Abc");
                    double w = 0, h = 0;
                    Text::size(l.get(), w, h);
                    Text::draw(cr, l.get(), r.cx() - w / 2, r.cy() - h / 2, t->color, &t->halo, t->halo_width);
                    return;
                }
}

// ---------------------------------------------------------------- tables

struct Table {
    std::string title;
    std::vector<std::string> headers;
    std::vector<double> widths;  // fractions of the column
    std::vector<bool> right;     // right-aligned columns
    std::vector<bool> repeats;   // columns of few distinct values (category, municipality): layouts reused
    std::vector<std::vector<std::string>> rows;
    // Column widths in points for a given table width, measured once.
    mutable std::vector<double> measured;
    mutable double measured_for = -1;
    mutable std::map<std::pair<std::size_t, std::string>, LayoutPtr> reused;
};

struct TableMetrics {
    double title_h, header_h, row_h, font;
};

TableMetrics table_metrics(double k) {
    const double font = 6.4 * k;
    return {font * 2.0, font * 1.9, font * 1.42, font};
}

// Column widths in points: every column as wide as its widest cell (header included, the first
// few hundred rows measured), the name column (1) taking what is left; squeezed evenly when
// even that does not fit.
std::vector<double> column_widths(Text& text, const Table& t, const FontSpec& head, const FontSpec& body, double total) {
    const std::size_t n = t.headers.size();
    std::vector<double> w(n, 0);
    for (std::size_t c = 0; c < n; ++c) w[c] = text.line_width(head, t.headers[c]) + 4;
    const std::size_t sample = std::min<std::size_t>(t.rows.size(), 300);
    for (std::size_t i = 0; i < sample; ++i)
        for (std::size_t c = 0; c < n && c < t.rows[i].size(); ++c)
            if (c != 1) w[c] = std::max(w[c], text.line_width(body, t.rows[i][c]) + 4);
    double fixed = 0;
    for (std::size_t c = 0; c < n; ++c)
        if (c != 1) fixed += w[c];
    const double name_min = total * 0.3;
    if (fixed + name_min > total) {
        const double f = (total - name_min) / fixed;
        for (std::size_t c = 0; c < n; ++c)
            if (c != 1) w[c] *= f;
        fixed = total - name_min;
    }
    if (n > 1) w[1] = total - fixed;
    return w;
}

// Draws rows [from, to) of the table in r (title and header first); returns the height used.
double draw_table(cairo_t* cr, Text& text, const Table& t, std::size_t from, std::size_t to, const Rect& r, double k,
                  const std::string& font, bool continued) {
    const TableMetrics m = table_metrics(k);
    double y = r.y;
    std::string title = t.title + (continued ? " (continued)" : "");
    auto tl = text.layout({font, m.font * 1.3, true, false}, title, false, r.w, true);
    Text::draw(cr, tl.get(), r.x, y, kInk);
    y += m.title_h;
    const FontSpec head{font, m.font, true, false}, body{font, m.font, false, false};
    if (t.measured_for != r.w) t.measured = column_widths(text, t, head, body, r.w), t.measured_for = r.w;
    const std::vector<double>& widths = t.measured;
    auto cells = [&](const std::vector<std::string>& values, const FontSpec& f, double top) {
        double x = r.x;
        for (std::size_t c = 0; c < values.size() && c < widths.size(); ++c) {
            const double w = widths[c];
            const bool reuse = &f == &body && c < t.repeats.size() && t.repeats[c];
            LayoutPtr fresh;
            PangoLayout* l = nullptr;
            if (reuse) {
                auto& slot = t.reused[{c, values[c]}];
                if (!slot) slot = text.layout(f, values[c], false, w - 3, true, PANGO_ALIGN_LEFT);
                l = slot.get();
            } else {
                fresh = text.layout(f, values[c], false, w - 3, true, t.right[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
                l = fresh.get();
            }
            double lw = 0, lh = 0;
            Text::size(l, lw, lh);
            Text::draw(cr, l, x, top + (m.row_h - lh) / 2, kInk);
            x += w;
        }
    };
    cells(t.headers, head, y);
    y += m.header_h;
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, r.x, y - (m.header_h - m.row_h) / 2);
    cairo_line_to(cr, r.right(), y - (m.header_h - m.row_h) / 2);
    cairo_stroke(cr);
    for (std::size_t i = from; i < to; ++i) {
        if (i % 2 == 1) {
            cairo_rectangle(cr, r.x, y, r.w, m.row_h);
            set_color(cr, {0.93, 0.94, 0.96, 1});
            cairo_fill(cr);
        }
        cells(t.rows[i], body, y);
        y += m.row_h;
    }
    return y - r.y;
}

std::size_t rows_fitting(double height, double k) {
    const TableMetrics m = table_metrics(k);
    const double h = height - m.title_h - m.header_h;
    return h <= 0 ? 0 : std::size_t(h / m.row_h);
}

// ---------------------------------------------------------------- jobs and pages

// A detail inset: a small map at a larger scale around a site (or a knot of venues) whose
// venues found no room for their numbers on the main map, drawn by the same renderer with
// those venues labelled first. Drawn in its own frame at the origin, then placed in the panel.
struct DetailInset {
    std::string title;
    MapView view;                     // frame at (0, 0)
    MapDrawResult drawn;
    SurfacePtr content;
    std::vector<const analysis::VenueView*> venues;  // those it is there to number
};

// One map product: the map page and the pages that continue its table.
struct Job {
    std::string title, subtitle, notice;
    std::vector<std::pair<std::string, std::string>> facts;  // title block lines
    PageSize size = PageSize::A3;
    bool landscape = true;
    PageLayout L;
    MapView view;
    VenueNumbers numbers;
    Table table;
    std::optional<geo::LonLat> focus;  // marked in the inset (atlas: the site)
    std::vector<const FeatureData*> layers;  // the features of each style layer
    std::function<void()> before_record;     // atlas: numbers this sheet's venues
    bool keep_recording = true;              // atlas: drawn again rather than kept, to bound memory
    // Computed before drawing:
    SurfacePtr map;                   // the frame's content, recorded
    MapDrawResult drawn;
    std::vector<DetailInset> insets;  // larger-scale panels for venues the map could not number
    int inset_cols = 2;               // insets side by side in the panel
    Grid grid;
    std::vector<LegendEntry> legend;
    std::size_t rows_first = 0;       // table rows on the map page
    std::size_t rows_per_page = 0;    // on each continuation page
    int pages = 1;
};

double font_scale(PageSize s) { return s == PageSize::A3 ? 1.0 : 0.86; }

struct Doc {
    const analysis::Snapshot& snap;
    const Style& style;
    const MapRequest& req;
    const Projection& proj;
    Text text;
    std::string produced_on;
};

// Title block: returns its height; draws when cr is set.
double title_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k) {
    const std::string& font = d.style.page.font;
    double y = r.y;
    cairo_t* c = cr;
    auto put = [&](LayoutPtr l, const Color& col, double after) {
        double w = 0, h = 0;
        Text::size(l.get(), w, h);
        if (c) Text::draw(c, l.get(), r.x, y, col);
        y += h + after;
    };
    if (c) {
        cairo_rectangle(c, r.x, y, r.w, 2.2);
        set_color(c, kUnBlue);
        cairo_fill(c);
    }
    y += 5;
    put(d.text.layout({font, 15 * k, true, false}, job.title, false, r.w), kInk, 2);
    if (!job.subtitle.empty()) put(d.text.layout({font, 8.5 * k, false, false}, job.subtitle, false, r.w), kGrey, 4);
    const FontSpec key{font, 6.8 * k, true, false}, value{font, 6.8 * k, false, false};
    const double key_w = r.w * 0.3;
    for (auto& [kname, v] : job.facts) {
        auto kl = d.text.layout(key, kname, false, key_w - 4);
        auto vl = d.text.layout(value, v, false, r.w - key_w);
        double kw = 0, kh = 0, vw = 0, vh = 0;
        Text::size(kl.get(), kw, kh);
        Text::size(vl.get(), vw, vh);
        if (c) {
            Text::draw(c, kl.get(), r.x, y, kGrey);
            Text::draw(c, vl.get(), r.x + key_w, y, kInk);
        }
        y += std::max(kh, vh) + 1.2;
    }
    if (!job.notice.empty()) {
        y += 2;
        put(d.text.layout({font, 6.8 * k, false, true}, job.notice, false, r.w), {0.55, 0, 0, 1}, 0);
    }
    y += 4;
    if (c) {
        cairo_move_to(c, r.x, y);
        cairo_line_to(c, r.right(), y);
        set_color(c, kRule);
        cairo_set_line_width(c, 0.4);
        cairo_stroke(c);
    }
    return y - r.y + 5;
}

double legend_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k) {
    if (job.legend.empty()) return 0;
    const std::string& font = d.style.page.font;
    const FontSpec head{font, 8.5 * k, true, false}, body{font, 6.8 * k, false, false}, small{font, 6 * k, false, false};
    double y = r.y;
    auto hl = d.text.layout(head, "Legend");
    double w = 0, h = 0;
    Text::size(hl.get(), w, h);
    if (cr) Text::draw(cr, hl.get(), r.x, y, kInk);
    y += h + 3;
    const int cols = r.w > 70 * kPtPerMm ? 2 : 1;
    const double col_w = (r.w - (cols - 1) * 6) / cols, sw = 15 * k, sh = 9 * k;
    std::vector<double> heights;
    std::vector<LayoutPtr> texts;
    for (auto& e : job.legend) {
        texts.push_back(d.text.layout(body, e.title, false, col_w - sw - 5));
        double tw = 0, th = 0;
        Text::size(texts.back().get(), tw, th);
        double eh = std::max(sh, th) + 3;
        if (e.graduated) eh += e.graduated->size.range[1] + 3;
        heights.push_back(eh);
    }
    // Split into columns of about equal height, keeping the order.
    double total = 0;
    for (double x : heights) total += x;
    const double target = total / cols;
    double cx = r.x, cy = y, col_h = 0, max_h = 0;
    int col = 0;
    for (std::size_t i = 0; i < job.legend.size(); ++i) {
        if (col + 1 < cols && col_h > 0 && col_h + heights[i] / 2 > target) {
            ++col, cx += col_w + 6, cy = y, col_h = 0;
        }
        const LegendEntry& e = job.legend[i];
        double tw = 0, th = 0;
        Text::size(texts[i].get(), tw, th);
        const double row = std::max(sh, th);
        if (cr) {
            if (!e.graduated) draw_swatch(cr, d.text, e, {cx, cy + (row - sh) / 2, sw, sh}, d.style.background);
            Text::draw(cr, texts[i].get(), e.graduated ? cx : cx + sw + 5, cy + (row - th) / 2, kInk);
        }
        double used = row + 3;
        if (e.graduated) {
            // Sample sizes with their values, e.g. 100 · 500 · 2 500.
            const double big = e.graduated->size.range[1];
            if (cr) {
                double gx = cx + 2;
                const double gy = cy + row + 1 + big / 2;
                std::vector<double> values{nice_floor(std::max(e.lo, 1.0)), nice_floor(std::sqrt(std::max(e.lo, 1.0) * e.hi)),
                                           nice_floor(e.hi)};
                values.erase(std::unique(values.begin(), values.end()), values.end());
                for (double v : values) {
                    const double s = e.graduated->size.at(v);
                    marker_path(cr, MarkerShape::circle, gx + s / 2, gy, s);
                    set_color(cr, {0.82, 0.85, 0.9, 1});
                    cairo_fill_preserve(cr);
                    set_color(cr, {0.3, 0.35, 0.45, 1});
                    cairo_set_line_width(cr, 0.5);
                    cairo_stroke(cr);
                    gx += s + 2;
                    auto vl = d.text.layout(small, grouped(v));
                    double vw = 0, vh = 0;
                    Text::size(vl.get(), vw, vh);
                    Text::draw(cr, vl.get(), gx, gy - vh / 2, kGrey);
                    gx += vw + 7;
                }
            }
            used += big + 3;
        }
        cy += used, col_h += used;
        max_h = std::max(max_h, col_h);
    }
    return y - r.y + max_h + 6;
}

void north_arrow(cairo_t* cr, Text& text, double x, double y, double h, double angle_deg, const std::string& font,
                 double k) {
    cairo_save(cr);
    cairo_translate(cr, x, y + h * 0.55);
    cairo_rotate(cr, angle_deg * M_PI / 180);
    const double w = h * 0.28, top = -h * 0.45, bottom = h * 0.35;
    cairo_move_to(cr, 0, top);
    cairo_line_to(cr, -w, bottom);
    cairo_line_to(cr, 0, bottom - h * 0.18);
    cairo_close_path(cr);
    set_color(cr, {1, 1, 1, 1});
    cairo_fill_preserve(cr);
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_move_to(cr, 0, top);
    cairo_line_to(cr, w, bottom);
    cairo_line_to(cr, 0, bottom - h * 0.18);
    cairo_close_path(cr);
    cairo_fill_preserve(cr);
    cairo_stroke(cr);
    cairo_restore(cr);
    const double rad = angle_deg * M_PI / 180, tip = h * 0.45 + 1;
    text.line(cr, {font, 9 * k, true, false}, "N", x + std::sin(rad) * tip, y + h * 0.55 - std::cos(rad) * tip, 0.5,
              1, kInk);
}

// Scale bar, scale, north arrow and grid note. Returns its height.
double furniture_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k, RenderReport* report) {
    const std::string& font = d.style.page.font;
    const PageTemplate& t = d.style.page;
    const FontSpec label{font, 6.5 * k, false, false}, head{font, 8 * k, true, false}, note{font, 6 * k, false, false};
    double y = r.y;
    const double D = job.view.denominator();
    const geo::LonLat centre = d.proj.inverse(job.view.centre());
    const double arrow_h = 16 * kPtPerMm * k;
    auto sl = d.text.layout(head, "Scale 1:" + grouped(D));
    double w = 0, h = 0;
    Text::size(sl.get(), w, h);
    if (cr) Text::draw(cr, sl.get(), r.x, y, kInk);
    y += h + 4;
    if (t.scale_bar) {
        const double kf = d.proj.scale_factor(centre);
        const ScaleBar bar = scale_bar(D, kf, r.w * 0.68);
        const double bh = 3.2 * k, seg = bar.length_pt / bar.segments;
        if (cr) {
            for (int i = 0; i < bar.segments; ++i) {
                cairo_rectangle(cr, r.x + i * seg, y, seg, bh);
                set_color(cr, i % 2 ? Color{1, 1, 1, 1} : kInk);
                cairo_fill(cr);
            }
            cairo_rectangle(cr, r.x, y, bar.length_pt, bh);
            set_color(cr, kInk);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
            // Tick labels: the start, the middle and the end; the unit after the last.
            for (int i : {0, bar.segments / 2, bar.segments}) {
                if (bar.segments % 2 && i == bar.segments / 2) continue;
                const double v = bar.length_m * i / bar.segments / bar.unit_m;
                d.text.line(cr, label, fmt("%g", v), r.x + i * seg, y + bh + 1.5, 0.5, 0, kInk);
            }
            const double end_w = d.text.line_width(label, fmt("%g", bar.length_m / bar.unit_m));
            d.text.line(cr, label, bar.unit, r.x + bar.length_pt + end_w / 2 + 2.5, y + bh + 1.5, 0, 0, kInk);
        }
        if (report) report->scale_bar_m = bar.length_m, report->scale_bar_pt = bar.length_pt;
        y += bh + 1.5 + 6.5 * k * 1.4 + 3;
    }
    if (t.north_arrow && cr) north_arrow(cr, d.text, r.right() - 8 * kPtPerMm * k, r.y, arrow_h, d.proj.north_angle(centre), font, k);
    // What the grid is and what the map is drawn in.
    std::string crs_note = d.proj.crs();
    if (t.grid.show && job.grid.spacing <= 0) {
        crs_note = "No grid: the map reaches beyond the UTM zone of its centre. Projection " + d.proj.crs() + ".";
    } else if (t.grid.show) {
        crs_note = "Grid: UTM zone " + std::to_string(utm_zone_for(centre)) + (centre.lat >= 0 ? "N" : "S") + ", WGS 84, " +
                   fmt("%g", job.grid.spacing / 1000) + " km squares" +
                   (t.grid.kind == "mgrs" && !job.grid.zone.empty()
                        ? "; MGRS grid zone " + job.grid.zone + ", 100 km square letters in grey"
                        : "") +
                   ". Projection " + d.proj.crs() + ".";
    }
    const double conv = d.proj.north_angle(centre);
    crs_note += " True north is " + fmt("%.1f", std::abs(conv)) + "\xc2\xb0 " + (conv < 0 ? "west" : "east") +
                " of grid north at the centre. Rings are true geodesic radii on WGS 84.";
    auto nl = d.text.layout(note, crs_note, false, r.w - (t.north_arrow ? 16 * kPtPerMm * k : 0));
    Text::size(nl.get(), w, h);
    if (cr) Text::draw(cr, nl.get(), r.x, y, kGrey);
    y += h + 3;
    if (!t.attribution.empty()) {
        auto al = d.text.layout(note, t.attribution, false, r.w);
        Text::size(al.get(), w, h);
        if (cr) Text::draw(cr, al.get(), r.x, y, kGrey);
        y += h + 3;
    }
    return std::max(y - r.y, arrow_h + 6) + 4;
}

// The inset locator: the inset file drawn small, the main frame outlined on it.
double inset_height(const Rect& r, double k) { return std::min(r.w * 0.62, 48 * kPtPerMm * k); }

void inset_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r) {
    const PageTemplate& t = d.style.page;
    if (!t.inset_data) return;
    const FeatureData& data = *t.inset_data;
    XY lo, hi;
    projected_bounds(d.proj, data.bounds, lo, hi);
    const Rect f = job.view.frame();
    const XY a = job.view.to_crs({f.x, f.y}), b = job.view.to_crs({f.right(), f.bottom()});
    lo.x = std::min(lo.x, a.x), hi.x = std::max(hi.x, b.x), lo.y = std::min(lo.y, b.y), hi.y = std::max(hi.y, a.y);
    const Rect box{r.x, r.y, r.w, r.h};
    const double D = fit_scale((hi.x - lo.x) * 1.1, (hi.y - lo.y) * 1.1, box.w, box.h);
    const MapView v(box, {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, D);
    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    set_color(cr, {0.97, 0.98, 1, 1});
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    for (const Feature& feat : data.features) {
        if (feat.geom.kind != GeomKind::polygon && feat.geom.kind != GeomKind::line) continue;
        cairo_new_path(cr);
        for (auto& part : feat.geom.parts) {
            for (std::size_t i = 0; i < part.size(); ++i) {
                const XY q = v.to_page(d.proj.forward(part[i]));
                i ? cairo_line_to(cr, q.x, q.y) : cairo_move_to(cr, q.x, q.y);
            }
            if (feat.geom.kind == GeomKind::polygon) cairo_close_path(cr);
        }
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        if (feat.geom.kind == GeomKind::polygon) {
            set_color(cr, t.inset_fill);
            cairo_fill_preserve(cr);
        }
        set_color(cr, t.inset_stroke);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
    // The main frame.
    const XY p0 = v.to_page(a), p1 = v.to_page(b);
    cairo_rectangle(cr, p0.x, p0.y, p1.x - p0.x, p1.y - p0.y);
    set_color(cr, {0.8, 0, 0, 1});
    cairo_set_line_width(cr, 1.1);
    cairo_stroke(cr);
    if (job.focus) {
        const XY q = v.to_page(d.proj.forward(*job.focus));
        cairo_arc(cr, q.x, q.y, 1.8, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
}

// The side of a detail inset in the panel, points: two side by side in a column.
double inset_side(const Job& job, int cols) {
    const double w = job.L.panel.empty() ? 0 : job.L.panel[0].w;
    return std::floor((w - 6 * (cols - 1)) / cols);
}
double inset_side(const Job& job) { return inset_side(job, job.inset_cols); }

double inset_row_h(double side, double k) { return 6 * k * 1.6 + side + 6; }
double inset_title_h(double k) { return 8.5 * k * 1.5; }

Rect panel(cairo_t* cr, Doc& d, Job& job, double k, RenderReport* report);

// Detail insets for the venues of `job.drawn` that have no number on the map: grouped around
// the nearest site (else around the first of them), each group in an inset at the scale that
// spreads it over the inset's frame.
void plan_insets(Doc& d, Job& job) {
    job.insets.clear();
    const auto& missing = job.drawn.venues_unlabelled;
    if (missing.empty() || job.L.panel.empty()) return;
    constexpr double kSiteReach = 24, kGroupReach = 30;  // page points on the main map
    struct SitePoint {
        std::string name;
        XY at;
        XY crs;
    };
    std::vector<SitePoint> sites;
    for (std::size_t li = 0; li < d.style.layers.size() && li < job.layers.size(); ++li) {
        if (d.style.layers[li].source.kind != SourceKind::sites || !job.layers[li]) continue;
        for (const Feature& f : job.layers[li]->features) {
            if (!f.site) continue;
            const XY c = d.proj.forward(anchor_point(f.geom));
            if (std::none_of(sites.begin(), sites.end(), [&](auto& s2) { return s2.name == f.site->site.name; }))
                sites.push_back({f.site->site.name, job.view.to_page(c), c});
        }
    }
    // The groups first: their count decides the insets' size.
    struct Group {
        std::string title;
        std::vector<const analysis::VenueView*> venues;
        XY lo, hi;
    };
    std::vector<Group> groups;
    std::vector<bool> taken(missing.size(), false);
    for (std::size_t i = 0; i < missing.size(); ++i) {
        if (taken[i]) continue;
        const XY at = missing[i].at;
        const SitePoint* site = nullptr;
        double best = kSiteReach;
        for (auto& s2 : sites)
            if (double dist = std::hypot(s2.at.x - at.x, s2.at.y - at.y); dist <= best) best = dist, site = &s2;
        const XY centre_pt = site ? site->at : at;
        Group g;
        g.title = site ? site->name : "Near " + missing[i].venue->venue.name;
        // The group and its extent in the map's CRS (the site included).
        g.lo = g.hi = job.view.to_crs(centre_pt);
        for (std::size_t j = i; j < missing.size(); ++j) {
            if (taken[j] || std::hypot(missing[j].at.x - centre_pt.x, missing[j].at.y - centre_pt.y) > kGroupReach) continue;
            taken[j] = true;
            g.venues.push_back(missing[j].venue);
            const XY c = job.view.to_crs(missing[j].at);
            g.lo.x = std::min(g.lo.x, c.x), g.lo.y = std::min(g.lo.y, c.y);
            g.hi.x = std::max(g.hi.x, c.x), g.hi.y = std::max(g.hi.y, c.y);
        }
        groups.push_back(std::move(g));
    }
    // As many side by side as it takes for all of them to fit where the table would begin (the
    // table moves down, or on to the next page); at most six across, and then only those that fit.
    const double k = font_scale(job.size);
    job.legend = legend_entries(d.style, job.drawn);
    const double room = panel(nullptr, d, job, k, nullptr).h - inset_title_h(k) - 4;
    std::size_t fit = 0;
    for (int cols = 2; cols <= 6; ++cols) {
        job.inset_cols = cols;
        const double rows = std::floor(room / inset_row_h(inset_side(job), k));
        fit = rows > 0 ? std::min(groups.size(), std::size_t(rows) * std::size_t(cols)) : 0;
        if (fit == groups.size()) break;
    }
    const double side = inset_side(job);
    for (std::size_t gi = 0; gi < fit; ++gi) {
        Group& g = groups[gi];
        DetailInset inset;
        inset.title = g.title;
        inset.venues = g.venues;
        // Room around the group for the numbers; never smaller than 1.5 km across.
        const double span = std::max({g.hi.x - g.lo.x, g.hi.y - g.lo.y, 1500.0});
        const double D = nice_scale(fit_scale(span * 1.6, span * 1.6, side, side));
        if (!(D < job.view.denominator())) continue;  // no larger scale to be had
        inset.view = MapView({0, 0, side, side}, {(g.lo.x + g.hi.x) / 2, (g.lo.y + g.hi.y) / 2}, D);
        cairo_rectangle_t extents{0, 0, side, side};
        inset.content.reset(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents));
        CairoPtr cr(cairo_create(inset.content.get()));
        set_color(cr.get(), d.style.background);
        cairo_paint(cr.get());
        MapDrawOptions opt;
        opt.venues_first = inset.venues;
        inset.drawn = draw_map(cr.get(), d.text, d.proj, inset.view, d.style, job.layers, opt);
        job.insets.push_back(std::move(inset));
    }
}

// Height of the detail insets' block in a column of width `w`; draws them when cr is set.
double insets_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k) {
    if (job.insets.empty()) return 0;
    const FontSpec head{d.style.page.font, 8 * k, true, false}, small{d.style.page.font, 6 * k, false, false};
    const double side = inset_side(job), title_h = inset_title_h(k), caption_h = 6 * k * 1.6;
    const double row_h = inset_row_h(side, k);
    const auto cols = std::size_t(job.inset_cols);
    double y = r.y;
    if (cr) d.text.line(cr, head, "Details", r.x, y, 0, 0, kInk);
    y += title_h;
    for (std::size_t i = 0; i < job.insets.size(); ++i) {
        const DetailInset& in = job.insets[i];
        const double x = r.x + double(i % cols) * (side + 6);
        if (cr) {
            auto cap = d.text.layout(small, in.title + ", 1:" + grouped(in.view.denominator()), false, side, true);
            Text::draw(cr, cap.get(), x, y, kInk);
            cairo_save(cr);
            cairo_set_source_surface(cr, in.content.get(), x, y + caption_h);
            cairo_rectangle(cr, x, y + caption_h, side, side);
            cairo_fill(cr);
            cairo_restore(cr);
            cairo_rectangle(cr, x, y + caption_h, side, side);
            set_color(cr, kInk);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
        if (i % cols == cols - 1 || i + 1 == job.insets.size()) y += row_h;
    }
    return y - r.y + 4;
}

// Where each inset sits on the page, for the report: the panel places them.
std::vector<Rect> inset_frames(const Job& job, const Rect& block, double k) {
    std::vector<Rect> out;
    const double side = inset_side(job), caption_h = 6 * k * 1.6;
    const auto cols = std::size_t(job.inset_cols);
    for (std::size_t i = 0; i < job.insets.size(); ++i)
        out.push_back({block.x + double(i % cols) * (side + 6),
                       block.y + inset_title_h(k) + double(i / cols) * inset_row_h(side, k) + caption_h, side, side});
    return out;
}

// Places the panel blocks in the job's columns. With cr null it only measures; returns the
// rectangle left for the table (height 0 when none).
Rect panel(cairo_t* cr, Doc& d, Job& job, double k, RenderReport* report) {
    const PageTemplate& t = d.style.page;
    std::size_t col = 0;
    double y = job.L.panel[0].y;
    auto area = [&](double h) -> std::optional<Rect> {
        while (col < job.L.panel.size()) {
            const Rect& c = job.L.panel[col];
            if (y + h <= c.bottom() + 0.01 || y == c.y) return Rect{c.x, y, c.w, h};
            ++col;
            if (col < job.L.panel.size()) y = job.L.panel[col].y;
        }
        return std::nullopt;
    };
    auto width = [&] { return job.L.panel[std::min(col, job.L.panel.size() - 1)].w; };
    const double tb = title_block(nullptr, d, job, {0, 0, width(), 0}, k);
    if (auto a = area(tb)) title_block(cr, d, job, *a, k), y += tb;
    if (t.legend) {
        const double lh = legend_block(nullptr, d, job, {0, 0, width(), 0}, k);
        if (auto a = area(lh)) {
            if (cr) legend_block(cr, d, job, *a, k);
            y += lh;
        }
    }
    const double fh = furniture_block(nullptr, d, job, {0, 0, width(), 0}, k, nullptr);
    if (auto a = area(fh)) {
        if (cr) furniture_block(cr, d, job, *a, k, report);
        y += fh;
    }
    if (t.inset_data) {
        const double ih = inset_height({0, 0, width(), 0}, k);
        if (auto a = area(ih)) {
            if (cr) inset_block(cr, d, job, *a);
            y += ih + 8;
        }
    }
    if (!job.insets.empty()) {
        const double dh = insets_block(nullptr, d, job, {0, 0, width(), 0}, k);
        if (auto a = area(dh)) {
            if (cr) insets_block(cr, d, job, *a, k);
            if (report) report->inset_block = *a;
            y += dh;
        }
    }
    if (col >= job.L.panel.size()) return {};
    const Rect& c = job.L.panel[col];
    Rect rest{c.x, y, c.w, c.bottom() - y};
    if (rest.h < 30 && col + 1 < job.L.panel.size()) rest = job.L.panel[col + 1];
    return rest.h > 0 ? rest : Rect{};
}

void markings(cairo_t* cr, Doc& d, const PageLayout& L, int page, int pages, const std::string& left, double k) {
    const PageTemplate& t = d.style.page;
    const FontSpec mark{t.font, 9 * k, true, false}, small{t.font, 6.5 * k, false, false};
    if (!t.marking.empty()) {
        d.text.line(cr, mark, t.marking, L.page.w / 2, L.top_margin.cy(), 0.5, 0.5, t.marking_color);
        d.text.line(cr, mark, t.marking, L.page.w / 2, L.bottom_margin.cy(), 0.5, 0.5, t.marking_color);
    }
    const double side = 10 * kPtPerMm;
    d.text.line(cr, small, left, side, L.bottom_margin.cy(), 0, 0.5, kGrey);
    d.text.line(cr, small, "Page " + std::to_string(page) + " of " + std::to_string(pages), L.page.w - side,
                L.bottom_margin.cy(), 1, 0.5, kGrey);
}

std::string footer_text(const Doc& d) {
    return "keepout \xc2\xb7 list version " + std::to_string(d.snap.list_version()) + " as of " + d.snap.as_of().iso() +
           " \xc2\xb7 printed " + d.produced_on;
}

// Draws the frame's content (map, grid, labels) into a recording surface.
void record(Doc& d, Job& job) {
    const double k = font_scale(job.size);
    const Style& style = d.style;
    if (job.before_record) job.before_record();
    const Rect page{0, 0, job.L.page.w, job.L.page.h};
    cairo_rectangle_t extents{page.x, page.y, page.w, page.h};
    job.map.reset(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents));
    CairoPtr cr(cairo_create(job.map.get()));
    const Rect& f = job.view.frame();
    cairo_rectangle(cr.get(), f.x, f.y, f.w, f.h);
    set_color(cr.get(), style.background);
    cairo_fill(cr.get());
    MapDrawOptions opt;
    if (style.page.grid.show) {
        job.grid = compute_grid(d.proj, job.view, style.page.grid, k);
        for (auto& sq : job.grid.squares) opt.obstacles.push_back(sq.box);
        opt.before_labels = [&](cairo_t* c) { draw_grid_lines(c, d.text, job.grid, style.page.grid, f, k, style.page.font); };
    }
    job.drawn = draw_map(cr.get(), d.text, d.proj, job.view, style, job.layers, opt);
    plan_insets(d, job);
}

// Records the map of a job and plans its pages.
void prepare(Doc& d, Job& job) {
    const double k = font_scale(job.size);
    const Style& style = d.style;
    record(d, job);
    job.legend = legend_entries(style, job.drawn);
    // Table split: what fits in the panel, then continuation pages.
    if (style.page.table && !job.table.rows.empty()) {
        const Rect rest = panel(nullptr, d, job, k, nullptr);
        job.rows_first = std::min(job.table.rows.size(), rows_fitting(rest.h, k));
        const auto cols = continuation_columns(job.size, job.landscape, 22 * k);
        job.rows_per_page = rows_fitting(cols[0].h, k) * cols.size();
        const std::size_t left = job.table.rows.size() - job.rows_first;
        job.pages = 1 + int(job.rows_per_page ? (left + job.rows_per_page - 1) / job.rows_per_page : 0);
    }
    if (!job.keep_recording) job.map.reset();
}

void draw_job(Doc& d, Output& out, Job& job, int& page_no, int pages, RenderReport* report) {
    const double k = font_scale(job.size);
    const Style& style = d.style;
    cairo_t* cr = out.begin_page(job.L.page);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (!job.map) record(d, job);  // the same features, numbers and placements as when planned
    cairo_set_source_surface(cr, job.map.get(), 0, 0);
    cairo_paint(cr);
    const Rect& f = job.view.frame();
    if (style.page.grid.show) draw_grid_band(cr, d.text, job.grid, style.page.grid, job.L, k, style.page.font);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    set_color(cr, kInk);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    const Rect outer = job.L.map_area;
    cairo_rectangle(cr, outer.x, outer.y, outer.w, outer.h);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    ++page_no;
    markings(cr, d, job.L, page_no, pages, footer_text(d), k);
    const Rect rest = panel(cr, d, job, k, report);
    if (style.page.table && !job.table.rows.empty() && job.rows_first > 0)
        draw_table(cr, d.text, job.table, 0, job.rows_first, rest, k, style.page.font, false);
    out.end_page();
    // Continuation pages.
    std::size_t next = job.rows_first;
    const double header_h = 22 * k;
    while (style.page.table && next < job.table.rows.size() && !d.req.map_pages_only) {
        const PageLayout L = layout_page(job.size, job.landscape);
        cairo_t* c = out.begin_page(L.page);
        cairo_set_source_rgb(c, 1, 1, 1);
        cairo_paint(c);
        const double margin = 10 * kPtPerMm;
        d.text.line(c, {style.page.font, 10 * k, true, false}, job.title, margin, margin + 2, 0, 0, kInk);
        d.text.line(c, {style.page.font, 7 * k, false, false},
                    "List as of " + d.snap.as_of().iso() + " \xc2\xb7 list version " + std::to_string(d.snap.list_version()),
                    L.page.w - margin, margin + 4, 1, 0, kGrey);
        cairo_rectangle(c, margin, margin + 15 * k, L.page.w - 2 * margin, 1.2);
        set_color(c, kUnBlue);
        cairo_fill(c);
        for (const Rect& col : continuation_columns(job.size, job.landscape, header_h)) {
            if (next >= job.table.rows.size()) break;
            const std::size_t n = std::min(job.table.rows.size() - next, rows_fitting(col.h, k));
            draw_table(c, d.text, job.table, next, next + n, col, k, style.page.font, true);
            next += n;
        }
        ++page_no;
        markings(c, d, L, page_no, pages, footer_text(d), k);
        out.end_page();
    }
}

PageSize page_of(const Style& s, const MapRequest& r, std::optional<PageSize> atlas = std::nullopt) {
    return r.page ? *r.page : atlas ? *atlas : s.page.page;
}
bool landscape_of(const Style& s, const MapRequest& r, std::optional<bool> atlas = std::nullopt) {
    return r.landscape ? *r.landscape : atlas ? *atlas : s.page.landscape;
}

std::string directive_refs(const analysis::Snapshot& snap) {
    std::set<std::string> refs;
    for (auto i : snap.listed()) refs.insert(snap.venues()[i].directive_ref);
    std::string out;
    for (auto& r : refs) out += (out.empty() ? "" : ", ") + r;
    return out.empty() ? "none in force" : out;
}

std::string crs_for(const Style& style, const geo::Box& extent) {
    if (!style.crs.empty()) return style.crs;
    return utm_crs_for({(extent.min_lon + extent.max_lon) / 2, (extent.min_lat + extent.max_lat) / 2});
}

std::string today(const MapRequest& r) { return r.produced_on.empty() ? model::Date::today_utc().iso() : r.produced_on; }

std::string counts_text(const std::vector<double>& rings, const std::vector<std::size_t>& counts) {
    std::string out;
    for (std::size_t i = 0; i < rings.size() && i < counts.size(); ++i)
        out += (out.empty() ? "" : " \xc2\xb7 ") + radius_text(rings[i]) + ": " + std::to_string(counts[i]);
    return out;
}

RenderOutput finish(Doc& d, std::vector<Job>& jobs, Format format, double dpi) {
    RenderOutput result;
    int pages = 0;
    for (auto& j : jobs) pages += j.pages;
    Output out(format, dpi);
    int page_no = 0;
    int written = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const int before = page_no;
        draw_job(d, out, jobs[i], page_no, pages, i == 0 ? &result.report : nullptr);
        written += d.req.map_pages_only ? 1 : page_no - before;
        if (d.req.map_pages_only) page_no = before + jobs[i].pages;  // numbering as in the whole product
        jobs[i].map.reset();
    }
    result.files = out.finish();
    result.report.pages = pages;
    result.report.pages_written = written;
    if (!jobs.empty()) {
        const Job& j = jobs[0];
        result.report.scale_denominator = j.view.denominator();
        result.report.page = j.L.page;
        result.report.frame = j.view.frame();
        result.report.crs = d.proj.crs();
        result.report.labels = j.drawn.labels;
        result.report.labels_dropped = j.drawn.dropped;
        result.report.dropped_labels = j.drawn.dropped_labels;
        for (auto& e : j.legend) result.report.legend.push_back(e.title);
        result.report.venues_in_table = j.table.rows.size();
        result.report.grid_eastings = j.grid.eastings;
        result.report.grid_northings = j.grid.northings;
        result.report.grid_spacing_m = j.grid.spacing;
        RenderReport& rep = result.report;
        std::set<std::string> numbered;
        for (auto& v : j.drawn.venue_labels) rep.venue_numbers.push_back(v.label), numbered.insert(v.label.text);
        rep.site_symbols = j.drawn.site_symbols;
        const auto frames = inset_frames(j, rep.inset_block, font_scale(j.size));
        for (std::size_t i = 0; i < j.insets.size() && rep.inset_block.w > 0; ++i) {
            const DetailInset& in = j.insets[i];
            RenderReport::Inset ri{in.title, frames[i], in.view.denominator(), {}, {}};
            auto moved = [&](Rect r) { return Rect{r.x + frames[i].x, r.y + frames[i].y, r.w, r.h}; };
            for (auto& v : in.drawn.venue_labels) {
                ri.venue_numbers.push_back({v.label.text, moved(v.label.box)});
                numbered.insert(v.label.text);
            }
            for (auto& b : in.drawn.site_symbols) ri.site_symbols.push_back(moved(b));
            rep.insets.push_back(std::move(ri));
        }
        for (auto& u : j.drawn.venues_unlabelled)
            if (!numbered.count(u.text)) rep.venues_without_number.push_back(u.text);
    }
    return result;
}

}  // namespace

Format format_for_path(const std::string& path) {
    const auto dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "pdf") return Format::pdf;
    if (ext == "png") return Format::png;
    if (ext == "svg") return Format::svg;
    throw std::invalid_argument("cannot tell the format of '" + path + "': use .pdf, .png or .svg");
}

const char* mime_type(Format f) {
    switch (f) {
    case Format::pdf: return "application/pdf";
    case Format::png: return "image/png";
    case Format::svg: return "image/svg+xml";
    }
    return "application/octet-stream";
}

void check_extent(const geo::Box& b) {
    const double w = b.max_lon - b.min_lon, h = b.max_lat - b.min_lat;
    if (!std::isfinite(w) || !std::isfinite(h) || w > kMaxSpanDeg || h > kMaxSpanDeg)
        throw LimitError("the map's area is too large: " + fmt("%.4g", w) + "\xc2\xb0 \xc3\x97 " + fmt("%.4g", h) +
                         "\xc2\xb0 of longitude and latitude, at most " + fmt("%g", kMaxSpanDeg) + "\xc2\xb0 each way");
}

void check_limits(const Style& style, const MapRequest& req) {
    if (style.extent) check_extent(*style.extent);
    if (req.format != Format::png) return;
    if (!(req.dpi > 0) || !std::isfinite(req.dpi)) throw LimitError("the resolution must be a positive number of dpi");
    // The largest page the request can draw (the atlas's page may differ from the map's).
    double most = 0;
    for (auto [size, landscape] : {std::pair{page_of(style, req), landscape_of(style, req)},
                                   std::pair{page_of(style, req, style.atlas.page),
                                             landscape_of(style, req, style.atlas.landscape)}}) {
        const PageDims p = page_dims(size, landscape);
        most = std::max(most, (p.w / 72 * req.dpi) * (p.h / 72 * req.dpi));
    }
    if (most > kMaxPixels)
        throw LimitError("the picture would be too large: " + fmt("%.0f", most / 1e6) + " million pixels at " +
                         fmt("%g", req.dpi) + " dpi, at most " + fmt("%.0f", kMaxPixels / 1e6) + " million: lower the dpi");
}

RenderOutput render_document(const analysis::Snapshot& snap, const Style& style, const MapRequest& req) {
    check_limits(style, req);
    Job job;
    job.size = page_of(style, req);
    job.landscape = landscape_of(style, req);
    job.L = layout_page(job.size, job.landscape);

    Sources src;
    src.report = analysis::proximity(snap, proximity_rings(style, 0));
    // Numbers for the table and the map: listed venues by municipality, then name.
    std::vector<std::uint32_t> order(snap.listed().begin(), snap.listed().end());
    const auto& venues = snap.venues();
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto& va = venues[a].venue;
        const auto& vb = venues[b].venue;
        return std::tie(va.municipality, va.name, va.id) < std::tie(vb.municipality, vb.name, vb.id);
    });
    for (std::size_t i = 0; i < order.size(); ++i) job.numbers[order[i]] = int(i + 1);
    build_sources(src, snap, style, job.numbers);

    const auto extent = style_extent(style, src);
    if (!extent) throw std::invalid_argument("nothing to draw: the style's layers have no features and it sets no extent");
    check_extent(*extent);
    const geo::Box box = *extent;
    const std::string crs = crs_for(style, box);
    const Projection& proj = projection(crs);
    XY lo, hi;
    projected_bounds(proj, box, lo, hi);
    const double w = (hi.x - lo.x) * (1 + 2 * style.extent_margin), h = (hi.y - lo.y) * (1 + 2 * style.extent_margin);
    const double D = style.scale > 0 ? style.scale : nice_scale(fit_scale(w, h, job.L.frame.w, job.L.frame.h));
    if (!std::isfinite(D) || !std::isfinite(lo.x + lo.y + hi.x + hi.y) || hi.x < lo.x || hi.y < lo.y)
        throw LimitError("the map's area cannot be drawn in " + crs + ": it lies outside what that projection covers");
    job.view = MapView(job.L.frame, {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, D);

    Doc d{snap, style, req, proj, Text(), today(req)};
    job.title = style.page.title;
    job.subtitle = style.page.subtitle;
    job.notice = style.page.notice;
    job.facts = {{"Directives in force", directive_refs(snap)},
                 {"List as of", snap.as_of().iso() + " (list version " + std::to_string(snap.list_version()) + ")"},
                 {"Listed venues", std::to_string(snap.listed().size())},
                 {"Map", "1:" + grouped(D) + " on " + page_name(job.size) + (job.landscape ? " landscape" : " portrait") +
                             ", " + crs},
                 {"Printed", d.produced_on}};
    job.table.title = style.page.table_title + " (" + std::to_string(order.size()) + ")";
    job.table.headers = {"No.", "Name", "Category", "Municipality", "MGRS (10 m)"};
    job.table.widths = {0.07, 0.40, 0.15, 0.16, 0.22};
    job.table.right = {true, false, false, false, false};
    job.table.repeats = {false, false, true, true, false};
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& v = venues[order[i]];
        job.table.rows.push_back({std::to_string(i + 1) + " ", v.venue.name, category_text(v.venue.category),
                                  v.venue.municipality, mgrs_text(anchor_point(geom_from_shape(v.shape)))});
    }
    job.layers = src.per_layer;
    std::vector<Job> jobs;
    jobs.push_back(std::move(job));
    prepare(d, jobs[0]);
    return finish(d, jobs, req.format, req.dpi);
}

RenderOutput render_atlas(const analysis::Snapshot& snap, const Style& style, const MapRequest& req,
                          const std::string& site) {
    check_limits(style, req);
    const double radius = style.atlas.radius_m;
    Sources src;
    src.report = analysis::proximity(snap, proximity_rings(style, radius), site);
    const PageSize size = page_of(style, req, style.atlas.page);
    const bool landscape = landscape_of(style, req, style.atlas.landscape);
    const PageLayout L = layout_page(size, landscape);
    // The style's CRS, else the UTM zone around the sites drawn.
    geo::Box around{180, 90, -180, -90};
    for (auto& e : src.report.sites) {
        const geo::Box& b = e.site->shape.box;
        around = {std::min(around.min_lon, b.min_lon), std::min(around.min_lat, b.min_lat),
                  std::max(around.max_lon, b.max_lon), std::max(around.max_lat, b.max_lat)};
    }
    if (src.report.sites.empty()) throw std::invalid_argument("no deployment sites to draw an atlas of");
    const std::string crs = crs_for(style, style.extent ? *style.extent : around);
    const Projection& proj = projection(crs);
    Doc d{snap, style, req, proj, Text(), today(req)};

    // Sites in name order, each with its pairs (already by distance).
    std::vector<const analysis::SiteExposure*> sites;
    for (auto& e : src.report.sites) sites.push_back(&e);
    std::sort(sites.begin(), sites.end(), [](auto* a, auto* b) { return a->site->site.name < b->site->site.name; });
    // One set of features for every sheet; each sheet numbers its own venues before it is drawn.
    build_sources(src, snap, style, {});
    std::vector<FeatureData*> venue_data;
    for (auto* slot : {src.venues_listed.get(), src.venues_all.get()})
        if (slot) venue_data.push_back(slot);
    const auto venue_fields = store_fields(SourceKind::venues, {});
    const auto number_field =
        std::size_t(std::find(venue_fields.begin(), venue_fields.end(), "number") - venue_fields.begin());
    std::vector<Job> jobs;
    for (const auto* e : sites) {
        const analysis::SiteView& s = *e->site;
        Job job;
        job.size = size, job.landscape = landscape, job.L = L;
        const geo::LonLat c = anchor_point(geom_from_shape(s.shape));
        const XY centre = proj.forward(c);
        const double need = 2 * radius * 1.12 * proj.scale_factor(c);
        const double D = style.atlas.scale > 0 ? style.atlas.scale : nice_scale(fit_scale(need, need, L.frame.w, L.frame.h));
        job.view = MapView(L.frame, centre, D);
        job.focus = c;
        std::vector<const analysis::ProximityPair*> pairs;
        for (auto& p : src.report.pairs)
            if (p.site == &s && p.distance_m <= radius) pairs.push_back(&p);
        const auto* base = snap.venues().data();
        for (std::size_t i = 0; i < pairs.size(); ++i) job.numbers[std::uint32_t(pairs[i]->venue - base)] = int(i + 1);
        job.layers = src.per_layer;
        job.keep_recording = false;
        job.before_record = [&venue_data, &snap, number_field, numbers = job.numbers] {
            const auto* first = snap.venues().data();
            for (FeatureData* vd : venue_data)
                for (Feature& f : vd->features) {
                    auto it = numbers.find(std::uint32_t(f.venue - first));
                    f.values[number_field] = it == numbers.end() ? Value() : Value(double(it->second));
                }
        };
        std::string title = style.atlas.title;
        for (auto [key, value] : {std::pair<std::string, std::string>{"{site}", s.site.name}, {"{radius}", radius_text(radius)}})
            for (std::size_t p; (p = title.find(key)) != std::string::npos;) title.replace(p, key.size(), value);
        job.title = title;
        job.subtitle = std::string(model::to_string(s.site.kind)) + (s.site.contingent.empty() ? "" : ", " + s.site.contingent) +
                       ", " + std::to_string(s.site.personnel) + " personnel";
        job.notice = style.page.notice;
        job.facts = {{"Listed venues by ring", counts_text(src.report.rings, e->ring_counts)},
                     {"Nearest", e->nearest ? e->nearest->venue->venue.name + ", " + distance_text(e->nearest->distance_m)
                                            : "none within " + radius_text(src.report.rings.back())},
                     {"Site MGRS", mgrs_text(c)},
                     {"Directives in force", directive_refs(snap)},
                     {"List as of", snap.as_of().iso() + " (list version " + std::to_string(snap.list_version()) + ")"},
                     {"Printed", d.produced_on}};
        job.table.title = "Listed venues within " + radius_text(radius) + " (" + std::to_string(pairs.size()) + ")";
        job.table.headers = {"No.", "Name", "Category", "Distance", "Bearing", "MGRS (10 m)"};
        job.table.widths = {0.07, 0.37, 0.14, 0.12, 0.09, 0.21};
        job.table.right = {true, false, false, true, true, false};
        job.table.repeats = {false, false, true, false, false, false};
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto& p = *pairs[i];
            job.table.rows.push_back({std::to_string(i + 1) + " ", p.venue->venue.name, category_text(p.venue->venue.category),
                                      distance_text(p.distance_m) + " ", fmt("%03.0f\xc2\xb0 ", p.bearing_deg),
                                      mgrs_text(anchor_point(geom_from_shape(p.venue->shape)))});
        }
        prepare(d, job);
        jobs.push_back(std::move(job));
    }
    if (jobs.empty()) throw std::invalid_argument("no deployment sites to draw an atlas of");
    return finish(d, jobs, req.format, req.dpi);
}

std::string render_map(const analysis::Snapshot& snap, const Style& style, const MapRequest& req) {
    MapRequest first = req;
    if (req.format != Format::pdf) first.map_pages_only = true;  // only page 1 is returned
    auto out = render_document(snap, style, first);
    return out.files.empty() ? std::string() : std::move(out.files[0]);
}

namespace {
// Store-derived features of the latest snapshot, kept for the tiles that follow.
struct TileCache {
    std::mutex m;
    const analysis::Snapshot* snap = nullptr;
    std::int64_t version = -1;
    model::Date as_of;
    std::uint64_t style = 0;
    std::shared_ptr<Sources> sources;
    std::vector<std::shared_ptr<const FeatureData>> files;  // keeps the style's file data alive
};
TileCache& tile_cache() {
    static TileCache c;
    return c;
}
}  // namespace

std::vector<Tile> render_metatile(const analysis::Snapshot& snap, const Style& style, int z, int x, int y) {
    if (z < 0 || z > 22) throw std::invalid_argument("zoom must be between 0 and 22");
    const long n = 1L << z;
    if (x < 0 || y < 0 || x >= n || y >= n) throw std::invalid_argument("tile x and y must be in [0, 2^z)");
    std::shared_ptr<Sources> src;
    {
        TileCache& c = tile_cache();
        std::lock_guard lock(c.m);
        // Keyed by the snapshot's address, version and date and the style's id; the features
        // hold copies of the values they draw, not references into the snapshot.
        if (c.snap != &snap || c.version != snap.list_version() || c.as_of != snap.as_of() || c.style != style.id) {
            auto s = std::make_shared<Sources>();
            s->report = analysis::proximity(snap, proximity_rings(style, 0));
            build_sources(*s, snap, style, {});
            c.files.clear();
            for (auto& l : style.layers)
                if (l.source.data) c.files.push_back(l.source.data);
            c.snap = &snap, c.version = snap.list_version(), c.as_of = snap.as_of(), c.style = style.id, c.sources = s;
        }
        src = c.sources;
    }
    const int block = metatile_side(z);
    const long bx = x / block * block, by = y / block * block;
    const double world = 20037508.342789244, size_m = 2 * world / double(n);
    const double D = size_m / (256 * 0.00028);
    // The block and a band of kTileBuffer pixels on each side, over which labels are placed.
    const int side_px = block * 256 + 2 * kTileBuffer;
    const double side_pt = side_px * 72 / kTileDpi;
    const MapView view({0, 0, side_pt, side_pt},
                       {-world + (double(bx) + block / 2.0) * size_m, world - (double(by) + block / 2.0) * size_m}, D);
    const Projection& merc = projection("EPSG:3857");
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side_px, side_px));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot create the tile image");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), kTileDpi / 72, kTileDpi / 72);
        set_color(cr.get(), style.background);
        cairo_paint(cr.get());
        Text text;
        MapDrawOptions opt;
        opt.label_margin = 0;
        draw_map(cr.get(), text, merc, view, style, src->per_layer, opt);
    }
    cairo_surface_flush(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    std::vector<Tile> tiles;
    for (int j = 0; j < block; ++j)
        for (int i = 0; i < block; ++i) {
            const unsigned char* corner =
                data + std::size_t(kTileBuffer + j * 256) * std::size_t(stride) + std::size_t(kTileBuffer + i * 256) * 4;
            tiles.push_back({int(bx) + i, int(by) + j, encode::encode_png_xrgb32(corner, 256, 256, stride)});
        }
    return tiles;
}

std::string render_tile(const analysis::Snapshot& snap, const Style& style, int z, int x, int y) {
    for (auto& t : render_metatile(snap, style, z, x, y))
        if (t.x == x && t.y == y) return std::move(t.png);
    throw std::logic_error("render_tile: the block does not hold its own tile");
}

}  // namespace keepout::render
