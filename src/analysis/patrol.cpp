#include "analysis/patrol.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <unordered_map>

#include "analysis/check.hpp"
#include "analysis/errors.hpp"
#include "analysis/proximity.hpp"
#include "geo/geodesic.hpp"
#include "geo/local_plane.hpp"

namespace keepout::analysis {

namespace {

constexpr double kEps = 1e-6;  // metres: a move must gain more than this
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tours

double tour_length(const DistanceMatrix& d, const Tour& t) {
    double sum = 0;
    for (std::size_t i = 0; i < t.size(); ++i) sum += d(t[i], t[(i + 1) % t.size()]);
    return sum;
}

Tour nearest_neighbour_tour(const DistanceMatrix& d) {
    const std::size_t n = d.size();
    Tour t;
    if (n == 0) return t;
    std::vector<bool> seen(n, false);
    t.push_back(0);
    seen[0] = true;
    for (std::size_t k = 1; k < n; ++k) {
        const std::size_t at = t.back();
        std::size_t best = n;
        for (std::size_t j = 1; j < n; ++j)
            if (!seen[j] && (best == n || d(at, j) < d(at, best))) best = j;
        seen[best] = true;
        t.push_back(best);
    }
    return t;
}

namespace {

// One sweep of 2-opt: reverses t[i+1..j] when that shortens the tour. Position 0 never moves.
bool two_opt_pass(const DistanceMatrix& d, Tour& t) {
    const std::size_t n = t.size();
    bool improved = false;
    if (n < 4) return false;
    for (std::size_t i = 0; i + 2 < n; ++i) {
        for (std::size_t j = i + 2; j < n; ++j) {
            if (i == 0 && j == n - 1) continue;  // the two edges share node t[0]
            const std::size_t a = t[i], b = t[i + 1], c = t[j], e = t[(j + 1) % n];
            const double delta = d(a, c) + d(b, e) - d(a, b) - d(c, e);
            if (delta < -kEps) {
                std::reverse(t.begin() + std::ptrdiff_t(i + 1), t.begin() + std::ptrdiff_t(j + 1));
                improved = true;
            }
        }
    }
    return improved;
}

// One sweep of Or-opt: moves a run of 1–3 consecutive stops between two other neighbours,
// forwards or reversed, when that shortens the tour.
bool or_opt_pass(const DistanceMatrix& d, Tour& t) {
    const std::size_t n = t.size();
    bool improved = false;
    for (std::size_t len = 1; len <= 3; ++len) {
        if (n < len + 3) break;  // the run, and at least three other nodes
        for (std::size_t i = 1; i + len <= n; ++i) {
            const std::size_t prev = t[i - 1], s0 = t[i], s1 = t[i + len - 1], next = t[(i + len) % n];
            const double removed = d(prev, s0) + d(s1, next) - d(prev, next);
            double best = -kEps;
            std::size_t best_j = n;
            bool best_reversed = false;
            for (std::size_t j = 0; j < n; ++j) {
                if (j + 1 >= i && j <= i + len - 1) continue;  // edges touching the run
                const std::size_t a = t[j], b = t[(j + 1) % n];
                const double fwd = d(a, s0) + d(s1, b) - d(a, b) - removed;
                const double rev = d(a, s1) + d(s0, b) - d(a, b) - removed;
                if (fwd < best) {
                    best = fwd;
                    best_j = j;
                    best_reversed = false;
                }
                if (rev < best) {
                    best = rev;
                    best_j = j;
                    best_reversed = true;
                }
            }
            if (best_j == n) continue;
            Tour run(t.begin() + std::ptrdiff_t(i), t.begin() + std::ptrdiff_t(i + len));
            if (best_reversed) std::reverse(run.begin(), run.end());
            const std::size_t after = t[best_j];  // insert after this node
            Tour rest;
            rest.reserve(n);
            for (std::size_t k = 0; k < n; ++k)
                if (k < i || k >= i + len) rest.push_back(t[k]);
            auto pos = std::find(rest.begin(), rest.end(), after);
            rest.insert(pos + 1, run.begin(), run.end());
            t = std::move(rest);
            improved = true;
        }
    }
    return improved;
}

}  // namespace

void improve_tour(const DistanceMatrix& d, Tour& t) {
    if (t.size() < 4) return;
    for (;;) {
        const bool a = two_opt_pass(d, t);
        const bool b = or_opt_pass(d, t);
        if (!a && !b) break;
    }
}

Tour exact_tour(const DistanceMatrix& d) {
    const std::size_t n = d.size();
    if (n <= 3) {
        Tour t(n);
        std::iota(t.begin(), t.end(), std::size_t(0));
        return t;
    }
    const std::size_t m = n - 1;
    if (m > kExactMaxStops) throw std::invalid_argument("exact_tour: too many stops");
    const std::size_t full = (std::size_t(1) << m) - 1;
    std::vector<double> cost((full + 1) * m, kInf);
    std::vector<std::uint8_t> parent((full + 1) * m, 0xFF);
    auto at = [m](std::size_t mask, std::size_t j) { return mask * m + j; };
    for (std::size_t j = 0; j < m; ++j) cost[at(std::size_t(1) << j, j)] = d(0, j + 1);
    for (std::size_t mask = 1; mask <= full; ++mask) {
        for (std::size_t j = 0; j < m; ++j) {
            if (!(mask & (std::size_t(1) << j))) continue;
            const double c = cost[at(mask, j)];
            if (c == kInf) continue;
            for (std::size_t k = 0; k < m; ++k) {
                if (mask & (std::size_t(1) << k)) continue;
                const std::size_t next = mask | (std::size_t(1) << k);
                const double v = c + d(j + 1, k + 1);
                if (v < cost[at(next, k)]) {
                    cost[at(next, k)] = v;
                    parent[at(next, k)] = std::uint8_t(j);
                }
            }
        }
    }
    double best = kInf;
    std::size_t last = 0;
    for (std::size_t j = 0; j < m; ++j) {
        const double v = cost[at(full, j)] + d(j + 1, 0);
        if (v < best) {
            best = v;
            last = j;
        }
    }
    Tour rev;
    std::size_t mask = full, j = last;
    while (true) {
        rev.push_back(j + 1);
        const std::uint8_t p = parent[at(mask, j)];
        mask &= ~(std::size_t(1) << j);
        if (p == 0xFF) break;
        j = p;
    }
    Tour t{0};
    t.insert(t.end(), rev.rbegin(), rev.rend());
    return t;
}

Tour brute_force_tour(const DistanceMatrix& d) {
    const std::size_t n = d.size();
    Tour t(n);
    std::iota(t.begin(), t.end(), std::size_t(0));
    if (n <= 3) return t;
    if (n - 1 > 10) throw std::invalid_argument("brute_force_tour: too many stops");
    Tour best = t;
    double best_len = tour_length(d, t);
    while (std::next_permutation(t.begin() + 1, t.end())) {
        const double len = tour_length(d, t);
        if (len < best_len) {
            best_len = len;
            best = t;
        }
    }
    return best;
}

Tour plan_tour(const DistanceMatrix& d, TourStats* stats) {
    Tour t = nearest_neighbour_tour(d);
    TourStats s;
    s.nearest_neighbour_m = tour_length(d, t);
    improve_tour(d, t);
    s.improved_m = tour_length(d, t);
    s.final_m = s.improved_m;
    if (d.size() >= 2 && d.size() - 1 <= kExactMaxStops) {
        s.exact = true;
        Tour e = exact_tour(d);
        const double len = tour_length(d, e);
        if (len < s.final_m - kEps) {
            t = std::move(e);
            s.final_m = len;
        }
    }
    if (stats) *stats = s;
    return t;
}

std::vector<Tour> split_tour(const DistanceMatrix& d, const Tour& t, std::size_t max_stops, double max_m) {
    const std::size_t m = t.size() - 1;  // stops t[1..m]
    if (t.empty() || m == 0) return {};
    if (max_stops == 0 && max_m <= 0) return {t};
    // along[k]: length from t[1] to t[k] along the tour.
    std::vector<double> along(m + 1, 0.0);
    for (std::size_t k = 2; k <= m; ++k) along[k] = along[k - 1] + d(t[k - 1], t[k]);
    for (std::size_t k = 1; k <= m; ++k)
        if (max_m > 0 && 2 * d(0, t[k]) > max_m)
            throw std::invalid_argument("stop " + std::to_string(t[k]) + " lies beyond reach of one patrol");
    struct Best {
        std::size_t count = std::numeric_limits<std::size_t>::max();
        double length = kInf;
        std::size_t from = 0;
    };
    std::vector<Best> best(m + 1);
    best[0] = {0, 0.0, 0};
    for (std::size_t j = 1; j <= m; ++j) {
        for (std::size_t i = j; i >= 1; --i) {
            if (max_stops && j - i + 1 > max_stops) break;
            const double loop = d(0, t[i]) + along[j] - along[i] + d(t[j], 0);
            if (max_m > 0 && along[j] - along[i] > max_m) break;  // grows as i falls
            if (max_m > 0 && loop > max_m) continue;
            const Best& b = best[i - 1];
            if (b.count == std::numeric_limits<std::size_t>::max()) continue;
            const std::size_t count = b.count + 1;
            const double length = b.length + loop;
            if (count < best[j].count || (count == best[j].count && length < best[j].length - kEps))
                best[j] = {count, length, i};
        }
        if (best[j].count == std::numeric_limits<std::size_t>::max())
            throw std::invalid_argument("the stops cannot be split within the limits");
    }
    std::vector<Tour> out;
    for (std::size_t j = m; j > 0;) {
        const std::size_t i = best[j].from;
        Tour part{0};
        part.insert(part.end(), t.begin() + std::ptrdiff_t(i), t.begin() + std::ptrdiff_t(j + 1));
        out.push_back(std::move(part));
        j = i - 1;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

// ---------------------------------------------------------------------------------------------
// Road graph

namespace {

// Snaps are found in metres on geo::MetricPlane (WGS 84 radii of curvature at the point).
using LocalPlane = geo::MetricPlane;

std::uint64_t node_key(geo::LonLat p) {
    const auto q = [](double v) { return std::uint32_t(std::int32_t(std::llround(v * 1e7))); };
    return (std::uint64_t(q(p.lon)) << 32) | q(p.lat);
}

double geodesic_m(geo::LonLat a, geo::LonLat b) {
    if (a.lon == b.lon && a.lat == b.lat) return 0;
    return geo::inverse(a, b).distance_m;
}

using Adjacency = std::vector<std::vector<RoadGraph::Edge>>;

void add_edge(Adjacency& adj, std::uint32_t a, std::uint32_t b, double len) {
    adj[a].push_back({b, len});
    adj[b].push_back({a, len});
}

// Dijkstra from one node until every target is settled; distance per target (inf: unreachable).
std::vector<double> dijkstra_to(const Adjacency& adj, std::uint32_t from, const std::vector<std::uint32_t>& targets) {
    std::vector<double> dist(adj.size(), kInf);
    std::vector<bool> done(adj.size(), false);
    std::unordered_map<std::uint32_t, int> wanted;
    for (auto t : targets) ++wanted[t];
    std::size_t left = wanted.size();
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    dist[from] = 0;
    q.push({0, from});
    while (!q.empty() && left > 0) {
        auto [du, u] = q.top();
        q.pop();
        if (done[u]) continue;
        done[u] = true;
        if (wanted.count(u)) --left;
        for (const auto& e : adj[u]) {
            const double v = du + e.length_m;
            if (v < dist[e.to]) {
                dist[e.to] = v;
                q.push({v, e.to});
            }
        }
    }
    std::vector<double> out;
    out.reserve(targets.size());
    for (auto t : targets) out.push_back(dist[t]);
    return out;
}

}  // namespace

double dijkstra_distance(const Adjacency& adj, std::uint32_t from, std::uint32_t to) {
    return dijkstra_to(adj, from, {to})[0];
}

std::vector<std::uint32_t> astar_path(const Adjacency& adj, const std::vector<geo::LonLat>& nodes, std::uint32_t from,
                                      std::uint32_t to, double* length_m) {
    // The geodesic between two points is never longer than a chain of geodesics joining them, so
    // the heuristic is admissible and consistent.
    std::vector<double> g(adj.size(), kInf);
    std::vector<std::uint32_t> came(adj.size(), std::numeric_limits<std::uint32_t>::max());
    std::vector<bool> closed(adj.size(), false);
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
    auto h = [&](std::uint32_t u) { return geodesic_m(nodes[u], nodes[to]); };
    g[from] = 0;
    open.push({h(from), from});
    while (!open.empty()) {
        const std::uint32_t u = open.top().second;
        open.pop();
        if (closed[u]) continue;
        if (u == to) break;
        closed[u] = true;
        for (const auto& e : adj[u]) {
            if (closed[e.to]) continue;
            const double v = g[u] + e.length_m;
            if (v < g[e.to]) {
                g[e.to] = v;
                came[e.to] = u;
                open.push({v + h(e.to), e.to});
            }
        }
    }
    if (length_m) *length_m = g[to];
    if (g[to] == kInf) return {};
    std::vector<std::uint32_t> path{to};
    while (path.back() != from) path.push_back(came[path.back()]);
    std::reverse(path.begin(), path.end());
    return path;
}

RoadGraph::RoadGraph(const std::vector<std::vector<geo::LonLat>>& lines) {
    std::unordered_map<std::uint64_t, std::uint32_t> ids;
    auto node = [&](geo::LonLat p) {
        auto [it, fresh] = ids.try_emplace(node_key(p), std::uint32_t(nodes_.size()));
        if (fresh) {
            nodes_.push_back(p);
            adj_.emplace_back();
        }
        return it->second;
    };
    for (const auto& line : lines) {
        for (std::size_t i = 1; i < line.size(); ++i) {
            const std::uint32_t a = node(line[i - 1]), b = node(line[i]);
            if (a == b) continue;
            const double len = geodesic_m(nodes_[a], nodes_[b]);
            add_edge(adj_, a, b, len);
            segments_.push_back({a, b, len});
        }
    }
    // Connected parts, by breadth-first search.
    component_.assign(nodes_.size(), std::numeric_limits<std::uint32_t>::max());
    std::vector<std::size_t> sizes;
    for (std::uint32_t s = 0; s < nodes_.size(); ++s) {
        if (component_[s] != std::numeric_limits<std::uint32_t>::max()) continue;
        const auto c = std::uint32_t(sizes.size());
        std::size_t count = 0;
        std::vector<std::uint32_t> stack{s};
        component_[s] = c;
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            ++count;
            for (const auto& e : adj_[u])
                if (component_[e.to] == std::numeric_limits<std::uint32_t>::max()) {
                    component_[e.to] = c;
                    stack.push_back(e.to);
                }
        }
        sizes.push_back(count);
    }
    components_ = sizes.size();
    for (std::uint32_t c = 0; c < sizes.size(); ++c)
        if (sizes[c] > largest_size_) {
            largest_size_ = sizes[c];
            largest_ = c;
        }
    std::vector<geo::Box> boxes;
    boxes.reserve(segments_.size());
    for (const auto& s : segments_) {
        const geo::LonLat a = nodes_[s.a], b = nodes_[s.b];
        boxes.push_back({std::min(a.lon, b.lon), std::min(a.lat, b.lat), std::max(a.lon, b.lon), std::max(a.lat, b.lat)});
    }
    if (!boxes.empty()) segment_index_ = geo::GridIndex(boxes);
}

RoadGraph::Connected RoadGraph::connect(const std::vector<geo::LonLat>& points) const {
    if (segments_.empty()) throw std::invalid_argument("the road network has no roads");
    struct Snap {
        std::uint32_t segment = 0;
        double t = 0;  // 0 at a, 1 at b
        geo::LonLat at;
    };
    std::vector<Snap> snaps;
    for (const geo::LonLat p : points) {
        const LocalPlane plane(p);
        Snap best;
        double best_d = kInf;
        for (double r = 250;; r *= 4) {
            segment_index_.query(geo::expand({p.lon, p.lat, p.lon, p.lat}, r), [&](std::uint32_t k) {
                const Segment& s = segments_[k];
                if (component_[s.a] != largest_) return;
                double ax, ay, bx, by;
                plane.to(nodes_[s.a], ax, ay);
                plane.to(nodes_[s.b], bx, by);
                const double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
                double t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
                t = std::clamp(t, 0.0, 1.0);
                const double x = ax + t * dx, y = ay + t * dy, dd = std::sqrt(x * x + y * y);
                if (dd < best_d || (dd == best_d && k < best.segment)) {
                    best_d = dd;
                    const geo::LonLat a = nodes_[s.a], b = nodes_[s.b];
                    best = {k, t, {a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)}};
                }
            });
            if (best_d <= r || r > 4.0e7) break;
        }
        if (best_d == kInf) throw std::invalid_argument("no road to snap to");
        snaps.push_back(best);
    }

    Connected c;
    c.nodes = nodes_;
    c.adj = adj_;
    c.point_node.assign(points.size(), 0);
    c.off_road_m.resize(points.size());
    c.snapped.resize(points.size());
    // Splice the snapped points into their segments, in order along each segment.
    std::map<std::uint32_t, std::vector<std::size_t>> by_segment;
    for (std::size_t i = 0; i < snaps.size(); ++i) by_segment[snaps[i].segment].push_back(i);
    for (auto& [seg, ids] : by_segment) {
        const Segment& s = segments_[seg];
        std::sort(ids.begin(), ids.end(), [&](std::size_t x, std::size_t y) { return snaps[x].t < snaps[y].t; });
        std::uint32_t prev = s.a;
        for (std::size_t i : ids) {
            const Snap& sn = snaps[i];
            std::uint32_t node;
            if (sn.at.lon == c.nodes[prev].lon && sn.at.lat == c.nodes[prev].lat) {
                node = prev;
            } else if (sn.t >= 1.0) {
                if (prev != s.b) add_edge(c.adj, prev, s.b, geodesic_m(c.nodes[prev], c.nodes[s.b]));
                node = s.b;
            } else {
                node = std::uint32_t(c.nodes.size());
                c.nodes.push_back(sn.at);
                c.adj.emplace_back();
                add_edge(c.adj, prev, node, geodesic_m(c.nodes[prev], sn.at));
            }
            c.point_node[i] = node;
            prev = node;
        }
        if (prev != s.b) add_edge(c.adj, prev, s.b, geodesic_m(c.nodes[prev], c.nodes[s.b]));
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        c.snapped[i] = c.nodes[c.point_node[i]];
        c.off_road_m[i] = geodesic_m(points[i], c.snapped[i]);
    }
    const std::size_t n = points.size();
    c.distances = DistanceMatrix(n);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        std::vector<std::uint32_t> targets(c.point_node.begin() + std::ptrdiff_t(i + 1), c.point_node.end());
        const auto dist = dijkstra_to(c.adj, c.point_node[i], targets);
        for (std::size_t k = 0; k < dist.size(); ++k) {
            if (dist[k] == kInf) throw std::invalid_argument("two points are not joined by the roads");
            c.distances.set(i, i + 1 + k, dist[k]);
        }
    }
    return c;
}

std::vector<geo::LonLat> RoadGraph::Connected::path(std::size_t i, std::size_t j, double* length_m) const {
    const auto ids = astar_path(adj, nodes, point_node.at(i), point_node.at(j), length_m);
    std::vector<geo::LonLat> out;
    out.reserve(ids.size());
    for (auto id : ids) out.push_back(nodes[id]);
    if (out.size() == 1) out.push_back(out.front());  // the same place: a leg of length 0
    return out;
}

// ---------------------------------------------------------------------------------------------
// Patrols

namespace {

std::string lower(std::string s) {
    for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool inside_rings(const geo::Polygon& poly, geo::LonLat p) {
    geo::Shape s;
    s.is_point = false;
    s.polygons = {poly};
    s.box = {-180, -90, 180, 90};
    return geo::contains(s, p);
}

}  // namespace

geo::LonLat visit_point(const geo::Shape& s) {
    if (s.is_point || s.polygons.empty()) return s.point;
    // Area centroid of the largest outer ring, in a local plane; a vertex when it falls outside.
    const geo::Polygon* biggest = nullptr;
    double best_area = -1;
    geo::LonLat best_c = s.point;
    for (const auto& poly : s.polygons) {
        if (poly.rings.empty() || poly.rings[0].size() < 4) continue;
        const geo::Ring& r = poly.rings[0];
        const geo::MetricPlane plane(r[0]);
        double a2 = 0, cx = 0, cy = 0;
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
            double x0, y0, x1, y1;
            plane.to(r[i], x0, y0);
            plane.to(r[i + 1], x1, y1);
            const double cross = x0 * y1 - x1 * y0;
            a2 += cross;
            cx += (x0 + x1) * cross;
            cy += (y0 + y1) * cross;
        }
        if (a2 == 0) continue;
        const double area = std::fabs(a2);
        if (area > best_area) {
            best_area = area;
            biggest = &poly;
            best_c = plane.from(cx / (3 * a2), cy / (3 * a2));
        }
    }
    if (biggest && inside_rings(*biggest, best_c)) return best_c;
    return s.point;
}

const SectorView* sector_at(const Snapshot& snap, geo::LonLat p) {
    for (const auto& sec : snap.sectors()) {
        const geo::Box& b = sec.shape.box;
        if (p.lon < b.min_lon || p.lon > b.max_lon || p.lat < b.min_lat || p.lat > b.max_lat) continue;
        if (geo::contains(sec.shape, p)) return &sec;
    }
    return nullptr;
}

const SectorView& find_sector(const Snapshot& snap, const std::string& name) {
    for (const auto& s : snap.sectors())
        if (s.sector.name == name) return s;
    const std::string want = lower(name);
    for (const auto& s : snap.sectors())
        if (lower(s.sector.name) == want) return s;
    const SectorView* found = nullptr;
    std::size_t hits = 0;
    if (!want.empty())
        for (const auto& s : snap.sectors())
            if (lower(s.sector.name).find(want) != std::string::npos) {
                found = &s;
                ++hits;
            }
    if (hits == 1) return *found;
    std::string names;
    for (const auto& s : snap.sectors()) names += (names.empty() ? "" : ", ") + s.sector.name;
    if (names.empty()) throw UnknownReference("unknown sector '" + name + "': no sectors are loaded (keepout import sectors FILE)");
    if (hits > 1) throw std::invalid_argument("ambiguous sector '" + name + "' (sectors: " + names + ")");
    throw UnknownReference(("unknown sector '") + name + "' (sectors: " + names + ")");
}

PatrolPlan plan_patrol(const Snapshot& snap, const PatrolRequest& req) {
    PatrolPlan plan;
    plan.as_of = snap.as_of();
    plan.time_zone = snap.time_zone();
    plan.list_version = snap.list_version();
    plan.max_stops = req.max_stops;
    plan.max_km = req.max_km;
    plan.radius_m = req.radius_m;

    // Where from: a site, else a position.
    for (const auto& s : snap.sites())
        if (s.site.name == req.from) plan.site = &s;
    if (!plan.site) {
        const std::string want = lower(req.from);
        for (const auto& s : snap.sites())
            if (lower(s.site.name) == want) plan.site = &s;
    }
    if (plan.site) {
        plan.from_name = plan.site->site.name;
        plan.from = visit_point(plan.site->shape);
    } else {
        try {
            plan.from = geo::parse_coordinate(req.from);
        } catch (const geo::CoordinateError&) {
            std::string names;
            for (const auto& s : snap.sites()) names += (names.empty() ? "" : ", ") + s.site.name;
            throw UnknownReference("unknown site '" + req.from + "', and not a coordinate either (sites: " +
                                        (names.empty() ? std::string("none loaded") : names) + ")");
        }
        plan.from_name = req.from;
    }
    plan.from_road = plan.from;

    if (req.sector.empty() && !req.radius_m)
        throw std::invalid_argument("give a sector or a radius: which listed venues should the patrol visit?");
    if (req.radius_m && (!(*req.radius_m > 0) || !std::isfinite(*req.radius_m) || *req.radius_m > 500000))
        throw std::invalid_argument("the radius must be between 0 and 500000 metres");
    if (req.max_km < 0 || !std::isfinite(req.max_km)) throw std::invalid_argument("the patrol length limit must be positive");

    const SectorView* home = sector_at(snap, plan.from);
    if (home) plan.from_sector = home->sector.name;
    const SectorView* sector = nullptr;
    if (!req.sector.empty()) {
        sector = &find_sector(snap, req.sector);
        plan.sector = sector->sector.name;
        plan.unit = sector->sector.unit;
    } else if (home) {
        plan.unit = home->sector.unit;
    }

    // The venues: listed on the date, in the sector and/or within the radius.
    std::vector<const VenueView*> chosen;
    for (std::uint32_t idx : snap.listed()) {
        const VenueView& v = snap.venues()[idx];
        if (sector && !geo::contains(sector->shape, visit_point(v.shape))) continue;
        if (req.radius_m) {
            const double dist = plan.site ? measure_pair(*plan.site, v).distance_m : measure(v, plan.from).distance_m;
            if (dist > *req.radius_m) continue;
        }
        chosen.push_back(&v);
    }
    std::sort(chosen.begin(), chosen.end(),
              [](const VenueView* a, const VenueView* b) { return a->venue.id < b->venue.id; });
    plan.venues = chosen.size();
    if (chosen.empty()) return plan;

    std::vector<geo::LonLat> points{plan.from};
    for (const VenueView* v : chosen) points.push_back(visit_point(v->shape));
    const std::size_t n = points.size();

    std::optional<RoadGraph::Connected> roads;
    DistanceMatrix d(n);
    if (req.roads) {
        plan.along_roads = true;
        plan.roads_source = req.roads_source;
        roads = req.roads->connect(points);
        d = roads->distances;
        plan.from_road = roads->snapped[0];
    } else {
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) d.set(i, j, geodesic_m(points[i], points[j]));
    }

