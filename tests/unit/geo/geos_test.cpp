// GEOS through the C API: validity, repair and types, on hand-built WKB.
#include "geo/geos.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

using namespace keepout::geo;

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

// Little-endian ISO WKB.
std::string point_wkb(double lon, double lat) {
    std::string out(1, '\x01');
    put_u32(out, 1);
    put_double(out, lon);
    put_double(out, lat);
    return out;
}

std::string polygon_wkb(const std::vector<Ring>& rings) {
    std::string out(1, '\x01');
    put_u32(out, 3);
    put_u32(out, static_cast<std::uint32_t>(rings.size()));
    for (auto& ring : rings) {
        put_u32(out, static_cast<std::uint32_t>(ring.size()));
        for (auto& [x, y] : ring) {
            put_double(out, x);
            put_double(out, y);
        }
    }
    return out;
}

const Ring square{{21.10, 42.60}, {21.20, 42.60}, {21.20, 42.70}, {21.10, 42.70}, {21.10, 42.60}};
// Edges (0,0)-(1,1) and (1,0)-(0,1) cross at (0.5, 0.5).
const Ring bow_tie{{21.0, 42.0}, {22.0, 43.0}, {22.0, 42.0}, {21.0, 43.0}, {21.0, 42.0}};

std::uint32_t wkb_type(const std::string& wkb) {
    REQUIRE(wkb.size() >= 5);
    REQUIRE(wkb[0] == '\x01');  // written little-endian
    std::uint32_t t = 0;
    for (int i = 0; i < 4; ++i)
        t |= std::uint32_t(static_cast<unsigned char>(wkb[std::size_t(1 + i)])) << (8 * i);
    return t;
}

}  // namespace

TEST_CASE("a square polygon and a point are valid", "[geo][geos]") {
    CHECK(invalid_reason(polygon_wkb({square})) == "");
    CHECK(invalid_reason(point_wkb(21.1655, 42.6629)) == "");
}

TEST_CASE("a polygon with a hole inside is valid", "[geo][geos]") {
    const Ring hole{{21.12, 42.62}, {21.12, 42.68}, {21.18, 42.68}, {21.18, 42.62}, {21.12, 42.62}};
    CHECK(invalid_reason(polygon_wkb({square, hole})) == "");
}

TEST_CASE("a bow-tie polygon is invalid with a self-intersection", "[geo][geos]") {
    const std::string reason = invalid_reason(polygon_wkb({bow_tie}));
    CHECK_FALSE(reason.empty());
    CHECK_THAT(reason, Catch::Contains("Self-intersection"));
    CHECK_THAT(reason, Catch::Contains("21.5") && Catch::Contains("42.5"));  // where the edges cross
}

TEST_CASE("an unclosed ring is reported, not accepted", "[geo][geos]") {
    const Ring open{{21.1, 42.6}, {21.2, 42.6}, {21.2, 42.7}, {21.1, 42.7}};
    // GEOS refuses to build an unclosed ring: either the read throws or the geometry is invalid.
    bool refused = false;
    try {
        refused = !invalid_reason(polygon_wkb({open})).empty();
    } catch (const GeometryError&) {
        refused = true;
    }
    CHECK(refused);
}

TEST_CASE("make_valid repairs a bow-tie into a valid (multi)polygon", "[geo][geos]") {
    const std::string fixed = make_valid(polygon_wkb({bow_tie}));
    CHECK(invalid_reason(fixed) == "");
    const std::string type = geometry_type(fixed);
    CHECK(type == "MultiPolygon");  // the two triangles of the bow-tie
    // Written as little-endian ISO WKB, type 6 (MultiPolygon).
    CHECK(wkb_type(fixed) == 6);
}

TEST_CASE("make_valid keeps a valid polygon a polygon", "[geo][geos]") {
    const std::string fixed = make_valid(polygon_wkb({square}));
    CHECK(geometry_type(fixed) == "Polygon");
    CHECK(invalid_reason(fixed) == "");
    CHECK(wkb_type(fixed) == 3);
}

TEST_CASE("geometry_type names the WKB type", "[geo][geos]") {
    CHECK(geometry_type(point_wkb(21.0, 42.0)) == "Point");
    CHECK(geometry_type(polygon_wkb({square})) == "Polygon");
}

TEST_CASE("garbage WKB throws GeometryError", "[geo][geos]") {
    using namespace std::string_literals;
    for (const std::string& bad : {""s, "not wkb at all"s, "\x01"s, "\x01\x03\x00\x00\x00"s,
                                  "\x01\x01\x00\x00\x00\x00\x00"s,  // a point cut short
                                  "\x07\x01\x00\x00\x00"s,          // no such byte order
                                  "\x01\xFF\x00\x00\x00"s}) {       // no such geometry type
        CAPTURE(bad.size());
        CHECK_THROWS_AS(invalid_reason(bad), GeometryError);
        CHECK_THROWS_AS(make_valid(bad), GeometryError);
        CHECK_THROWS_AS(geometry_type(bad), GeometryError);
    }
    CHECK_THROWS_WITH(invalid_reason("junk"), Catch::StartsWith("unreadable geometry"));
}

TEST_CASE("a truncated polygon WKB throws GeometryError", "[geo][geos]") {
    std::string wkb = polygon_wkb({square});
    wkb.resize(wkb.size() - 8);
    CHECK_THROWS_AS(invalid_reason(wkb), GeometryError);
}
