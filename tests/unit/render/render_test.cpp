#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "analysis/patrol.hpp"
#include "analysis/snapshot.hpp"
#include "source/import.hpp"
#include "render/palette.hpp"
#include "render/patrol_card.hpp"
#include "render/render.hpp"
#include "store/repository.hpp"
#include "with_data_dir.hpp"
#include "source/features.hpp"

using namespace keepout;
using namespace keepout::render;

namespace {

// The Kosovo sample as of 2026-06-01, loaded once per test process.
const analysis::Snapshot& sample_snapshot() {
    static test::TempDir dir;
    static std::shared_ptr<const analysis::Snapshot> snap = [] {
        auto store = store::Store::init(dir.file("sample.sqlite"));
        store->set_actor("test");
        source::ImportOptions opts;
        REQUIRE(source::import_venues(*store, test::sample("venues.geojson"), opts).committed);
        REQUIRE(source::import_sites(*store, test::sample("deployment_sites.geojson"), opts).committed);
        REQUIRE(source::import_sectors(*store, test::sample("districts.geojson"), opts).committed);
        REQUIRE(source::import_directives(*store, test::sample("directives.json")).committed);
        return analysis::Snapshot::build(*store, model::Date::parse("2026-06-01"));
    }();
    return *snap;
}

const Style& slide_style() {
    static const Style s = load_style(std::string(KEEPOUT_SOURCE_DIR) + "/styles/kosovo-slide.json", keepout::source::read_features);
    return s;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Compares a rendered PNG with the checked-in reference; KEEPOUT_UPDATE_REFERENCE=1 rewrites it.
void check_reference(const std::string& png, const std::string& name, double tolerance = 0.005) {
    const std::string ref = test::with_data_dir("render/" + name);
    if (const char* u = std::getenv("KEEPOUT_UPDATE_REFERENCE"); u && std::string(u) == "1") {
        std::ofstream(ref, std::ios::binary) << png;
        WARN("rewrote " << ref);
        return;
    }
    REQUIRE(std::filesystem::exists(ref));
    const ImageDiff d = compare_png(png, slurp(ref));
    const std::string actual = (std::filesystem::temp_directory_path() / ("actual-" + name)).string();
    if (!d.same_size || double(d.differing) > tolerance * d.width * d.height) std::ofstream(actual, std::ios::binary) << png;
    INFO("reference " << ref << "; this render written to " << actual << " when it differs");
    REQUIRE(d.same_size);
    INFO(d.differing << " of " << d.width * d.height << " pixels differ (largest channel difference " << d.max_delta << ")");
    CHECK(double(d.differing) <= tolerance * d.width * d.height);
}

MapRequest request(Format f, double dpi = 72) {
    MapRequest r;
    r.format = f;
    r.dpi = dpi;
    r.produced_on = "2026-06-01";
    return r;
}

}  // namespace

TEST_CASE("render: the Kosovo slide as a PDF document with its table continued") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::pdf));
    REQUIRE(out.files.size() == 1);
    CHECK(out.files[0].rfind("%PDF-", 0) == 0);
    const RenderReport& r = out.report;
    CHECK(r.pages == 2);  // the map with the first rows, then the rest of the 114 venues
    CHECK(r.page.w == Approx(1190.55).margin(0.01));
    CHECK(r.crs == "EPSG:32634");
    CHECK(r.scale_denominator == 625000);
    CHECK(r.venues_in_table == sample_snapshot().listed().size());
    CHECK(r.labels.size() > 60);
}

TEST_CASE("render: placed labels never overlap and stay inside the map frame") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::pdf));
    const auto& labels = out.report.labels;
    REQUIRE_FALSE(labels.empty());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        CHECK(out.report.frame.contains(labels[i].box));
        for (std::size_t j = i + 1; j < labels.size(); ++j) {
            INFO(labels[i].text << " / " << labels[j].text);
            CHECK_FALSE(labels[i].box.overlaps(labels[j].box));
        }
    }
    // Every site label carries the counts within 1, 2 and 5 km.
    bool bondsteel = false;
    for (auto& l : labels) bondsteel = bondsteel || l.text.rfind("Camp Bondsteel\n", 0) == 0;
    CHECK(bondsteel);
}

