// keepout render end to end: the real binary on the Kosovo sample, its PDFs read back with
// poppler-utils (pdfinfo, pdftotext).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <regex>
#include <sstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;

namespace {

const std::string kStyle = std::string(KEEPOUT_SOURCE_DIR) + "/styles/kosovo-slide.json";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

RunResult render(const std::string& db, std::vector<std::string> args) {
    std::vector<std::string> all{"render", "--style", kStyle, "--as-of", "2026-06-01"};
    all.insert(all.end(), args.begin(), args.end());
    return run_keepout(db, all);
}

std::string pdftotext(const std::string& pdf, int first = 0, int last = 0) {
    std::vector<std::string> argv{"pdftotext", "-enc", "UTF-8"};
    if (first) argv.insert(argv.end(), {"-f", std::to_string(first), "-l", std::to_string(last)});
    argv.insert(argv.end(), {pdf, "-"});
    auto r = run_program(argv);
    REQUIRE(r.exit_code == 0);
    // One space for any run of white space: titles wrap in the title block.
    return std::regex_replace(r.out, std::regex("\\s+"), " ");
}

struct Word {
    double x0, y0, x1, y1;
    std::string text;
    double cx() const { return (x0 + x1) / 2; }
};

// The words of one page with their boxes (pdftotext -bbox), in points from the top left.
std::vector<Word> words(const std::string& pdf, int page) {
    auto r = run_program({"pdftotext", "-enc", "UTF-8", "-bbox", "-f", std::to_string(page), "-l", std::to_string(page), pdf, "-"});
    REQUIRE(r.exit_code == 0);
    static const std::regex word(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    std::vector<Word> out;
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), word), end; it != end; ++it)
        out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), (*it)[5]});
    return out;
}

std::string pdfinfo(const std::string& pdf) {
    auto r = run_program({"pdfinfo", pdf});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

}  // namespace

TEST_CASE("render: the Kosovo slide as an A3 PDF with text kept as text") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), pdf = tmp.file("slide.pdf");
    load_sample(db);
    auto r = render(db, {"--out", pdf});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("wrote " + pdf) != std::string::npos);
    const std::string info = pdfinfo(pdf);
    CHECK(info.find("Page size:       1190.55 x 841.89 pts (A3)") != std::string::npos);
    CHECK(info.find("Pages:           2") != std::string::npos);

    const std::string text = pdftotext(pdf);
    // Title block, marking, legend entries, the directives, the grid.
    CHECK(text.find("Off-Limits Locations around") != std::string::npos);
    CHECK(text.find("HOM/OL/2026/001") != std::string::npos);
    CHECK(text.find("2026-06-01 (UTC, list version 4)") != std::string::npos);  // a local date names its zone
    CHECK(text.find("UN \xe2\x80\x94 FOR OFFICIAL USE ONLY") != std::string::npos);
    for (const char* entry : {"Legend", "Listed: bar", "Listed: night club", "Listed: hotel or motel", "Military camp",
                              "Police", "Boundary of Kosovo", "Symbol size by personnel", "Scale 1:625 000"})
        CHECK(text.find(entry) != std::string::npos);
    CHECK(text.find("Listed: other") == std::string::npos);  // drew nothing, so not in the legend
    // Town names in Albanian and Serbian Cyrillic, shaped and extractable.
    CHECK(text.find("Prizren") != std::string::npos);
    CHECK(text.find("Призрен") != std::string::npos);
    CHECK(text.find("Ђаковица") != std::string::npos);
    CHECK(text.find("Gjakovë") != std::string::npos);
    // Every listed venue is in the numbered table (names short enough not to be shortened).
    auto list = run_keepout(db, {"list", "--as-of", "2026-06-01", "--format", "json"});
    REQUIRE(list.exit_code == 0);
    auto doc = list.json();
    const auto& venues = doc.is_array() ? doc : doc.at("venues");
    REQUIRE(venues.size() == 114);
    std::size_t checked = 0;
    for (const auto& v : venues) {
        const std::string name = v.at("name");
        if (name.size() > 24) continue;
        INFO(name);
        CHECK(text.find(name) != std::string::npos);
        ++checked;
    }
    CHECK(checked > 50);
    CHECK(text.find("Off-Limits venues (114) (continued)") != std::string::npos);
}

