#include "geo/shapes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "geo/geos.hpp"
#include "geo/wkb.hpp"

namespace keepout::geo {

namespace {

// Fills a Shape as the WKB reader goes: the rings straight from the bytes, the box and the
// representative vertex on the way, nothing decoded twice.
class ShapeSink final : public WkbSink {
public:
    explicit ShapeSink(Shape& s) : s_(s) {}
    void begin(WkbType type, std::uint32_t count, int depth) override {
        if (depth == 0) {
            switch (type) {
            case WkbType::point: return;
            case WkbType::polygon:
                s_.is_point = false;
                s_.polygons.emplace_back().rings.reserve(count);
                return;
            case WkbType::multi_polygon:
                s_.is_point = false;
                s_.polygons.reserve(count);
                return;
            default: throw GeometryError("unsupported WKB geometry type " + std::to_string(std::uint32_t(type)));
            }
        }
        if (depth > 1 || type != WkbType::polygon) throw GeometryError("MultiPolygon member is not a Polygon");
        s_.polygons.emplace_back().rings.reserve(count);
    }
    void point(LonLat p) override {  // only a top-level point gets here
        s_.point = p;
        s_.box = {p.lon, p.lat, p.lon, p.lat};
    }
    void sequence(std::uint32_t n) override {
        ring_ = &s_.polygons.back().rings.emplace_back();
        ring_->reserve(n);
    }
    void position(LonLat p) override {
        ring_->push_back(p);
        if (!any_) {
            s_.box = {p.lon, p.lat, p.lon, p.lat};
            s_.point = p;
            any_ = true;
        }
        s_.box.min_lon = std::min(s_.box.min_lon, p.lon);
        s_.box.min_lat = std::min(s_.box.min_lat, p.lat);
        s_.box.max_lon = std::max(s_.box.max_lon, p.lon);
        s_.box.max_lat = std::max(s_.box.max_lat, p.lat);
    }
    bool any_vertex() const { return any_; }

private:
    Shape& s_;
    Ring* ring_ = nullptr;
    bool any_ = false;
};

// Local plane around an origin: x east, y north, in degrees of latitude.
struct Plane {
    double lon0, lat0, k;
    explicit Plane(LonLat o) : lon0(o.lon), lat0(o.lat), k(std::cos(o.lat * M_PI / 180.0)) {}
    void to(LonLat p, double& x, double& y) const {
        x = (p.lon - lon0) * k;
        y = p.lat - lat0;
    }
    LonLat from(double x, double y) const { return {lon0 + x / k, lat0 + y}; }
};

// Nearest point on segment ab to the origin, in plane coordinates; returns squared length.
double nearest_on_segment(double ax, double ay, double bx, double by, double& nx, double& ny) {
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    nx = ax + t * dx;
    ny = ay + t * dy;
    return nx * nx + ny * ny;
}

bool ring_contains(const Ring& ring, LonLat p) {
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const LonLat& a = ring[i];
        const LonLat& b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat)) {
            const double x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
            if (p.lon < x) inside = !inside;
        }
    }
    return inside;
}

bool on_boundary(const Shape& s, LonLat p) {
    const Plane plane(p);
    for (auto& poly : s.polygons)
        for (auto& ring : poly.rings)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                double ax, ay, bx, by, nx, ny;
                plane.to(ring[i], ax, ay);
                plane.to(ring[i + 1], bx, by);
                if (nearest_on_segment(ax, ay, bx, by, nx, ny) < 1e-22) return true;
            }
    return false;
}

bool segments_cross(LonLat a, LonLat b, LonLat c, LonLat d) {
    auto orient = [](LonLat p, LonLat q, LonLat r) {
        return (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
    };
    const double d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
    return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0;
}

std::vector<LonLat> vertices(const Shape& s) {
    if (s.is_point) return {s.point};
    std::vector<LonLat> out;
    for (auto& poly : s.polygons)
        for (auto& ring : poly.rings) out.insert(out.end(), ring.begin(), ring.end());
    return out;
}

}  // namespace

