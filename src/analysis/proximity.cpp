#include "analysis/proximity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "geo/geodesic.hpp"

namespace keepout::analysis {

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
    if (!site_filter.empty() && sites.empty()) throw std::invalid_argument("unknown site '" + site_filter + "'");

    // Sites are independent: split them over threads, each writing its own slot.
    std::vector<std::vector<ProximityPair>> per_site(sites.size());
    auto work = [&](std::size_t first, std::size_t step) {
        for (std::size_t i = first; i < sites.size(); i += step) {
            const SiteView& site = *sites[i];
            auto& out = per_site[i];
            s.listed_near(site.shape.box, reach, [&](std::uint32_t k) {
                const VenueView& v = s.venues()[k];
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
    std::map<const VenueView*, ProximityPair> venue_nearest;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        SiteExposure e;
        e.site = sites[i];
        e.ring_counts.assign(rings.size(), 0);
        for (auto& p : per_site[i]) {
            std::size_t k = std::size_t(std::lower_bound(rings.begin(), rings.end(), p.distance_m) - rings.begin());
            for (std::size_t j = k; j < rings.size(); ++j) ++e.ring_counts[j];
            e.exposure += std::ldexp(1.0, -int(k));
            auto it = venue_nearest.find(p.venue);
            if (it == venue_nearest.end() || p.distance_m < it->second.distance_m) venue_nearest[p.venue] = p;
        }
        e.exposure *= double(sites[i]->site.personnel);
        if (!per_site[i].empty()) e.nearest = per_site[i].front();
        report.sites.push_back(e);
        report.pairs.insert(report.pairs.end(), per_site[i].begin(), per_site[i].end());
    }
    std::stable_sort(report.sites.begin(), report.sites.end(), [](const SiteExposure& a, const SiteExposure& b) {
        return a.exposure > b.exposure;
    });
    for (auto& [venue, pair] : venue_nearest) report.venues.push_back({venue, pair});
    std::sort(report.venues.begin(), report.venues.end(), [](const VenueNearest& a, const VenueNearest& b) {
        return a.nearest.distance_m != b.nearest.distance_m ? a.nearest.distance_m < b.nearest.distance_m
                                                            : a.venue->venue.id < b.venue->venue.id;
    });
    return report;
}

}  // namespace keepout::analysis
