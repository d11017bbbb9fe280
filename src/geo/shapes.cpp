#include "geo/shapes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "geo/geodesic.hpp"
#include "geo/geos.hpp"
#include "geo/local_plane.hpp"
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
double nearest_on_segment(double ax, double ay, double bx, double by, double& nx, double& ny, double* fraction = nullptr) {
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    nx = ax + t * dx;
    ny = ay + t * dy;
    if (fraction) *fraction = t;
    return nx * nx + ny * ny;
}

// Within this many metres, on edges no longer than this, the metric plane's nearest point is
// within millimetres and hundredths of a degree of the geodesic one; beyond, it is refined on the
// ellipsoid (geo::nearest_on_geodesic).
constexpr double kPlaneExactM = 200;

// One edge's nearest point to the plane's origin.
struct EdgeHit {
    LonLat a, b;          // the edge
    double t = 0;         // fraction along it
    double d = 0;         // plane distance, metres
    double length = 0;    // plane length, metres
};

// The edges of s whose plane distance from the origin is within `slack` of the nearest one's.
// The plane's error grows with distance (parts per thousand at kilometres, far from the equator),
// so every edge that may be the nearest on the ellipsoid is kept for the refinement.
std::vector<EdgeHit> nearest_edges(const Shape& s, const MetricPlane& plane) {
    std::vector<EdgeHit> hits;
    double best = std::numeric_limits<double>::infinity();
    for (auto& poly : s.polygons)
        for (auto& ring : poly.rings)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                double ax, ay, cx, cy, nx, ny, t;
                plane.to(ring[i], ax, ay);
                plane.to(ring[i + 1], cx, cy);
                const double d = std::sqrt(nearest_on_segment(ax, ay, cx, cy, nx, ny, &t));
                if (d > best * 1.01 + 1.0) continue;
                best = std::min(best, d);
                hits.push_back({ring[i], ring[i + 1], t, d, std::hypot(cx - ax, cy - ay)});
            }
    std::erase_if(hits, [&](const EdgeHit& h) { return h.d > best * 1.01 + 1.0; });
    return hits;
}

// The nearest point of the edges to p, and its distance: from the plane when that is exact
// enough, else on the ellipsoid.
std::pair<LonLat, double> nearest_of(const std::vector<EdgeHit>& hits, const MetricPlane& plane, LonLat p) {
    if (hits.empty()) return {p, 0};
    const EdgeHit* best = &hits[0];
    bool plane_exact = true;
    for (const auto& h : hits) {
        if (h.d < best->d) best = &h;
        plane_exact = plane_exact && h.length <= kPlaneExactM;
    }
    if (plane_exact && best->d <= kPlaneExactM) {
        double ax, ay, bx, by;
        plane.to(best->a, ax, ay);
        plane.to(best->b, bx, by);
        return {plane.from(ax + best->t * (bx - ax), ay + best->t * (by - ay)), best->d};
    }
    double ax, ay, bx, by;
    plane.to(best->a, ax, ay);
    plane.to(best->b, bx, by);
    const LonLat first = plane.from(ax + best->t * (bx - ax), ay + best->t * (by - ay));
    if (plane_exact) {
        // Short edges far away: the plane around p is off by metres out there, but a plane around
        // the first guess is exact near it. p goes into that plane along the geodesic that arrives
        // at the guess (its distance and final azimuth), and the edges are searched again there.
        const GeodesicResult g = inverse(p, first);
        const MetricPlane near(first);
        const double az = g.final_azimuth_deg * M_PI / 180.0;
        const double px = -g.distance_m * std::sin(az), py = -g.distance_m * std::cos(az);
        double best_d2 = std::numeric_limits<double>::infinity(), qx = 0, qy = 0;
        for (const auto& h : hits) {
            double hx, hy, kx, ky, nx, ny;
            near.to(h.a, hx, hy);
            near.to(h.b, kx, ky);
            const double d2 = nearest_on_segment(hx - px, hy - py, kx - px, ky - py, nx, ny);
            if (d2 < best_d2) best_d2 = d2, qx = nx + px, qy = ny + py;
        }
        return {near.from(qx, qy), std::sqrt(best_d2)};
    }
    // Long edges (camp perimeters): on the ellipsoid itself.
    std::pair<LonLat, double> out{p, std::numeric_limits<double>::infinity()};
    for (const auto& h : hits) {
        const EdgeFoot f = nearest_on_geodesic(h.a, h.b, p, h.t);
        if (f.distance_m < out.second) out = {f.at, f.distance_m};
    }
    return out;
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
    const MetricPlane plane(p);
    return nearest_of(nearest_edges(s, plane), plane, p).first;
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
    // Apart: the nearest pair has a vertex of one of them at one end. Each vertex's nearest edges
    // of the other shape in a plane around it; then, of the vertices whose plane distance is near
    // the best, the nearest on the ellipsoid (nearest_of).
    struct VertexHits {
        LonLat v;
        bool on_a;
        MetricPlane plane;
        std::vector<EdgeHit> hits;
        double d;
    };
    std::vector<VertexHits> all;
    double best_plane = std::numeric_limits<double>::infinity();
    auto from = [&](const Shape& from_shape, const Shape& to_shape, bool on_a) {
        for (auto& v : vertices(from_shape)) {
            MetricPlane plane(v);
            auto hits = nearest_edges(to_shape, plane);
            double d = std::numeric_limits<double>::infinity();
            for (const auto& h : hits) d = std::min(d, h.d);
            if (d > best_plane * 1.01 + 1.0) continue;
            best_plane = std::min(best_plane, d);
            all.push_back({v, on_a, plane, std::move(hits), d});
        }
    };
    from(a, b, true);
    from(b, a, false);
    std::pair<LonLat, LonLat> best{a.point, b.point};
    double best_d = std::numeric_limits<double>::infinity();
    for (const auto& vh : all) {
        if (vh.d > best_plane * 1.01 + 1.0) continue;
        const auto [q, d] = nearest_of(vh.hits, vh.plane, vh.v);
        if (d < best_d) best_d = d, best = vh.on_a ? std::pair{vh.v, q} : std::pair{q, vh.v};
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