TEST_CASE("render: the scale bar measured in the PDF is true to 1 percent") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    for (std::string page : {"A3", "A4"}) {
        INFO(page);
        const std::string pdf = tmp.file("slide-" + page + ".pdf");
        REQUIRE(render(db, {"--out", pdf, "--page", page}).exit_code == 0);
        const auto ws = words(pdf, 1);
        // "Scale 1:625 000", then the bar's labels "0 … 20 km" below it.
        auto scale = std::find_if(ws.begin(), ws.end(), [](auto& w) { return w.text == "Scale"; });
        REQUIRE(scale != ws.end());
        std::string denominator;
        for (auto it = scale + 1; it != ws.end() && std::abs(it->y0 - scale->y0) < 1; ++it) denominator += it->text;
        REQUIRE(denominator.rfind("1:", 0) == 0);
        const double D = std::stod(denominator.substr(2));
        // The bar's labels: "0" below the scale, then the numbers and the unit on the same line.
        auto zero = std::find_if(ws.begin(), ws.end(), [&](auto& w) {
            return w.text == "0" && w.y0 > scale->y1 && w.y0 < scale->y1 + 30 && std::abs(w.x0 - scale->x0) < 10;
        });
        REQUIRE(zero != ws.end());
        std::vector<Word> bar;
        std::string unit;
        for (auto& w : ws)
            if (std::abs(w.y0 - zero->y0) < 0.5 && w.x0 >= zero->x0 && w.x0 < zero->x0 + 400) {
                if (w.text == "km" || w.text == "m") unit = w.text;
                else if (std::regex_match(w.text, std::regex("[0-9.]+"))) bar.push_back(w);
            }
        REQUIRE(bar.size() >= 2);
        REQUIRE_FALSE(unit.empty());
        std::sort(bar.begin(), bar.end(), [](auto& a, auto& b) { return a.x0 < b.x0; });
        CHECK(bar.front().text == "0");
        const double metres = std::stod(bar.back().text) * (unit == "km" ? 1000 : 1);
        const double measured_pt = bar.back().cx() - bar.front().cx();
        const double true_pt = metres / D * 72 / 0.0254;  // UTM near its central meridian: scale factor ≈ 1
        CHECK(measured_pt == Approx(true_pt).epsilon(0.01));
    }
}

TEST_CASE("render: no two words of the map page overlap") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), pdf = tmp.file("slide.pdf");
    load_sample(db);
    REQUIRE(render(db, {"--out", pdf}).exit_code == 0);
    const auto ws = words(pdf, 1);
    REQUIRE(ws.size() > 500);
    // Boxes are the fonts' full ascent and descent, so lines of one label touch: a hair is allowed.
    const double slack = 0.8;
    std::size_t overlaps = 0;
    for (std::size_t i = 0; i < ws.size(); ++i)
        for (std::size_t j = i + 1; j < ws.size(); ++j) {
            const Word &a = ws[i], &b = ws[j];
            if (a.x0 + slack < b.x1 && b.x0 + slack < a.x1 && a.y0 + slack < b.y1 && b.y0 + slack < a.y1) {
                UNSCOPED_INFO("'" << a.text << "' at " << a.x0 << "," << a.y0 << " overlaps '" << b.text << "' at " << b.x0
                                  << "," << b.y0);
                ++overlaps;
            }
        }
    CHECK(overlaps == 0);
}

// Words whose boxes overlap by more than a hair (the fonts' full ascent and descent make the
// lines of one label touch).
static std::size_t overlapping_words(const std::vector<Word>& ws) {
    const double slack = 0.8;
    std::size_t overlaps = 0;
    for (std::size_t i = 0; i < ws.size(); ++i)
        for (std::size_t j = i + 1; j < ws.size(); ++j) {
            const Word &a = ws[i], &b = ws[j];
            if (a.x0 + slack < b.x1 && b.x0 + slack < a.x1 && a.y0 + slack < b.y1 && b.y0 + slack < a.y1) {
                UNSCOPED_INFO("'" << a.text << "' at " << a.x0 << "," << a.y0 << " overlaps '" << b.text << "' at " << b.x0
                                  << "," << b.y0);
                ++overlaps;
            }
        }
    return overlaps;
}

