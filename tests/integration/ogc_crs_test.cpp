// The OGC API's coordinate systems come from the mission: a synthetic mission south of the
// equator in UTM zone 35 (tests/data/kivu), checked point by point against PROJ's cs2cs, and
// the two samples, each offered the zones its area touches.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kUtm35South = "http://www.opengis.net/def/crs/EPSG/0/32735";

std::string kivu_dir() { return (fs::path(KEEPOUT_TEST_DATA) / "kivu").string(); }

// Every position of a GeoJSON geometry, in order.
void positions(const json& coords, std::vector<std::pair<double, double>>& out) {
    if (coords.is_array() && !coords.empty() && coords[0].is_number()) {
        out.emplace_back(coords[0].get<double>(), coords[1].get<double>());
        return;
    }
    for (const auto& c : coords) positions(c, out);
}

// cs2cs from EPSG:4326 (latitude first) to `epsg`, easting and northing to the millimetre.
std::vector<std::pair<double, double>> cs2cs(const std::vector<std::pair<double, double>>& lonlat, int epsg) {
    std::ostringstream input;
    input.precision(17);
    for (auto [lon, lat] : lonlat) input << lat << ' ' << lon << '\n';
    const std::string command =
        "printf '%s' \"$0\" | cs2cs -f %.4f EPSG:4326 EPSG:" + std::to_string(epsg);
    auto r = run_program({"sh", "-c", command, input.str()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::pair<double, double>> out;
    std::istringstream lines(r.out);
    double e = 0, n = 0, z = 0;
    while (lines >> e >> n >> z) out.emplace_back(e, n);
    REQUIRE(out.size() == lonlat.size());
    return out;
}

std::vector<std::string> crs_list(const json& collection) {
    std::vector<std::string> out;
    for (const auto& c : collection["crs"]) out.push_back(c.get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("OGC API south of the equator: the mission's zone, transformed as cs2cs does", "[server][ogc][crs]") {
    TempDir tmp;
    const auto db = tmp.file("kivu.sqlite");
    load_mission(db, kivu_dir());
    ServerProcess server(db);

    // The collections offer CRS84, EPSG:4326 and zone 35 south: no northern zone, no 32634.
    auto collections = get(server.url("/ogc/collections")).json();
    for (const auto& c : collections["collections"]) {
        CHECK(crs_list(c) == std::vector<std::string>{"http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                                                      "http://www.opengis.net/def/crs/EPSG/0/4326", kUtm35South});
        // The extent is where the data is: south of the equator, west of 30°E.
        const auto box = c["extent"]["spatial"]["bbox"][0];
        CHECK(box[0].get<double>() > 28.6);
        CHECK(box[2].get<double>() < 29.5);
        CHECK(box[3].get<double>() < 0);
    }
    const json api = get(server.url("/ogc/api")).json();
    CHECK(api.dump().find("32735") != std::string::npos);
    CHECK(api.dump().find("32634") == std::string::npos);

    for (const std::string collection : {"offlimits", "sites"}) {
        INFO(collection);
        const std::string items = "/ogc/collections/" + collection + "/items?limit=100&datetime=2026-06-01";
        auto lonlat = get(server.url(items)).json();
        auto utm = get(server.url(items + "&crs=" + kUtm35South));
        REQUIRE(utm.status == 200);
        CHECK(utm.header("Content-Crs") == "<" + kUtm35South + ">");
        const json projected = utm.json();
        REQUIRE(projected["features"].size() == lonlat["features"].size());
        REQUIRE(projected["features"].size() >= 4);
        std::vector<std::pair<double, double>> in, out;
        for (std::size_t i = 0; i < lonlat["features"].size(); ++i) {
            CHECK(projected["features"][i]["id"] == lonlat["features"][i]["id"]);
            positions(lonlat["features"][i]["geometry"]["coordinates"], in);
            positions(projected["features"][i]["geometry"]["coordinates"], out);
        }
        REQUIRE(in.size() == out.size());
        const auto reference = cs2cs(in, 32735);
        for (std::size_t k = 0; k < out.size(); ++k) {
            INFO(in[k].first << ", " << in[k].second);
            CHECK(std::abs(out[k].first - reference[k].first) < 0.002);
            CHECK(std::abs(out[k].second - reference[k].second) < 0.002);
            CHECK(out[k].second > 9000000);  // southern hemisphere: false northing 10 000 km
        }
    }

    // One feature alone, in the same zone.
    auto one = get(server.url("/ogc/collections/offlimits/items/1?crs=EPSG:32735"));
    CHECK(one.status == 200);
    CHECK(one.header("Content-Crs") == "<" + kUtm35South + ">");

    // A bbox in zone 35 south around Goma (cs2cs: 29.15..29.30°E, 1.72..1.62°S) finds Goma's venues only.
    const auto corners = cs2cs({{29.15, -1.72}, {29.30, -1.62}}, 32735);
    std::ostringstream bbox;
    bbox.precision(10);
    bbox << corners[0].first << ',' << corners[0].second << ',' << corners[1].first << ',' << corners[1].second;
    auto boxed = get(server.url("/ogc/collections/offlimits/items?datetime=2026-06-01&bbox=" + bbox.str() +
                                "&bbox-crs=" + kUtm35South));
    REQUIRE(boxed.status == 200);
    std::vector<std::string> ids;
    const json found = boxed.json();
    for (const auto& f : found["features"]) ids.push_back(f["properties"]["external_id"]);
    std::sort(ids.begin(), ids.end());
    CHECK(ids == std::vector<std::string>{"KI-001", "KI-002", "KI-003"});

    // Zones the mission does not touch are refused, naming those it offers.
    for (const char* other : {"http://www.opengis.net/def/crs/EPSG/0/32634", "http://www.opengis.net/def/crs/EPSG/0/32635",
                              "EPSG:32736", "EPSG:3857", "EPSG:", "urn:ogc:def:crs:EPSG::32735"}) {
        INFO(other);
        auto refused = get(server.url(std::string("/ogc/collections/offlimits/items?crs=") + other));
        CHECK(refused.status == 400);
        CHECK(refused.json()["error"]["code"] == "bad-crs");
        CHECK(refused.body.find("32735") != std::string::npos);
    }
}

TEST_CASE("OGC API: Kosovo offers zone 34 north, Lebanon zone 36 north", "[server][ogc][crs]") {
    for (auto [name, zone] : {std::pair{"kosovo", 32634}, std::pair{"lebanon", 32636}}) {
        INFO(name);
        TempDir tmp;
        const auto db = tmp.file("m.sqlite");
        load_mission(db, sample_dir(name));
        ServerProcess server(db);
        const auto shown = run_keepout(db, {"mission", "show", "--format", "json"}).json();
        std::vector<std::string> expected{"http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                                          "http://www.opengis.net/def/crs/EPSG/0/4326"};
        for (const auto& code : shown["utm_zones"])
            expected.push_back("http://www.opengis.net/def/crs/EPSG/0/" + std::to_string(code.get<int>()));
        CHECK(shown["utm_zones"] == json::array({zone}));
        auto collection = get(server.url("/ogc/collections/sites")).json();
        CHECK(crs_list(collection) == expected);
        const std::string uri = "http://www.opengis.net/def/crs/EPSG/0/" + std::to_string(zone);
        auto lonlat = get(server.url("/ogc/collections/sites/items?limit=3")).json();
        auto utm = get(server.url("/ogc/collections/sites/items?limit=3&crs=" + uri)).json();
        std::vector<std::pair<double, double>> in, out;
        for (std::size_t i = 0; i < lonlat["features"].size(); ++i) {
            positions(lonlat["features"][i]["geometry"]["coordinates"], in);
            positions(utm["features"][i]["geometry"]["coordinates"], out);
        }
        REQUIRE(!in.empty());
        REQUIRE(in.size() == out.size());
        const auto reference = cs2cs(in, zone);
        for (std::size_t k = 0; k < out.size(); ++k) {
            CHECK(std::abs(out[k].first - reference[k].first) < 0.002);
            CHECK(std::abs(out[k].second - reference[k].second) < 0.002);
        }
        // The other sample's zone is not offered.
        const int other = zone == 32634 ? 32636 : 32634;
        CHECK(get(server.url("/ogc/collections/sites/items?crs=EPSG:" + std::to_string(other))).status == 400);
    }
}
