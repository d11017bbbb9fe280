#pragma once
// "Is it prohibited?" — by position or by name, against one snapshot.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/snapshot.hpp"
#include "geo/coordinates.hpp"

namespace keepout::analysis {

inline constexpr double kDefaultCheckRadius = 75.0;  // metres

// Every check ends in one of these; input that cannot be read is an error instead.
enum class Verdict { off_limits, not_listed, ambiguous };
std::string_view to_string(Verdict);  // "off-limits", "not-listed", "ambiguous"

// Something the user should know about how their input was read ("only category words", "read
// as lat,lon with the numbers swapped", …). `alternative_at` is a position to check instead.
struct CheckWarning {
    std::string code;
    std::string message;
    std::string alternative_at;  // empty when none
};

struct PositionMatch {
    const VenueView* venue = nullptr;
    double distance_m = 0;   // geodesic, 0 inside a footprint
    double bearing_deg = 0;  // from the checked point toward the venue
};

struct PositionCheck {
    bool off_limits = false;
    // The position as typed may not be what was meant (latitude and longitude look swapped): the
    // user picks; see review_position (analysis/position_review.hpp).
    bool ambiguous = false;
    // The mission has an area and the position lies outside it (see review_position): the list
    // covers the mission's area, so a point elsewhere was mistyped or is not the mission's to check.
    bool outside_mission_area = false;
    std::vector<CheckWarning> warnings;
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

struct NameCandidateView {
    const VenueView* venue = nullptr;
    NameCandidate match;
};

// How many candidates an ambiguous answer lists, and similar unlisted names any answer lists.
inline constexpr std::size_t kMaxNameMatches = 10;
inline constexpr std::size_t kMaxSimilarNotListed = 5;
// Longest name accepted, in characters.
inline constexpr std::size_t kMaxNameQueryChars = 200;

struct NameCheck {
    Verdict verdict = Verdict::not_listed;
    std::string folded;  // the query as matched
    // off-limits: the one clear match (listed). not-listed: the one clear match when there is one
    // (a venue not on the list, or lifted), else empty. ambiguous: the candidates, best first,
    // listed before unlisted at equal scores, at most kMaxNameMatches.
    std::vector<NameCandidateView> matches;
    std::size_t candidates = 0;  // candidates in all (matches may show fewer)
    // Venues not on the list among the candidates (or the near ones): "known, but not listed".
    std::vector<NameCandidateView> not_listed;
    std::vector<CheckWarning> warnings;
};

// The verdict by name (rules in check.cpp and the README). Throws NameQueryError for a name that
// is not UTF-8, longer than kMaxNameQueryChars, or with no letter or digit.
NameCheck check_name(const Snapshot&, std::string_view query);

}  // namespace keepout::analysis