    Tour whole = plan_tour(d, &plan.tour);
    std::vector<Tour> parts{whole};
    if (req.max_stops || req.max_km > 0) {
        const double max_m = req.max_km * 1000.0;
        for (std::size_t i = 1; i < n; ++i)
            if (max_m > 0 && 2 * d(0, i) > max_m) {
                char b[64];
                std::snprintf(b, sizeof b, "%.1f km", 2 * d(0, i) / 1000.0);
                throw std::invalid_argument("venue " + chosen[i - 1]->venue.name + " [" + chosen[i - 1]->venue.external_id +
                                            "] needs a round trip of " + b + " from " + plan.from_name +
                                            ", more than the limit of one patrol");
            }
        parts = split_tour(d, whole, req.max_stops, max_m);
        // Each patrol ordered again on its own.
        for (Tour& part : parts) {
            DistanceMatrix sub(part.size());
            for (std::size_t a = 0; a < part.size(); ++a)
                for (std::size_t b = a + 1; b < part.size(); ++b) sub.set(a, b, d(part[a], part[b]));
            const Tour order = plan_tour(sub);
            Tour mapped;
            for (std::size_t k : order) mapped.push_back(part[k]);
            part = std::move(mapped);
        }
    }

    for (const Tour& part : parts) {
        Patrol p;
        double cum = 0;
        for (std::size_t k = 0; k < part.size(); ++k) {
            const std::size_t from = part[k], to = part[(k + 1) % part.size()];
            const double leg = d(from, to);
            std::vector<geo::LonLat> line;
            if (roads) line = roads->path(from, to);
            else line = {points[from], points[to]};
            p.legs.push_back(std::move(line));
            cum += leg;
            if (to == 0) {
                p.return_leg_m = leg;
                continue;
            }
            PatrolStop s;
            s.venue = chosen[to - 1];
            s.at = points[to];
            s.road_at = roads ? roads->snapped[to] : s.at;
            s.off_road_m = roads ? roads->off_road_m[to] : 0.0;
            if (const SectorView* in = sector_at(snap, s.at)) s.sector = in->sector.name;
            s.leg_m = leg;
            s.cumulative_m = cum;
            p.stops.push_back(std::move(s));
        }
        p.length_m = cum;
        plan.total_m += cum;
        plan.patrols.push_back(std::move(p));
    }
    return plan;
}

