// keepout check and keepout proximity on the Kosovo sample, against GeographicLib's own tools.
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

const std::string kDate = "2026-06-01";

struct Sample {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    json listed;  // GeoJSON of the list on kDate
    Sample() {
        load_sample(db);
        listed = run_keepout(db, {"list", "--as-of", kDate, "--format", "geojson"}).json();
    }
    // A listed venue of that geometry with no other listed venue within 300 m of its first vertex,
    // so that distances measured around it belong to it alone.
    json first_listed(const std::string& geometry_type) const {
        for (auto& f : listed["features"]) {
            if (f["geometry"]["type"] != geometry_type) continue;
            auto c = f["geometry"]["coordinates"];
            while (c[0].is_array()) c = c[0];
            std::ostringstream at;
            at.precision(12);
            at << c[1].get<double>() << "," << c[0].get<double>();
            auto r = run_keepout(db, {"check", "--at", at.str(), "--radius", "300", "--as-of", "2026-06-01",
                                      "--format", "json"});
            if (r.exit_code == 0 && r.json()["matches"].size() == 1) return f;
        }
        FAIL("no isolated listed " << geometry_type);
        return {};
    }
};

Sample& sample_db() {
    static Sample s;
    return s;
}

// A point `metres` from (lat, lon) along `azimuth`, computed by GeographicLib's GeodSolve.
std::pair<double, double> geodsolve_direct(double lat, double lon, double azimuth, double metres) {
    std::ostringstream cmd;
    cmd.precision(12);
    cmd << "echo " << lat << " " << lon << " " << azimuth << " " << metres << " | GeodSolve -p 9";
    auto r = run_program({"sh", "-c", cmd.str()});
    REQUIRE(r.exit_code == 0);
    std::istringstream in(r.out);
    double lat2 = 0, lon2 = 0;
    in >> lat2 >> lon2;
    return {lat2, lon2};
}

std::string geoconvert(const std::string& latlon, const std::string& flag) {
    auto r = run_program({"sh", "-c", "echo '" + latlon + "' | GeoConvert " + flag});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
}

json check(const std::vector<std::string>& args) {
    std::vector<std::string> full{"check"};
    full.insert(full.end(), args.begin(), args.end());
    full.insert(full.end(), {"--as-of", kDate, "--format", "json"});
    auto r = run_keepout(sample_db().db, full);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.json();
}

std::string latlon(double lat, double lon) {
    std::ostringstream s;
    s.precision(12);
    s << lat << "," << lon;
    return s.str();
}

}  // namespace

TEST_CASE("check --at: on, near and away from a listed venue", "[check]") {
    auto& s = sample_db();
    const json venue = s.first_listed("Point");
    const double lon = venue["geometry"]["coordinates"][0], lat = venue["geometry"]["coordinates"][1];
    const std::string id = venue["properties"]["external_id"];

    SECTION("at the venue itself") {
        auto j = check({"--at", latlon(lat, lon)});
        CHECK(j["verdict"] == "off-limits");
        CHECK(j["as_of"] == kDate);
        CHECK(j["list_version"].is_number());
        REQUIRE(j["matches"].size() >= 1);
        CHECK(j["matches"][0]["external_id"] == id);
        CHECK(j["matches"][0]["distance_m"] == 0.0);
        for (const char* key : {"venue_id", "external_id", "name", "distance_m", "directive", "listed_since", "reasons"})
            CHECK(j["matches"][0].contains(key));
    }
    SECTION("50 m north is within the default 75 m") {
        auto [lat2, lon2] = geodsolve_direct(lat, lon, 0, 50);
        auto j = check({"--at", latlon(lat2, lon2)});
        CHECK(j["verdict"] == "off-limits");
        CHECK(j["matches"][0]["distance_m"].get<double>() == Approx(50.0).margin(0.1));
        CHECK(j["matches"][0]["bearing_deg"].get<double>() == Approx(180.0).margin(0.1));
    }
    SECTION("100 m east is not, and the margin is shown") {
        auto [lat2, lon2] = geodsolve_direct(lat, lon, 90, 100);
        auto j = check({"--at", latlon(lat2, lon2)});
        CHECK(j["verdict"] == "not-listed");
        CHECK(j["matches"].empty());
        REQUIRE(j["nearest"].is_object());
        CHECK(j["nearest"]["external_id"] == id);
        CHECK(j["nearest"]["distance_m"].get<double>() == Approx(100.0).margin(0.1));
        auto wide = check({"--at", latlon(lat2, lon2), "--radius", "150"});
        CHECK(wide["verdict"] == "off-limits");
    }
    SECTION("the same place written as DMS, UTM and MGRS gives the same answer") {
        const std::string p = latlon(lat, lon);
        for (auto& [form, flag] : std::vector<std::pair<std::string, std::string>>{
                 {"dms", "-d -p 1"}, {"utm", "-u -p 0"}, {"mgrs", "-m -p 0"}}) {
            std::string text = geoconvert(std::to_string(lat) + " " + std::to_string(lon), flag);
            if (form == "utm") {
                // GeoConvert writes "34n 513529 4723436": use the latitude band form as people do.
                text = text.substr(0, 2) + "T" + text.substr(3);
            }
            INFO(form << ": " << text);
            auto j = check({"--at", text});
            CHECK(j["verdict"] == "off-limits");
            CHECK(j["matches"][0]["external_id"] == id);
            CHECK(j["matches"][0]["distance_m"].get<double>() < 2.0);
        }
    }
    SECTION("before the first directive nothing is listed") {
        auto r = run_keepout(s.db, {"check", "--at", latlon(lat, lon), "--as-of", "2026-01-01", "--format", "json"});
        REQUIRE(r.exit_code == 0);
        CHECK(r.json()["verdict"] == "not-listed");
    }
}

