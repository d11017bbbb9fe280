// PROJ transforms and the UTM zone of a position, in both hemispheres and at the zone exceptions.
#include "geo/projection.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "geo/utm_zones.hpp"

using namespace keepout;

TEST_CASE("projection: the UTM zone and hemisphere come from the position") {
    CHECK(geo::utm_crs_of({21.17, 42.66}) == "EPSG:32634");
    CHECK(geo::utm_crs_of({17.9, 42.0}) == "EPSG:32633");
    CHECK(geo::utm_crs_of({35.4, 33.2}) == "EPSG:32636");
    CHECK(geo::utm_crs_of({29.22, -1.68}) == "EPSG:32735");  // Goma, just south of the equator
    CHECK(geo::utm_crs_of({29.22, 0.0}) == "EPSG:32635");    // the equator itself is north
    CHECK(geo::utm_crs_of({30.0, -1.0}) == "EPSG:32736");    // 30°E begins zone 36
    CHECK(geo::utm_crs_of({-70, -33}) == "EPSG:32719");
    // Norway's zone 32V reaches west to 3°E, Svalbard's 33X covers 9°E–21°E.
    CHECK(geo::utm_zone_of({5.3, 60.5}) == 32);
    CHECK(geo::utm_zone_of({20.0, 78.0}) == 33);
    // Beyond UTM's latitudes a map still gets the zone by longitude.
    CHECK(geo::utm_zone_of({-100.0, 85.0}) == 14);
    CHECK_THROWS_AS(geo::utm_zone_of({21.0, 95.0}), geo::CoordinateError);
}

TEST_CASE("projection: forward and back through PROJ, north and south") {
    // Reference values: echo "LAT LON" | GeoConvert -u -p 3
    //   42.66296 21.16563 -> 34n 513573.784 4723401.479
    //   -1.68 29.22       -> 35s 746987.060 9814168.654
    //   -4.85 31.6        -> 36s 344753.801 9463756.053
    struct Case {
        const char* crs;
        geo::LonLat p;
        double e, n;
    };
    for (const Case& c : {Case{"EPSG:32634", {21.16563, 42.66296}, 513573.784, 4723401.479},
                          Case{"EPSG:32735", {29.22, -1.68}, 746987.060, 9814168.654},
                          Case{"EPSG:32736", {31.6, -4.85}, 344753.801, 9463756.053}}) {
        INFO(c.crs);
        const geo::Projection p(c.crs);
        const geo::XY q = p.forward(c.p);
        CHECK(q.x == Approx(c.e).margin(0.002));
        CHECK(q.y == Approx(c.n).margin(0.002));
        const geo::LonLat back = p.inverse(q);
        CHECK(back.lon == Approx(c.p.lon).margin(1e-9));
        CHECK(back.lat == Approx(c.p.lat).margin(1e-9));
        std::vector<geo::XY> many{{c.p.lon, c.p.lat}, {c.p.lon, c.p.lat}};
        p.forward(many);
        CHECK(many[1].x == Approx(c.e).margin(0.002));
        p.inverse(many);
        CHECK(many[0].y == Approx(c.p.lat).margin(1e-9));
    }
    const geo::Projection p("EPSG:32634");
    CHECK(p.scale_factor({21.0, 42.6}) == Approx(0.9996).margin(0.0002));  // on the central meridian
    CHECK(std::abs(p.north_angle({21.0, 42.6})) < 0.01);
    CHECK(p.north_angle({22.5, 42.6}) < 0);  // east of the central meridian, true north leans west of grid north
    // South of the equator the convergence turns the other way.
    CHECK(geo::Projection("EPSG:32735").north_angle({29.22, -1.68}) > 0);
    CHECK(geo::Projection("EPSG:32735").north_angle({25.0, -10.0}) < 0);
    CHECK_THROWS_AS(geo::Projection("EPSG:4326"), geo::ProjectionError);  // not projected
    CHECK_THROWS_AS(geo::Projection("EPSG:999999"), geo::ProjectionError);
}
