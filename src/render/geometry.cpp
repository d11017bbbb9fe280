#include "render/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "geo/wkb.hpp"

namespace keepout::render {

namespace {

// Fills a Geom from geo's WKB reader: map files carry lines and collections too, so every type
// is taken; a collection takes the kind of its first non-empty member.
class GeomSink final : public geo::WkbSink {
public:
    explicit GeomSink(Geom& g) : g_(g) {}
    void begin(geo::WkbType type, std::uint32_t, int) override {
        if (type == geo::WkbType::line_string) kind(GeomKind::line);
        else if (type == geo::WkbType::polygon) kind(GeomKind::polygon);
    }
    void point(geo::LonLat p) override {
        if (std::isnan(p.lon)) return;  // POINT EMPTY
        kind(GeomKind::point);
        if (g_.parts.empty()) g_.parts.emplace_back();
        g_.parts[0].push_back(p);
    }
    void sequence(std::uint32_t n) override { g_.parts.emplace_back().reserve(n); }
    void position(geo::LonLat p) override { g_.parts.back().push_back(p); }

private:
    void kind(GeomKind k) {
        if (g_.kind == GeomKind::none) g_.kind = k;
        else if (g_.kind != k) throw std::invalid_argument("WKB collection mixes geometry kinds");
    }
    Geom& g_;
};

void compute_box(Geom& g) {
    geo::Box b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
               std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    for (auto& part : g.parts)
        for (auto& p : part) {
            b.min_lon = std::min(b.min_lon, p.lon), b.max_lon = std::max(b.max_lon, p.lon);
            b.min_lat = std::min(b.min_lat, p.lat), b.max_lat = std::max(b.max_lat, p.lat);
        }
    g.box = b;
}

double signed_area(const std::vector<geo::LonLat>& r) {
    double a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) a += (r[j].lon * r[i].lat - r[i].lon * r[j].lat);
    return a / 2;
}

bool inside(const std::vector<std::vector<geo::LonLat>>& rings, geo::LonLat p) {
    bool in = false;
    for (auto& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].lat > p.lat) != (r[j].lat > p.lat) &&
                p.lon < (r[j].lon - r[i].lon) * (p.lat - r[i].lat) / (r[j].lat - r[i].lat) + r[i].lon)
                in = !in;
    return in;
}

}  // namespace

Geom geom_from_wkb(std::string_view wkb) {
    Geom g;
    if (wkb.empty()) return g;
    GeomSink sink(g);
    try {
        geo::read_wkb(wkb, sink);
    } catch (const geo::GeometryError& e) {
        throw std::invalid_argument(e.what());
    }
    compute_box(g);
    return g;
}

Geom geom_from_shape(const geo::Shape& s) {
    Geom g;
    if (s.is_point) {
        g.kind = GeomKind::point;
        g.parts = {{s.point}};
    } else {
        g.kind = GeomKind::polygon;
        for (auto& poly : s.polygons)
            for (auto& ring : poly.rings) g.parts.push_back(ring);
    }
    g.box = s.box;
    return g;
}

geo::LonLat anchor_point(const Geom& g) {
    if (g.parts.empty() || g.parts[0].empty()) return {};
    switch (g.kind) {
    case GeomKind::point: return g.parts[0][0];
    case GeomKind::line: {
        auto& l = g.parts[0];
        return l[l.size() / 2];
    }
    case GeomKind::polygon: break;
    case GeomKind::none: return {};
    }
    // Largest ring by area; its centroid when that falls inside the polygon.
    std::size_t best = 0;
    double best_area = 0;
    for (std::size_t i = 0; i < g.parts.size(); ++i) {
        double a = std::abs(signed_area(g.parts[i]));
        if (a > best_area) best_area = a, best = i;
    }
    const auto& ring = g.parts[best];
    if (best_area <= 0) return ring[0];
    double cx = 0, cy = 0, a2 = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const double f = ring[j].lon * ring[i].lat - ring[i].lon * ring[j].lat;
        cx += (ring[j].lon + ring[i].lon) * f;
        cy += (ring[j].lat + ring[i].lat) * f;
        a2 += f;
    }
    geo::LonLat c{cx / (3 * a2), cy / (3 * a2)};
    if (inside(g.parts, c)) return c;
    // Otherwise the middle of the widest inside span of the horizontal line through the centroid.
    std::vector<double> xs;
    for (auto& r : g.parts)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].lat > c.lat) != (r[j].lat > c.lat))
                xs.push_back((r[j].lon - r[i].lon) * (c.lat - r[i].lat) / (r[j].lat - r[i].lat) + r[i].lon);
    std::sort(xs.begin(), xs.end());
    double width = -1;
    geo::LonLat out = ring[0];
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
        if (xs[i + 1] - xs[i] > width) width = xs[i + 1] - xs[i], out = {(xs[i] + xs[i + 1]) / 2, c.lat};
    return out;
}

}  // namespace keepout::render