TEST_CASE("render: no two words on the map of a patrol card overlap") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    for (std::vector<std::string> selection : {std::vector<std::string>{"--sector", "Ferizaj"}, {"--radius", "20000"},
                                               {"--sector", "Ferizaj", "--no-backdrop"}}) {
        const std::string pdf = tmp.file("card.pdf");
        std::vector<std::string> args{"patrol", "--from", "Camp Bondsteel", "--as-of", "2026-06-01", "--out", pdf};
        args.insert(args.end(), selection.begin(), selection.end());
        auto r = run_keepout(db, args);
        INFO(selection[0] << " " << selection[1] << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        const auto ws = words(pdf, 1);
        // The map lies between the title block's notice ("Every listed venue …") and the note
        // under it ("Scale 1:…").
        double top = 0, bottom = 0;
        for (auto& w : ws) {
            if (w.text == "Every" && !top) top = w.y1;
            if (w.text == "Scale" && !bottom) bottom = w.y0;
        }
        REQUIRE(top > 0);
        REQUIRE(bottom > top);
        std::vector<Word> map;
        for (auto& w : ws)
            if (w.y0 > top && w.y1 < bottom) map.push_back(w);
        CHECK(map.size() > 10);  // stop numbers, grid figures, the start, the scale bar, "N"
        CHECK(overlapping_words(map) == 0);
        // And the whole page: title block, table, markings and footer apart too.
        CHECK(overlapping_words(ws) == 0);
    }
}

TEST_CASE("render: A4 portrait PDF, PNG at any dpi and SVG") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string a4 = tmp.file("a4.pdf");
    REQUIRE(render(db, {"--out", a4, "--page", "A4", "--portrait"}).exit_code == 0);
    CHECK(pdfinfo(a4).find("Page size:       595.276 x 841.89 pts (A4)") != std::string::npos);
    const std::string a4l = tmp.file("a4l.pdf");
    REQUIRE(render(db, {"--out", a4l, "--page", "A4", "--landscape"}).exit_code == 0);
    CHECK(pdfinfo(a4l).find("Page size:       841.89 x 595.276 pts (A4)") != std::string::npos);

    const std::string png = tmp.file("slide.png");
    auto r = render(db, {"--out", png, "--dpi", "100"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string bytes = slurp(png);
    REQUIRE(bytes.size() > 24);
    CHECK(bytes.substr(1, 3) == "PNG");
    auto be32 = [&](std::size_t at) {
        return (unsigned(static_cast<unsigned char>(bytes[at])) << 24) | (unsigned(static_cast<unsigned char>(bytes[at + 1])) << 16) |
               (unsigned(static_cast<unsigned char>(bytes[at + 2])) << 8) | unsigned(static_cast<unsigned char>(bytes[at + 3]));
    };
    CHECK(be32(16) == 1654);  // 420 mm at 100 dpi
    CHECK(be32(20) == 1169);  // 297 mm
    CHECK_FALSE(std::ifstream(tmp.file("slide-2.png")).good());  // a picture is the map page
    REQUIRE(render(db, {"--out", png, "--dpi", "30", "--all-pages"}).exit_code == 0);
    CHECK(std::ifstream(tmp.file("slide-2.png")).good());  // the table's continuation page

    const std::string svg = tmp.file("slide.svg");
    REQUIRE(render(db, {"--out", svg}).exit_code == 0);
    CHECK(slurp(svg).find("<svg") != std::string::npos);
}

TEST_CASE("render: the atlas has one page per deployment site with its venue table") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), pdf = tmp.file("atlas.pdf");
    load_sample(db);
    auto r = render(db, {"--atlas", "sites", "--out", pdf});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string info = pdfinfo(pdf);
    std::smatch m;
    REQUIRE(std::regex_search(info, m, std::regex("Pages:\\s+([0-9]+)")));
    CHECK(std::stoi(m[1]) >= 19);
    const std::string text = pdftotext(pdf);
    for (const char* site : {"Camp Bondsteel", "Camp Prizren", "Film City (KFOR HQ)", "Police Station Gjakovë"})
        CHECK(text.find(std::string(site) + ": Off-Limits venues within 5 km") != std::string::npos);
    CHECK(text.find("Listed venues within 5 km") != std::string::npos);
    CHECK(text.find("Bearing") != std::string::npos);

    const std::string one = tmp.file("bondsteel.pdf");
    REQUIRE(render(db, {"--atlas", "sites", "--site", "Camp Bondsteel", "--out", one}).exit_code == 0);
    CHECK(pdfinfo(one).find("Pages:           1") != std::string::npos);
    // The proximity command and the atlas agree on the venues within 5 km of the site.
    auto prox = run_keepout(db, {"proximity", "--site", "Camp Bondsteel", "--radius", "5000", "--as-of", "2026-06-01",
                                 "--format", "json"});
    REQUIRE(prox.exit_code == 0);
    const std::string page = pdftotext(one);
    for (const auto& p : prox.json().at("pairs")) {
        const std::string venue = p.at("venue");
        if (venue.size() <= 24) CHECK(page.find(venue) != std::string::npos);
    }
}

