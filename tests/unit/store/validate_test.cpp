// The bounds of a venue, site or sector (store/validate.hpp), and the store refusing a venue
// outside them whichever way it is written.
#include "store/validate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/operations.hpp"
#include "store/repository.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace std::string_literals;

// ---- The bounds of one row ----

namespace {

// Little-endian ISO WKB, written by hand so the checks meet bytes GDAL would never produce.
struct Wkb {
    std::string b;
    Wkb& u8(unsigned v) { return b.push_back(char(v)), *this; }
    Wkb& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b.push_back(char((v >> (8 * i)) & 0xff));
        return *this;
    }
    Wkb& f64(double d) {
        std::uint64_t v;
        std::memcpy(&v, &d, 8);
        for (int i = 0; i < 8; ++i) b.push_back(char((v >> (8 * i)) & 0xff));
        return *this;
    }
    Wkb& header(std::uint32_t type) { return u8(1).u32(type); }
    Wkb& ring(const std::vector<std::pair<double, double>>& pts) {
        u32(std::uint32_t(pts.size()));
        for (auto& [x, y] : pts) f64(x).f64(y);
        return *this;
    }
};

using Ring = std::vector<std::pair<double, double>>;
Ring square(double lon, double lat, double side) {
    return {{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}};
}
std::string polygon_wkb(const Ring& r) { return Wkb().header(3).u32(1).ring(r).b; }
std::string point_wkb(double x, double y) { return Wkb().header(1).f64(x).f64(y).b; }

std::string refusal(const std::string& wkb, FeatureKind kind = FeatureKind::venue) {
    try {
        check_geometry(wkb, kind);
    } catch (const InvalidField& e) {
        CHECK(e.field == "geometry");
        return e.what();
    }
    return "";
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("check_geometry accepts what a venue is", "[store][validate][geometry]") {
    CHECK(refusal(point_wkb(21.1, 42.6)).empty());
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.001))).empty());
    const auto box = check_geometry(polygon_wkb(square(21.1, 42.6, 0.001)), FeatureKind::venue);
    CHECK(box.min_lon == 21.1);
    CHECK(box.max_lat == Approx(42.601));
    // Two buildings of one compound, 200 m apart.
    auto multi = Wkb().header(6).u32(2);
    multi.header(3).u32(1).ring(square(21.1, 42.6, 0.0005));
    multi.header(3).u32(1).ring(square(21.1025, 42.6, 0.0005));
    CHECK(refusal(multi.b).empty());
    // Big-endian WKB reads the same.
    std::string be = {char(0), 0, 0, 0, 1};
    for (double d : {21.1, 42.6}) {
        std::uint64_t v;
        std::memcpy(&v, &d, 8);
        for (int i = 7; i >= 0; --i) be.push_back(char((v >> (8 * i)) & 0xff));
    }
    CHECK(refusal(be).empty());
}

