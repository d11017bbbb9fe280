#include "render/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace keepout::render {

namespace {

// Hand-written reader: WKB is a tiny, fixed format and the snapshot's own decoder (geo/shapes)
// takes points and polygons only; map files also carry lines and collections.
class WkbReader {
public:
    explicit WkbReader(std::string_view b) : b_(b) {}

    void read(Geom& g) {
        const bool little = byte() == 1;
        std::uint32_t type = u32(little);
        // ISO Z/M/ZM codes (1000s) and EWKB flags: keep the base type, count the extra ordinates.
        int dims = 2;
        if (type & 0x80000000u) ++dims;
        if (type & 0x40000000u) ++dims;
        if (type & 0x20000000u) u32(little);  // EWKB SRID
        type &= 0x0fffffffu;
        if (type >= 3000) dims = 4, type -= 3000;
        else if (type >= 2000) dims = 3, type -= 2000;
        else if (type >= 1000) dims = 3, type -= 1000;
        switch (type) {
        case 1: {
            geo::LonLat p = point(little, dims);
            if (std::isnan(p.lon)) return;  // POINT EMPTY
            kind(g, GeomKind::point);
            if (g.parts.empty()) g.parts.emplace_back();
            g.parts[0].push_back(p);
            return;
        }
        case 2: kind(g, GeomKind::line); g.parts.push_back(sequence(little, dims)); return;
        case 3: {
            kind(g, GeomKind::polygon);
            const std::uint32_t rings = count(little);
            for (std::uint32_t i = 0; i < rings; ++i) g.parts.push_back(sequence(little, dims));
            return;
        }
        case 4: case 5: case 6: case 7: {
            const std::uint32_t n = count(little);
            for (std::uint32_t i = 0; i < n; ++i) read(g);
            return;
        }
        default: throw std::invalid_argument("WKB geometry type " + std::to_string(type) + " is not supported");
        }
    }
    bool done() const { return pos_ == b_.size(); }

private:
    static void kind(Geom& g, GeomKind k) {
        if (g.kind == GeomKind::none) g.kind = k;
        else if (g.kind != k) throw std::invalid_argument("WKB collection mixes geometry kinds");
    }
    void need(std::size_t n) const {
        if (b_.size() - pos_ < n) throw std::invalid_argument("WKB is truncated");
    }
    unsigned char byte() {
        need(1);
        return static_cast<unsigned char>(b_[pos_++]);
    }
    std::uint32_t u32(bool little) {
        need(4);
        unsigned char c[4];
        std::memcpy(c, b_.data() + pos_, 4);
        pos_ += 4;
        if (!little) std::swap(c[0], c[3]), std::swap(c[1], c[2]);
        std::uint32_t v = 0;
        std::memcpy(&v, c, 4);
        return v;
    }
    double f64(bool little) {
        need(8);
        unsigned char c[8];
        std::memcpy(c, b_.data() + pos_, 8);
        pos_ += 8;
        if (!little) std::reverse(c, c + 8);
        double v = 0;
        std::memcpy(&v, c, 8);
        return v;
    }
    std::uint32_t count(bool little) {
        const std::uint32_t n = u32(little);
        if (n > b_.size()) throw std::invalid_argument("WKB count exceeds its length");
        return n;
    }
    geo::LonLat point(bool little, int dims) {
        geo::LonLat p{f64(little), f64(little)};
        for (int d = 2; d < dims; ++d) f64(little);
        return p;
    }
    std::vector<geo::LonLat> sequence(bool little, int dims) {
        const std::uint32_t n = count(little);
        std::vector<geo::LonLat> out;
        out.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) out.push_back(point(little, dims));
        return out;
    }

    std::string_view b_;
    std::size_t pos_ = 0;
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
    WkbReader r(wkb);
    r.read(g);
    if (!r.done()) throw std::invalid_argument("WKB has trailing bytes");
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