TEST_CASE("render: the legend lists the rules that drew something, and only those") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::pdf));
    const auto& legend = out.report.legend;
    auto has = [&](const std::string& t) { return std::find(legend.begin(), legend.end(), t) != legend.end(); };
    CHECK(has("Listed: bar"));
    CHECK(has("Listed: night club"));
    CHECK(has("Military camp"));
    CHECK(has("Boundary of Kosovo"));
    CHECK(has("Symbol size by personnel"));
    CHECK_FALSE(has("Listed: other"));                // no listed venue of another category
    CHECK_FALSE(has("Footprint of a listed venue"));  // only at 1:100 000 and larger
}

TEST_CASE("render: grid lines every 10 km, where the scale puts them") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::pdf));
    const auto& e = out.report.grid_eastings;
    const auto& n = out.report.grid_northings;
    REQUIRE(e.size() > 10);
    REQUIRE(n.size() > 10);
    const double step = 10000 / out.report.scale_denominator * kPtPerMetre;
    for (std::size_t i = 1; i < e.size(); ++i) {
        CHECK(e[i].value - e[i - 1].value == 10000);
        CHECK(e[i].pos - e[i - 1].pos == Approx(step).epsilon(1e-6));
    }
    for (std::size_t i = 1; i < n.size(); ++i) CHECK(n[i - 1].pos - n[i].pos == Approx(step).epsilon(1e-6));
    // The scale bar: 20 km at 1:625 000 is 32 mm, times the UTM scale factor near the central meridian.
    CHECK(out.report.scale_bar_m == 20000);
    CHECK(out.report.scale_bar_pt == Approx(32 * kPtPerMm).epsilon(0.001));
}

TEST_CASE("render: A4 portrait, PNG at a given dpi, SVG") {
    MapRequest r = request(Format::png, 100);
    r.page = PageSize::A4;
    r.landscape = false;
    auto png = render_document(sample_snapshot(), slide_style(), r);
    REQUIRE_FALSE(png.files.empty());
    CHECK(png_size(png.files[0]) == std::pair<int, int>{827, 1169});  // 210 × 297 mm at 100 dpi
    CHECK(png.files.size() == std::size_t(png.report.pages));
    auto svg = render_map(sample_snapshot(), slide_style(), request(Format::svg));
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(format_for_path("x/map.PDF") == Format::pdf);
    CHECK(format_for_path("map.png") == Format::png);
    CHECK(format_for_path("map.svg") == Format::svg);
    CHECK_THROWS_AS(format_for_path("map.tiff"), std::invalid_argument);
}

TEST_CASE("render: the atlas has a page per deployment site at a large scale") {
    auto out = render_atlas(sample_snapshot(), slide_style(), request(Format::pdf));
    CHECK(out.report.pages >= int(sample_snapshot().sites().size()));
    CHECK(out.report.scale_denominator <= 100000);
    auto one = render_atlas(sample_snapshot(), slide_style(), request(Format::pdf), "Camp Bondsteel");
    CHECK(one.report.pages == 1);
    CHECK_THROWS_AS(render_atlas(sample_snapshot(), slide_style(), request(Format::pdf), "Camp Nowhere"),
                    std::invalid_argument);
}

TEST_CASE("render: a Web Mercator tile is a 256 pixel PNG") {
    const std::string tile = render_tile(sample_snapshot(), slide_style(), 11, 1144, 755);
    CHECK(png_size(tile) == std::pair<int, int>{256, 256});
    CHECK_THROWS_AS(render_tile(sample_snapshot(), slide_style(), 3, 8, 0), std::invalid_argument);
    CHECK_THROWS_AS(render_tile(sample_snapshot(), slide_style(), -1, 0, 0), std::invalid_argument);
}

TEST_CASE("render: visual regression of the slide against its reference image") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::png, 60));
    REQUIRE_FALSE(out.files.empty());
    check_reference(out.files[0], "kosovo-slide-a3-60dpi.png");
}