TEST_CASE("render: errors name what is wrong") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    // A bad style: the file and the key.
    const std::string bad = tmp.file("bad.json");
    std::ofstream(bad) << R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "line", "width": "thin"}]}]}]})";
    auto r = run_keepout(db, {"render", "--style", bad, "--out", tmp.file("x.pdf")});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find(bad) != std::string::npos);
    CHECK(r.err.find("layers[0].rules[0].symbolizers[0].width") != std::string::npos);
    // Unknown output format, bad date, unknown site.
    r = render(db, {"--out", tmp.file("x.tiff")});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find(".pdf, .png or .svg") != std::string::npos);
    r = run_keepout(db, {"render", "--style", kStyle, "--out", tmp.file("x.pdf"), "--as-of", "2026-13-01"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("--as-of") != std::string::npos);
    r = render(db, {"--atlas", "sites", "--site", "Camp Nowhere", "--out", tmp.file("x.pdf")});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("Camp Nowhere") != std::string::npos);
    r = render(db, {"--out", tmp.file("x.pdf"), "--page", "A5"});
    CHECK(r.exit_code != 0);
}

// ---------------------------------------------------------------- grid labels read back

namespace {

constexpr double kMetresPerPt = 0.0254 / 72;  // of paper
constexpr double kMm = 72 / 25.4;             // points in a millimetre

// The scale printed on the page: "Scale 1:625 000" (the words after "Scale" made of digits).
double printed_scale(const std::vector<Word>& ws) {
    for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
        if (ws[i].text != "Scale" || ws[i + 1].text.rfind("1:", 0) != 0) continue;
        std::string digits = ws[i + 1].text.substr(2);
        for (std::size_t j = i + 2; j < ws.size() && std::abs(ws[j].y0 - ws[i].y0) < 0.5 &&
                                    std::regex_match(ws[j].text, std::regex("[0-9]+"));
             ++j)
            digits += ws[j].text;
        return std::stod(digits);
    }
    FAIL("no 'Scale 1:…' on the page");
    return 0;
}

// UTM zone 34 north coordinates of lat/lon points by GeographicLib's GeoConvert.
std::vector<std::pair<double, double>> utm34(const std::vector<std::pair<double, double>>& lat_lon) {
    std::string input;
    for (auto& [lat, lon] : lat_lon) input += std::to_string(lat) + " " + std::to_string(lon) + "\n";
    TempDir tmp;
    std::ofstream(tmp.file("in.txt")) << input;
    auto r = run_program({"sh", "-c", "GeoConvert -u -z 34n -p 2 < '" + tmp.file("in.txt") + "'"});
    REQUIRE(r.exit_code == 0);
    std::vector<std::pair<double, double>> out;
    std::istringstream in(r.out);
    std::string zone;
    double e = 0, n = 0;
    while (in >> zone >> e >> n) out.emplace_back(e, n);
    REQUIRE(out.size() == lat_lon.size());
    return out;
}

// Easting and northing of an MGRS reference (GeoConvert).
std::pair<double, double> utm_of_mgrs(const std::string& mgrs) {
    auto r = run_program({"sh", "-c", "echo '" + mgrs + "' | GeoConvert -u -p 2"});
    REQUIRE(r.exit_code == 0);
    std::istringstream in(r.out);
    std::string zone;
    double e = 0, n = 0;
    in >> zone >> e >> n;
    return {e, n};
}

// Page points to UTM metres for a map at 1:D whose page point (px, py) is at (e, n): the
// projection of these maps is the grid's own UTM zone, so the transform is a scale and a shift.
struct PageToUtm {
    double px, py, e, n, D;
    double east(double x) const { return e + (x - px) * D * kMetresPerPt; }
    double north(double y) const { return n - (y - py) * D * kMetresPerPt; }
};

