// Mission time over HTTP: every as_of takes a date or an RFC 3339 instant, read as the date in the
// mission's zone (a directive takes effect at local midnight), and the answers say which zone.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "http/service.hpp"
#include "store/mission.hpp"
#include "store/operations.hpp"
#include "store/repository.hpp"
#include "unit/http/service_fixture.hpp"

using namespace keepout;
using nlohmann::json;

namespace {

// A closed ring as WKB Polygon (little-endian).
std::string box_polygon_wkb(double min_lon, double min_lat, double max_lon, double max_lat) {
    const double ring[5][2] = {{min_lon, min_lat}, {max_lon, min_lat}, {max_lon, max_lat}, {min_lon, max_lat}, {min_lon, min_lat}};
    std::string out(1 + 4 + 4 + 4 + 5 * 16, '\0');
    out[0] = 1;
    const std::uint32_t type = 3, rings = 1, points = 5;
    std::memcpy(&out[1], &type, 4);
    std::memcpy(&out[5], &rings, 4);
    std::memcpy(&out[9], &points, 4);
    for (int i = 0; i < 5; ++i) {
        std::memcpy(&out[13 + 16 * i], &ring[i][0], 8);
        std::memcpy(&out[21 + 16 * i], &ring[i][1], 8);
    }
    return out;
}

// A mission in Asia/Beirut (UTC+3 in summer) with one venue placed off-limits from 2026-07-01.
struct BeirutMission {
    std::filesystem::path dir;
    std::unique_ptr<http::Service> service;