Shape shape_from_wkb(std::string_view wkb) {
    Shape s;
    ShapeSink sink(s);
    read_wkb(wkb, sink);
    if (!s.is_point && !sink.any_vertex()) throw GeometryError("empty polygon");
    return s;
}

bool contains(const Shape& s, LonLat p) {
    if (s.is_point) return false;
    if (p.lon < s.box.min_lon || p.lon > s.box.max_lon || p.lat < s.box.min_lat || p.lat > s.box.max_lat)
        return false;
    for (auto& poly : s.polygons) {
        if (poly.rings.empty() || !ring_contains(poly.rings[0], p)) continue;
        bool in_hole = false;
        for (std::size_t h = 1; h < poly.rings.size() && !in_hole; ++h) in_hole = ring_contains(poly.rings[h], p);
        if (!in_hole) return true;
    }
    return on_boundary(s, p);
}

LonLat nearest_point(const Shape& s, LonLat p) {
    if (s.is_point) return s.point;
    if (contains(s, p)) return p;
    const Plane plane(p);
    double best = std::numeric_limits<double>::infinity(), bx = 0, by = 0;
    for (auto& poly : s.polygons)
        for (auto& ring : poly.rings)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                double ax, ay, cx, cy, nx, ny;
                plane.to(ring[i], ax, ay);
                plane.to(ring[i + 1], cx, cy);
                const double d = nearest_on_segment(ax, ay, cx, cy, nx, ny);
                if (d < best) {
                    best = d;
                    bx = nx;
                    by = ny;
                }
            }
    return plane.from(bx, by);
}

std::pair<LonLat, LonLat> nearest_points(const Shape& a, const Shape& b) {
    if (a.is_point) return {a.point, nearest_point(b, a.point)};
    if (b.is_point) return {nearest_point(a, b.point), b.point};
    // Two areas: overlapping when a vertex of one lies in the other or two edges cross.
    for (auto& v : vertices(a))
        if (contains(b, v)) return {v, v};
    for (auto& v : vertices(b))
        if (contains(a, v)) return {v, v};
    for (auto& pa : a.polygons)
        for (auto& ra : pa.rings)
            for (std::size_t i = 0; i + 1 < ra.size(); ++i)
                for (auto& pb : b.polygons)
                    for (auto& rb : pb.rings)
                        for (std::size_t j = 0; j + 1 < rb.size(); ++j)
                            if (segments_cross(ra[i], ra[i + 1], rb[j], rb[j + 1])) return {ra[i], ra[i]};
    // Apart: the nearest pair has a vertex of one of them at one end.
    const Plane plane(a.point);
    auto dist2 = [&](LonLat p, LonLat q) {
        double px, py, qx, qy;
        plane.to(p, px, py);
        plane.to(q, qx, qy);
        return (px - qx) * (px - qx) + (py - qy) * (py - qy);
    };
    std::pair<LonLat, LonLat> best{a.point, b.point};
    double best_d = std::numeric_limits<double>::infinity();
    for (auto& v : vertices(a)) {
        LonLat q = nearest_point(b, v);
        if (double d = dist2(v, q); d < best_d) best_d = d, best = {v, q};
    }
    for (auto& v : vertices(b)) {
        LonLat q = nearest_point(a, v);
        if (double d = dist2(q, v); d < best_d) best_d = d, best = {q, v};
    }
    return best;
}

double max_dlat_deg(double metres) { return metres / 110574.0 * 1.001 + 1e-9; }

Box expand(const Box& b, double metres) {
    // Longitude shrinks with cos(latitude), taken at the latitude farthest from the equator.
    const double dlat = max_dlat_deg(metres);
    const double lat = std::max(std::fabs(b.min_lat), std::fabs(b.max_lat)) + dlat;
    const double c = std::cos(std::min(lat, 89.9) * M_PI / 180.0);
    const double dlon = std::min(360.0, metres / (111320.0 * c) * 1.001 + 1e-9);
    return {b.min_lon - dlon, std::max(-90.0, b.min_lat - dlat), b.max_lon + dlon, std::min(90.0, b.max_lat + dlat)};
}

}  // namespace keepout::geo
