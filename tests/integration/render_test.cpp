// keepout render end to end: the real binary on the Kosovo sample, its PDFs read back with
// poppler-utils (pdfinfo, pdftotext).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "integration/run.hpp"
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
    CHECK(text.find("2026-06-01 (list version 4)") != std::string::npos);
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
