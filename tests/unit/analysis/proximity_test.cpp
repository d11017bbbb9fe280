#include <catch2/catch.hpp>

#include "unit/analysis/fixtures.hpp"
#include "analysis/proximity.hpp"
#include "geo/geodesic.hpp"

using namespace keepout;
using namespace keepout::analysis;
using keepout::test::make_snapshot;
using keepout::test::point_site;
using keepout::test::point_venue;

TEST_CASE("proximity: rings, nearest, exposure on a hand-made case", "[analysis][proximity]") {
    const geo::LonLat a{21.0, 42.0}, b{21.5, 42.5};
    auto at = [](geo::LonLat o, double az, double m) { return geo::direct(o, az, m); };
    std::vector<VenueView> venues;
    venues.push_back(point_venue(1, at(a, 10, 300).lon, at(a, 10, 300).lat));     // ring 500
    venues.push_back(point_venue(2, at(a, 200, 1500).lon, at(a, 200, 1500).lat));  // ring 2000
    venues.push_back(point_venue(3, at(a, 90, 4000).lon, at(a, 90, 4000).lat));    // ring 5000
    venues.push_back(point_venue(4, at(a, 90, 400).lon, at(a, 90, 400).lat, false));  // not listed
    venues.push_back(point_venue(5, at(b, 0, 900).lon, at(b, 0, 900).lat));        // near b only
    auto snap = make_snapshot(venues, {point_site(1, a.lon, a.lat, 100), point_site(2, b.lon, b.lat, 1000)});

    auto r = proximity(*snap, {});
    CHECK(r.rings == std::vector<double>{500, 1000, 2000, 5000});
    REQUIRE(r.pairs.size() == 4);
    // Site 2 (1000 people, one venue at 900 m → weight ½) outranks site 1 (100 people, 1 + ¼ + ⅛).
    REQUIRE(r.sites.size() == 2);
    CHECK(r.sites[0].site->site.id == 2);
    CHECK(r.sites[0].exposure == Approx(500.0));
    CHECK(r.sites[1].exposure == Approx(100 * (1 + 0.25 + 0.125)));
    CHECK(r.sites[1].ring_counts == std::vector<std::size_t>{1, 1, 2, 3});
    CHECK(r.sites[1].nearest->venue->venue.id == 1);
    CHECK(r.sites[1].nearest->distance_m == Approx(300).margin(1e-6));
    CHECK(r.sites[1].nearest->bearing_deg == Approx(10).margin(1e-6));
    // Nearest site per venue.
    REQUIRE(r.venues.size() == 4);
    CHECK(r.venues[0].venue->venue.id == 1);

    auto only = proximity(*snap, {1000}, "Site 2");
    REQUIRE(only.sites.size() == 1);
    CHECK(only.pairs.size() == 1);
    CHECK_THROWS_AS(proximity(*snap, {}, "Nowhere"), std::invalid_argument);
    CHECK_THROWS_AS(proximity(*snap, {-5}), std::invalid_argument);
}

TEST_CASE("proximity pairs agree with brute force, on one thread or two", "[analysis][proximity]") {
    auto venues = test::random_venues(4000, 5);
    std::vector<SiteView> sites;
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25);
    for (int i = 0; i < 40; ++i) sites.push_back(point_site(i + 1, lon(rng), lat(rng), 100 + i));
    auto snap = make_snapshot(venues, sites);
    std::size_t expected = 0;
    for (auto& s : snap->sites())
        for (auto& v : snap->venues())
            if (v.listed && measure_pair(s, v).distance_m <= 5000) ++expected;
    auto one = proximity(*snap, {}, "", 1);
    auto two = proximity(*snap, {}, "", 2);
    CHECK(one.pairs.size() == expected);
    REQUIRE(two.pairs.size() == one.pairs.size());
    for (std::size_t i = 0; i < one.pairs.size(); ++i) {
        CHECK(one.pairs[i].venue == two.pairs[i].venue);
        CHECK(one.pairs[i].distance_m == two.pairs[i].distance_m);
    }
}
