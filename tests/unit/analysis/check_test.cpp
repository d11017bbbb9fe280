#include <catch2/catch.hpp>

#include <random>

#include "analysis/check.hpp"
#include "unit/analysis/fixtures.hpp"
#include "geo/geodesic.hpp"

using namespace keepout;
using namespace keepout::analysis;
using keepout::test::make_snapshot;
using keepout::test::point_venue;
using keepout::test::square_venue;

TEST_CASE("position check: radius edges, footprints and unlisted venues", "[analysis][check]") {
    const geo::LonLat camp{21.2483, 42.36567};
    const geo::LonLat north_74 = geo::direct(camp, 0, 74.9);
    const geo::LonLat east_76 = geo::direct(camp, 90, 75.1);
    auto snap = make_snapshot({point_venue(1, north_74.lon, north_74.lat), point_venue(2, east_76.lon, east_76.lat),
                               point_venue(3, camp.lon, camp.lat, /*listed=*/false)});

    auto c = check_position(*snap, camp, kDefaultCheckRadius);
    CHECK(c.off_limits);
    REQUIRE(c.matches.size() == 1);  // the unlisted venue at the very spot does not count
    CHECK(c.matches[0].venue->venue.id == 1);
    CHECK(c.matches[0].distance_m == Approx(74.9).margin(1e-6));
    CHECK(c.matches[0].bearing_deg == Approx(0.0).margin(1e-6));

    auto tight = check_position(*snap, camp, 70);
    CHECK_FALSE(tight.off_limits);
    REQUIRE(tight.nearest);
    CHECK(tight.nearest->venue->venue.id == 1);

    auto wide = check_position(*snap, camp, 80);
    CHECK(wide.matches.size() == 2);
    CHECK(wide.matches[1].bearing_deg == Approx(90.0).margin(0.01));
    CHECK(count_within(*snap, camp, 80) == 2);
}

TEST_CASE("inside a footprint is off-limits at distance 0, even with radius 0", "[analysis][check]") {
    auto snap = make_snapshot({square_venue(1, 21.0, 42.0, 0.001)});
    auto c = check_position(*snap, {21.0005, 42.0005}, 0);
    CHECK(c.off_limits);
    CHECK(c.matches.at(0).distance_m == 0);
    // South of the square by a known geodesic distance (nearest point is on the bottom edge).
    const geo::LonLat south = geo::direct({21.0005, 42.0}, 180, 60);
    auto d = check_position(*snap, south, 75);
    CHECK(d.off_limits);
    CHECK(d.matches.at(0).distance_m == Approx(60).margin(0.01));
}

TEST_CASE("an empty list answers not listed with no nearest venue", "[analysis][check]") {
    auto snap = make_snapshot({point_venue(1, 21.0, 42.0, false)});
    auto c = check_position(*snap, {21.0, 42.0}, 75);
    CHECK_FALSE(c.off_limits);
    CHECK_FALSE(c.nearest);
}

TEST_CASE("position checks agree with brute force over random venues", "[analysis][check]") {
    auto venues = test::random_venues(3000, 11);
    auto snap = make_snapshot(venues);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25);
    for (int q = 0; q < 300; ++q) {
        geo::LonLat p{lon(rng), lat(rng)};
        const double radius = q % 2 ? 75 : 3000;
        std::vector<model::Id> expected;
        double nearest = 1e300;
        model::Id nearest_id = 0;
        for (auto& v : snap->venues()) {
            if (!v.listed) continue;
            const double d = measure(v, p).distance_m;
            if (d <= radius) expected.push_back(v.venue.id);
            if (d < nearest) nearest = d, nearest_id = v.venue.id;
        }
        auto c = check_position(*snap, p, radius);
        std::vector<model::Id> got;
        for (auto& m : c.matches) got.push_back(m.venue->venue.id);
        std::sort(got.begin(), got.end());
        std::sort(expected.begin(), expected.end());
        REQUIRE(got == expected);
        REQUIRE(count_within(*snap, p, radius) == expected.size());
        REQUIRE(c.nearest);
        CHECK(c.nearest->venue->venue.id == nearest_id);
    }
}

TEST_CASE("the nearest listed venue agrees with brute force from dense to sparse lists", "[analysis][check]") {
    // Dense lists answer from the first ring; sparse ones need rings of tens of kilometres, where
    // the plane bound is no longer used to skip candidates.
    for (int count : {20000, 300, 12, 2}) {
        auto venues = test::random_venues(std::size_t(count), unsigned(count));
        auto snap = make_snapshot(venues);
        std::mt19937 rng(unsigned(count) + 7);
        std::uniform_real_distribution<double> lon(19.5, 22.3), lat(41.5, 43.6);
        for (int q = 0; q < 200; ++q) {
            geo::LonLat p{lon(rng), lat(rng)};
            double nearest = 1e300;
            model::Id nearest_id = 0;
            for (auto& v : snap->venues()) {
                if (!v.listed) continue;
                const double d = measure(v, p).distance_m;
                if (d < nearest || (d == nearest && v.venue.id < nearest_id)) nearest = d, nearest_id = v.venue.id;
            }
            auto got = nearest_listed(*snap, p);
            if (nearest_id == 0) {
                CHECK_FALSE(got);
                continue;
            }
            REQUIRE(got);
            CHECK(got->venue->venue.id == nearest_id);
            CHECK(got->distance_m == nearest);
        }
    }
}
