#include "analysis/proximity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "analysis/errors.hpp"
#include "geo/geodesic.hpp"

namespace keepout::analysis {

namespace {
// Cheap lower bound in metres of the distance between two boxes (the plane bound check.cpp uses
// for points): lets the grid's square query skip the exact measure for candidates in its corners,
// beyond the circle — about a fifth of them at 5 km.
double lower_bound_m(const geo::Box& a, const geo::Box& b) {
    const double dlat = std::max({0.0, b.min_lat - a.max_lat, a.min_lat - b.max_lat});
    const double dlon = std::max({0.0, b.min_lon - a.max_lon, a.min_lon - b.max_lon});
    const double lat = std::max({std::fabs(a.min_lat), std::fabs(a.max_lat), std::fabs(b.min_lat), std::fabs(b.max_lat)});
    const double c = std::cos(std::min(lat, 89.9) * M_PI / 180.0);
    const double x = dlon * c, y = dlat;
    return std::sqrt(x * x + y * y) * (M_PI / 180.0) * 6335439.0 * 0.999;
}
}  // namespace

ProximityPair measure_pair(const SiteView& site, const VenueView& venue) {
    ProximityPair p;
    p.site = &site;
    p.venue = &venue;
    auto [a, b] = geo::nearest_points(site.shape, venue.shape);
    p.from = a;
    p.to = b;
    if (a.lon == b.lon && a.lat == b.lat) {
        p.distance_m = 0;
        // Touching or inside: bear from the site's reference point toward the venue's (0 when they coincide).
        const bool same = site.shape.point.lon == venue.shape.point.lon && site.shape.point.lat == venue.shape.point.lat;
        p.bearing_deg = same ? 0.0 : geo::inverse(site.shape.point, venue.shape.point).azimuth_deg;
        return p;
    }
    const auto g = geo::inverse(a, b);
    p.distance_m = g.distance_m;
    p.bearing_deg = g.azimuth_deg;
    return p;
}

ProximityReport proximity(const Snapshot& s, std::vector<double> rings, const std::string& site_filter,
                          int threads) {
    if (rings.empty()) rings = kDefaultRings;
    for (double r : rings)
        if (!(r > 0) || !std::isfinite(r)) throw std::invalid_argument("a ring radius must be a positive number of metres");
    std::sort(rings.begin(), rings.end());
    rings.erase(std::unique(rings.begin(), rings.end()), rings.end());
    const double reach = rings.back();

    std::vector<const SiteView*> sites;
    for (auto& site : s.sites())
        if (site_filter.empty() || site.site.name == site_filter) sites.push_back(&site);
    if (!site_filter.empty() && sites.empty()) throw UnknownReference("unknown site '" + site_filter + "'");

    // Sites are independent: split them over threads, each writing its own slot.
    std::vector<std::vector<ProximityPair>> per_site(sites.size());
    auto work = [&](std::size_t first, std::size_t step) {
        for (std::size_t i = first; i < sites.size(); i += step) {
            const SiteView& site = *sites[i];
            auto& out = per_site[i];
            s.listed_near(site.shape.box, reach, [&](std::uint32_t k) {
                const VenueView& v = s.venues()[k];
                // The plane bound is trusted only at short range (as in nearest_listed).
                if (reach <= 50000 && lower_bound_m(site.shape.box, v.shape.box) > reach) return;
                ProximityPair p = measure_pair(site, v);
                if (p.distance_m <= reach) out.push_back(p);
            });
            std::sort(out.begin(), out.end(), [](const ProximityPair& a, const ProximityPair& b) {
                return a.distance_m != b.distance_m ? a.distance_m < b.distance_m
                                                    : a.venue->venue.id < b.venue->venue.id;
            });
        }
    };
    const std::size_t n = std::size_t(std::clamp(threads, 1, 64));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < n; ++t) pool.emplace_back(work, t, n);
    work(0, n);
    for (auto& t : pool) t.join();

    ProximityReport report;
    report.rings = rings;
    // Nearest site per venue, by venue position: a flat vector, not a map (a map lookup per pair
    // was a fifth of the whole run at 100k venues × 1k sites).
    std::vector<const ProximityPair*> venue_nearest(s.venues().size(), nullptr);
    for (std::size_t i = 0; i < sites.size(); ++i) {
        SiteExposure e;
        e.site = sites[i];
        e.ring_counts.assign(rings.size(), 0);
        for (auto& p : per_site[i]) {
            std::size_t k = std::size_t(std::lower_bound(rings.begin(), rings.end(), p.distance_m) - rings.begin());
            for (std::size_t j = k; j < rings.size(); ++j) ++e.ring_counts[j];
            e.exposure += std::ldexp(1.0, -int(k));
            auto& nearest = venue_nearest[std::size_t(p.venue - s.venues().data())];
            if (!nearest || p.distance_m < nearest->distance_m) nearest = &p;
        }
        e.exposure *= double(sites[i]->site.personnel);
        if (!per_site[i].empty()) e.nearest = per_site[i].front();
        report.sites.push_back(e);
        report.pairs.insert(report.pairs.end(), per_site[i].begin(), per_site[i].end());
    }
    std::stable_sort(report.sites.begin(), report.sites.end(), [](const SiteExposure& a, const SiteExposure& b) {
        return a.exposure > b.exposure;
    });
    for (std::size_t k = 0; k < venue_nearest.size(); ++k)
        if (venue_nearest[k]) report.venues.push_back({&s.venues()[k], *venue_nearest[k]});
    std::sort(report.venues.begin(), report.venues.end(), [](const VenueNearest& a, const VenueNearest& b) {
        return a.nearest.distance_m != b.nearest.distance_m ? a.nearest.distance_m < b.nearest.distance_m
                                                            : a.venue->venue.id < b.venue->venue.id;
    });
    return report;
}

}  // namespace keepout::analysis