struct GridLabelRead {
    std::string text;
    double value;     // metres as labelled
    double measured;  // metres where it is on the page
};

// The label's value against the position; `modulo` for labels that give kilometres within
// 100 km (the MGRS digits of the patrol card). Returns the worst difference in metres.
double worst(const std::vector<GridLabelRead>& labels, double modulo) {
    double w = 0;
    for (auto& l : labels) {
        double d = l.value - l.measured;
        if (modulo > 0) d = std::remainder(d, modulo);
        UNSCOPED_INFO("label '" << l.text << "' reads " << l.value << " m, stands where the grid is at " << l.measured
                                << " m");
        w = std::max(w, std::abs(d));
    }
    return w;
}

// The grid labels in the band around a map page's frame (slide and atlas: A3 landscape):
// eastings above and below the frame centred on their line, northings left and right of it
// centred on theirs. "4 80 000mE" is read as 480 000 m, "4 90" as 490 km.
std::vector<GridLabelRead> band_labels(const std::vector<Word>& ws, const PageToUtm& t, double fx0, double fy0, double fx1,
                                       double fy1) {
    static const std::regex label("([0-9]+)(000m[EN])?");
    std::vector<GridLabelRead> out;
    const double band = 6 * kMm;
    // The hundreds of kilometres are smaller: pdftotext makes words of each size; a label is
    // the words that touch on one line.
    std::vector<Word> merged;
    for (const Word& w : ws) {
        auto touching = [&](const Word& m) {
            return std::abs(w.x0 - m.x1) < 0.8 && w.y0 < m.y1 && m.y0 < w.y1 && std::regex_match(m.text, std::regex("[0-9]+"));
        };
        if (!merged.empty() && touching(merged.back())) {
            Word& m = merged.back();
            m.text += w.text, m.x1 = w.x1, m.y0 = std::min(m.y0, w.y0), m.y1 = std::max(m.y1, w.y1);
        } else {
            merged.push_back(w);
        }
    }
    for (const Word& w : merged) {
        std::smatch m;
        if (!std::regex_match(w.text, m, label)) continue;
        const double v = std::stod(m[1]) * 1000;  // kilometres, "000m" after them or not
        const double cy = (w.y0 + w.y1) / 2;
        const bool below = w.y0 >= fy1 && w.y1 <= fy1 + band, above = w.y1 <= fy0 && w.y0 >= fy0 - band;
        const bool left = w.x1 <= fx0 && w.x0 >= fx0 - band - 20, right = w.x0 >= fx1 && w.x1 <= fx1 + band + 0.5;
        if ((below || above) && w.cx() > fx0 && w.cx() < fx1) out.push_back({w.text, v, t.east(w.cx())});
        else if ((left || right) && cy > fy0 && cy < fy1) out.push_back({w.text, v, t.north(cy)});
    }
    return out;
}

// The grid spacing the page says it uses: "… WGS 84, 10 km squares".
double noted_spacing(const std::string& text) {
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("([0-9.]+) km squares")));
    return std::stod(m[1]) * 1000;
}

// The A3 landscape frame of the print layout: 10 mm margins, a 100 mm panel on the right after a
// 4 mm gap, a 6 mm band for the grid labels.
struct Frame {
    double x0 = 16 * kMm, y0 = 16 * kMm, x1 = (420 - 10 - 100 - 4 - 6) * kMm, y1 = (297 - 16) * kMm;
    double cx() const { return (x0 + x1) / 2; }
    double cy() const { return (y0 + y1) / 2; }
};

std::pair<double, double> bounds_centre_utm34(const std::string& geojson) {
    const auto doc = nlohmann::json::parse(slurp(geojson));
    double lon0 = 1e9, lat0 = 1e9, lon1 = -1e9, lat1 = -1e9;
    std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& c) {
        if (c.is_array() && c.size() >= 2 && c[0].is_number()) {
            lon0 = std::min(lon0, c[0].get<double>()), lon1 = std::max(lon1, c[0].get<double>());
            lat0 = std::min(lat0, c[1].get<double>()), lat1 = std::max(lat1, c[1].get<double>());
        } else if (c.is_array()) {
            for (auto& x : c) walk(x);
        }
    };
    for (auto& f : doc.at("features")) walk(f.at("geometry").at("coordinates"));
    // The map is centred on the projected bounds of that box, its edges sampled.
    std::vector<std::pair<double, double>> pts;
    for (int i = 0; i <= 24; ++i) {
        const double t = i / 24.0, lon = lon0 + t * (lon1 - lon0), lat = lat0 + t * (lat1 - lat0);
        pts.insert(pts.end(), {{lat0, lon}, {lat1, lon}, {lat, lon0}, {lat, lon1}});
    }
    double e0 = 1e300, e1 = -1e300, n0 = 1e300, n1 = -1e300;
    for (auto [e, n] : utm34(pts)) e0 = std::min(e0, e), e1 = std::max(e1, e), n0 = std::min(n0, n), n1 = std::max(n1, n);
    return {(e0 + e1) / 2, (n0 + n1) / 2};
}