    BeirutMission() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("keepout-mission-time-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir);
        const std::string db = (dir / "k.sqlite").string();
        {
            auto s = store::Store::init(db);
            s->set_actor("Edna Editor");
            model::MissionProfile m;
            m.name = "TESTFIL";
            m.full_name = "Test Force in the South";
            m.head_of_mission = "Head of Mission";
            m.time_zone = "Asia/Beirut";
            m.languages = {"ar", "fr", "en"};
            m.area_wkb = box_polygon_wkb(35.1, 33.0, 35.9, 33.4);
            store::set_mission(*s, m);
            model::Venue v;
            v.external_id = "LB-T-1";
            v.name = "Bar Sahil Test";
            v.category = model::Category::bar;
            v.municipality = "Sour";
            v.geometry = test::point_wkb(35.2, 33.27);
            store::create_venue(*s, v);
            store::NewDirective n;
            n.ref = "HOM/OL/2026/050";
            n.title = "From local midnight";
            n.signed_on = model::Date::parse("2026-06-25");
            n.effective_on = model::Date::parse("2026-07-01");
            store::create_directive(*s, n);
            store::ListingRequest l;
            l.directive_ref = n.ref;
            l.venues = {"LB-T-1"};
            l.reasons = {model::Reason::trafficking};
            store::add_listings(*s, l);
            store::submit_directive(*s, n.ref);
            s->set_actor("Abel Approver");
            store::issue_directive(*s, n.ref);
        }
        http::ServiceOptions options;
        options.db_path = db;
        service = std::make_unique<http::Service>(options);
    }
    ~BeirutMission() {
        service.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    BeirutMission(const BeirutMission&) = delete;
    BeirutMission& operator=(const BeirutMission&) = delete;

    http::Response get(const std::string& target) {
        http::Request r;
        r.method = "GET";
        r.target = target;
        r.remote = "127.0.0.1";
        r.headers["host"] = "127.0.0.1:8080";
        http::parse_target(r);
        return service->handle(r);
    }
    json get_json(const std::string& target) {
        const auto r = get(target);
        INFO(target << " → " << r.status << " " << r.body.substr(0, 400));
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    }
};

}  // namespace

TEST_CASE("as_of as an instant is the mission's local date: in force from local midnight", "[http][mission-time]") {
    BeirutMission m;
    // 21:30Z on 30 June is 00:30 on 1 July in Beirut: the directive is in force.
    const json after = m.get_json("/api/v1/check?name=Bar%20Sahil%20Test&as_of=2026-06-30T21:30:00Z");
    CHECK(after["verdict"] == "off-limits");
    CHECK(after["as_of"] == "2026-07-01");
    CHECK(after["time_zone"] == "Asia/Beirut");
    // 20:30Z is 23:30 on 30 June there: not yet.
    const json before = m.get_json("/api/v1/check?name=Bar%20Sahil%20Test&as_of=2026-06-30T20:30:00Z");
    CHECK(before["verdict"] == "not-listed");
    CHECK(before["as_of"] == "2026-06-30");
    // The same instants with an offset, and by position.
    CHECK(m.get_json("/api/v1/check?at=33.27,35.2&as_of=2026-07-01T00:30:00%2B03:00")["verdict"] == "off-limits");
    CHECK(m.get_json("/api/v1/check?at=33.27,35.2&as_of=2026-06-30T23:30:00%2B03:00")["verdict"] == "not-listed");
    // A date is taken as it is.
    CHECK(m.get_json("/api/v1/check?name=Bar%20Sahil%20Test&as_of=2026-07-01")["verdict"] == "off-limits");
    CHECK(m.get_json("/api/v1/check?name=Bar%20Sahil%20Test&as_of=2026-06-30")["verdict"] == "not-listed");
}

TEST_CASE("the list, a venue and the proximity report read as_of instants the same way", "[http][mission-time]") {
    BeirutMission m;
    const json list = m.get_json("/api/v1/offlimits?as_of=2026-06-30T21:30:00Z");
    CHECK(list["as_of"] == "2026-07-01");
    CHECK(list["time_zone"] == "Asia/Beirut");
    CHECK(list["numberMatched"] == 1);
    CHECK(m.get_json("/api/v1/offlimits?as_of=2026-06-30T20:30:00Z")["numberMatched"] == 0);
    const json venue = m.get_json("/api/v1/venues/1?as_of=2026-06-30T21:30:00Z");
    CHECK(venue["properties"]["as_of"] == "2026-07-01");
    CHECK(venue["properties"]["time_zone"] == "Asia/Beirut");
    CHECK(venue["properties"]["listed"] == true);
    CHECK(m.get_json("/api/v1/proximity?as_of=2026-06-30T21:30:00Z")["time_zone"] == "Asia/Beirut");
    // OGC API clients give the instant as datetime: the same local date.
    CHECK(m.get_json("/ogc/collections/offlimits/items?datetime=2026-06-30T21:30:00Z")["numberMatched"] == 1);
    CHECK(m.get_json("/ogc/collections/offlimits/items?datetime=2026-06-30T20:30:00Z")["numberMatched"] == 0);
    // The KML names its date and zone.
    const auto kml = m.get("/api/v1/offlimits?f=kml&as_of=2026-06-30T21:30:00Z");
    REQUIRE(kml.status == 200);
    CHECK(kml.body.find("as of 2026-07-01 (Asia/Beirut") != std::string::npos);
}

TEST_CASE("a bad as_of is 400 bad-date saying what was read and what is wrong", "[http][mission-time]") {
    BeirutMission m;
    const struct {
        const char* value;
        const char* says;
    } cases[] = {{"2026-06-30T21:30:00", "offset"},
                 {"2026-06-30T25:30:00Z", "out of range"},
                 {"2026-06-31T21:30:00Z", "2026-06-31"},
                 {"2026-06-30 21h30", "2026-06-30 21h30"},
                 {"yesterday", "yesterday"}};
    for (const auto& c : cases) {
        const auto r = m.get(std::string("/api/v1/check?name=Bar&as_of=") + http::url_encode(c.value));
        INFO(c.value << " → " << r.body);
        CHECK(r.status == 400);
        const json j = json::parse(r.body);
        CHECK(j["error"]["code"] == "bad-date");
        CHECK(j["error"]["message"].get<std::string>().find(c.says) != std::string::npos);
    }
}

TEST_CASE("a check by position outside the mission area carries the flag and a warning", "[http][mission-area]") {
    BeirutMission m;
    auto has_warning = [](const json& j) {
        for (const auto& w : j["warnings"])
            if (w["code"] == "outside-mission-area") return true;
        return false;
    };
    const json outside = m.get_json("/api/v1/check?at=33.8938,35.5018");  // north of the area
    CHECK(outside["outside_mission_area"] == true);
    CHECK(has_warning(outside));
    const json inside = m.get_json("/api/v1/check?at=33.27,35.2&as_of=2026-07-02");
    CHECK(inside["outside_mission_area"] == false);
    CHECK_FALSE(has_warning(inside));
    CHECK(inside["verdict"] == "off-limits");
    // The text box of the page (q=) reads positions the same way.
    CHECK(m.get_json("/api/v1/check?q=33.8938,35.5018")["outside_mission_area"] == true);
}