TEST_CASE("check --at inside a listed footprint is off-limits at distance 0", "[check]") {
    const json venue = sample_db().first_listed("Polygon");
    const auto& ring = venue["geometry"]["coordinates"][0];
    double lon = 0, lat = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        lon += ring[i][0].get<double>();
        lat += ring[i][1].get<double>();
    }
    lon /= double(ring.size() - 1);
    lat /= double(ring.size() - 1);
    auto j = check({"--at", latlon(lat, lon), "--radius", "0"});
    CHECK(j["verdict"] == "off-limits");
    CHECK(j["matches"][0]["external_id"] == venue["properties"]["external_id"]);
    CHECK(j["matches"][0]["distance_m"] == 0.0);
}

TEST_CASE("a malformed coordinate is a clear error, never a guess", "[check]") {
    for (std::string bad : {"", "abc", "95,21", "42.6,200", "42.6 21.1 junk", "34TDN135632339"}) {
        INFO("input '" << bad << "'");
        auto r = run_keepout(sample_db().db, {"check", "--at", bad, "--format", "json"});
        CHECK(r.exit_code != 0);
        CHECK(r.out.empty());
        CHECK_FALSE(r.err.empty());
    }
}

TEST_CASE("check --name across scripts, and a lifted venue answers with its lift", "[check][names]") {
    SECTION("Serbian Cyrillic name of a listed venue") {
        auto j = check({"--name", "Мотел Плави Кестен"});
        CHECK(j["verdict"] == "off-limits");
        REQUIRE_FALSE(j["matches"].empty());
        CHECK(j["matches"][0]["external_id"] == "KV-026-0016");
        CHECK(j["matches"][0]["score"].get<double>() > 0.8);
    }
    SECTION("the same in Latin without diacritics and with a typo") {
        auto j = check({"--name", "motel plavi kesetn"});
        CHECK(j["verdict"] == "off-limits");
        CHECK(j["matches"][0]["external_id"] == "KV-026-0016");
    }
    SECTION("a name nobody listed") {
        auto j = check({"--name", "Pizzeria Napoli Centrale"});
        CHECK(j["verdict"] == "not-listed");
        CHECK(j["matches"].empty());
    }
    SECTION("a lifted venue") {
        std::ifstream in(sample("directives.json"));
        auto d = json::parse(in);
        std::string lifted;
        for (auto& l : d["directives"][1]["listings"])
            if (l["action"] == "lift") lifted = l["venue"];
        REQUIRE_FALSE(lifted.empty());
        auto h = run_keepout(sample_db().db, {"history", lifted, "--format", "json"}).json();
        const std::string name = h["venue"]["name"];
        auto j = check({"--name", name});
        CHECK(j["verdict"] == "not-listed");
        bool found = false;
        for (auto& m : j["not_listed"])
            if (m["external_id"] == lifted) {
                found = true;
                CHECK(m["status"] == "lifted");
                CHECK(m["lifted_by"]["directive"] == "HOM/OL/2026/002");
                CHECK(m["lifted_by"]["effective"] == "2026-03-05");
            }
        CHECK(found);
    }
}

