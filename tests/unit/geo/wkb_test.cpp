// The one WKB reader: both byte orders, extra ordinates and EWKB SRIDs read past, nested
// collections, and hostile bytes (truncated, inflated counts, deep nesting, trailing) refused with
// GeometryError, never a crash or a huge allocation. Also through its two users: geo::shape_from_wkb
// and render::geom_from_wkb.
#include "geo/wkb.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/shapes.hpp"
#include "render/geometry.hpp"

using namespace keepout;
using namespace keepout::geo;

namespace {

struct Writer {
    bool big = false;
    std::string out;
    Writer& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * (big ? 3 - i : i))) & 0xFFu));
        return *this;
    }
    Writer& f64(double d) {
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        for (int i = 0; i < 8; ++i) out.push_back(char((bits >> (8 * (big ? 7 - i : i))) & 0xFFu));
        return *this;
    }
    Writer& head(std::uint32_t type) {
        out.push_back(big ? '\x00' : '\x01');
        return u32(type);
    }
};

// Records what the reader hands over, as text.
struct Recorder final : WkbSink {
    std::vector<std::string> events;
    void begin(WkbType t, std::uint32_t n, int depth) override {
        events.push_back("begin " + std::to_string(int(t)) + " " + std::to_string(n) + " @" + std::to_string(depth));
    }
    void point(LonLat p) override { events.push_back("point " + text(p)); }
    void sequence(std::uint32_t n) override { events.push_back("sequence " + std::to_string(n)); }
    void position(LonLat p) override { events.push_back(text(p)); }
    static std::string text(LonLat p) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g %.17g", p.lon, p.lat);
        return buf;
    }
};

std::vector<std::string> events_of(const std::string& wkb) {
    Recorder r;
    read_wkb(wkb, r);
    return r.events;
}

std::string square_polygon(bool big, double x, double y) {
    Writer w{big, {}};
    w.head(3).u32(1).u32(4);
    w.f64(x).f64(y).f64(x + 1).f64(y).f64(x + 1).f64(y + 1).f64(x).f64(y);
    return w.out;
}

}  // namespace

TEST_CASE("both byte orders read the same", "[geo][wkb]") {
    const double x = 21.123456789012345, y = 42.987654321098765;
    CHECK(events_of(square_polygon(false, x, y)) == events_of(square_polygon(true, x, y)));
    CHECK(events_of(square_polygon(true, x, y)) ==
          std::vector<std::string>{"begin 3 1 @0", "sequence 4", Recorder::text({x, y}), Recorder::text({x + 1, y}),
                                   Recorder::text({x + 1, y + 1}), Recorder::text({x, y})});
}

TEST_CASE("Z, M and ZM ordinates and an EWKB SRID are read past", "[geo][wkb]") {
    const std::vector<std::string> want{"begin 1 0 @0", "point 21 42"};
    CHECK(events_of(Writer{}.head(1001).f64(21).f64(42).f64(500).out) == want);           // ISO Z
    CHECK(events_of(Writer{}.head(2001).f64(21).f64(42).f64(7).out) == want);             // ISO M
    CHECK(events_of(Writer{}.head(3001).f64(21).f64(42).f64(500).f64(7).out) == want);    // ISO ZM
    CHECK(events_of(Writer{}.head(0x80000001u).f64(21).f64(42).f64(500).out) == want);    // EWKB Z
    CHECK(events_of(Writer{}.head(0x20000001u).u32(4326).f64(21).f64(42).out) == want);   // EWKB SRID
    CHECK(events_of(Writer{true, {}}.head(0xA0000001u).u32(4326).f64(21).f64(42).f64(1).out) == want);
}

TEST_CASE("collections nest, each member with its own byte order", "[geo][wkb]") {
    Writer w;
    w.head(7).u32(2);
    w.out += square_polygon(true, 1, 2);
    w.head(2).u32(2).f64(0).f64(0).f64(3).f64(4);
    const auto e = events_of(w.out);
    REQUIRE(e.size() == 11);
    CHECK(e[0] == "begin 7 2 @0");
    CHECK(e[1] == "begin 3 1 @1");
    CHECK(e[7] == "begin 2 2 @1");
    CHECK(e[8] == "sequence 2");
}