TEST_CASE("render: visual regression of a tile and an atlas page against their references") {
    check_reference(render_tile(sample_snapshot(), slide_style(), 11, 1144, 755), "tile-11-1144-755.png");
    auto atlas = render_atlas(sample_snapshot(), slide_style(), request(Format::png, 60), "Camp Bondsteel");
    REQUIRE_FALSE(atlas.files.empty());
    check_reference(atlas.files[0], "atlas-camp-bondsteel-60dpi.png");
}

TEST_CASE("render: compare_png sees identical and different images") {
    const std::string a = render_tile(sample_snapshot(), slide_style(), 11, 1144, 755);
    const std::string b = render_tile(sample_snapshot(), slide_style(), 11, 1145, 755);
    const ImageDiff same = compare_png(a, a);
    CHECK(same.same_size);
    CHECK(same.differing == 0);
    CHECK(compare_png(a, b).differing > 0);
    CHECK_THROWS_AS(compare_png(a, "not a png"), std::invalid_argument);
}

TEST_CASE("render: tiles come in blocks whose labels are placed once for the whole block") {
    // Zoom 0 and 1 are a single block of 1 and 4 tiles; from zoom 3 on a block is kMetatile².
    CHECK(render_metatile(sample_snapshot(), slide_style(), 0, 0, 0).size() == 1);
    auto z1 = render_metatile(sample_snapshot(), slide_style(), 1, 1, 0);
    REQUIRE(z1.size() == 4);
    std::set<std::pair<int, int>> xy;
    for (auto& t : z1) xy.insert({t.x, t.y});
    CHECK(xy == std::set<std::pair<int, int>>{{0, 0}, {1, 0}, {0, 1}, {1, 1}});
    // A block around Prishtinë: every tile of it is the same whichever of them is asked for, and
    // render_tile gives that tile.
    auto a = render_metatile(sample_snapshot(), slide_style(), 13, 4576, 3019);
    auto b = render_metatile(sample_snapshot(), slide_style(), 13, 4583, 3023);
    REQUIRE(a.size() == std::size_t(kMetatile * kMetatile));
    REQUIRE(b.size() == a.size());
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].x == b[i].x);
        CHECK(a[i].y == b[i].y);
        CHECK(a[i].png == b[i].png);
        CHECK(a[i].x / kMetatile == 4576 / kMetatile);
        CHECK(a[i].y / kMetatile == 3019 / kMetatile);
        seen.insert({a[i].x, a[i].y});
    }
    CHECK(seen.size() == a.size());
    for (auto& t : a)
        if (t.x == 4577 && t.y == 3020) CHECK(render_tile(sample_snapshot(), slide_style(), 13, 4577, 3020) == t.png);
}

TEST_CASE("render: tiles from the whole world down to a street") {
    CHECK(png_size(render_tile(sample_snapshot(), slide_style(), 0, 0, 0)) == std::pair<int, int>{256, 256});
    CHECK(png_size(render_tile(sample_snapshot(), slide_style(), 18, 146469, 96626)) == std::pair<int, int>{256, 256});
}

TEST_CASE("render: maps and tiles drawn on several threads at once are those drawn alone") {
    const std::string tile = render_tile(sample_snapshot(), slide_style(), 11, 1144, 755);
    const std::string map = render_map(sample_snapshot(), slide_style(), request(Format::png, 30));
    std::vector<std::string> tiles(4), maps(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            tiles[i] = render_tile(sample_snapshot(), slide_style(), 11, 1144, 755);
            maps[i] = render_map(sample_snapshot(), slide_style(), request(Format::png, 30));
        });
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(tiles[i] == tile);
        CHECK(compare_png(maps[i], map, 0).differing == 0);
    }
}

