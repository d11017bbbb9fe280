// What GIS clients see of the OGC API: GDAL's own OAPIF driver (ogrinfo, ogr2ogr) reads every listed
// venue of each sample as a point in offlimits-points and only polygons in offlimits-footprints;
// the Part 3 queryables and their filters count what `keepout list` counts; items are found by
// external id with a defined precedence; hostile paths and values are clean 4xx answers.
#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


// ogr2ogr of one collection through GDAL's OAPIF driver into a GeoJSON file, read back.
json ogr2ogr(const TempDir& tmp, const ServerProcess& server, const std::string& collection) {
    const std::string out = tmp.file(collection + ".geojson");
    auto r = run_program({"ogr2ogr", "-f", "GeoJSON", out, "OAPIF:" + server.url("/ogc"), collection});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(out);
    return json::parse(in);
}

// ogrinfo -al -so: per layer, its geometry type and feature count as GDAL reports them.
std::map<std::string, std::pair<std::string, long>> ogrinfo_summary(const ServerProcess& server) {
    auto r = run_program({"ogrinfo", "-ro", "-al", "-so", "OAPIF:" + server.url("/ogc")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::pair<std::string, long>> out;
    std::istringstream lines(r.out);
    std::string line, layer;
    while (std::getline(lines, line)) {
        if (line.rfind("Layer name: ", 0) == 0) layer = line.substr(12);
        else if (line.rfind("Geometry: ", 0) == 0) out[layer].first = line.substr(10);
        else if (line.rfind("Feature Count: ", 0) == 0) out[layer].second = std::stol(line.substr(15));
    }
    return out;
}

std::string first_effective(const std::string& dir) {
    std::ifstream in(dir + "/directives.json");
    const json d = json::parse(in);
    std::string first;
    for (const auto& x : d["directives"]) {
        const std::string e = x["effective"].get<std::string>();
        if (first.empty() || e < first) first = e;
    }
    return first;
}

std::string url_encode_for_test(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            char b[4];
            std::snprintf(b, sizeof b, "%%%02X", c);
            out += b;
        }
    }
    return out;
}

long matched(const ServerProcess& server, const std::string& collection, const std::string& query) {
    auto r = get(server.url("/ogc/collections/" + collection + "/items?limit=1&" + query));
    INFO(query << ": " << r.body);
    REQUIRE(r.status == 200);
    return r.json()["numberMatched"].get<long>();
}

}  // namespace

TEST_CASE("GDAL sees every listed venue as a point and only footprints as polygons, in both samples",
          "[server][ogc][gis]") {
    for (const std::string sample : {"kosovo", "lebanon"}) {
        DYNAMIC_SECTION(sample) {
            TempDir tmp;
            const auto db = tmp.file(sample + ".sqlite");
            load_mission(db, sample_dir(sample));
            const json list = run_keepout(db, {"list", "--format", "geojson"}).json();
            std::set<std::string> listed, footprints;
            for (const auto& f : list["features"]) {
                listed.insert(f["properties"]["external_id"].get<std::string>());
                if (f["geometry"]["type"] != "Point") footprints.insert(f["properties"]["external_id"].get<std::string>());
            }
            REQUIRE(listed.size() > 50);
            REQUIRE_FALSE(footprints.empty());  // the samples mix points and footprints
            ServerProcess server(db);

            const auto summary = ogrinfo_summary(server);
            UNSCOPED_INFO("ogrinfo: offlimits-points " << summary.at("offlimits-points").first << " "
                          << summary.at("offlimits-points").second << ", offlimits-footprints "
                          << summary.at("offlimits-footprints").first << " " << summary.at("offlimits-footprints").second);
            CHECK(summary.at("offlimits-points").first == "Point");
            CHECK(summary.at("offlimits-points").second == long(listed.size()));
            CHECK(summary.at("offlimits-footprints").second == long(footprints.size()));
            CHECK(summary.count("offlimits") == 1);
            CHECK(summary.count("sites") == 1);

            // ogr2ogr pages through every item: each listed venue once, as a Point, with a link to
            // its footprint when it has one.
            const json points = ogr2ogr(tmp, server, "offlimits-points");
            std::set<std::string> seen;
            for (const auto& f : points["features"]) {
                CHECK(f["geometry"]["type"] == "Point");
                const std::string ext = f["properties"]["external_id"].get<std::string>();
                seen.insert(ext);
                CHECK(f["properties"]["footprint"].is_null() == !footprints.count(ext));
                CHECK(f["properties"]["mgrs"].get<std::string>().size() == 15);
            }
            CHECK(points["features"].size() == listed.size());
            CHECK(seen == listed);

            const json polys = ogr2ogr(tmp, server, "offlimits-footprints");
            std::set<std::string> seen_polys;
            for (const auto& f : polys["features"]) {
                const std::string type = f["geometry"]["type"].get<std::string>();
                CHECK((type == "Polygon" || type == "MultiPolygon"));
                seen_polys.insert(f["properties"]["external_id"].get<std::string>());
            }
            CHECK(seen_polys == footprints);

            // The point of a footprint lies on it: a point check there answers with distance 0.
            for (const auto& f : points["features"]) {
                if (f["properties"]["footprint"].is_null()) continue;
                const auto& c = f["geometry"]["coordinates"];
                const std::string at = std::to_string(c[1].get<double>()) + "," + std::to_string(c[0].get<double>());
                const json check = run_keepout(db, {"check", "--at", at, "--radius", "0", "--format", "json"}).json();
                bool inside = false;
                for (const auto& m : check["matches"])
                    inside = inside || (m["external_id"] == f["properties"]["external_id"] && m["distance_m"] == 0.0);
                CHECK(inside);
                break;
            }

            // Temporal extent: from the first directive's effective date, open-ended.
            const json col = get(server.url("/ogc/collections/offlimits-points")).json();
            CHECK(col["extent"]["temporal"]["interval"][0][0] == first_effective(sample_dir(sample)) + "T00:00:00Z");
            CHECK(col["extent"]["temporal"]["interval"][0][1].is_null());
        }
    }
}

