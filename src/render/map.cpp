#include "render/map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "geo/geodesic.hpp"
#include "render/render.hpp"

namespace keepout::render {

namespace {

bool equal(const Value& v, const FilterValue& w) {
    if (auto* d = std::get_if<double>(&w)) {
        double x = 0;
        return value_number(v, x) && x == *d;
    }
    return value_text(v) == std::get<std::string>(w) && !std::holds_alternative<std::monostate>(v);
}

bool holds(const Condition& c, const Value& v) {
    using Op = Condition::Op;
    switch (c.op) {
    case Op::exists: return !std::holds_alternative<std::monostate>(v) && !value_text(v).empty();
    case Op::missing: return std::holds_alternative<std::monostate>(v) || value_text(v).empty();
    case Op::eq: return equal(v, c.values[0]);
    case Op::ne: return !equal(v, c.values[0]);
    case Op::in:
        return std::any_of(c.values.begin(), c.values.end(), [&](const FilterValue& w) { return equal(v, w); });
    case Op::not_in:
        return std::none_of(c.values.begin(), c.values.end(), [&](const FilterValue& w) { return equal(v, w); });
    case Op::lt: case Op::le: case Op::gt: case Op::ge: {
        double x = 0;
        if (!value_number(v, x)) return false;
        const double y = std::get<double>(c.values[0]);
        return c.op == Op::lt ? x < y : c.op == Op::le ? x <= y : c.op == Op::gt ? x > y : x >= y;
    }
    }
    return false;
}

std::string ring_text(double r) {
    char b[32];
    if (r >= 1000) std::snprintf(b, sizeof b, "%g km", r / 1000);
    else std::snprintf(b, sizeof b, "%g m", r);
    return b;
}

using PageParts = std::vector<std::vector<XY>>;

// Lon/lat parts to page points, dropping vertices closer than `tol` points to the last one kept.
PageParts to_page(const Projection& proj, const MapView& view, const Geom& g, double tol) {
    PageParts out;
    out.reserve(g.parts.size());
    std::vector<XY> buf;
    for (auto& part : g.parts) {
        buf.resize(part.size());
        for (std::size_t i = 0; i < part.size(); ++i) buf[i] = {part[i].lon, part[i].lat};
        proj.forward(buf);
        std::vector<XY> pts;
        pts.reserve(buf.size());
        for (std::size_t i = 0; i < buf.size(); ++i) {
            const XY q = view.to_page(buf[i]);
            if (!std::isfinite(q.x) || !std::isfinite(q.y)) continue;
            if (g.kind != GeomKind::point && !pts.empty() && i + 1 < buf.size() &&
                std::abs(q.x - pts.back().x) < tol && std::abs(q.y - pts.back().y) < tol)
                continue;
            pts.push_back(q);
        }
        out.push_back(std::move(pts));
    }
    return out;
}

Rect bbox(const PageParts& parts) {
    double x0 = std::numeric_limits<double>::max(), y0 = x0, x1 = std::numeric_limits<double>::lowest(), y1 = x1;
    for (auto& p : parts)
        for (auto& q : p) x0 = std::min(x0, q.x), y0 = std::min(y0, q.y), x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
    if (x0 > x1) return {};
    return {x0, y0, x1 - x0, y1 - y0};
}

void path(cairo_t* cr, const PageParts& parts, bool close) {
    cairo_new_path(cr);
    for (auto& p : parts) {
        if (p.size() < 2) continue;
        cairo_move_to(cr, p[0].x, p[0].y);
        for (std::size_t i = 1; i < p.size(); ++i) cairo_line_to(cr, p[i].x, p[i].y);
        if (close) cairo_close_path(cr);
    }
}

void stroke_style(cairo_t* cr, const Color& color, double width, const std::vector<double>& dash, double opacity,
                  LineCap cap = LineCap::butt, LineJoin join = LineJoin::round) {
    set_color(cr, color, opacity);
    cairo_set_line_width(cr, width);
    cairo_set_dash(cr, dash.empty() ? nullptr : dash.data(), int(dash.size()), 0);
    cairo_set_line_cap(cr, cap == LineCap::butt ? CAIRO_LINE_CAP_BUTT
                           : cap == LineCap::round ? CAIRO_LINE_CAP_ROUND
                                                   : CAIRO_LINE_CAP_SQUARE);
    cairo_set_line_join(cr, join == LineJoin::miter ? CAIRO_LINE_JOIN_MITER
                            : join == LineJoin::round ? CAIRO_LINE_JOIN_ROUND
                                                      : CAIRO_LINE_JOIN_BEVEL);
}

struct Pending {
    LabelRequest request;
    LayoutPtr layout;
    const TextSymbolizer* sym = nullptr;
    Color color, halo;
    double halo_width = 0;
    const analysis::VenueView* venue = nullptr;  // a label of a venue layer
};

}  // namespace

bool matches(const Filter& filter, const FeatureData& data, const Feature& f) {
    for (const Condition& c : filter) {
        const int i = data.field(c.field);
        const Value none;
        const Value& v = i >= 0 && std::size_t(i) < f.values.size() ? f.values[std::size_t(i)] : none;
        if (!holds(c, v)) return false;
    }
    return true;
}

std::string fill_template(const TextTemplate& t, const FeatureData& data, const Feature& f, bool markup) {
    std::string out = t.literals[0];
    for (std::size_t k = 0; k < t.fields.size(); ++k) {
        const int i = data.field(t.fields[k]);
        std::string v = i >= 0 && std::size_t(i) < f.values.size() ? value_text(f.values[std::size_t(i)]) : "";
        out += markup ? markup_escape(v) : v;
        out += t.literals[k + 1];
    }
    return out;
}

std::vector<geo::LonLat> geodesic_circle(geo::LonLat p, double radius_m, int n) {
    std::vector<geo::LonLat> out;
    out.reserve(std::size_t(n) + 1);
    for (int i = 0; i < n; ++i) out.push_back(geo::direct(p, 360.0 * i / n, radius_m));
    out.push_back(out.front());
    return out;
}

geo::Box frame_box(const Projection& proj, const MapView& view, double pad_m) {
    const Rect& f = view.frame();
    geo::Box b{180, 90, -180, -90};
    const int n = 16;
    for (int i = 0; i <= n; ++i) {
        const double t = double(i) / n;
        for (XY q : {XY{f.x + t * f.w, f.y}, XY{f.x + t * f.w, f.bottom()}, XY{f.x, f.y + t * f.h}, XY{f.right(), f.y + t * f.h}}) {
            const geo::LonLat p = proj.inverse(view.to_crs(q));
            if (!std::isfinite(p.lon) || !std::isfinite(p.lat)) continue;
            b.min_lon = std::min(b.min_lon, p.lon), b.max_lon = std::max(b.max_lon, p.lon);
            b.min_lat = std::min(b.min_lat, p.lat), b.max_lat = std::max(b.max_lat, p.lat);
        }
    }
    const double mid = (b.min_lat + b.max_lat) / 2;
    const double dlat = pad_m / 110000.0, dlon = pad_m / (110000.0 * std::max(0.05, std::cos(mid * M_PI / 180)));
    return {std::max(-180.0, b.min_lon - dlon), std::max(-90.0, b.min_lat - dlat), std::min(180.0, b.max_lon + dlon),
            std::min(90.0, b.max_lat + dlat)};
}

MapDrawResult draw_map(cairo_t* cr, Text& text, const Projection& proj, const MapView& view, const Style& style,
                       const std::vector<const FeatureData*>& data, const MapDrawOptions& options) {
    MapDrawResult result;
    const Rect& frame = view.frame();
    const double D = view.denominator();
    const auto rings = style.ring_radii();
    const double pad = (rings.empty() ? 0.0 : rings.back()) + D * 0.02;  // 2 cm of paper for symbols
    const geo::Box box = frame_box(proj, view, pad);
    const Rect near_frame = frame.inset(-30);

    // Bounded work: count what the frame would draw before drawing any of it.
    std::size_t to_draw = 0;
    for (std::size_t li = 0; li < style.layers.size() && li < data.size(); ++li)
        if (data[li])
            for (const Feature& f : data[li]->features) to_draw += box.intersects(f.geom.box) ? 1 : 0;
    if (to_draw > kMaxFeatures)
        throw LimitError("the map would draw " + std::to_string(to_draw) + " features, at most " +
                         std::to_string(kMaxFeatures) + ": draw a smaller area");

    cairo_save(cr);
    if (options.clip) {
        cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
        cairo_clip(cr);
    }

    std::vector<Pending> pending;
    std::vector<Rect> obstacles;
    result.hits.resize(style.layers.size());
    result.size_range.resize(style.layers.size());

    // Drawing order: the style's, except that venue layers come after every site layer, so a
    // site's symbol (up to 15 points across) never covers a listed venue near it.
    std::vector<std::size_t> order;
    {
        std::size_t last_site = 0;
        bool any_site = false;
        for (std::size_t li = 0; li < style.layers.size(); ++li)
            if (style.layers[li].source.kind == SourceKind::sites) last_site = li, any_site = true;
        std::vector<std::size_t> moved;
        for (std::size_t li = 0; li < style.layers.size(); ++li) {
            const bool venue = style.layers[li].source.kind == SourceKind::venues;
            if (venue && any_site && li < last_site) moved.push_back(li);
            else order.push_back(li);
            if (any_site && li == last_site) order.insert(order.end(), moved.begin(), moved.end());
        }
    }
    for (std::size_t li : order) {
        const Layer& layer = style.layers[li];
        const bool venue_layer = layer.source.kind == SourceKind::venues, site_layer = layer.source.kind == SourceKind::sites;
        result.hits[li].assign(layer.rules.size(), 0);
        result.size_range[li].assign(layer.rules.size(), {std::numeric_limits<double>::max(),
                                                          std::numeric_limits<double>::lowest()});
        const FeatureData* fd = li < data.size() ? data[li] : nullptr;
        if (!fd) continue;
        std::vector<std::size_t> active;
        for (std::size_t ri = 0; ri < layer.rules.size(); ++ri)
            if (layer.rules[ri].applies_at(D)) active.push_back(ri);
        if (active.empty()) continue;

        for (const Feature& f : fd->features) {
            if (f.geom.kind == GeomKind::none || f.geom.parts.empty() || !box.intersects(f.geom.box)) continue;
            PageParts parts;
            bool projected = false;
            Rect fbox;
            XY anchor{};
            double symbol_r = 0;
            bool matched = false;
            auto project = [&] {
                if (projected) return;
                parts = to_page(proj, view, f.geom, 0.15);
                fbox = bbox(parts);
                const geo::LonLat a = anchor_point(f.geom);
                anchor = view.to_page(proj.forward(a));
                projected = true;
            };
            auto apply = [&](std::size_t ri) {
                const Rule& rule = layer.rules[ri];
                project();
                bool drew = false;
                for (const Symbolizer& sym : rule.symbolizers) {
                    if (auto* p = std::get_if<PolygonSymbolizer>(&sym)) {
                        if (f.geom.kind != GeomKind::polygon) continue;
                        path(cr, parts, true);
                        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
                        set_color(cr, p->fill, p->opacity);
                        cairo_fill(cr);
                        drew = drew || fbox.overlaps(frame);
                    } else if (auto* l = std::get_if<LineSymbolizer>(&sym)) {
                        if (f.geom.kind == GeomKind::point) continue;
                        path(cr, parts, f.geom.kind == GeomKind::polygon);
                        stroke_style(cr, l->color, l->width, l->dash, l->opacity, l->cap, l->join);
                        cairo_stroke(cr);
                        drew = drew || fbox.overlaps(frame);
                    } else if (auto* m = std::get_if<MarkerSymbolizer>(&sym)) {
                        double size = m->size.fixed;
                        if (!m->size.attribute.empty()) {
                            const int i = fd->field(m->size.attribute);
                            double v = m->size.domain[0];
                            if (i >= 0) value_number(f.values[std::size_t(i)], v);
                            size = m->size.at(v);
                            auto& range = result.size_range[li][ri];
                            range.first = std::min(range.first, v), range.second = std::max(range.second, v);
                        }
                        const std::vector<XY> at = f.geom.kind == GeomKind::point ? parts[0] : std::vector<XY>{anchor};
                        for (const XY& q : at) {
                            if (!near_frame.overlaps({q.x - size, q.y - size, 2 * size, 2 * size})) continue;
                            marker_path(cr, m->shape, q.x, q.y, size);
                            set_color(cr, m->fill, m->opacity);
                            if (m->stroke_width > 0 && m->stroke.a > 0) {
                                cairo_fill_preserve(cr);
                                stroke_style(cr, m->stroke, m->stroke_width, {}, m->opacity);
                                cairo_stroke(cr);
                            } else {
                                cairo_fill(cr);
                            }
                            const double r = size / 2 + m->stroke_width / 2;
                            if (m->obstacle) obstacles.push_back({q.x - r, q.y - r, 2 * r, 2 * r});
                            if (site_layer && frame.contains({q.x, q.y, 0, 0}))
                                result.site_symbols.push_back({q.x - r, q.y - r, 2 * r, 2 * r});
                            drew = drew || frame.contains({q.x, q.y, 0, 0});
                        }
                        symbol_r = std::max(symbol_r, size / 2 + m->stroke_width / 2);
                    } else if (auto* rs = std::get_if<RingsSymbolizer>(&sym)) {
                        const geo::LonLat centre = anchor_point(f.geom);
                        bool first = true;
                        for (double radius : rs->radii_m) {
                            const double r_pt = radius * view.pt_per_unit();
                            const int n = std::clamp(int(r_pt), 48, 360);
                            Geom circle;
                            circle.kind = GeomKind::polygon;
                            circle.parts = {geodesic_circle(centre, radius, n)};
                            const PageParts cp = to_page(proj, view, circle, 0.1);
                            const Rect cb = bbox(cp);
                            if (!cb.overlaps(frame)) continue;
                            if (first && rs->fill.a > 0) {
                                path(cr, cp, true);
                                set_color(cr, rs->fill, rs->opacity);
                                cairo_fill(cr);
                            }
                            first = false;
                            path(cr, cp, true);
                            stroke_style(cr, rs->color, rs->width, rs->dash, rs->opacity);
                            cairo_stroke(cr);
                            drew = true;
                            if (rs->labels && options.labels) {
                                const XY top = view.to_page(proj.forward(geo::direct(centre, 0, radius)));
                                Pending label;
                                FontSpec font{style.page.font, rs->label_size, false, false};
                                label.layout = text.layout(font, ring_text(radius));
                                double w = 0, h = 0;
                                Text::size(label.layout.get(), w, h);
                                label.request = {top.x, top.y, w, h, 0, 0, -100, true, false, true};
                                label.color = rs->color;
                                label.halo = style.background;
                                label.halo_width = 1;
                                pending.push_back(std::move(label));
                            }
                        }
                    } else if (auto* t = std::get_if<TextSymbolizer>(&sym)) {
                        if (!options.labels) continue;
                        std::string s = fill_template(t->text, *fd, f, t->markup);
                        if (s.empty() || !near_frame.contains({anchor.x, anchor.y, 0, 0})) continue;
                        Pending label;
                        label.sym = t;
                        FontSpec font{t->font, t->size, t->bold, t->italic};
                        label.layout = text.layout(font, s, t->markup, -1, false,
                                               t->align == "center" ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
                        double w = 0, h = 0;
                        Text::size(label.layout.get(), w, h);
                        if (w <= 0 || h <= 0) continue;
                        label.request.x = anchor.x, label.request.y = anchor.y, label.request.w = w, label.request.h = h;
                        label.request.gap = t->offset;
                        label.request.symbol = symbol_r;
                        label.request.priority = t->priority;
                        label.request.centred = t->placement == Placement::interior;
                        label.request.leader = t->leader;
                        label.request.max_leader = options.max_leader;
                        label.request.clearance = t->clearance;
                        label.color = t->color, label.halo = t->halo, label.halo_width = t->halo_width;
                        if (venue_layer) {
                            label.venue = f.venue;
                            if (std::find(options.venues_first.begin(), options.venues_first.end(), f.venue) !=
                                options.venues_first.end())
                                label.request.priority += 100000;
                        }
                        pending.push_back(std::move(label));
                        drew = true;
                    }
                }
                if (drew) ++result.hits[li][ri];
            };
            for (std::size_t ri : active) {
                const Rule& rule = layer.rules[ri];
                if (rule.else_rule || !matches(rule.filter, *fd, f)) continue;
                matched = true;
                apply(ri);
            }
            if (!matched)
                for (std::size_t ri : active)
                    if (layer.rules[ri].else_rule) apply(ri);
        }
    }

    if (options.before_labels) options.before_labels(cr);
    if (options.labels && !pending.empty()) {
        const Rect label_area = frame.inset(options.label_margin);
        if (options.labels_own_anchor_only)
            std::erase_if(pending, [&](const Pending& p) { return !label_area.contains({p.request.x, p.request.y, 0, 0}); });
        LabelPlacer placer(label_area);
        for (const Rect& o : obstacles) placer.add_obstacle(o);
        for (const Rect& o : options.obstacles) placer.add_obstacle(o);
        std::vector<LabelRequest> requests;
        requests.reserve(pending.size());
        for (auto& p : pending) requests.push_back(p.request);
        const auto placed = placer.place(requests);
        result.dropped = placer.dropped();
        for (const auto& pl : placed) {
            if (!pl.leader) continue;
            const Pending& p = pending[pl.request];
            cairo_new_path(cr);
            cairo_move_to(cr, pl.lx0, pl.ly0);
            cairo_line_to(cr, pl.lx1, pl.ly1);
            stroke_style(cr, p.color, 0.35, {}, 0.8);
            cairo_stroke(cr);
        }
        std::vector<bool> done(pending.size(), false);
        for (const auto& pl : placed) done[pl.request] = true;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            if (done[i]) continue;
            const Pending& p = pending[i];
            result.dropped_labels.emplace_back(pango_layout_get_text(p.layout.get()));
            if (p.venue && frame.contains({p.request.x, p.request.y, 0, 0}))
                result.venues_unlabelled.push_back({p.venue, {p.request.x, p.request.y}, result.dropped_labels.back()});
        }
        for (const auto& pl : placed) {
            const Pending& p = pending[pl.request];
            Text::draw(cr, p.layout.get(), pl.box.x, pl.box.y, p.color, &p.halo, p.halo_width);
            result.labels.push_back({pango_layout_get_text(p.layout.get()), pl.box, p.request.x, p.request.y, pl.leader});
            if (p.venue) result.venue_labels.push_back({p.venue, result.labels.back()});
        }
    }
    cairo_restore(cr);
    return result;
}

}  // namespace keepout::render
