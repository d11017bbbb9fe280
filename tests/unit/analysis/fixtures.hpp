#pragma once
// Snapshots built from plain data for the analysis tests.
#include <memory>
#include <random>

#include "analysis/snapshot.hpp"

namespace keepout::test {

inline analysis::VenueView point_venue(model::Id id, double lon, double lat, bool listed = true) {
    analysis::VenueView v;
    v.venue.id = id;
    v.venue.external_id = "V-" + std::to_string(id);
    v.venue.name = "Venue " + std::to_string(id);
    v.shape.is_point = true;
    v.shape.point = {lon, lat};
    v.shape.box = {lon, lat, lon, lat};
    v.listed = listed;
    if (listed) {
        v.directive_ref = "HOM/OL/TEST/1";
        v.listed_since = model::Date::parse("2026-01-20");
        v.reasons = {model::Reason::trafficking};
    }
    return v;
}

inline analysis::VenueView square_venue(model::Id id, double lon, double lat, double side_deg) {
    analysis::VenueView v = point_venue(id, lon, lat);
    v.shape.is_point = false;
    geo::Ring ring{{lon, lat}, {lon + side_deg, lat}, {lon + side_deg, lat + side_deg}, {lon, lat + side_deg}, {lon, lat}};
    v.shape.polygons = {geo::Polygon{{ring}}};
    v.shape.box = {lon, lat, lon + side_deg, lat + side_deg};
    return v;
}

inline analysis::SiteView point_site(model::Id id, double lon, double lat, std::int64_t personnel) {
    analysis::SiteView s;
    s.site.id = id;
    s.site.name = "Site " + std::to_string(id);
    s.site.personnel = personnel;
    s.shape.point = {lon, lat};
    s.shape.box = {lon, lat, lon, lat};
    return s;
}

inline std::shared_ptr<const analysis::Snapshot> make_snapshot(std::vector<analysis::VenueView> venues,
                                                               std::vector<analysis::SiteView> sites = {}) {
    return std::make_shared<const analysis::Snapshot>(model::Date::parse("2026-06-01"), 7, std::move(venues),
                                                      std::move(sites), std::vector<analysis::SectorView>{});
}

// Venues scattered over Kosovo, a quarter of them small footprints, two thirds listed.
inline std::vector<analysis::VenueView> random_venues(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25), side(0.0001, 0.0008);
    std::vector<analysis::VenueView> out;
    for (std::size_t i = 0; i < n; ++i) {
        const model::Id id = model::Id(i + 1);
        auto v = i % 4 == 0 ? square_venue(id, lon(rng), lat(rng), side(rng)) : point_venue(id, lon(rng), lat(rng));
        if (i % 3 == 2) v.listed = false;
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace keepout::test
