#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "geo/geodesic.hpp"
#include "render/layout.hpp"

using namespace keepout;
using namespace keepout::render;

TEST_CASE("layout: ISO page sizes in points") {
    auto a4 = page_dims(PageSize::A4, false);
    CHECK(a4.w == Approx(595.276).margin(0.01));
    CHECK(a4.h == Approx(841.89).margin(0.01));
    auto a3l = page_dims(PageSize::A3, true);
    CHECK(a3l.w == Approx(1190.55).margin(0.01));
    CHECK(a3l.h == Approx(841.89).margin(0.01));
}

TEST_CASE("layout: every frame of a page lies on the paper, none overlapping the map") {
    for (auto size : {PageSize::A4, PageSize::A3})
        for (bool landscape : {false, true}) {
            const PageLayout L = layout_page(size, landscape);
            const Rect paper{0, 0, L.page.w, L.page.h};
            CHECK(paper.contains(L.map_area));
            CHECK(L.map_area.contains(L.frame));
            // (a hair inside, as the rectangles share their edges)
            CHECK_FALSE(L.top_margin.inset(0.001).overlaps(L.map_area));
            CHECK_FALSE(L.bottom_margin.inset(0.001).overlaps(L.map_area));
            REQUIRE_FALSE(L.panel.empty());
            for (auto& p : L.panel) {
                CHECK(paper.contains(p));
                CHECK_FALSE(p.overlaps(L.map_area));
                CHECK_FALSE(p.overlaps(L.top_margin.inset(0.001)));
                CHECK_FALSE(p.overlaps(L.bottom_margin.inset(0.001)));
            }
            for (auto& c : continuation_columns(size, landscape, 20)) CHECK(paper.contains(c));
        }
}

TEST_CASE("layout: nice scales") {
    CHECK(nice_scale(50000) == 50000);
    CHECK(nice_scale(50001) == 52500);
    CHECK(nice_scale(617000) == 625000);
    CHECK(nice_scale(24000) == 25000);
    CHECK(nice_scale(9100) == 9250);
    CHECK(nice_scale(1000000) == 1000000);
    // fit: 100 km across 200 mm of paper is 1:500 000.
    CHECK(fit_scale(100000, 10, 200 * kPtPerMm, 100 * kPtPerMm) == Approx(500000));
}

TEST_CASE("layout: a scale bar is true on paper") {
    // 1:625 000 with no distortion: 20 km is 32 mm of paper.
    ScaleBar b = scale_bar(625000, 1.0, 100 * kPtPerMm);
    CHECK(b.length_m == 50000);
    CHECK(b.length_pt == Approx(80 * kPtPerMm));
    CHECK(b.unit == "km");
    b = scale_bar(625000, 1.0, 60 * kPtPerMm);
    CHECK(b.length_m == 20000);
    CHECK(b.length_pt == Approx(32 * kPtPerMm));
    b = scale_bar(10000, 1.0, 51 * kPtPerMm);
    CHECK(b.length_m == 500);
    CHECK(b.unit == "m");
    // A projection that stretches distances by 0.4% draws the bar 0.4% longer.
    CHECK(scale_bar(625000, 1.004, 60 * kPtPerMm).length_pt == Approx(32 * kPtPerMm * 1.004));
}

TEST_CASE("layout: the scale bar measures true ground distance on the map to 1 percent") {
    // Whatever the CRS, a bar of L metres must match L true metres on the map as drawn.
    for (const char* crs : {"EPSG:32634", "EPSG:3857", "EPSG:32633"}) {
        INFO(crs);
        const Projection proj(crs);
        const geo::LonLat centre{20.9, 42.6};
        const double D = 625000;
        const MapView view({0, 0, 800, 600}, proj.forward(centre), D);
        const ScaleBar bar = scale_bar(D, proj.scale_factor(centre), 200);
        for (double azimuth : {0.0, 45.0, 90.0}) {
            // The bar's true distance laid out on the ground around the centre, measured on paper.
            const geo::LonLat a = geo::direct(centre, azimuth + 180, bar.length_m / 2);
            const geo::LonLat b = geo::direct(centre, azimuth, bar.length_m / 2);
            const XY pa = view.to_page(proj.forward(a)), pb = view.to_page(proj.forward(b));
            const double on_paper = std::hypot(pb.x - pa.x, pb.y - pa.y);
            CHECK(on_paper == Approx(bar.length_pt).epsilon(0.01));
        }
    }
}