TEST_CASE("check --name as people type names, through the binary", "[check][names]") {
    auto has_key = [](const json& m, const char* key) { return m.contains(key); };
    SECTION("one word shared by four listed-or-not venues: ambiguous, every candidate with its status") {
        for (const char* q : {"Pellumbi", "Pëllumbi", "Pellu"}) {
            INFO(q);
            auto j = check({"--name", q});
            CHECK(j["verdict"] == "ambiguous");
            CHECK(j["warnings"].is_array());
            std::set<std::string> got;
            for (auto& m : j["matches"]) {
                got.insert(m["external_id"].get<std::string>());
                for (const char* key : {"venue_id", "external_id", "name", "matched_name", "status", "score", "directive",
                                        "listed_since", "reasons"})
                    CHECK(has_key(m, key));
                CHECK((m["status"] == "off-limits" || m["status"] == "not-listed"));
                CHECK(m["name"].get<std::string>().find("Pëllumbi") != std::string::npos);  // the listed name
                CHECK((m["status"] == "off-limits") == m["directive"].is_string());
            }
            CHECK(got == std::set<std::string>{"KV-026-0001", "KV-026-0107", "KV-026-0128", "KV-026-0137"});
        }
    }
    SECTION("Zana is among the candidates; with the rest of its name it is off-limits") {
        auto zana = check({"--name", "Zana"});
        CHECK(zana["verdict"] == "ambiguous");
        bool found = false;
        for (auto& m : zana["matches"]) found = found || m["external_id"] == "KV-026-0002";
        CHECK(found);
        for (const char* q : {"Zana e Natës", "zana nates", "Night Club Zana e Nates Prishtine", "Zanna e Natës"}) {
            INFO(q);
            auto j = check({"--name", q});
            CHECK(j["verdict"] == "off-limits");
            REQUIRE(j["matches"].size() == 1);
            CHECK(j["matches"][0]["external_id"] == "KV-026-0002");
            CHECK(j["matches"][0]["name"] == "Night Club Zana e Natës");
            CHECK(j["matches"][0]["status"] == "off-limits");
            CHECK(j["warnings"] == json::array());
        }
    }
    SECTION("name and town narrows the candidates to that town") {
        auto j = check({"--name", "Zana Prishtinë"});
        REQUIRE(j["matches"].size() >= 1);
        for (auto& m : j["matches"]) CHECK(m["municipality"] == "Prishtinë");
    }
    SECTION("the script typed is the script answered") {
        auto cyr = check({"--name", "Плави Кестен"});
        CHECK(cyr["verdict"] == "off-limits");
        CHECK(cyr["matches"][0]["matched_name"] == "Мотел Плави Кестен");
        auto lat = check({"--name", "plavi kestn"});
        CHECK(lat["verdict"] == "off-limits");
        CHECK(lat["matches"][0]["name"] == "Мотел Плави Кестен");
        CHECK(lat["matches"][0]["matched_name"] == "Motel Plavi Kesten");
    }
    SECTION("category words alone are never off-limits") {
        for (const char* q : {"bar", "hotel", "Night Club", "Kafe Bar"}) {
            INFO(q);
            auto j = check({"--name", q});
            CHECK(j["verdict"] != "off-limits");
            CHECK(j["warnings"].size() >= 1);
        }
    }
    SECTION("the text output tells the same verdict") {
        auto r = run_keepout(sample_db().db, {"check", "--name", "Pellumbi", "--as-of", kDate});
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("AMBIGUOUS") != std::string::npos);
        CHECK(r.out.find("Kafe Bar Pëllumbi i Fushës [KV-026-0001]") != std::string::npos);
        auto off = run_keepout(sample_db().db, {"check", "--name", "zana e nates", "--as-of", kDate});
        CHECK(off.out.find("OFF-LIMITS") != std::string::npos);
        CHECK(off.out.find("Night Club Zana e Natës [KV-026-0002]") != std::string::npos);
    }
    SECTION("a name that cannot be read is an error") {
        for (const std::string& bad : std::vector<std::string>{"!!!", "   ", std::string(300, 'a')}) {
            INFO("'" << bad << "'");
            auto r = run_keepout(sample_db().db, {"check", "--name", bad, "--format", "json"});
            CHECK(r.exit_code != 0);
            CHECK(r.out.empty());
            CHECK_FALSE(r.err.empty());
        }
    }
}

TEST_CASE("check by name: the HTTP API serves the very document the command line prints", "[check][names][server]") {
    auto percent = [](const std::string& s) {
        std::string out;
        for (unsigned char c : s) {
            if (std::isalnum(c)) {
                out += char(c);
            } else {
                char b[4];
                std::snprintf(b, sizeof b, "%%%02X", c);
                out += b;
            }
        }
        return out;
    };
    ServerProcess server(sample_db().db);
    for (const std::string q : {"Pellumbi", "Zana e Natës", "Zana Prishtinë", "Плави Кестен", "bar", "Motel Emerald Bridge",
                                "Pizzeria Napoli Centrale", "Zana e Natës Nightlife"}) {
        INFO(q);
        auto cli = run_keepout(sample_db().db, {"check", "--name", q, "--as-of", kDate, "--format", "json"});
        REQUIRE(cli.exit_code == 0);
        for (const char* param : {"name", "q"}) {
            auto api = get(server.url("/api/v1/check?" + std::string(param) + "=" + percent(q) + "&as_of=" + kDate));
            REQUIRE(api.status == 200);
            CHECK(api.json() == json::parse(cli.out));
        }
    }
    for (const std::string& bad : std::vector<std::string>{"!!!", std::string(201, 'z')}) {
        auto api = get(server.url("/api/v1/check?name=" + percent(bad)));
        CHECK(api.status == 400);
        CHECK(api.json()["error"]["code"].is_string());
    }
}