TEST_CASE("hostile WKB is refused with GeometryError", "[geo][wkb]") {
    Recorder r;
    // Every proper prefix of a valid polygon is truncated.
    const std::string good = square_polygon(false, 21, 42);
    for (std::size_t n = 0; n < good.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        CHECK_THROWS_AS(read_wkb(good.substr(0, n), r), GeometryError);
    }
    // A count no remaining bytes could hold is refused before anything is reserved for it.
    CHECK_THROWS_AS(read_wkb(Writer{}.head(2).u32(0xFFFFFFFFu).f64(1).f64(2).out, r), GeometryError);
    CHECK_THROWS_AS(read_wkb(Writer{}.head(3).u32(0x40000000u).out, r), GeometryError);
    CHECK_THROWS_AS(read_wkb(Writer{}.head(7).u32(0x10000000u).out, r), GeometryError);
    // Unknown types, bytes after the geometry, collections nested past any real use.
    CHECK_THROWS_AS(read_wkb(Writer{}.head(8).out, r), GeometryError);
    CHECK_THROWS_AS(read_wkb(Writer{}.head(17).f64(1).f64(2).out, r), GeometryError);
    CHECK_THROWS_AS(read_wkb(good + "x", r), GeometryError);
    Writer deep;
    for (int i = 0; i < 40; ++i) deep.head(7).u32(1);
    deep.head(1).f64(1).f64(2);
    CHECK_THROWS_AS(read_wkb(deep.out, r), GeometryError);
    Writer fine;
    for (int i = 0; i < 5; ++i) fine.head(7).u32(1);
    fine.head(1).f64(1).f64(2);
    CHECK_NOTHROW(read_wkb(fine.out, r));
}

TEST_CASE("shape_from_wkb takes points, polygons and multipolygons only", "[geo][wkb][shapes]") {
    const auto s = shape_from_wkb(square_polygon(true, 21, 42));
    CHECK_FALSE(s.is_point);
    CHECK(s.box.min_lon == 21);
    CHECK(s.box.max_lat == 43);
    CHECK(s.point.lon == 21);
    CHECK(shape_from_wkb(Writer{}.head(1001).f64(21).f64(42).f64(500).out).is_point);
    CHECK_THROWS_AS(shape_from_wkb(Writer{}.head(2).u32(2).f64(0).f64(0).f64(1).f64(1).out), GeometryError);
    Writer collection;
    collection.head(7).u32(1);
    collection.out += square_polygon(false, 1, 2);
    CHECK_THROWS_AS(shape_from_wkb(collection.out), GeometryError);
    Writer multi_point;
    multi_point.head(6).u32(1).head(1).f64(1).f64(2);
    CHECK_THROWS_AS(shape_from_wkb(multi_point.out), GeometryError);
    CHECK_THROWS_AS(shape_from_wkb(Writer{}.head(3).u32(0).out), GeometryError);  // POLYGON EMPTY
}

TEST_CASE("the renderer reads every type through the same reader", "[geo][wkb][render]") {
    Writer lines;
    lines.head(5).u32(2);
    lines.head(2).u32(2).f64(0).f64(0).f64(1).f64(1);
    lines.head(2).u32(3).f64(2).f64(2).f64(3).f64(3).f64(4).f64(5);
    const auto g = render::geom_from_wkb(lines.out);
    CHECK(g.kind == render::GeomKind::line);
    REQUIRE(g.parts.size() == 2);
    CHECK(g.parts[1].size() == 3);
    CHECK(g.box.max_lat == 5);
    // POINT EMPTY inside a multipoint is skipped.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Writer points;
    points.head(4).u32(2).head(1).f64(nan).f64(nan).head(1).f64(7).f64(8);
    const auto p = render::geom_from_wkb(points.out);
    CHECK(p.kind == render::GeomKind::point);
    REQUIRE(p.parts.size() == 1);
    CHECK(p.parts[0].size() == 1);
    Writer mixed;
    mixed.head(7).u32(2);
    mixed.out += square_polygon(false, 1, 2);
    mixed.head(1).f64(1).f64(2);
    CHECK_THROWS_AS(render::geom_from_wkb(mixed.out), std::invalid_argument);
    CHECK_THROWS_AS(render::geom_from_wkb(square_polygon(false, 1, 2).substr(0, 20)), std::invalid_argument);
    CHECK(render::geom_from_wkb("").kind == render::GeomKind::none);
}