// The grid labels of a patrol card's map: eastings along the top edge inside the frame, just
// right of their line; northings along the left edge, just above theirs; in MGRS digits
// ("20.5": 20.5 km within the 100 km square).
std::vector<GridLabelRead> card_labels(const std::vector<Word>& ws, const PageToUtm& t, double top, double bottom,
                                       std::vector<Word>* seen = nullptr) {
    static const std::regex label("[0-9]{2}(\\.[0-9]+)?");
    std::vector<Word> cands;
    for (const Word& w : ws)
        if (w.y0 > top && w.y1 < bottom && std::regex_match(w.text, label)) cands.push_back(w);
    REQUIRE(!cands.empty());
    // The row most of them share, and then the column most of the others share.
    auto mode = [](const std::vector<Word>& v, auto key) {
        double best = 0;
        std::size_t most = 0;
        for (auto& a : v) {
            const auto n = std::size_t(std::count_if(v.begin(), v.end(), [&](auto& b) { return std::abs(key(a) - key(b)) < 0.3; }));
            if (n > most) most = n, best = key(a);
        }
        return best;
    };
    const double row = mode(cands, [](const Word& w) { return w.y0; });
    std::vector<GridLabelRead> out;
    std::vector<Word> rest;
    for (auto& w : cands) {
        if (std::abs(w.y0 - row) < 0.3) out.push_back({w.text, std::stod(w.text) * 1000, t.east(w.x0 - 1)});
        else rest.push_back(w);
    }
    const double column = mode(rest, [](const Word& w) { return w.x0; });
    for (auto& w : rest)
        if (std::abs(w.x0 - column) < 0.3) out.push_back({w.text, std::stod(w.text) * 1000, t.north(w.y1 + 0.5)});
    if (seen) *seen = cands;
    return out;
}

}  // namespace