TEST_CASE("render: venue numbers on the slide: above the sites, apart, and every one on the map or in a detail inset") {
    auto out = render_document(sample_snapshot(), slide_style(), request(Format::pdf));
    const RenderReport& r = out.report;
    CHECK(r.venues_without_number.empty());
    std::set<std::string> numbered;
    auto check_apart = [](const std::vector<LabelRecord>& numbers, const std::vector<Rect>& sites) {
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            for (const Rect& s : sites) {
                INFO("number " << numbers[i].text << " and a site symbol");
                CHECK_FALSE(numbers[i].box.overlaps(s));
            }
            for (std::size_t j = i + 1; j < numbers.size(); ++j) {
                const Rect &a = numbers[i].box, &b = numbers[j].box;
                const double dx = std::max(a.x, b.x) - std::min(a.right(), b.right());
                const double dy = std::max(a.y, b.y) - std::min(a.bottom(), b.bottom());
                INFO("numbers " << numbers[i].text << " and " << numbers[j].text);
                CHECK(std::max(dx, dy) >= 3 - 1e-9);  // twice the style's 1.5 pt clearance
            }
        }
    };
    REQUIRE(r.site_symbols.size() >= 10);
    check_apart(r.venue_numbers, r.site_symbols);
    for (auto& l : r.venue_numbers) {
        CHECK(r.frame.contains(l.box));
        numbered.insert(l.text);
    }
    // Camp Bondsteel's venues are too close together at 1:625 000: a detail inset shows them.
    REQUIRE_FALSE(r.insets.empty());
    CHECK(std::any_of(r.insets.begin(), r.insets.end(), [](auto& i) { return i.title == "Camp Bondsteel"; }));
    for (auto& in : r.insets) {
        INFO(in.title);
        CHECK(in.scale_denominator < r.scale_denominator);
        CHECK_FALSE(in.frame.overlaps(r.frame));
        check_apart(in.venue_numbers, in.site_symbols);
        for (auto& l : in.venue_numbers) {
            CHECK(in.frame.contains(l.box));
            numbered.insert(l.text);
        }
    }
    for (std::size_t k = 1; k <= sample_snapshot().listed().size(); ++k) {
        INFO("venue " << k);
        CHECK(numbered.count(std::to_string(k)) == 1);
    }
}

TEST_CASE("render: maps beyond the caps are refused before any drawing") {
    Style world = slide_style();
    world.extent = geo::Box{-180, -90, 180, 90};
    CHECK_THROWS_AS(check_limits(world, request(Format::png, 30)), LimitError);
    CHECK_THROWS_AS(render_document(sample_snapshot(), world, request(Format::pdf)), LimitError);
    CHECK_THROWS_AS(check_extent({0, 0, 31, 1}), LimitError);
    CHECK_NOTHROW(check_extent({20, 41.8, 21.8, 43.3}));
    // Pixels: A3 at 600 dpi is within, at 1200 dpi not.
    CHECK_NOTHROW(check_limits(slide_style(), request(Format::png, 600)));
    CHECK_THROWS_AS(check_limits(slide_style(), request(Format::png, 1200)), LimitError);
    CHECK_NOTHROW(check_limits(slide_style(), request(Format::pdf, 1200)));  // a PDF has no pixels
}

TEST_CASE("render: the grid of a wide map stays bounded, and is left out beyond its UTM zone") {
    // 28° × 20° around Kosovo: within the area cap, far beyond one UTM zone.
    Style wide = slide_style();
    wide.extent = geo::Box{7, 32, 35, 52};
    auto out = render_document(sample_snapshot(), wide, request(Format::pdf));
    CHECK(out.report.grid_spacing_m == 0);
    CHECK(out.report.grid_eastings.empty());
    // 8° wide: a grid, at most 60 lines each way.
    wide.extent = geo::Box{17, 39, 25, 45};
    out = render_document(sample_snapshot(), wide, request(Format::pdf));
    CHECK(out.report.grid_spacing_m > 0);
    CHECK(out.report.grid_eastings.size() <= 60);
    CHECK(out.report.grid_northings.size() <= 60);
    CHECK(out.report.grid_eastings.size() >= 3);
}

namespace {

// The patrol from Camp Bondsteel through the sector of Ferizaj, on the slide's backdrop.
const analysis::PatrolPlan& ferizaj_patrol() {
    static const analysis::PatrolPlan plan = [] {
        analysis::PatrolRequest r;
        r.from = "Camp Bondsteel";
        r.sector = "Ferizaj";
        return analysis::plan_patrol(sample_snapshot(), r);
    }();
    return plan;
}

// The pixel of a PNG drawn at `dpi` under a point of the page.
std::array<int, 3> pixel_at(const std::string& png, double dpi, double x_pt, double y_pt) {
    return png_pixel(png, int(x_pt / 72 * dpi), int(y_pt / 72 * dpi));
}

void check_colour(const std::array<int, 3>& px, const Color& c) {
    INFO("pixel " << px[0] << "," << px[1] << "," << px[2] << " against " << c.r * 255 << "," << c.g * 255 << "," << c.b * 255);
    CHECK(std::abs(px[0] - int(std::lround(c.r * 255))) <= 3);
    CHECK(std::abs(px[1] - int(std::lround(c.g * 255))) <= 3);
    CHECK(std::abs(px[2] - int(std::lround(c.b * 255))) <= 3);
}

}  // namespace

