#include "analysis/check.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "geo/geodesic.hpp"
#include "geo/shapes.hpp"
#include "text/utf8.hpp"

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

std::string_view to_string(Verdict v) {
    switch (v) {
        case Verdict::off_limits: return "off-limits";
        case Verdict::not_listed: return "not-listed";
        case Verdict::ambiguous: return "ambiguous";
    }
    return "not-listed";
}

namespace {

// Candidates read from the index per check: enough to know whether any of them is listed.
constexpr std::size_t kCandidatesRead = 500;

}  // namespace

// The verdict by name, from the candidates NameIndex::candidates finds:
//   * off-limits: one clear best match and it is listed. Clear means it is the only candidate,
//     or the query is exactly its name (after folding) and no other candidate's, or the query
//     names every distinctive word of it and of no other candidate; and a distinctive word of the
//     query is a distinctive word of its name (a category word alone, "bar", is never clear).
//   * not-listed: no candidate is listed (nothing comes close); or the one clear match is a
//     venue that is not listed (or was lifted) and no other candidate is listed.
//   * ambiguous: anything else with a listed venue among the candidates: the user picks. When no
//     venue has every distinctive word, the venues with all but one of them are the candidates
//     (never clear).
NameCheck check_name(const Snapshot& s, std::string_view query) {
    if (!text::is_valid_utf8(query)) throw NameQueryError("the name is not valid UTF-8");
    if (const std::size_t length = text::code_points(query); length > kMaxNameQueryChars)
        throw NameQueryError("the name is " + std::to_string(length) + " characters long; at most " +
                             std::to_string(kMaxNameQueryChars) + " are read");
    const NameCandidates found = s.names().candidates(query, kCandidatesRead);
    if (found.folded.empty()) throw NameQueryError("the name has no letter or digit to match");

    NameCheck c;
    c.folded = found.folded;
    const bool near = found.full.empty();
    std::vector<NameCandidateView> all;
    for (const NameCandidate& m : near ? found.near : found.full)
        if (const VenueView* v = s.venue_by_id(m.venue_id)) all.push_back({v, m});
    // Best first; at equal scores the listed venue first, so a tie never hides a listing.
    std::stable_sort(all.begin(), all.end(), [](const NameCandidateView& a, const NameCandidateView& b) {
        if (a.match.score != b.match.score) return a.match.score > b.match.score;
        return a.venue->listed && !b.venue->listed;
    });
    c.candidates = near ? found.near_total : found.full_total;
    const bool any_listed = std::any_of(all.begin(), all.end(), [](auto& x) { return x.venue->listed; });
    for (auto& x : all)
        if (!x.venue->listed && c.not_listed.size() < kMaxSimilarNotListed) c.not_listed.push_back(x);

    if (found.distinctive_words == 0)
        c.warnings.push_back({"category-words-only",
                              text::quote(query, 40) +
                                  " names a kind of venue, not one venue: add a word of its name or its town",
                              ""});
    if (near && !all.empty())
        c.warnings.push_back({"not-every-word",
                              "no venue has every word of " + text::quote(query, 40) + "; these have all but one of them",
                              ""});

    bool clear = false;
    if (!near && !all.empty()) {
        const NameCandidate& top = all.front().match;
        // Counts are over every candidate, shown or not; the top one is among them.
        clear = top.anchored && (found.full_total == 1 || (top.exact && found.full_exact == 1) ||
                                 (top.complete && found.full_complete == 1));
    }
    if (clear) {
        const NameCandidateView& top = all.front();
        // Candidates past those read are taken to be listed: a listing is never assumed away.
        const bool other_listed = c.candidates > all.size() ||
                                  std::any_of(all.begin() + 1, all.end(), [](auto& x) { return x.venue->listed; });
        if (top.venue->listed) {
            c.verdict = Verdict::off_limits;
            c.matches = {top};
            return c;
        }
        if (!other_listed) {
            c.verdict = Verdict::not_listed;
            c.matches = {top};
            return c;
        }
    }
    if (!any_listed && c.candidates <= all.size()) {
        c.verdict = Verdict::not_listed;
        return c;
    }
    c.verdict = Verdict::ambiguous;
    for (auto& x : all)
        if (c.matches.size() < kMaxNameMatches) c.matches.push_back(x);
    if (c.candidates > c.matches.size())
        c.warnings.push_back({"more-candidates",
                              std::to_string(c.candidates - c.matches.size()) +
                                  " more venues match; add a word of the name or the town to narrow it down",
                              ""});
    return c;
}

}  // namespace keepout::analysis
