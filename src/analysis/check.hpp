#pragma once
// "Is it prohibited?" — by position or by name, against one snapshot.
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/snapshot.hpp"
#include "geo/coordinates.hpp"

namespace keepout::analysis {

inline constexpr double kDefaultCheckRadius = 75.0;  // metres

struct PositionMatch {
    const VenueView* venue = nullptr;
    double distance_m = 0;   // geodesic, 0 inside a footprint
    double bearing_deg = 0;  // from the checked point toward the venue
};

struct PositionCheck {
    bool off_limits = false;
    std::vector<PositionMatch> matches;    // listed venues within the radius, nearest first
    std::optional<PositionMatch> nearest;  // nearest listed venue at any distance (so the margin shows)
};

// Off-limits when the point lies inside a listed footprint or within `radius_m` of a listed venue.
PositionCheck check_position(const Snapshot&, geo::LonLat at, double radius_m, bool find_nearest = true);

// Counts only (no allocation): listed venues within radius of the point. The hot path of the
// server and of the in-process benchmark.
std::size_t count_within(const Snapshot&, geo::LonLat at, double radius_m);

// The nearest listed venue to a point, searching outwards up to max_m.
std::optional<PositionMatch> nearest_listed(const Snapshot&, geo::LonLat at, double max_m = 1.0e6);

// Distance and bearing from a point to a venue (nearest point of its footprint; 0 inside).
PositionMatch measure(const VenueView& v, geo::LonLat at);

struct NameCheck {
    bool off_limits = false;
    std::vector<std::pair<const VenueView*, NameMatch>> listed;      // listed venues above the threshold
    std::vector<std::pair<const VenueView*, NameMatch>> not_listed;  // similar names not on the list
};

NameCheck check_name(const Snapshot&, std::string_view query, double threshold = kNameMatchThreshold);

}  // namespace keepout::analysis