TEST_CASE("Queryables and property filters count what the list counts", "[server][ogc][gis]") {
    TempDir tmp;
    const auto db = tmp.file("kosovo.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const json list = run_keepout(db, {"list", "--format", "json"}).json();
    std::map<std::string, long> by_category, by_municipality, by_directive;
    for (const auto& v : list["venues"]) {
        ++by_category[v["category"].get<std::string>()];
        ++by_municipality[v["municipality"].get<std::string>()];
        ++by_directive[v["directive"].get<std::string>()];
    }
    REQUIRE(by_category.size() > 1);
    REQUIRE(by_directive.size() > 1);
    ServerProcess server(db);

    auto q = get(server.url("/ogc/collections/offlimits-points/queryables"));
    REQUIRE(q.status == 200);
    CHECK(q.header("content-type").find("application/schema+json") == 0);
    const json schema = q.json();
    CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(schema["type"] == "object");
    for (const char* name : {"category", "municipality", "directive", "external_id"}) {
        CHECK(schema["properties"].contains(name));
        CHECK(schema["properties"][name]["type"] == "string");
    }
    CHECK(schema["properties"]["category"]["enum"].size() >= by_category.size());
    CHECK(get(server.url("/ogc/collections/sites/queryables")).json()["properties"].contains("kind"));
    CHECK(get(server.url("/ogc/conformance")).body.find("ogcapi-features-3/1.0/conf/queryables") != std::string::npos);

    for (const auto& [category, n] : by_category) {
        CHECK(matched(server, "offlimits-points", "category=" + category) == n);
        CHECK(matched(server, "offlimits", "category=" + category) == n);
    }
    for (const auto& [directive, n] : by_directive) CHECK(matched(server, "offlimits-points", "directive=" + url_encode_for_test(directive)) == n);
    int tried = 0;
    for (const auto& [municipality, n] : by_municipality) {
        if (municipality.empty() || ++tried > 3) continue;
        CHECK(matched(server, "offlimits-points", "municipality=" + url_encode_for_test(municipality)) == n);
    }
    // Filters combine (and): the footprints of one category.
    const auto cat = by_category.begin()->first;
    CHECK(matched(server, "offlimits-footprints", "category=" + cat) <= by_category.begin()->second);

    // A property the collection does not have is a 400 that names the queryables, as any unknown
    // parameter; a value outside the codes is a 400 too.
    auto unknown = get(server.url("/ogc/collections/offlimits-points/items?colour=red"));
    CHECK(unknown.status == 400);
    CHECK(unknown.json()["error"]["code"] == "unknown-parameter");
    auto foreign = get(server.url("/ogc/collections/sites/items?category=bar"));
    CHECK(foreign.status == 400);
    CHECK(foreign.body.find("queryables") != std::string::npos);
    CHECK(get(server.url("/ogc/collections/offlimits-points/items?kind=military")).status == 400);
    CHECK(get(server.url("/ogc/collections/offlimits-points/items?category=spaceship")).status == 400);
    CHECK(matched(server, "offlimits-points", "directive=HOM%2FNONE%2F1") == 0);
}

TEST_CASE("Items by external id: the id first, then the external id, never a mix-up", "[server][ogc][gis]") {
    TempDir tmp;
    const auto db = tmp.file("kosovo.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const json list = run_keepout(db, {"list", "--format", "json"}).json();
    const json& first = list["venues"][0];
    const long first_id = first["id"].get<long>();
    const std::string first_ext = first["external_id"].get<std::string>();

    // Two venues whose external ids look like ids: one is another listed venue's id, the other no
    // venue's id. Both are placed by a directive of their own and issued.
    const std::string extra = tmp.file("extra.geojson");
    std::ofstream(extra) << json{{"type", "FeatureCollection"},
                                 {"features",
                                  {{{"type", "Feature"},
                                    {"geometry", {{"type", "Point"}, {"coordinates", {20.2512, 42.0143}}}},
                                    {"properties", {{"name", "Test Collision Bar"}, {"category", "bar"},
                                                    {"external_id", std::to_string(first_id)}}}},
                                   {{"type", "Feature"},
                                    {"geometry", {{"type", "Point"}, {"coordinates", {20.3012, 42.0643}}}},
                                    {"properties", {{"name", "Test Number Club"}, {"category", "nightclub"},
                                                    {"external_id", "987654"}}}}}}}
                                .dump();
    for (auto args : std::vector<std::vector<std::string>>{
             {"import", "venues", extra},
             {"directive", "create", "HOM/T/900", "--title", "Test", "--signed", "2020-01-01", "--effective", "2020-01-02"},
             {"directive", "place", "HOM/T/900", "Test Collision Bar", "Test Number Club", "--reason", "trafficking"},
             {"directive", "submit", "HOM/T/900"}}) {
        auto r = run_keepout(db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    auto issue = run_keepout(db, {"directive", "issue", "HOM/T/900"}, "approver");
    INFO(issue.err);
    REQUIRE(issue.exit_code == 0);
    ServerProcess server(db);
    const std::string items = server.url("/ogc/collections/offlimits-points/items/");

    // The external id shown in the HTML opens the item, in every venue collection.
    auto by_ext = get(items + first_ext);
    REQUIRE(by_ext.status == 200);
    CHECK(by_ext.json()["id"] == first_id);
    CHECK(get(server.url("/ogc/collections/offlimits/items/" + first_ext)).json()["id"] == first_id);
    CHECK(get(items + first_ext + "?f=html").body.find(first_ext) != std::string::npos);
    CHECK(get(server.url("/ogc/collections/offlimits-points/items?f=html")).body.find("/items/" + std::to_string(first_id)) !=
          std::string::npos);

    // Digits that are a venue's id name that venue, not the venue whose external id they equal...
    auto by_id = get(items + std::to_string(first_id));
    REQUIRE(by_id.status == 200);
    CHECK(by_id.json()["properties"]["external_id"] == first_ext);
    // ...which the external_id queryable still finds.
    auto q = get(server.url("/ogc/collections/offlimits-points/items?external_id=" + std::to_string(first_id))).json();
    REQUIRE(q["numberMatched"] == 1);
    CHECK(q["features"][0]["properties"]["name"] == "Test Collision Bar");
    // Digits that are no venue's id are an external id.
    auto number = get(items + "987654");
    REQUIRE(number.status == 200);
    CHECK(number.json()["properties"]["name"] == "Test Number Club");

    // A point venue is not in the footprints collection; an unlisted date has no item.
    const std::string point_ext = number.json()["properties"]["external_id"].get<std::string>();
    CHECK(get(server.url("/ogc/collections/offlimits-footprints/items/" + point_ext)).status == 404);
    CHECK(get(items + "987654?datetime=2019-12-31").status == 404);
}

TEST_CASE("Hostile OGC paths and values: clean 400 or 404, the server keeps answering", "[server][ogc][gis]") {
    TempDir tmp;
    const auto db = tmp.file("kosovo.sqlite");
    load_sample(db);
    ServerProcess server(db);
    const std::string base = server.url("/ogc/collections/offlimits-points");
    const std::string huge(6000, '9');
    for (const std::string& path : std::vector<std::string>{
             "/items/" + huge, "/items/" + std::string(150, 'K'), "/items/%FF%FE", "/items/%C0%AF", "/items/'%20OR%201=1--",
          "/items/..%2F..%2Fetc%2Fpasswd", "/items/-1", "/items/0", "/items/9223372036854775808", "/items/%00",
          "/items/KV-026-0001%0D%0AX-Injected:%201", "/items?category=" + huge, "/items?municipality=" + std::string(300, 'x'),
          "/items?municipality=%FF", "/queryables/x", "/items?limit=0", "/items?datetime=2026-13-45", "/items?bbox=1,2,3"}) {
        auto r = get(base + path);
        INFO(path.substr(0, 80) << " -> " << r.status << " " << r.body.substr(0, 200));
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
        CHECK(r.header("X-Injected").empty());
    }
    // A name echoed in an error stays inside JSON, never in a page.
    auto script = get(server.url("/ogc/collections/%3Cscript%3E?f=html"));
    CHECK(script.status == 404);
    CHECK(script.header("content-type").find("application/json") == 0);
    // Values that look like injections are values: they match nothing, and nothing breaks.
    for (const std::string query : {"directive=%27%3B%20DROP%20TABLE%20venues%3B--", "external_id=%E2%80%AE",
                                    "municipality=%27%20OR%20%271%27=%271", "external_id=KV-026-0001%27--"}) {
        auto r = get(base + "/items?" + query);
        INFO(query);
        CHECK(r.status == 200);
        CHECK(r.json()["numberMatched"] == 0);
    }
    CHECK(get(server.url("/healthz")).status == 200);
}