TEST_CASE("check_geometry refuses what cannot be a venue", "[store][validate][geometry]") {
    CHECK(contains(refusal(polygon_wkb({{-179.9, -16.8}, {179.9, -16.8}, {179.9, -16.7}, {-179.9, -16.7}, {-179.9, -16.8}})),
                   "crosses the antimeridian"));
    CHECK(contains(refusal(polygon_wkb(square(21.1, 42.6, 0.1))), "km across"));         // about 13 km
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.03))).empty());                          // about 4 km
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 0.05)), FeatureKind::site).empty());       // a large camp
    CHECK(refusal(polygon_wkb(square(21.1, 42.6, 1.0)), FeatureKind::sector).empty());      // a district
    auto apart = Wkb().header(6).u32(2);
    apart.header(3).u32(1).ring(square(21.1, 42.6, 0.0005));
    apart.header(3).u32(1).ring(square(22.3, 42.6, 0.0005));
    CHECK(contains(refusal(apart.b), "parts of the footprint are"));
    // Parts on either side of 180°: no edge is long, the whole spans the world.
    auto sides = Wkb().header(6).u32(2);
    sides.header(3).u32(1).ring(square(179.99, -16.8, 0.005));
    sides.header(3).u32(1).ring(square(-179.999, -16.8, 0.005));
    CHECK(contains(refusal(sides.b), "across the antimeridian or round the world"));

    CHECK(contains(refusal(point_wkb(NAN, NAN)), "empty"));
    CHECK(contains(refusal(point_wkb(21.1, NAN)), "not finite"));
    CHECK(contains(refusal(point_wkb(INFINITY, 42)), "not finite"));
    CHECK(contains(refusal(point_wkb(200, 42)), "out of range"));
    CHECK(contains(refusal(point_wkb(21, 42), FeatureKind::sector), "Point is not accepted here"));
    CHECK(contains(refusal(Wkb().header(3).u32(0).b), "polygon is empty"));
    CHECK(contains(refusal(Wkb().header(6).u32(0).b), "multipolygon is empty"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21, 42}})), "at least 4"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21.002, 42}, {21, 42}})), "no area"));
    CHECK(contains(refusal(polygon_wkb({{21, 42}, {21.001, 42}, {21.001, 42.001}, {21, 42.001}})), "not closed"));
    CHECK(contains(refusal(Wkb().header(2).u32(0).b), "LineString is not accepted"));
    CHECK(contains(refusal(Wkb().header(1001).f64(21).f64(42).f64(0).b), "Z or M"));
    CHECK(contains(refusal(Wkb().header(0x80000001u).f64(21).f64(42).f64(0).b), "EWKB"));
    CHECK(contains(refusal(""), "truncated"));
    CHECK(contains(refusal("\x07"), "not WKB"));
    CHECK(contains(refusal(point_wkb(21, 42) + "x"), "bytes after its end"));
    // A forged count of a billion points in a few bytes is refused, not allocated or read.
    CHECK(contains(refusal(Wkb().header(3).u32(1).u32(1000000000).f64(21).b), "truncated"));
}

TEST_CASE("check_geometry bounds the vertices of every kind", "[store][validate][geometry]") {
    auto circle = [](std::size_t n) {
        Ring r;
        for (std::size_t i = 0; i < n; ++i) {
            const double a = 2 * M_PI * double(i) / double(n);
            r.emplace_back(21.1 + 0.0005 * std::cos(a), 42.6 + 0.0005 * std::sin(a));
        }
        r.push_back(r.front());
        return r;
    };
    CHECK(refusal(polygon_wkb(circle(9999))).empty());
    CHECK(contains(refusal(polygon_wkb(circle(10000))), "10001 vertices, at most 10000 for a venue"));
    CHECK(refusal(polygon_wkb(circle(10000)), FeatureKind::sector).empty());
    CHECK_THROWS_AS(check_vertex_count(geometry_bounds(FeatureKind::site).max_vertices + 1, FeatureKind::site),
                    InvalidField);
    CHECK_NOTHROW(check_vertex_count(geometry_bounds(FeatureKind::site).max_vertices, FeatureKind::site));
}

TEST_CASE("check_text counts code points and refuses hidden characters", "[store][validate][text]") {
    std::string cyr;
    for (std::size_t i = 0; i < kMaxTextCodePoints; ++i) cyr += "ё";
    CHECK_NOTHROW(check_text("name", cyr));
    CHECK_THROWS_WITH(check_text("name", cyr + "ё"), Catch::Contains("201 characters long, at most 200"));
    CHECK_THROWS_AS(check_text("name", "a\0b"s), InvalidField);
    CHECK_THROWS_WITH(check_text("name", "a\nb"), Catch::Contains("control character U+000A"));
    CHECK_THROWS_WITH(check_text("name", "a\x7f"), Catch::Contains("U+007F"));
    CHECK_THROWS_WITH(check_text("name", "a\xC2\x85"), Catch::Contains("U+0085"));  // NEL, C1
    CHECK_THROWS_WITH(check_text("name", "Bar \xE2\x80\xAE" "eman"), Catch::Contains("bidirectional control U+202E"));
    CHECK_THROWS_WITH(check_text("name", "\xE2\x81\xA6x"), Catch::Contains("U+2066"));
    CHECK_THROWS_WITH(check_text("name", "\xC3\x28"), Catch::Contains("not valid UTF-8"));
    CHECK_NOTHROW(check_text("name", "مطعم \xE2\x80\x8F" "الأرز"));  // Arabic with a right-to-left mark
    try {
        check_text("address", "a\tb");
        FAIL("a tab is a control character");
    } catch (const InvalidField& e) {
        CHECK(e.field == "address");
    }
}

