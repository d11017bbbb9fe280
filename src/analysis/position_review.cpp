#include "analysis/position_review.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/snapshot.hpp"
#include "geo/geodesic.hpp"
#include "geo/shapes.hpp"

namespace keepout::analysis {

namespace {

std::string lat_lon_text(geo::LonLat p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", p.lat, p.lon);
    return buf;
}

// Distance from a point to a box on the ellipsoid (0 inside): to the nearest point of the box,
// which on this scale is the clamped longitude and latitude.
double distance_to_box(geo::LonLat p, const geo::Box& b) {
    const geo::LonLat q{std::clamp(p.lon, b.min_lon, b.max_lon), std::clamp(p.lat, b.min_lat, b.max_lat)};
    if (q.lon == p.lon && q.lat == p.lat) return 0;
    return geo::inverse(q, p).distance_m;
}

double margin_of(const geo::Box& b) {
    const double diagonal =
        geo::inverse({b.min_lon, b.min_lat}, {b.max_lon, b.max_lat}).distance_m;
    return std::max(kDataAreaMarginM, diagonal / 4);
}

}  // namespace

void review_position(const Snapshot& s, const geo::ParsedPosition& parsed, PositionCheck& check) {
    const geo::LonLat p = parsed.at;
    if (parsed.decimal_comma)
        check.warnings.push_back({"decimal-comma",
                                  "the commas were read as decimal points: " + lat_lon_text(p) + " (latitude, longitude)",
                                  ""});
    if (parsed.zone_from_context)
        check.warnings.push_back({"grid-zone-from-sites",
                                  "the MGRS reference had no grid zone; read in zone " + *parsed.zone_from_context +
                                      ", the deployment sites' zone: " + geo::to_mgrs(p),
                                  ""});
    if (const auto& area = s.mission().area; area && !geo::contains(*area, p)) {
        check.outside_mission_area = true;
        check.warnings.push_back({"outside-mission-area",
                                  "this position lies outside the mission area" +
                                      (s.mission().name.empty() ? std::string() : " of " + s.mission().name) +
                                      ": venues there are not on this list; check it was typed right",
                                  ""});
    }
    const auto& bounds = s.data_bounds();
    if (!bounds) return;
    const double margin = margin_of(*bounds);
    const double away = distance_to_box(p, *bounds);
    if (away <= margin) return;
    char km[32];
    std::snprintf(km, sizeof km, "%.0f", away / 1000);
    // The same two numbers the other way round, when that is a position at all.
    const bool can_swap = parsed.form == geo::PositionForm::decimal || parsed.form == geo::PositionForm::dms;
    const geo::LonLat swapped{p.lat, p.lon};
    if (can_swap && std::abs(swapped.lat) <= 90 && distance_to_box(swapped, *bounds) <= margin) {
        check.warnings.push_back({"possible-swap",
                                  "this position is " + std::string(km) +
                                      " km from the mission's venues and sites; with latitude and longitude the "
                                      "other way round it is among them: " +
                                      lat_lon_text(swapped),
                                  lat_lon_text(swapped)});
        if (!check.off_limits) check.ambiguous = true;
        return;
    }
    check.warnings.push_back({"outside-data-area", "this position is " + std::string(km) +
                                                       " km from the mission's venues and sites: check it was typed "
                                                       "right",
                              ""});
}

}  // namespace keepout::analysis