TEST_CASE("render: the slide and the patrol card draw the same furniture") {
    const double dpi = 150;
    PatrolCardOptions opt;
    opt.produced_on = "2026-06-01";
    opt.backdrop = &slide_style();
    opt.format = Format::png;
    opt.dpi = dpi;
    PatrolCardReport card;
    const std::string card_png = render_patrol_card(ferizaj_patrol(), opt, &card);
    REQUIRE(card.scale_denominator > 0);
    // The slide on the card's paper (A4, so the same furniture scale) at the card's scale.
    Style same = slide_style();
    same.scale = card.scale_denominator;
    MapRequest req = request(Format::png, dpi);
    req.page = PageSize::A4;
    req.map_pages_only = true;
    auto slide = render_document(sample_snapshot(), same, req);
    REQUIRE_FALSE(slide.files.empty());
    CHECK(slide.report.scale_denominator == card.scale_denominator);
    // One scale bar: the same length of ground, as long on paper, figured the same way.
    CHECK(slide.report.scale_bar_m == card.scale_bar_m);
    CHECK(slide.report.scale_bar_pt == Approx(card.scale_bar_pt).epsilon(0.005));
    CHECK(slide.report.scale_bar_labels == card.scale_bar_labels);
    REQUIRE(card.scale_bar_labels.size() >= 3);
    CHECK(card.scale_bar_labels.front() == "0");
    // One palette: the north arrow's dark half in ink, the title band in the one UN blue.
    check_colour(pixel_at(card_png, dpi, card.north_arrow_ink_x, card.north_arrow_ink_y), palette::ink);
    check_colour(pixel_at(slide.files[0], dpi, slide.report.north_arrow_ink_x, slide.report.north_arrow_ink_y), palette::ink);
    check_colour(pixel_at(card_png, dpi, card.title_band.cx(), card.title_band.cy()), palette::un_blue);
    check_colour(pixel_at(slide.files[0], dpi, slide.report.title_band.cx(), slide.report.title_band.cy()), palette::un_blue);
    // And the furniture of one page is where the report says: the arrow clear of every label.
    for (const LabelRecord& l : card.labels) {
        INFO(l.text);
        CHECK_FALSE(l.box.overlaps(card.north_arrow));
    }
}

TEST_CASE("render: every label of a patrol card's map is placed apart from the others, inside the frame") {
    for (const bool backdrop : {false, true}) {
        PatrolCardOptions opt;
        opt.produced_on = "2026-06-01";
        if (backdrop) opt.backdrop = &slide_style();
        PatrolCardReport r;
        const std::string pdf = render_patrol_card(ferizaj_patrol(), opt, &r);
        CHECK(pdf.rfind("%PDF-", 0) == 0);
        const auto& labels = r.labels;
        INFO("backdrop " << backdrop);
        // The start's name, a number for every stop, grid figures (and the backdrop's names).
        std::size_t numbers = 0;
        auto digits = [](const std::string& t) {
            return !t.empty() && std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
        };
        for (auto& l : labels) numbers += digits(l.text) && std::abs(l.box.w - l.box.h) < 1e-9;  // the round badges
        CHECK(numbers == ferizaj_patrol().patrols.at(0).stops.size());
        CHECK(std::any_of(labels.begin(), labels.end(), [](auto& l) { return l.text == "Camp Bondsteel"; }));
        for (std::size_t i = 0; i < labels.size(); ++i) {
            CHECK(r.frame.contains(labels[i].box));
            for (std::size_t j = i + 1; j < labels.size(); ++j) {
                INFO(labels[i].text << " / " << labels[j].text);
                CHECK_FALSE(labels[i].box.overlaps(labels[j].box));
            }
        }
    }
}