TEST_CASE("check_venue holds every rule for a venue however it arrives", "[store][validate][venue]") {
    keepout::model::Venue v;
    v.name = "Bar Hëna";
    v.geometry = point_wkb(21.1, 42.6);
    CHECK_NOTHROW(check_venue(v));
    auto field_of = [](const keepout::model::Venue& bad) {
        try {
            check_venue(bad);
        } catch (const InvalidField& e) {
            return e.field;
        }
        return std::string();
    };
    auto b = v;
    b.name = "  ";
    CHECK(field_of(b) == "name");
    b = v;
    b.aliases.assign(65, "x");
    CHECK(field_of(b) == "aliases");
    b = v;
    b.former_names = {std::string(201, 'x')};
    CHECK(field_of(b) == "former_names");
    b = v;
    b.address = "a\r\nb";
    CHECK(field_of(b) == "address");
    b = v;
    b.geometry = polygon_wkb(square(21.1, 42.6, 1));
    CHECK(field_of(b) == "geometry");
    b = v;
    b.geometry = polygon_wkb({{21, 42}, {21.001, 42.001}, {21.001, 42}, {21, 42.001}, {21, 42}});  // bow-tie
    CHECK(field_of(b) == "geometry");
    b = v;
    b.geometry.clear();
    CHECK(field_of(b) == "geometry");
}

TEST_CASE("the store refuses a venue out of bounds however it is written", "[store][validate][venue]") {
    keepout::test::TempDir dir;
    auto store = Store::init(dir.file("bounds.sqlite"));
    store->set_actor("tester");
    const auto version = store->list_version();
    keepout::model::Venue v;
    v.name = "Bar Hëna";
    v.category = keepout::model::Category::bar;
    v.geometry = point_wkb(21.1, 42.6);
    auto refused_field = [&](const keepout::model::Venue& bad) {
        try {
            create_venue(*store, bad);
        } catch (const InvalidField& e) {
            return e.field;
        }
        return std::string("written");
    };
    auto b = v;
    b.geometry = point_wkb(211.0, 42.6);  // longitude out of range
    CHECK(refused_field(b) == "geometry");
    b.geometry = point_wkb(21.1, -91.0);
    CHECK(refused_field(b) == "geometry");
    Ring many;  // a ring of 10 001 vertices, one past a venue's bound
    for (int k = 0; k < 10'000; ++k) {
        const double t = 2 * M_PI * k / 10'000;
        many.push_back({21.1 + 0.001 * std::cos(t), 42.6 + 0.001 * std::sin(t)});
    }
    many.push_back(many.front());
    b.geometry = polygon_wkb(many);
    CHECK(refused_field(b) == "geometry");
    b = v;
    b.name = "Bar \xC3\x28";  // not UTF-8
    CHECK(refused_field(b) == "name");
    b = v;
    b.aliases = {"Bar \xE2\x80\xAE" "eman"};  // a bidirectional override
    CHECK(refused_field(b) == "aliases");
    CHECK(store->venues().empty());
    CHECK(store->list_version() == version);

    // A change that would take a stored venue out of bounds is refused the same way.
    const auto stored = create_venue(*store, v);
    VenueChanges c;
    c.name = std::string(201, 'x');
    CHECK_THROWS_AS(update_venue(*store, stored.id, c), InvalidField);
    c.name = "  ";
    CHECK_THROWS_AS(update_venue(*store, stored.id, c), InvalidField);
    CHECK(store->venue(stored.id)->name == "Bar Hëna");
    CHECK(store->audit().verify().ok);
}
