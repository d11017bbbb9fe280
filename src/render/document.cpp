// The print products: the map page with its furniture (title block, legend, scale bar, north
// arrow, labelled grid, inset locator, handling marking, venue table) and its continuation pages;
// the atlas of deployment sites. Composed with render/composer; tiles are in render/tiles.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "analysis/proximity.hpp"
#include "encode/png.hpp"
#include "geo/coordinates.hpp"
#include "geo/utm_zones.hpp"
#include "render/composer.hpp"
#include "render/draw.hpp"
#include "render/features.hpp"
#include "render/format.hpp"
#include "render/furniture.hpp"
#include "render/grid.hpp"
#include "render/map.hpp"
#include "render/palette.hpp"
#include "render/render.hpp"
#include "render/sources.hpp"
#include "render/table.hpp"

namespace keepout::render {

namespace {

std::string category_text(model::Category c) {
    std::string s(model::to_string(c));
    std::replace(s.begin(), s.end(), '-', ' ');
    if (!s.empty()) s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
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
    TitleBlock head;                  // title, subtitle, facts, notice
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
    TableSplit split;                 // table rows on the map page and on each continuation page
};

std::string footer_of(const analysis::Snapshot& snap, const std::string& printed) {
    return footer_text(snap.as_of(), snap.time_zone(), snap.list_version(), printed);
}

struct Doc {
    Doc(const analysis::Snapshot& s, const Style& st, const MapRequest& r, const Projection& p)
        : snap(s), style(st), req(r), proj(p), produced_on(printed_date(r.produced_on)),
          composer(r.format, r.dpi, {st.page.font, st.page.marking, st.page.marking_color, footer_of(s, produced_on)}),
          text(composer.text()) {}
    const analysis::Snapshot& snap;
    const Style& style;
    const MapRequest& req;
    const Projection& proj;
    std::string produced_on;
    PageComposer composer;
    Text& text;
};

double legend_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k) {
    if (job.legend.empty()) return 0;
    const std::string& font = d.style.page.font;
    const FontSpec head{font, 8.5 * k, true, false}, body{font, 6.8 * k, false, false}, small{font, 6 * k, false, false};
    double y = r.y;
    auto hl = d.text.layout(head, "Legend");
    double w = 0, h = 0;
    Text::size(hl.get(), w, h);
    if (cr) Text::draw(cr, hl.get(), r.x, y, palette::ink);
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
            Text::draw(cr, texts[i].get(), e.graduated ? cx : cx + sw + 5, cy + (row - th) / 2, palette::ink);
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
                    set_color(cr, palette::size_sample_fill);
                    cairo_fill_preserve(cr);
                    set_color(cr, palette::size_sample_stroke);
                    cairo_set_line_width(cr, 0.5);
                    cairo_stroke(cr);
                    gx += s + 2;
                    auto vl = d.text.layout(small, grouped(v));
                    double vw = 0, vh = 0;
                    Text::size(vl.get(), vw, vh);
                    Text::draw(cr, vl.get(), gx, gy - vh / 2, palette::grey);
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

// Scale, scale bar, north arrow and grid note. Returns its height.
double furniture_block(cairo_t* cr, Doc& d, const Job& job, const Rect& r, double k, RenderReport* report) {
    const std::string& font = d.style.page.font;
    const PageTemplate& t = d.style.page;
    const FontSpec head{font, 8 * k, true, false}, note{font, 6 * k, false, false};
    double y = r.y;
    const double D = job.view.denominator();
    const geo::LonLat centre = d.proj.inverse(job.view.centre());
    const double arrow_h = 16 * kPtPerMm * k;
    auto sl = d.text.layout(head, "Scale " + scale_text(D));
    double w = 0, h = 0;
    Text::size(sl.get(), w, h);
    if (cr) Text::draw(cr, sl.get(), r.x, y, palette::ink);
    y += h + 4;
    if (t.scale_bar) {
        const ScaleBar bar = furniture_scale_bar(D, d.proj.scale_factor(centre), k);
        const Rect box = draw_scale_bar(cr, d.text, bar, r.x, y, font, k, false);
        if (report) {
            report->scale_bar_m = bar.length_m, report->scale_bar_pt = bar.length_pt;
            report->scale_bar_labels = scale_bar_labels(bar);
        }
        y += box.h + 3;
    }
    if (t.north_arrow) {
        const NorthArrow arrow =
            draw_north_arrow(cr, d.text, r.right() - 8 * kPtPerMm * k, r.y, arrow_h, d.proj.north_angle(centre), font, k);
        if (report && cr) report->north_arrow = arrow.box, report->north_arrow_ink_x = arrow.ink.x, report->north_arrow_ink_y = arrow.ink.y;
    }
    // What the grid is and what the map is drawn in.
    std::string crs_note = d.proj.crs();
    if (t.grid.show && job.grid.spacing <= 0) {
        crs_note = "No grid: the map reaches beyond the UTM zone of its centre. Projection " + d.proj.crs() + ".";
    } else if (t.grid.show) {
        crs_note = "Grid: UTM zone " + std::to_string(geo::utm_zone_of(centre)) + (centre.lat >= 0 ? "N" : "S") + ", WGS 84, " +
                   number_text("%g", job.grid.spacing / 1000) + " km squares" +
                   (t.grid.kind == "mgrs" && !job.grid.zone.empty()
                        ? "; MGRS grid zone " + job.grid.zone + ", 100 km square letters in grey"
                        : "") +
                   ". Projection " + d.proj.crs() + ".";
    }
    const double conv = d.proj.north_angle(centre);
    crs_note += " True north is " + number_text("%.1f", std::abs(conv)) + "\xc2\xb0 " + (conv < 0 ? "west" : "east") +
                " of grid north at the centre. Rings are true geodesic radii on WGS 84.";
    auto nl = d.text.layout(note, crs_note, false, r.w - (t.north_arrow ? 16 * kPtPerMm * k : 0));
    Text::size(nl.get(), w, h);
    if (cr) Text::draw(cr, nl.get(), r.x, y, palette::grey);
    y += h + 3;
    if (!t.attribution.empty()) {
        auto al = d.text.layout(note, t.attribution, false, r.w);
        Text::size(al.get(), w, h);
        if (cr) Text::draw(cr, al.get(), r.x, y, palette::grey);
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
    set_color(cr, palette::locator_paper);
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
    set_color(cr, palette::locator_frame);
    cairo_set_line_width(cr, 1.1);
    cairo_stroke(cr);
    if (job.focus) {
        const XY q = v.to_page(d.proj.forward(*job.focus));
        cairo_arc(cr, q.x, q.y, 1.8, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    set_color(cr, palette::ink);
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
    const double k = furniture_scale(job.size);
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
    if (cr) d.text.line(cr, head, "Details", r.x, y, 0, 0, palette::ink);
    y += title_h;
    for (std::size_t i = 0; i < job.insets.size(); ++i) {
        const DetailInset& in = job.insets[i];
        const double x = r.x + double(i % cols) * (side + 6);
        if (cr) {
            auto cap = d.text.layout(small, in.title + ", " + scale_text(in.view.denominator()), false, side, true);
            Text::draw(cr, cap.get(), x, y, palette::ink);
            cairo_save(cr);
            cairo_set_source_surface(cr, in.content.get(), x, y + caption_h);
            cairo_rectangle(cr, x, y + caption_h, side, side);
            cairo_fill(cr);
            cairo_restore(cr);
            cairo_rectangle(cr, x, y + caption_h, side, side);
            set_color(cr, palette::ink);
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

// Places the panel blocks down the job's columns through the composer's flow. With cr null it
// only measures; returns the rectangle left for the table (height 0 when none).
Rect panel(cairo_t* cr, Doc& d, Job& job, double k, RenderReport* report) {
    const PageTemplate& t = d.style.page;
    ColumnFlow flow(job.L.panel);
    const std::string& font = t.font;
    const TitleBlockDrawn tb = draw_title_block(nullptr, d.text, job.head, {0, 0, flow.width(), 0}, font, k);
    if (auto a = flow.take(tb.height)) {
        const TitleBlockDrawn drawn = draw_title_block(cr, d.text, job.head, *a, font, k);
        if (report && cr) report->title_band = drawn.band;
    }
    if (t.legend) {
        const double lh = legend_block(nullptr, d, job, {0, 0, flow.width(), 0}, k);
        if (auto a = flow.take(lh); a && cr) legend_block(cr, d, job, *a, k);
    }
    const double fh = furniture_block(nullptr, d, job, {0, 0, flow.width(), 0}, k, nullptr);
    if (auto a = flow.take(fh); a && cr) furniture_block(cr, d, job, *a, k, report);
    if (t.inset_data) {
        const double ih = inset_height({0, 0, flow.width(), 0}, k);
        if (auto a = flow.take(ih + 8); a && cr) inset_block(cr, d, job, {a->x, a->y, a->w, ih});
    }
    if (!job.insets.empty()) {
        const double dh = insets_block(nullptr, d, job, {0, 0, flow.width(), 0}, k);
        if (auto a = flow.take(dh)) {
            if (cr) insets_block(cr, d, job, *a, k);
            if (report) report->inset_block = *a;
        }
    }
    return flow.rest(30);
}

ContinuationSpec continuation_of(const Doc& d, const Job& job) {
    return {job.size,
            job.landscape,
            0,
            job.head.title,
            "List as of " + d.snap.as_of().iso() + " (" + d.snap.time_zone() + ") \xc2\xb7 list version " + std::to_string(d.snap.list_version()),
            d.style.page.font,
            furniture_scale(job.size)};
}

// Draws the frame's content (map, grid, labels) into a recording surface.
void record(Doc& d, Job& job) {
    const double k = furniture_scale(job.size);
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
    const double k = furniture_scale(job.size);
    const Style& style = d.style;
    record(d, job);
    job.legend = legend_entries(style, job.drawn);
    // Table split: what fits in the panel, then continuation pages.
    if (style.page.table && !job.table.rows.empty()) {
        const Rect rest = panel(nullptr, d, job, k, nullptr);
        job.split = split_table(job.table, rows_fitting(job.table, rest.h, k),
                                continuation_rows_per_page(job.table, continuation_of(d, job)));
    }
    if (!job.keep_recording) job.map.reset();
}

void draw_job(Doc& d, Job& job, RenderReport* report) {
    const double k = furniture_scale(job.size);
    const Style& style = d.style;
    cairo_t* cr = d.composer.begin_page(job.L.page);
    if (!job.map) record(d, job);  // the same features, numbers and placements as when planned
    cairo_set_source_surface(cr, job.map.get(), 0, 0);
    cairo_paint(cr);
    const Rect& f = job.view.frame();
    if (style.page.grid.show) draw_grid_band(cr, d.text, job.grid, style.page.grid, job.L, k, style.page.font);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    set_color(cr, palette::ink);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    const Rect outer = job.L.map_area;
    cairo_rectangle(cr, outer.x, outer.y, outer.w, outer.h);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    const Rect rest = panel(cr, d, job, k, report);
    const bool table = style.page.table && !job.table.rows.empty();
    if (table && job.split.first > 0) draw_table(cr, d.text, job.table, 0, job.split.first, rest, k, style.page.font, false);
    d.composer.end_page(k);
    if (!table) return;
    if (d.req.map_pages_only) d.composer.skip_pages(job.split.pages - 1);  // numbering as in the whole product
    else d.composer.continue_table(job.table, job.split.first, continuation_of(d, job));
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
    return geo::utm_crs_of({(extent.min_lon + extent.max_lon) / 2, (extent.min_lat + extent.max_lat) / 2});
}

std::string counts_text(const std::vector<double>& rings, const std::vector<std::size_t>& counts) {
    std::string out;
    for (std::size_t i = 0; i < rings.size() && i < counts.size(); ++i)
        out += (out.empty() ? "" : " \xc2\xb7 ") + radius_text(rings[i]) + ": " + std::to_string(counts[i]);
    return out;
}

RenderOutput finish(Doc& d, std::vector<Job>& jobs) {
    RenderOutput result;
    int pages = 0;
    for (auto& j : jobs) pages += j.split.pages;
    d.composer.set_total_pages(pages);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        draw_job(d, jobs[i], i == 0 ? &result.report : nullptr);
        jobs[i].map.reset();
    }
    result.files = d.composer.finish();
    result.report.pages = pages;
    result.report.pages_written = d.composer.pages_drawn();
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
        const auto frames = inset_frames(j, rep.inset_block, furniture_scale(j.size));
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
        throw LimitError("the map's area is too large: " + number_text("%.4g", w) + "\xc2\xb0 \xc3\x97 " + number_text("%.4g", h) +
                         "\xc2\xb0 of longitude and latitude, at most " + number_text("%g", kMaxSpanDeg) + "\xc2\xb0 each way");
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
        throw LimitError("the picture would be too large: " + number_text("%.0f", most / 1e6) + " million pixels at " +
                         number_text("%g", req.dpi) + " dpi, at most " + number_text("%.0f", kMaxPixels / 1e6) + " million: lower the dpi");
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
    const Projection& proj = thread_projection(crs);
    XY lo, hi;
    projected_bounds(proj, box, lo, hi);
    const double w = (hi.x - lo.x) * (1 + 2 * style.extent_margin), h = (hi.y - lo.y) * (1 + 2 * style.extent_margin);
    const double D = style.scale > 0 ? style.scale : nice_scale(fit_scale(w, h, job.L.frame.w, job.L.frame.h));
    if (!std::isfinite(D) || !std::isfinite(lo.x + lo.y + hi.x + hi.y) || hi.x < lo.x || hi.y < lo.y)
        throw LimitError("the map's area cannot be drawn in " + crs + ": it lies outside what that projection covers");
    job.view = MapView(job.L.frame, {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, D);

    Doc d(snap, style, req, proj);
    job.head.title = style.page.title;
    job.head.subtitle = style.page.subtitle;
    job.head.notice = style.page.notice;
    job.head.facts = {{"Directives in force", directive_refs(snap)},
                 {"List as of", snap.as_of().iso() + " (" + snap.time_zone() + ", list version " + std::to_string(snap.list_version()) + ")"},
                 {"Listed venues", std::to_string(snap.listed().size())},
                 {"Map", scale_text(D) + " on " + page_name(job.size) + (job.landscape ? " landscape" : " portrait") +
                             ", " + crs},
                 {"Printed", d.produced_on}};
    job.table.title = style.page.table_title + " (" + std::to_string(order.size()) + ")";
    job.table.columns = {{"No.", 0, false, true}, {"Name", 0, true}, {"Category", 0, false, false, true},
                         {"Municipality", 0, false, false, true}, {"MGRS (10 m)"}};
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& v = venues[order[i]];
        job.table.rows.push_back({{std::to_string(i + 1) + " ", v.venue.name, category_text(v.venue.category),
                                   v.venue.municipality, mgrs_spaced(anchor_point(geom_from_shape(v.shape)))}});
    }
    job.layers = src.per_layer;
    std::vector<Job> jobs;
    jobs.push_back(std::move(job));
    prepare(d, jobs[0]);
    return finish(d, jobs);
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
    const Projection& proj = thread_projection(crs);
    Doc d(snap, style, req, proj);

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
        job.head.title = title;
        job.head.subtitle = std::string(model::to_string(s.site.kind)) + (s.site.contingent.empty() ? "" : ", " + s.site.contingent) +
                       ", " + std::to_string(s.site.personnel) + " personnel";
        job.head.notice = style.page.notice;
        job.head.facts = {{"Listed venues by ring", counts_text(src.report.rings, e->ring_counts)},
                     {"Nearest", e->nearest ? e->nearest->venue->venue.name + ", " + distance_text(e->nearest->distance_m)
                                            : "none within " + radius_text(src.report.rings.back())},
                     {"Site MGRS", mgrs_spaced(c)},
                     {"Directives in force", directive_refs(snap)},
                     {"List as of", snap.as_of().iso() + " (" + snap.time_zone() + ", list version " + std::to_string(snap.list_version()) + ")"},
                     {"Printed", d.produced_on}};
        job.table.title = "Listed venues within " + radius_text(radius) + " (" + std::to_string(pairs.size()) + ")";
        job.table.columns = {{"No.", 0, false, true},      {"Name", 0, true},          {"Category", 0, false, false, true},
                             {"Distance", 0, false, true}, {"Bearing", 0, false, true}, {"MGRS (10 m)"}};
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto& p = *pairs[i];
            job.table.rows.push_back({{std::to_string(i + 1) + " ", p.venue->venue.name,
                                       category_text(p.venue->venue.category), distance_text(p.distance_m) + " ",
                                       bearing_text(p.bearing_deg) + " ", mgrs_spaced(anchor_point(geom_from_shape(p.venue->shape)))}});
        }
        prepare(d, job);
        jobs.push_back(std::move(job));
    }
    if (jobs.empty()) throw std::invalid_argument("no deployment sites to draw an atlas of");
    return finish(d, jobs);
}

std::string render_map(const analysis::Snapshot& snap, const Style& style, const MapRequest& req) {
    MapRequest first = req;
    if (req.format != Format::pdf) first.map_pages_only = true;  // only page 1 is returned
    auto out = render_document(snap, style, first);
    return out.files.empty() ? std::string() : std::move(out.files[0]);
}

}  // namespace keepout::render

namespace keepout::render {

double draw_map_region(cairo_t* cr, Text& text, const analysis::Snapshot& snap, const Style& style, const Rect& frame,
                       const VenueNumbers& numbers) {
    Sources src;
    src.report = analysis::proximity(snap, proximity_rings(style, 0));
    build_sources(src, snap, style, numbers);
    const auto extent = style_extent(style, src);
    if (!extent) return 0;
    check_extent(*extent);
    const std::string crs = crs_for(style, *extent);
    const Projection& proj = thread_projection(crs);
    XY lo, hi;
    projected_bounds(proj, *extent, lo, hi);
    const double w = (hi.x - lo.x) * (1 + 2 * style.extent_margin), h = (hi.y - lo.y) * (1 + 2 * style.extent_margin);
    const double D = style.scale > 0 ? style.scale : nice_scale(fit_scale(w, h, frame.w, frame.h));
    if (!std::isfinite(D) || !std::isfinite(lo.x + lo.y + hi.x + hi.y) || hi.x < lo.x || hi.y < lo.y) return 0;
    const MapView view(frame, {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}, D);
    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    set_color(cr, style.background);
    cairo_fill(cr);
    draw_map(cr, text, proj, view, style, src.per_layer);
    cairo_restore(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    set_color(cr, palette::ink);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
    return D;
}

}  // namespace keepout::render
