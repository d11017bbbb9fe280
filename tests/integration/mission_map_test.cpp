// Maps for a mission with no style file of its own, through the real binary and server: drawn from
// the mission profile (area, reference layers), places named in the mission's languages, and the
// layers served to the web page's map. Both samples.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string data_dir(const std::string& name) { return (fs::path(KEEPOUT_SOURCE_DIR) / "data" / name).string(); }

void load(const std::string& db, const std::string& name, bool with_profile = true) {
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    if (with_profile) REQUIRE(run_keepout(db, {"mission", "import", data_dir(name) + "/mission.json"}).exit_code == 0);
    for (auto [what, file] : {std::pair{"venues", "venues.geojson"}, std::pair{"sites", "deployment_sites.geojson"},
                              std::pair{"directives", "directives.json"}}) {
        auto r = run_keepout(db, {"import", what, data_dir(name) + "/" + file});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
}

std::string pdftotext(const std::string& pdf) {
    auto r = run_program({"pdftotext", "-enc", "UTF-8", pdf, "-"});
    REQUIRE(r.exit_code == 0);
    return std::regex_replace(r.out, std::regex("\\s+"), " ");
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// Arabic as pdftotext gives it back: letters of a small label may come out with spaces between
// them (its glyph spacing), so the spaces are left out on both sides.
bool has_arabic(const std::string& text, const std::string& word) {
    auto bare = [](std::string s) {
        s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
        return s;
    };
    return has(bare(text), bare(word));
}

// The XYZ tile of zoom z holding a position.
std::string tile_path(int z, double lon, double lat) {
    const double r = lat * M_PI / 180;
    const int x = int((lon + 180) / 360 * (1 << z));
    const int y = int((1 - std::log(std::tan(r) + 1 / std::cos(r)) / M_PI) / 2 * (1 << z));
    return "/tiles/" + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y) + ".png";
}

}  // namespace

