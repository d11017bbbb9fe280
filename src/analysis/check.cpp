#include "analysis/check.hpp"

#include <algorithm>
#include <cmath>

#include "geo/geodesic.hpp"
#include "geo/shapes.hpp"

namespace keepout::analysis {

namespace {
geo::Box point_box(geo::LonLat p) { return {p.lon, p.lat, p.lon, p.lat}; }

// Cheap lower bound of the distance in metres from a point to the boxes met within `reach_m` of
// it (local plane, spherical radius 6,356 km being the smallest radius of curvature), used to skip
// exact geodesics that cannot be within reach. The cosine is taken once, at the latitude farthest
// from the equator that such a box can touch (see geo::expand), which keeps the bound below the
// true distance for every box the index returns.
class DistanceBound {
public:
    DistanceBound(geo::LonLat at, double reach_m) : at_(at) {
        const double lat = std::min(std::fabs(at.lat), 89.0) + geo::max_dlat_deg(reach_m);
        cos_ = std::cos(std::min(lat, 89.9) * M_PI / 180.0);
    }
    double operator()(const geo::Box& b) const {
        const double dlat = std::max({0.0, b.min_lat - at_.lat, at_.lat - b.max_lat});
        const double dlon = std::max({0.0, b.min_lon - at_.lon, at_.lon - b.max_lon});
        const double x = dlon * cos_, y = dlat;
        return std::sqrt(x * x + y * y) * (M_PI / 180.0) * 6335439.0 * 0.999;
    }

private:
    geo::LonLat at_;
    double cos_ = 1;
};
}  // namespace

PositionMatch measure(const VenueView& v, geo::LonLat at) {
    PositionMatch m;
    m.venue = &v;
    const geo::LonLat q = geo::nearest_point(v.shape, at);
    if (q.lon == at.lon && q.lat == at.lat) {
        // Inside (or on) the footprint: distance 0, bearing toward the footprint's reference point.
        m.distance_m = 0;
        // At the very point a bearing means nothing: report 0 rather than GeographicLib's 180.
        const bool same = at.lon == v.shape.point.lon && at.lat == v.shape.point.lat;
        m.bearing_deg = same ? 0.0 : geo::inverse(at, v.shape.point).azimuth_deg;
        return m;
    }
    const auto g = geo::inverse(at, q);
    m.distance_m = g.distance_m;
    m.bearing_deg = g.azimuth_deg;
    return m;
}

std::size_t count_within(const Snapshot& s, geo::LonLat at, double radius_m) {
    std::size_t n = 0;
    const DistanceBound lower_bound_m(at, radius_m);
    s.listed_near(point_box(at), radius_m, [&](std::uint32_t i) {
        const VenueView& v = s.venues()[i];
        if (lower_bound_m(v.shape.box) > radius_m) return;
        if (measure(v, at).distance_m <= radius_m) ++n;
    });
    return n;
}

std::optional<PositionMatch> nearest_listed(const Snapshot& s, geo::LonLat at, double max_m) {
    if (s.listed().empty()) return std::nullopt;
    // Candidates of one ring, measured in the order of their cheap distance bound so that the
    // exact geodesic runs for the one or two that can win rather than for every box in reach.
    // One buffer per thread: the server answers a check on each of its threads without malloc.
    struct Candidate {
        double bound_m;
        std::uint32_t index;
    };
    thread_local std::vector<Candidate> candidates;
    for (double r = 500; ; r *= 4) {
        r = std::min(r, max_m);
        candidates.clear();
        const DistanceBound lower_bound_m(at, r);
        s.listed_near(point_box(at), r, [&](std::uint32_t i) {
            candidates.push_back({lower_bound_m(s.venues()[i].shape.box), i});
        });
        std::sort(candidates.begin(), candidates.end(),
                  [](const Candidate& a, const Candidate& b) { return a.bound_m < b.bound_m; });
        // The plane bound is trusted only at short range; beyond it every candidate is measured.
        const bool bound_holds = r <= 50000;
        std::optional<PositionMatch> best;
        for (const Candidate& c : candidates) {
            if (best && bound_holds && c.bound_m > best->distance_m) break;
            const VenueView& v = s.venues()[c.index];
            auto m = measure(v, at);
            // Equal distances (a point on two shared edges) go to the lower venue id, so the
            // answer does not depend on the order of the index.
            if (!best || m.distance_m < best->distance_m ||
                (m.distance_m == best->distance_m && v.venue.id < best->venue->venue.id))
                best = m;
        }
        // Only a venue within r is certainly the nearest: one beyond r may be beaten by one not visited.
        if (best && best->distance_m <= r) return best;
        if (r >= max_m) return std::nullopt;
    }
}

PositionCheck check_position(const Snapshot& s, geo::LonLat at, double radius_m, bool find_nearest) {
    PositionCheck c;
    const DistanceBound lower_bound_m(at, radius_m);
    s.listed_near(point_box(at), radius_m, [&](std::uint32_t i) {
        const VenueView& v = s.venues()[i];
        if (lower_bound_m(v.shape.box) > radius_m) return;
        auto m = measure(v, at);
        if (m.distance_m <= radius_m) c.matches.push_back(m);
    });
    std::sort(c.matches.begin(), c.matches.end(), [](const PositionMatch& a, const PositionMatch& b) {
        return a.distance_m != b.distance_m ? a.distance_m < b.distance_m : a.venue->venue.id < b.venue->venue.id;
    });
    c.off_limits = !c.matches.empty();
    if (!c.matches.empty())
        c.nearest = c.matches.front();
    else if (find_nearest)
        c.nearest = nearest_listed(s, at);
    return c;
}

NameCheck check_name(const Snapshot& s, std::string_view query, double threshold) {
    NameCheck c;
    for (auto& m : s.names().search(query, threshold, 20)) {
        const VenueView* v = s.venue_by_id(m.venue_id);
        if (!v) continue;
        (v->listed ? c.listed : c.not_listed).emplace_back(v, m);
    }
    c.off_limits = !c.listed.empty();
    return c;
}

}  // namespace keepout::analysis
