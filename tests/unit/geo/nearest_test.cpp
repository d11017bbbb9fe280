// Nearest points on footprints against the geodesic truth: reference values found by brute force
// with GeodSolve (tests/data/geodesic/nearest_reference.py wrote nearest.json: run it there as
// `python3 nearest_reference.py > nearest.json`). Across the equator, across 30°E, large camp
// perimeters at the equator and at 60°N, near a UTM zone boundary, and between two footprints.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "geo/geodesic.hpp"
#include "geo/shapes.hpp"

using namespace keepout::geo;
using nlohmann::json;

namespace {

const json& reference() {
    static const json j = [] {
        std::ifstream in(std::string(KEEPOUT_TEST_DATA) + "/geodesic/nearest.json");
        REQUIRE(in);
        return json::parse(in);
    }();
    return j;
}

LonLat lonlat(const json& p) { return {p[0].get<double>(), p[1].get<double>()}; }

Shape footprint(const json& ring) {
    Shape s;
    s.is_point = false;
    Ring r;
    for (const auto& p : ring) r.push_back(lonlat(p));
    s.point = r.front();
    s.box = {r[0].lon, r[0].lat, r[0].lon, r[0].lat};
    for (const auto& p : r)
        s.box = {std::min(s.box.min_lon, p.lon), std::min(s.box.min_lat, p.lat), std::max(s.box.max_lon, p.lon),
                 std::max(s.box.max_lat, p.lat)};
    s.polygons.push_back({{r}});
    return s;
}

double angle_between(double a, double b) {
    const double d = std::fmod(std::fabs(a - b), 360.0);
    return std::min(d, 360.0 - d);
}

}  // namespace

TEST_CASE("nearest point on a footprint: within 0.5 m of the geodesic one, bearing within 0.05°", "[geo][shapes]") {
    int cases = 0;
    for (const auto& c : reference()["cases"]) {
        if (!c.contains("point")) continue;
        ++cases;
        INFO(c["name"].get<std::string>());
        const LonLat p = lonlat(c["point"]);
        const LonLat q = nearest_point(footprint(c["ring"]), p);
        const GeodesicResult g = inverse(p, q);
        CHECK(inverse(q, lonlat(c["nearest"])).distance_m < 0.5);
        CHECK(std::fabs(g.distance_m - c["distance_m"].get<double>()) < 0.05);
        CHECK(angle_between(g.azimuth_deg, c["azimuth_deg"].get<double>()) < 0.05);
    }
    CHECK(cases == 7);
}

TEST_CASE("nearest points of two footprints: within 0.5 m, bearing within 0.05°", "[geo][shapes]") {
    int cases = 0;
    for (const auto& c : reference()["cases"]) {
        if (!c.contains("a")) continue;
        ++cases;
        INFO(c["name"].get<std::string>());
        const auto [from, to] = nearest_points(footprint(c["a"]), footprint(c["b"]));
        const GeodesicResult g = inverse(from, to);
        CHECK(inverse(from, lonlat(c["from"])).distance_m < 0.5);
        CHECK(inverse(to, lonlat(c["to"])).distance_m < 0.5);
        CHECK(std::fabs(g.distance_m - c["distance_m"].get<double>()) < 0.05);
        CHECK(angle_between(g.azimuth_deg, c["azimuth_deg"].get<double>()) < 0.05);
    }
    CHECK(cases == 2);
}

TEST_CASE("nearest point on a geodesic edge: the foot of the perpendicular, or an end", "[geo][geodesic]") {
    // Along the equator the geodesic is the equator: the foot of a point north of it is below it.
    const EdgeFoot f = nearest_on_geodesic({29.0, 0.0}, {31.0, 0.0}, {30.2, 0.01});
    CHECK(f.at.lon == Approx(30.2).margin(1e-9));
    CHECK(std::fabs(f.at.lat) < 1e-9);
    CHECK(f.distance_m == Approx(inverse({30.2, 0.01}, {30.2, 0.0}).distance_m).margin(1e-6));
    // Beyond an end the end itself, whatever the starting guess.
    for (double start : {0.0, 0.3, 1.0}) {
        const EdgeFoot e = nearest_on_geodesic({29.0, 0.0}, {31.0, 0.0}, {31.5, 0.2}, start);
        CHECK(e.at.lon == Approx(31.0).margin(1e-9));
    }
    // A degenerate edge is its point.
    CHECK(nearest_on_geodesic({30.0, -1.0}, {30.0, -1.0}, {30.1, -1.0}).at.lon == Approx(30.0));
}