TEST_CASE("render: every grid label of the slide, an atlas sheet and patrol cards reads the grid where it stands") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    std::set<double> spacings;

    {  // the slide
        const std::string pdf = tmp.file("slide.pdf");
        REQUIRE(render(db, {"--out", pdf}).exit_code == 0);
        const auto ws = words(pdf, 1);
        const Frame f;
        const auto [e, n] = bounds_centre_utm34(std::string(KEEPOUT_SOURCE_DIR) + "/data/kosovo/boundary.geojson");
        const PageToUtm t{f.cx(), f.cy(), e, n, printed_scale(ws)};
        const double spacing = noted_spacing(pdftotext(pdf, 1, 1));
        const auto labels = band_labels(ws, t, f.x0, f.y0, f.x1, f.y1);
        CHECK(labels.size() >= 12);
        CHECK(worst(labels, 0) < spacing / 10);
        spacings.insert(spacing);
    }
    {  // an atlas sheet, centred on its site
        const std::string pdf = tmp.file("atlas.pdf");
        REQUIRE(render(db, {"--atlas", "sites", "--site", "Camp Bondsteel", "--out", pdf}).exit_code == 0);
        const auto ws = words(pdf, 1);
        const Frame f;
        const auto site = utm34({{42.36567, 21.2483}})[0];  // Camp Bondsteel in data/kosovo/deployment_sites.geojson
        const PageToUtm t{f.cx(), f.cy(), site.first, site.second, printed_scale(ws)};
        const double spacing = noted_spacing(pdftotext(pdf, 1, 1));
        const auto labels = band_labels(ws, t, f.x0, f.y0, f.x1, f.y1);
        CHECK(labels.size() >= 12);
        CHECK(worst(labels, 0) < spacing / 10);
        spacings.insert(spacing);
    }
    for (std::vector<std::string> selection : {std::vector<std::string>{"--sector", "Ferizaj"},
                                               {"--radius", "2500"}, {"--radius", "20000"}}) {
        const std::string pdf = tmp.file("card.pdf");
        std::vector<std::string> args{"patrol", "--from", "Camp Bondsteel", "--as-of", "2026-06-01", "--out", pdf};
        args.insert(args.end(), selection.begin(), selection.end());
        auto r = run_keepout(db, args);
        INFO(selection[0] << " " << selection[1] << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        const auto ws = words(pdf, 1);
        // The start's "S" is drawn centred on the start, whose MGRS (1 m) the card prints.
        std::smatch m;
        const std::string text = pdftotext(pdf, 1, 1);
        REQUIRE(std::regex_search(text, m, std::regex("\\(MGRS ([0-9]{2}[A-Z]{3}[0-9]{10})\\)")));
        CHECK(text.find("Address") != std::string::npos);  // each stop's address, to find it on the ground
        const auto start = utm_of_mgrs(m[1]);
        double top = 0, bottom = 0;
        const Word* s = nullptr;
        for (auto& w : ws) {
            if (w.text == "Every" && !top) top = w.y1;
            if (w.text == "Scale" && !bottom) bottom = w.y0;
        }
        REQUIRE(top > 0);
        REQUIRE(bottom > top);
        for (auto& w : ws)
            if (w.text == "S" && w.y0 > top && w.y1 < bottom) s = &w;
        REQUIRE(s);
        const PageToUtm t{s->cx(), (s->y0 + s->y1) / 2, start.first, start.second, printed_scale(ws)};
        const auto labels = card_labels(ws, t, top, bottom);
        REQUIRE(labels.size() >= 4);
        // The spacing: the smallest step between two labels of one axis.
        double spacing = 1e9;
        for (std::size_t i = 0; i < labels.size(); ++i)
            for (std::size_t j = i + 1; j < labels.size(); ++j)
                if (double d = std::abs(labels[i].value - labels[j].value); d > 1) spacing = std::min(spacing, d);
        CAPTURE(spacing);
        CHECK(worst(labels, 100000) < spacing / 5);
        spacings.insert(spacing);
    }
    // The intervals the three products use: 10 km on the slide, 1 km on the sheet, 500 m and
    // more on the cards.
    CHECK(spacings.count(500) == 1);
    CHECK(spacings.size() >= 3);
}

// ---------------------------------------------------------------- venue numbers read back