TEST_CASE("render with no style: Lebanon's map from its profile, towns in Arabic and French", "[render][mission]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load(db, "lebanon");
    const auto pdf = tmp.file("lebanon.pdf");
    auto r = run_keepout(db, {"render", "--out", pdf, "--as-of", "2026-06-30"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(has(r.out, "EPSG:32636"));
    const std::string text = pdftotext(pdf);
    CHECK(has(text, "UNIFIL"));
    // Towns by their Arabic and French names, a district by the name its file gives.
    CHECK(has_arabic(text, "صور"));
    CHECK(has(text, "Tyr / Tyre"));
    CHECK(has(text, "Naqoura"));
    CHECK(has_arabic(text, "بنت جبيل"));
    CHECK(has(text, "Marjaayoun"));
    CHECK(has(text, "Mission area"));
    CHECK_FALSE(has(text, "Kosovo"));
}

TEST_CASE("render with no style: Kosovo's map from its profile, towns in Albanian and Serbian", "[render][mission]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load(db, "kosovo");
    const auto pdf = tmp.file("kosovo.pdf");
    auto r = run_keepout(db, {"render", "--out", pdf, "--as-of", "2026-06-01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(has(r.out, "EPSG:32634"));
    const std::string text = pdftotext(pdf);
    CHECK(has(text, "Prishtinë"));
    CHECK(has(text, "Priština / Приштина"));
    CHECK(has(text, "Prizren"));
    CHECK(has(text, "UNMIK"));
    // The slide stays one example, chosen with --style.
    const auto slide = tmp.file("slide.pdf");
    auto s = run_keepout(db, {"render", "--out", slide, "--as-of", "2026-06-01", "--style",
                              std::string(KEEPOUT_SOURCE_DIR) + "/styles/kosovo-slide.json"});
    INFO(s.err);
    REQUIRE(s.exit_code == 0);
    CHECK(has(pdftotext(slide), "Deployment Sites \xe2\x80\x94 Kosovo"));
}

TEST_CASE("render with no style and no profile: the venues and sites alone", "[render][mission]") {
    TempDir tmp;
    const auto db = tmp.file("p.sqlite");
    load(db, "lebanon", false);
    const auto pdf = tmp.file("plain.pdf");
    auto r = run_keepout(db, {"render", "--out", pdf, "--as-of", "2026-06-30"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(has(pdftotext(pdf), "Tyr / Tyre"));
}

TEST_CASE("the server's tiles and maps for Lebanon come from its profile", "[server][mission]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite"), plain = tmp.file("p.sqlite");
    load(db, "lebanon");
    load(plain, "lebanon", false);
    ServerProcess server(db), bare(plain);
    // Zoom 10 over Tyre, where towns, districts and the area's edge meet.
    const std::string path = tile_path(10, 35.25, 33.27);
    auto tile = get(server.url(path));
    REQUIRE(tile.status == 200);
    CHECK(tile.header("Content-Type") == "image/png");
    auto without = get(bare.url(path));
    REQUIRE(without.status == 200);
    CHECK(tile.body != without.body);
    CHECK(tile.body.size() > without.body.size() + 2000);  // lines and names compress worse than the ground
    auto map = get(server.url("/map.pdf?as_of=2026-06-30"));
    REQUIRE(map.status == 200);
    std::ofstream(tmp.file("map.pdf"), std::ios::binary) << map.body;
    const std::string text = pdftotext(tmp.file("map.pdf"));
    CHECK(has_arabic(text, "صور"));
    CHECK(has(text, "Tyr / Tyre"));
    // A shipped style by name still works, and a name that is not one is refused.
    CHECK(get(server.url("/map.png?style=kosovo-slide&dpi=30")).status == 200);
    CHECK(get(server.url("/map.png?style=nope")).status == 404);
    CHECK(get(server.url("/map.png?style=..%2Fstyles%2Fkosovo-slide")).status == 400);
}

TEST_CASE("the mission's layers for the web map, as GeoJSON, for both samples", "[server][mission][web]") {
    for (const std::string name : {"lebanon", "kosovo"}) {
        DYNAMIC_SECTION(name) {
            TempDir tmp;
            const auto db = tmp.file("m.sqlite");
            load(db, name);
            ServerProcess server(db);
            auto list = get(server.url("/api/v1/mission/layers"));
            REQUIRE(list.status == 200);
            std::map<std::string, json> layers;
            const json listing = list.json();
            for (const auto& l : listing["layers"]) layers[l["name"].get<std::string>()] = l;
            REQUIRE(layers.count("area"));
            REQUIRE(layers.count("towns"));
            REQUIRE(layers.count("districts"));
            CHECK(layers["area"]["features"] == 1);
            CHECK(layers["towns"]["geometry"] == "Point");
            CHECK(layers["districts"]["geometry"] == "Polygon");
            CHECK(layers["districts"]["features"] == 7);
            for (const auto& [layer, entry] : layers) {
                INFO(layer);
                auto fc = get(server.url(entry["href"].get<std::string>()));
                REQUIRE(fc.status == 200);
                CHECK(fc.header("Content-Type") == "application/geo+json");
                const json j = fc.json();
                CHECK(j["type"] == "FeatureCollection");
                CHECK(j["features"].size() == entry["features"].get<std::size_t>());
                // Cached per profile: the same ETag answers 304.
                const std::string etag = fc.header("ETag");
                CHECK_FALSE(etag.empty());
                CHECK(get(server.url(entry["href"].get<std::string>()), {"If-None-Match: " + etag}).status == 304);
            }
            const json towns = get(server.url("/api/v1/mission/layers/towns")).json();
            const json& props = towns["features"][0]["properties"];
            CHECK((props.contains("name_ar") || props.contains("name_sq")));
            const json first = towns["features"][0]["geometry"]["coordinates"];
            // Five decimals at most: the web map needs no more than a metre.
            const std::string text = first.dump();
            CHECK(std::regex_search(text, std::regex("\\.[0-9]{1,5}[,\\]]")));
            CHECK_FALSE(std::regex_search(text, std::regex("\\.[0-9]{6,}")));
        }
    }
}

TEST_CASE("a hostile or unknown layer name is a clean 404", "[server][mission][hostile]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load(db, "lebanon");
    ServerProcess server(db);
    for (const std::string& path : std::vector<std::string>{"/api/v1/mission/layers/roads", "/api/v1/mission/layers/..%2F..%2Fetc%2Fpasswd", "/api/v1/mission/layers/%2e%2e",
          "/api/v1/mission/layers/TOWNS", "/api/v1/mission/layers/towns/extra",
          "/api/v1/mission/layers/%3Cscript%3E", "/api/v1/mission/layers/" + std::string(5000, 'a'),
          "/api/v1/mission/layers/"}) {
        INFO(path.substr(0, 80));
        auto r = get(server.url(path));
        CHECK(r.status == 404);
        CHECK(r.json()["error"]["code"] == "not-found");
        CHECK(r.body.find("<script>") == std::string::npos);
    }
    // A NUL is refused for every path before any route sees it.
    auto nul = get(server.url("/api/v1/mission/layers/towns%00"));
    CHECK(nul.status == 400);
    CHECK(nul.json().contains("error"));
    CHECK(curl("POST", server.url("/api/v1/mission/layers/towns")).status == 405);
    // Before a profile is imported: no layers, and none to give.
    const auto plain = tmp.file("p.sqlite");
    load(plain, "lebanon", false);
    ServerProcess bare(plain);
    auto list = get(bare.url("/api/v1/mission/layers"));
    REQUIRE(list.status == 200);
    CHECK(list.json()["layers"].empty());
    CHECK(get(bare.url("/api/v1/mission/layers/area")).status == 404);
}

TEST_CASE("the published list maps its venues over the mission's map", "[publish][mission]") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    load(db, "lebanon");
    REQUIRE(run_keepout(db, {"key", "create", "--out", tmp.file("k.pem"), "--public-out", tmp.file("k.pub")}).exit_code == 0);
    auto r = run_keepout(db, {"publish", "--key", tmp.file("k.pem"), "--out", tmp.file("out"), "--as-of", "2026-06-30",
                              "--lang", "fr"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string pdf = tmp.file("out/publication-1.fr.pdf");
    REQUIRE(fs::exists(pdf));
    // The last page is the map: the towns named on it.
    auto info = run_program({"pdfinfo", pdf});
    std::smatch m;
    REQUIRE(std::regex_search(info.out, m, std::regex("Pages:\\s+([0-9]+)")));
    const std::string last = m[1];
    auto page = run_program({"pdftotext", "-enc", "UTF-8", "-f", last, "-l", last, pdf, "-"});
    REQUIRE(page.exit_code == 0);
    const std::string text = std::regex_replace(page.out, std::regex("\\s+"), " ");
    CHECK(has(text, "Tyr / Tyre"));
    CHECK(has_arabic(text, "صور"));
}