TEST_CASE("proximity distances and bearings agree with GeodSolve", "[proximity]") {
    auto& s = sample_db();
    std::set<std::string> listed;
    for (auto& f : s.listed["features"]) listed.insert(f["properties"]["external_id"].get<std::string>());

    auto r = run_keepout(s.db, {"proximity", "--radius", "50000", "--as-of", kDate, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = r.json();
    std::map<std::pair<std::string, std::string>, json> got;
    for (auto& p : j["pairs"]) got[{p["site"].get<std::string>(), p["external_id"].get<std::string>()}] = p;

    std::ifstream ref(with_data_dir("proximity/sample_pairs.tsv"));
    std::string line;
    std::getline(ref, line);  // header
    int compared = 0;
    while (std::getline(ref, line)) {
        std::istringstream cols(line);
        std::string site, id, d, az;
        std::getline(cols, site, '\t');
        std::getline(cols, id, '\t');
        std::getline(cols, d, '\t');
        std::getline(cols, az, '\t');
        if (!listed.count(id)) continue;
        INFO(site << " → " << id);
        auto it = got.find({site, id});
        REQUIRE(it != got.end());  // every listed pair within 50 km is reported
        CHECK(std::fabs(it->second["distance_m"].get<double>() - std::stod(d)) <= 0.5);
        double diff = std::fabs(it->second["bearing_deg"].get<double>() - std::stod(az));
        CHECK(std::min(diff, 360.0 - diff) <= 0.1);
        ++compared;
    }
    CHECK(compared > 500);
}

TEST_CASE("proximity rings, nearest venue, exposure order and formats", "[proximity]") {
    auto& s = sample_db();
    auto j = run_keepout(s.db, {"proximity", "--as-of", kDate, "--format", "json"}).json();
    CHECK(j["rings"] == json({500, 1000, 2000, 5000}));
    std::map<std::string, std::vector<double>> by_site;
    for (auto& p : j["pairs"]) {
        CHECK(p["distance_m"].get<double>() <= 5000.0);
        CHECK(p["bearing_deg"].get<double>() >= 0.0);
        CHECK(p["bearing_deg"].get<double>() < 360.0);
        by_site[p["site"].get<std::string>()].push_back(p["distance_m"].get<double>());
    }
    double last_exposure = 1e300;
    for (auto& site : j["sites"]) {
        const auto& d = by_site[site["site"].get<std::string>()];
        for (const char* ring : {"500", "1000", "2000", "5000"}) {
            auto n = std::count_if(d.begin(), d.end(), [&](double x) { return x <= std::stod(ring); });
            CHECK(site["rings"][ring].get<long>() == n);
        }
        if (d.empty()) {
            CHECK(site["nearest_venue"].is_null());
        } else {
            CHECK(site["nearest_m"].get<double>() == *std::min_element(d.begin(), d.end()));
        }
        CHECK(site["exposure"].get<double>() <= last_exposure);
        last_exposure = site["exposure"].get<double>();
    }
    CHECK(j["sites"].size() == 19);

    auto one = run_keepout(s.db, {"proximity", "--site", "Camp Bondsteel", "--radius", "3000", "--as-of", kDate,
                                  "--format", "json"})
                   .json();
    REQUIRE(one["sites"].size() == 1);
    CHECK(one["rings"] == json({3000}));
    for (auto& p : one["pairs"]) CHECK(p["site"] == "Camp Bondsteel");

    auto csv = run_keepout(s.db, {"proximity", "--as-of", kDate, "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("site,venue,external_id,distance_m,bearing_deg\n", 0) == 0);

    auto geo = run_keepout(s.db, {"proximity", "--as-of", kDate, "--format", "geojson"}).json();
    CHECK(geo["features"].size() == j["pairs"].size());
    if (!geo["features"].empty()) CHECK(geo["features"][0]["geometry"]["type"] == "LineString");

    auto bad = run_keepout(s.db, {"proximity", "--site", "Camp Nowhere"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("unknown site 'Camp Nowhere'") != std::string::npos);
}
