#pragma once
// How close listed venues are to deployment sites: every site–venue pair within the largest ring,
// ring counts, the nearest venue per site and site per venue, and an exposure ranking.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"

namespace keepout::analysis {

inline const std::vector<double> kDefaultRings{500, 1000, 2000, 5000};

struct ProximityPair {
    const SiteView* site = nullptr;
    const VenueView* venue = nullptr;
    double distance_m = 0;
    double bearing_deg = 0;   // initial azimuth at the site's nearest point toward the venue's
    geo::LonLat from, to;     // the nearest points: on the site, on the venue
};

struct SiteExposure {
    const SiteView* site = nullptr;
    std::vector<std::size_t> ring_counts;  // listed venues within each ring (cumulative), same order as rings
    std::optional<ProximityPair> nearest;  // nearest listed venue within the largest ring
    // Personnel × Σ over venues within the largest ring of 2^-(k) where k is the index of the
    // smallest ring holding the venue: a venue in the first ring counts 1, the next ring ½, … .
    double exposure = 0;
};

struct VenueNearest {
    const VenueView* venue = nullptr;
    ProximityPair nearest;  // nearest site within the largest ring
};

struct ProximityReport {
    std::vector<double> rings;               // ascending
    std::vector<ProximityPair> pairs;         // by site, then distance
    std::vector<SiteExposure> sites;          // most exposed first
    std::vector<VenueNearest> venues;         // listed venues with a site within reach, nearest first
};

// `rings` in metres (any order, positive); `site_filter` empty for every site, else exact name.
// Throws std::invalid_argument for an unknown site or a non-positive radius.
ProximityReport proximity(const Snapshot&, std::vector<double> rings, const std::string& site_filter = "",
                          int threads = 1);

// One pair measured: geodesic distance between nearest points, bearing from the site.
ProximityPair measure_pair(const SiteView& site, const VenueView& venue);

}  // namespace keepout::analysis