TEST_CASE("render: every venue of the slide's table has its number on the map or in a detail inset, apart from the others") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), pdf = tmp.file("slide.pdf");
    load_sample(db);
    auto r = render(db, {"--out", pdf});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("found no room") == std::string::npos);
    const auto ws = words(pdf, 1);
    const Frame f;
    // The table begins at its title; the detail insets sit above it in the panel, under "Details".
    double table_y = 1e9, details_y = 1e9;
    for (std::size_t i = 0; i + 1 < ws.size(); ++i) {
        if (ws[i].text == "Off-Limits" && ws[i + 1].text == "venues" && ws[i].x0 > f.x1 + 8 * kMm) table_y = std::min(table_y, ws[i].y0);
        if (ws[i].text == "Details" && ws[i].x0 > f.x1 + 8 * kMm) details_y = std::min(details_y, ws[i].y0);
    }
    REQUIRE(table_y < 1e9);
    auto on_map = [&](const Word& w) {
        const bool in_frame = w.x0 >= f.x0 && w.x1 <= f.x1 && w.y0 >= f.y0 && w.y1 <= f.y1;
        const bool in_details = w.x0 > f.x1 + 8 * kMm && w.y0 > details_y && w.y1 < table_y;  // the panel, past the band
        return in_frame || in_details;
    };
    // Numbers on the map: digit words that are not part of a ring label ("5 km") or of a site's
    // counts ("3 · 7 · 12"), i.e. with no "km", "m" or "·" next to them on their line.
    std::vector<Word> numbers;
    for (std::size_t i = 0; i < ws.size(); ++i) {
        const Word& w = ws[i];
        if (!on_map(w) || !std::regex_match(w.text, std::regex("[0-9]+"))) continue;
        bool part_of_other = false;
        for (std::size_t j = 0; j < ws.size(); ++j) {
            const Word& o = ws[j];
            if (j == i || std::abs((o.y0 + o.y1) / 2 - (w.y0 + w.y1) / 2) > 1.5) continue;
            const double gap = std::max(o.x0 - w.x1, w.x0 - o.x1);
            if (gap < 4 && (o.text == "km" || o.text == "m" || o.text == "\xc2\xb7")) part_of_other = true;
        }
        if (!part_of_other) numbers.push_back(w);
    }
    auto list = run_keepout(db, {"list", "--as-of", "2026-06-01", "--format", "json"});
    REQUIRE(list.exit_code == 0);
    const auto doc = list.json();
    const std::size_t listed = (doc.is_array() ? doc : doc.at("venues")).size();
    REQUIRE(listed == 114);
    std::set<std::string> seen;
    for (auto& w : numbers) seen.insert(w.text);
    for (std::size_t k = 1; k <= listed; ++k) {
        INFO("venue number " << k);
        CHECK(seen.count(std::to_string(k)) == 1);
    }
    // No two numbers closer than a digit's width side by side (nor touching one above the other):
    // "11" and "3" must never read as "113".
    std::size_t close = 0;
    for (std::size_t i = 0; i < numbers.size(); ++i)
        for (std::size_t j = i + 1; j < numbers.size(); ++j) {
            const Word &a = numbers[i], &b = numbers[j];
            const double dx = std::max(a.x0, b.x0) - std::min(a.x1, b.x1), dy = std::max(a.y0, b.y0) - std::min(a.y1, b.y1);
            if (dx < 2.5 && dy < 0.5) {
                UNSCOPED_INFO("'" << a.text << "' at " << a.x0 << "," << a.y0 << " and '" << b.text << "' at " << b.x0 << ","
                                  << b.y0 << ": " << std::max(dx, dy) << " pt apart");
                ++close;
            }
        }
    CHECK(close == 0);
}

// ---------------------------------------------------------------- bounded work

TEST_CASE("render: a map of a huge area or of too many pixels is refused with a clear message") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    // The slide's style over the whole world.
    std::string style = slurp(kStyle);
    const std::string from = "\"extent\": \"boundary\"";
    REQUIRE(style.find(from) != std::string::npos);
    style.replace(style.find(from), from.size(), "\"extent\": [-180, -90, 180, 90]");
    // Relative file paths stay valid: the copy sits next to the original's data by absolute path.
    for (std::size_t p; (p = style.find("\"../data/")) != std::string::npos;)
        style.replace(p, 9, "\"" + std::string(KEEPOUT_SOURCE_DIR) + "/data/");
    const std::string world = tmp.file("world.json");
    std::ofstream(world) << style;
    for (const char* out : {"w.png", "w.pdf"}) {
        auto r = run_keepout(db, {"render", "--style", world, "--as-of", "2026-06-01", "--out", tmp.file(out), "--dpi", "30"});
        INFO(r.out << r.err);
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("area is too large") != std::string::npos);
        CHECK_FALSE(std::ifstream(tmp.file(out)).good());
    }
    auto r = render(db, {"--out", tmp.file("big.png"), "--dpi", "2400"});
    INFO(r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("million pixels") != std::string::npos);
    CHECK_FALSE(std::ifstream(tmp.file("big.png")).good());
    // Within the caps the same command draws.
    CHECK(render(db, {"--out", tmp.file("ok.png"), "--dpi", "40"}).exit_code == 0);
}

TEST_CASE("render: GET /map.png of the whole world is refused before any work, the server carries on", "[server][maps]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db, {"--style", kStyle});
    const auto world = get(server.url("/map.png?dpi=30&bbox=-180,-90,180,90"));
    CHECK(world.status == 400);
    CHECK(world.body.find("too large") != std::string::npos);
    CHECK(get(server.url("/map.pdf?bbox=-180,-90,180,90")).status == 400);
    CHECK(get(server.url("/map.png?dpi=30&bbox=0,0,40,10")).status == 400);
    // Still alive and drawing: a map of a real area, and a check.
    const auto kosovo = get(server.url("/map.png?dpi=30&bbox=20,41.8,21.8,43.3"));
    CHECK(kosovo.status == 200);
    CHECK(kosovo.body.substr(1, 3) == "PNG");
    CHECK(get(server.url("/healthz")).status == 200);
}