TEST_CASE("layout: grid lines fall at multiples of the spacing, where the scale puts them") {
    const Rect frame{50, 40, 700, 500};
    const XY centre{503000, 4725000};
    const double D = 625000;
    const MapView view(frame, centre, D);
    const GridLines g = grid_lines(view, 10000);
    REQUIRE(g.eastings.size() >= 5);
    REQUIRE(g.northings.size() >= 4);
    const double step = 10000 / D * kPtPerMetre;  // 16 mm
    CHECK(step == Approx(16 * kPtPerMm));
    for (auto& l : g.eastings) {
        CHECK(std::fmod(l.value, 10000) == 0);
        CHECK(l.pos == Approx(frame.cx() + (l.value - centre.x) / D * kPtPerMetre));
        CHECK(l.pos >= frame.x);
        CHECK(l.pos <= frame.right());
    }
    for (std::size_t i = 1; i < g.eastings.size(); ++i) CHECK(g.eastings[i].pos - g.eastings[i - 1].pos == Approx(step));
    for (auto& l : g.northings) CHECK(l.pos == Approx(frame.cy() - (l.value - centre.y) / D * kPtPerMetre));
    CHECK(grid_values(0.5, 3.5, 1) == std::vector<double>{1, 2, 3});
    CHECK(grid_spacing(625000) == 10000);
    CHECK(grid_spacing(50000) == 1000);
}

TEST_CASE("layout: a map view goes to the page and back") {
    const MapView v({10, 20, 300, 200}, {500000, 4700000}, 50000);
    const XY q = v.to_page({501000, 4699000});
    CHECK(q.x == Approx(160 + 1000 / 50000.0 * kPtPerMetre));
    CHECK(q.y == Approx(120 + 1000 / 50000.0 * kPtPerMetre));
    const XY back = v.to_crs(q);
    CHECK(back.x == Approx(501000));
    CHECK(back.y == Approx(4699000));
}

TEST_CASE("grouped prints whole numbers in groups of three, as on the map", "[render][layout]") {
    CHECK(grouped(0) == "0");
    CHECK(grouped(999) == "999");
    CHECK(grouped(1000) == "1 000");
    CHECK(grouped(625000) == "625 000");
    CHECK(grouped(1250000) == "1 250 000");
    CHECK(grouped(1499.6) == "1 500");
}

TEST_CASE("layout: grid figures cut the kilometres, never round them", "[render][layout]") {
    // Every half-kilometre line between 4 619 km and 4 623 km, and eastings across a 100 km edge.
    for (double m = 4619000; m <= 4623000; m += 500) {
        const GridFigures g = grid_figures(m, 500);
        CAPTURE(m, g.digits);
        CHECK(g.hundreds == 46);
        const long km = long(m / 1000) % 100;
        char want[16];
        std::snprintf(want, sizeof want, "%02ld", km);
        CHECK(g.digits == std::string(want) + (std::fmod(m, 1000) == 500 ? ".5" : ""));
    }
    CHECK(grid_figures(4620500, 500).digits == "20.5");
    CHECK(grid_figures(4620000, 500).digits == "20");
    CHECK(grid_figures(4620000, 1000).digits == "20");
    CHECK(grid_figures(499999.99999, 1000).digits == "00");  // float noise on a line's value
    CHECK(grid_figures(499999.99999, 1000).hundreds == 5);
    CHECK(grid_figures(399500, 500).digits == "99.5");
    CHECK(grid_figures(399500, 500).hundreds == 3);
    CHECK(grid_figures(20250, 250).digits == "20.25");
    CHECK(grid_figures(480000, 10000).digits == "80");
    CHECK(grid_figures(480000, 10000).hundreds == 4);
    CHECK(grid_figures(5000, 1000).digits == "05");
}