std::string patrol_title(const PatrolPlan& plan, std::size_t index) {
    if (plan.patrols.size() <= 1) return "Patrol";
    return "Patrol " + std::to_string(index + 1) + " of " + std::to_string(plan.patrols.size());
}

// ---------------------------------------------------------------------------------------------
// Sectors

SectorReport sector_report(const Snapshot& snap) {
    SectorReport r;
    constexpr std::size_t kCategories = std::size_t(model::Category::other) + 1;
    std::map<const SectorView*, std::size_t> at;
    for (const auto& s : snap.sectors()) {
        at[&s] = r.sectors.size();
        SectorCount c;
        c.sector = &s;
        c.by_category.assign(kCategories, 0);
        r.sectors.push_back(std::move(c));
    }
    for (std::uint32_t idx : snap.listed()) {
        const VenueView& v = snap.venues()[idx];
        ++r.listed;
        const SectorView* s = sector_at(snap, visit_point(v.shape));
        if (!s) {
            ++r.outside;
            continue;
        }
        SectorCount& c = r.sectors[at[s]];
        ++c.listed;
        ++c.by_category[std::size_t(v.venue.category)];
    }
    for (const auto& site : snap.sites())
        if (const SectorView* s = sector_at(snap, visit_point(site.shape))) r.sectors[at[s]].sites.push_back(site.site.name);
    std::map<std::string, UnitCount> units;
    for (const auto& c : r.sectors) {
        UnitCount& u = units[c.sector->sector.unit];
        u.unit = c.sector->sector.unit;
        u.sectors.push_back(c.sector->sector.name);
        u.listed += c.listed;
    }
    for (auto& [name, u] : units) r.units.push_back(std::move(u));
    return r;
}

}  // namespace keepout::analysis
