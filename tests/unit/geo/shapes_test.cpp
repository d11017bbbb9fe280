#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "geo/geodesic.hpp"
#include "geo/geos.hpp"
#include "geo/shapes.hpp"

using namespace keepout::geo;

namespace {
void put_u32(std::string& s, std::uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }
void put_f64(std::string& s, double v) { s.append(reinterpret_cast<const char*>(&v), 8); }

std::string point_wkb(double x, double y) {
    std::string s(1, '\x01');
    put_u32(s, 1);
    put_f64(s, x);
    put_f64(s, y);
    return s;
}

std::string polygon_body(const std::vector<std::vector<LonLat>>& rings) {
    std::string s;
    put_u32(s, std::uint32_t(rings.size()));
    for (auto& r : rings) {
        put_u32(s, std::uint32_t(r.size()));
        for (auto& p : r) {
            put_f64(s, p.lon);
            put_f64(s, p.lat);
        }
    }
    return s;
}

std::string polygon_wkb(const std::vector<std::vector<LonLat>>& rings) {
    std::string s(1, '\x01');
    put_u32(s, 3);
    return s + polygon_body(rings);
}

std::vector<LonLat> square(double x, double y, double d) {
    return {{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}};
}
}  // namespace

TEST_CASE("shapes decode WKB points, polygons and multipolygons", "[geo][shapes]") {
    auto p = shape_from_wkb(point_wkb(21.1, 42.6));
    CHECK(p.is_point);
    CHECK(p.point.lon == 21.1);
    CHECK(p.box.min_lat == 42.6);

    auto poly = shape_from_wkb(polygon_wkb({square(21.0, 42.0, 0.01)}));
    CHECK_FALSE(poly.is_point);
    REQUIRE(poly.polygons.size() == 1);
    CHECK(poly.box.max_lon == Approx(21.01));

    std::string multi(1, '\x01');
    put_u32(multi, 6);
    put_u32(multi, 2);
    for (double x : {21.0, 21.1}) {
        multi += '\x01';
        put_u32(multi, 3);
        multi += polygon_body({square(x, 42.0, 0.01)});
    }
    auto m = shape_from_wkb(multi);
    CHECK(m.polygons.size() == 2);
    CHECK(m.box.max_lon == Approx(21.11));

    CHECK_THROWS_AS(shape_from_wkb(std::string("\x01\x02", 2)), GeometryError);
    std::string line(1, '\x01');
    put_u32(line, 2);
    put_u32(line, 0);
    CHECK_THROWS_AS(shape_from_wkb(line), GeometryError);
}

TEST_CASE("contains: inside, outside, in a hole, on the boundary", "[geo][shapes]") {
    auto s = shape_from_wkb(polygon_wkb({square(21.0, 42.0, 0.01), square(21.004, 42.004, 0.002)}));
    CHECK(contains(s, {21.001, 42.001}));
    CHECK_FALSE(contains(s, {21.005, 42.005}));  // in the hole
    CHECK_FALSE(contains(s, {21.02, 42.001}));
    CHECK(contains(s, {21.0, 42.005}));  // on the outer edge
    CHECK_FALSE(contains(shape_from_wkb(point_wkb(21.0, 42.0)), {21.0, 42.0}));
}

TEST_CASE("nearest points are on the boundary and measured geodesically", "[geo][shapes]") {
    auto s = shape_from_wkb(polygon_wkb({square(21.0, 42.0, 0.01)}));
    // Due south of the bottom edge: the nearest point has the same longitude, on latitude 42.0.
    LonLat q = nearest_point(s, {21.005, 41.99});
    CHECK(q.lon == Approx(21.005).margin(1e-9));
    CHECK(q.lat == Approx(42.0).margin(1e-12));
    // Inside: the point itself.
    LonLat in = nearest_point(s, {21.005, 42.005});
    CHECK(in.lon == 21.005);
    CHECK(in.lat == 42.005);
    // Two squares apart on the same latitude band: nearest points face each other.
    auto t = shape_from_wkb(polygon_wkb({square(21.02, 42.0, 0.01)}));
    auto [a, b] = nearest_points(s, t);
    CHECK(a.lon == Approx(21.01));
    CHECK(b.lon == Approx(21.02));
    CHECK(inverse(a, b).distance_m > 800);
    // Overlapping squares touch: distance 0.
    auto u = shape_from_wkb(polygon_wkb({square(21.005, 42.005, 0.01)}));
    auto [c, d] = nearest_points(s, u);
    CHECK(c.lon == d.lon);
    CHECK(c.lat == d.lat);
}

TEST_CASE("expand covers a geodesic circle of that radius", "[geo][shapes]") {
    for (double lat : {0.0, 42.6, 60.0, -70.0}) {
        for (double r : {75.0, 5000.0, 50000.0}) {
            Box b = expand({21.0, lat, 21.0, lat}, r);
            for (double az = 0; az < 360; az += 15) {
                LonLat p = direct({21.0, lat}, az, r);
                INFO("lat " << lat << " r " << r << " az " << az);
                CHECK(p.lon >= b.min_lon);
                CHECK(p.lon <= b.max_lon);
                CHECK(p.lat >= b.min_lat);
                CHECK(p.lat <= b.max_lat);
            }
        }
    }
}
