// Every document that both front ends serve is written once (src/encode), so the command line
// and the API give the same bytes for the same question: the list as CSV and GeoJSON, a
// directive and the directives, a check by position and by name, the proximity report and a
// patrol's route files.
#include "integration/server.hpp"

#include <fstream>
#include <sstream>

using namespace keepout::test;

namespace {

const std::string kAsOf = "2026-06-01";

struct Served {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    Served() { load_sample(db); }
};

// What the command line printed, without the line break it adds after a JSON document.
std::string printed(const RunResult& r, bool json_document = true) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string out = r.out;
    if (json_document && !out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::string served(const HttpResult& r) {
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.body;
}

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The GPX metadata time is the moment each was written.
std::string without_time(std::string gpx) {
    const auto a = gpx.find("<time>");
    const auto b = gpx.find("</time>");
    if (a != std::string::npos && b != std::string::npos && b > a) gpx.erase(a, b + 7 - a);
    return gpx;
}

}  // namespace

TEST_CASE("the command line and the API write the same documents byte for byte", "[encode][server][cli]") {
    Served s;
    ServerProcess server(s.db);

    SECTION("the list as CSV: RFC 4180 line ends, shortest round-trip WKT") {
        const auto cli = printed(run_keepout(s.db, {"list", "--as-of", kAsOf, "--format", "csv"}), false);
        const auto api = served(get(server.url("/api/v1/offlimits?as_of=" + kAsOf + "&f=csv")));
        CHECK(cli == api);
        CHECK(cli.rfind("id,external_id,name,aliases,category,address,municipality,directive,listed_since,reasons,wkt\r\n", 0) == 0);
        CHECK(cli.find("\n") == cli.find("\r\n") + 1);
        CHECK(cli.find("POINT (21.1650847 42.6632737)") != std::string::npos);
    }
    SECTION("the list as GeoJSON, with until in every venue's properties") {
        const auto cli = printed(run_keepout(s.db, {"list", "--as-of", kAsOf, "--format", "geojson"}));
        const auto api = served(get(server.url("/api/v1/offlimits?as_of=" + kAsOf)));
        CHECK(cli == api);
        const auto doc = nlohmann::json::parse(api);
        REQUIRE(doc["features"].size() == 114);
        for (auto& f : doc["features"]) REQUIRE(f["properties"].contains("until"));
        // An earlier date is another list, the same in both.
        CHECK(printed(run_keepout(s.db, {"list", "--as-of", "2026-03-01", "--format", "geojson"})) ==
              served(get(server.url("/api/v1/offlimits?as_of=2026-03-01"))));
    }
    SECTION("a directive with its listings, and the directives") {
        const auto all = served(get(server.url("/api/v1/directives")));
        CHECK(printed(run_keepout(s.db, {"directive", "list", "--format", "json"})) == all);
        const auto list = nlohmann::json::parse(all);
        REQUIRE(list["directives"].size() >= 2);
        for (auto& d : list["directives"]) {
            const std::string ref = d["ref"];
            const std::string path = "/api/v1/directives/" + ref;
            CHECK(printed(run_keepout(s.db, {"directive", "show", ref, "--format", "json"})) ==
                  served(get(server.url(path))));
        }
    }
    SECTION("a check by position, off-limits and not listed, and by name") {
        for (const std::string at : {"42.6632737,21.1650847", "42.0,20.5", "34TEN1356323390"}) {
            INFO(at);
            CHECK(printed(run_keepout(s.db, {"check", "--at", at, "--radius", "250", "--as-of", kAsOf, "--format",
                                             "json"})) ==
                  served(get(server.url("/api/v1/check?at=" + at + "&radius=250&as_of=" + kAsOf))));
        }
        for (const std::string name : {"zana e nates", "Pizzeria Napoli Centrale"}) {
            std::string q;
            for (char c : name) q += c == ' ' ? std::string("%20") : std::string(1, c);
            CHECK(printed(run_keepout(s.db, {"check", "--name", name, "--as-of", kAsOf, "--format", "json"})) ==
                  served(get(server.url("/api/v1/check?name=" + q + "&as_of=" + kAsOf))));
        }
    }
    SECTION("the proximity report as JSON, GeoJSON and CSV") {
        const std::string q = "/api/v1/proximity?as_of=" + kAsOf + "&radius=500,2000";
        CHECK(printed(run_keepout(s.db, {"proximity", "--as-of", kAsOf, "--radius", "500", "--radius", "2000",
                                         "--format", "json"})) == served(get(server.url(q + "&f=json"))));
        CHECK(printed(run_keepout(s.db, {"proximity", "--as-of", kAsOf, "--radius", "500", "--radius", "2000",
                                         "--format", "geojson"})) == served(get(server.url(q + "&f=geojson"))));
        CHECK(printed(run_keepout(s.db, {"proximity", "--as-of", kAsOf, "--radius", "500", "--radius", "2000",
                                         "--format", "csv"}),
                      false) == served(get(server.url(q + "&f=csv"))));
    }
    SECTION("a patrol's KML, CSV and GPX") {
        const std::string kml = s.tmp.file("p.kml"), csv = s.tmp.file("p.csv"), gpx = s.tmp.file("p.gpx");
        printed(run_keepout(s.db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Ferizaj", "--as-of", kAsOf,
                                   "--out", kml, "--out", csv, "--out", gpx}),
                false);
        const std::string q = "/api/v1/patrol?from=Camp%20Bondsteel&sector=Ferizaj&as_of=" + kAsOf;
        CHECK(file_text(kml) == served(get(server.url(q + "&f=kml"))));
        CHECK(file_text(csv) == served(get(server.url(q + "&f=csv"))));
        CHECK(without_time(file_text(gpx)) == without_time(served(get(server.url(q + "&f=gpx")))));
    }
}
