// What the web page asks of the server beyond DESIGN.md's reads: the page and its library from
// keepout itself, address search, CSV and KML downloads, every venue, and the token's holder.
#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

struct Served {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    Served() { load_sample(db); }
};

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

}  // namespace

TEST_CASE("the page, its map library and its basemap come from keepout", "[server][web]") {
    Served s;
    TempDir web;
    std::filesystem::create_directories(web.file("static"));
    std::filesystem::create_directories(web.file("node_modules/leaflet/dist"));
    std::ofstream(web.file("index.html")) << "<!doctype html><title>t</title>";
    std::ofstream(web.file("static/app.js")) << "export {};";
    std::ofstream(web.file("static/b.geojson")) << "{}";
    std::ofstream(web.file("node_modules/leaflet/dist/leaflet.css")) << ".leaflet{}";
    std::ofstream(web.file("node_modules/secret.txt")) << "no";
    ServerProcess server(s.db, {"--web-root", web.path().string()});

    auto page = get(server.url("/"));
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(get(server.url("/static/app.js")).header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(get(server.url("/static/b.geojson")).header("Content-Type") == "application/geo+json");
    auto css = get(server.url("/vendor/leaflet/leaflet.css"));
    CHECK(css.status == 200);
    CHECK(css.body == ".leaflet{}");
    CHECK(css.header("Content-Type") == "text/css; charset=utf-8");
    // Only the library's dist/ folder is reachable, nothing else of node_modules.
    CHECK(get(server.url("/vendor/leaflet/../secret.txt")).status == 404);
    CHECK(get(server.url("/vendor/leaflet/%2e%2e/secret.txt")).status == 404);
    CHECK(get(server.url("/node_modules/secret.txt")).status == 404);
}

TEST_CASE("address search, CSV and KML of the list, every venue, the token's holder", "[server][web]") {
    Served s;
    auto editor = run_keepout(s.db, {"token", "create", "--role", "editor", "--name", "Ed <Editor>"});
    REQUIRE(editor.exit_code == 0);
    const std::string token = editor.out.substr(0, editor.out.find('\n'));
    ServerProcess server(s.db);

    SECTION("an address finds the listed venue there, in any script and with the street word left out") {
        auto a = get(server.url("/api/v1/offlimits?as_of=2026-06-01&address=Rruga%20Agim%20Ramadani%2023"));
        REQUIRE(a.status == 200);
        REQUIRE(a.json()["features"].size() == 1);
        CHECK(a.json()["features"][0]["properties"]["name"] == "Night Club Zana e Natës");
        // "ул. Косовска 172, Zvečan" in Latin letters.
        auto c = get(server.url("/api/v1/offlimits?as_of=2026-06-01&address=ul.%20Kosovska%20172"));
        REQUIRE(c.json()["features"].size() == 1);
        CHECK(c.json()["features"][0]["properties"]["external_id"] == "KV-026-0016");
        // House numbers match whole: 2 is not 23.
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-06-01&address=Agim%20Ramadani%202")).json()["features"].empty());
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-06-01&address=Rr.")).json()["features"].empty());
    }
    SECTION("CSV and KML downloads of the list as of a date, with the same filters") {
        auto csv = get(server.url("/api/v1/offlimits?as_of=2026-06-01&f=csv"));
        REQUIRE(csv.status == 200);
        CHECK(csv.header("Content-Type") == "text/csv; charset=utf-8");
        CHECK(csv.header("Content-Disposition") == "attachment; filename=\"offlimits-2026-06-01.csv\"");
        CHECK(csv.body.rfind("id,external_id,name,aliases,category,address,municipality,directive,listed_since,reasons,wkt\r\n", 0) == 0);
        CHECK(count_of(csv.body, "\r\n") == 115);
        CHECK(csv.body.find("POLYGON ((") != std::string::npos);
        CHECK(csv.body.find("POINT (21.1650847 42.6632737)") != std::string::npos);
        auto prizren = get(server.url("/api/v1/offlimits?as_of=2026-06-01&f=csv&municipality=Prizren"));
        auto prizren_json = get(server.url("/api/v1/offlimits?as_of=2026-06-01&municipality=Prizren")).json();
        CHECK(count_of(prizren.body, "\r\n") == prizren_json["features"].size() + 1);

        auto kml = get(server.url("/api/v1/offlimits?as_of=2026-06-01&f=kml"));
        REQUIRE(kml.status == 200);
        CHECK(kml.header("Content-Type") == "application/vnd.google-earth.kml+xml");
        CHECK(kml.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">", 0) == 0);
        CHECK(count_of(kml.body, "<Placemark ") == 114);
        CHECK(count_of(kml.body, "<Polygon>") > 0);
        CHECK(kml.body.find("<name>Мотел Плави Кестен</name>") != std::string::npos);
        CHECK(kml.body.find("<kml") < kml.body.find("</kml>"));
        // The CSV and KML of the same version are other documents than the GeoJSON: own ETags.
        CHECK(kml.header("ETag") != csv.header("ETag"));
        CHECK(get(server.url("/api/v1/offlimits?f=xlsx")).status == 400);
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-01-01&f=kml")).body.find("<Placemark") == std::string::npos);
    }
    SECTION("names are XML-escaped in KML") {
        auto v = curl("POST", server.url("/api/v1/venues"), {"Authorization: Bearer " + token},
                      R"({"type":"Feature","geometry":{"type":"Point","coordinates":[21.1,42.6]},
                          "properties":{"name":"Bar <Tom & \"Jerry's\">","category":"bar"}})");
        REQUIRE(v.status == 201);
        auto place = run_keepout(s.db, {"directive", "create", "HOM/OL/2026/050", "--title", "t", "--signed", "2026-06-01",
                                        "--effective", "2026-06-01"});
        REQUIRE(place.exit_code == 0);
        REQUIRE(run_keepout(s.db, {"directive", "place", "HOM/OL/2026/050", std::to_string(v.json()["id"].get<long>()),
                                   "--reason", "trafficking"})
                    .exit_code == 0);
        REQUIRE(run_keepout(s.db, {"directive", "submit", "HOM/OL/2026/050"}).exit_code == 0);
        REQUIRE(run_keepout(s.db, {"directive", "issue", "HOM/OL/2026/050"}, "approver").exit_code == 0);
        // The server notices the command line's writes within its watch interval.
        std::string body;
        for (int i = 0; i < 200 && body.find("Jerry") == std::string::npos; ++i) {
            body = get(server.url("/api/v1/offlimits?as_of=2026-06-02&f=kml")).body;
            if (body.find("Jerry") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(body.find("<name>Bar &lt;Tom &amp; &quot;Jerry&apos;s&quot;&gt;</name>") != std::string::npos);
    }
    SECTION("every venue, listed or not, by name or by address") {
        auto all = get(server.url("/api/v1/venues"));
        REQUIRE(all.status == 200);
        CHECK(all.json()["features"].size() == 180);
        auto lifted = get(server.url("/api/v1/venues?q=Motel%20Emerald%20Bridge")).json();
        REQUIRE(!lifted["features"].empty());
        CHECK(lifted["features"][0]["properties"]["name"] == "Motel Emerald Bridge");
        CHECK(lifted["features"][0]["properties"]["listed"] == false);
        CHECK(get(server.url("/api/v1/venues?address=Agim%20Ramadani%2023")).json()["features"].size() == 1);
        CHECK(get(server.url("/api/v1/venues?limit=3")).json()["features"].size() == 3);
        CHECK(get(server.url("/api/v1/venues?colour=red")).status == 400);
    }
    SECTION("who holds a token") {
        auto who = get(server.url("/api/v1/token"), {"Authorization: Bearer " + token});
        REQUIRE(who.status == 200);
        CHECK(who.json()["name"] == "Ed <Editor>");
        CHECK(who.json()["role"] == "editor");
        CHECK(who.header("Cache-Control") == "no-store");
        CHECK(get(server.url("/api/v1/token")).status == 401);
        CHECK(get(server.url("/api/v1/token"), {"Authorization: Bearer ko_1_nope"}).status == 401);
    }
}
