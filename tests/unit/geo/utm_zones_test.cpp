// The UTM zones of a mission area, north and south of the equator and across zone edges.
#include "geo/utm_zones.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>


using namespace keepout;

namespace {

using Ring = std::vector<std::pair<double, double>>;

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_double(std::string& out, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
}

// Little-endian WKB of a polygon with one ring (areas are far larger than any venue may be).
std::string polygon(const Ring& ring) {
    std::string out(1, '\x01');
    put_u32(out, 3);
    put_u32(out, 1);
    put_u32(out, std::uint32_t(ring.size()));
    for (auto [x, y] : ring) {
        put_double(out, x);
        put_double(out, y);
    }
    return out;
}

std::string box(double w, double s, double e, double n) { return polygon({{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}); }

}  // namespace

TEST_CASE("EPSG codes of UTM zones") {
    CHECK(geo::utm_epsg(34, true) == 32634);
    CHECK(geo::utm_epsg(36, false) == 32736);
    CHECK_THROWS(geo::utm_epsg(0, true));
    CHECK_THROWS(geo::utm_epsg(61, false));
}

TEST_CASE("an area in one zone of the northern hemisphere") {
    CHECK(geo::utm_epsg_codes_touching(box(20.0, 41.8, 21.8, 43.3)) == std::vector<int>{32634});  // Kosovo
    CHECK(geo::utm_epsg_codes_touching(box(35.1, 33.0, 35.9, 33.4)) == std::vector<int>{32636});  // south Lebanon
}

TEST_CASE("an area in the southern hemisphere and one across the equator and 30°E") {
    CHECK(geo::utm_epsg_codes_touching(box(29.0, -2.0, 29.5, -1.5)) == std::vector<int>{32735});
    CHECK(geo::utm_epsg_codes_touching(box(-71.0, -33.0, -70.2, -32.0)) == std::vector<int>{32719});
    CHECK(geo::utm_epsg_codes_touching(box(29.0, -0.5, 31.0, 0.5)) ==
          std::vector<int>{32635, 32636, 32735, 32736});
}

TEST_CASE("an area that only runs along a zone edge or the equator stays in its own zone") {
    CHECK(geo::utm_epsg_codes_touching(box(16.0, 42.0, 18.0, 43.0)) == std::vector<int>{32633});
    CHECK(geo::utm_epsg_codes_touching(box(18.0, 42.0, 19.0, 43.0)) == std::vector<int>{32634});
    CHECK(geo::utm_epsg_codes_touching(box(10.0, 0.0, 11.0, 1.0)) == std::vector<int>{32632});
    CHECK(geo::utm_epsg_codes_touching(box(10.0, -1.0, 11.0, 0.0)) == std::vector<int>{32732});
}

TEST_CASE("an L-shaped area whose box enters a zone the area itself does not") {
    // From 16°E to 19°E at its south edge only: the bounding box reaches zone 34 in the north, the
    // polygon does not.
    const std::string l = polygon({{16, -5}, {19, -5}, {19, -4}, {17, -4}, {17, 2}, {16, 2}, {16, -5}});
    CHECK(geo::utm_epsg_codes_touching(l) == std::vector<int>{32633, 32733, 32734});
}
