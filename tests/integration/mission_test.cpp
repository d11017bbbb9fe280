// The mission profile through the real binary: both samples, a copy that stands alone, bad files
// refused without a trace, every change in the audit log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string mission_dir(const std::string& name) {
    return (fs::path(KEEPOUT_SOURCE_DIR) / "data" / name).string();
}

void init(const std::string& db) { REQUIRE(run_keepout(db, {"init"}).exit_code == 0); }

json show(const std::string& db) {
    auto r = run_keepout(db, {"mission", "show", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.json();
}

// A copy of a sample's mission folder that a test may change or delete.
std::string copy_mission(const TempDir& tmp, const std::string& name) {
    const fs::path to = fs::path(tmp.file(name));
    fs::create_directories(to);
    for (const auto& f : fs::directory_iterator(mission_dir(name))) fs::copy_file(f.path(), to / f.path().filename());
    return (to / "mission.json").string();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("the Kosovo mission profile: zone 34 north, Belgrade time, four languages") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    auto r = run_keepout(db, {"mission", "import", mission_dir("kosovo") + "/mission.json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json m = show(db);
    CHECK(m["name"] == "UNMIK");
    CHECK(m["time_zone"] == "Europe/Belgrade");
    CHECK(m["languages"] == json::array({"sq", "sr-Latn", "sr-Cyrl", "en"}));
    CHECK(m["utm_zones"] == json::array({32634}));
    CHECK((m["area"]["type"] == "Polygon" || m["area"]["type"] == "MultiPolygon"));
    CHECK(m["default_radius_m"] == 75.0);
    std::map<std::string, int> layers;
    for (const auto& l : m["layers"]) layers[l["name"]] = l["features"];
    CHECK(layers["municipalities"] == 38);
    CHECK(layers["districts"] == 7);
    CHECK(layers["towns"] == 32);
}

TEST_CASE("the Lebanon mission profile: zone 36 north, Beirut time, Arabic first") {
    TempDir tmp;
    const auto db = tmp.file("l.sqlite");
    init(db);
    REQUIRE(run_keepout(db, {"mission", "import", mission_dir("lebanon") + "/mission.json"}).exit_code == 0);
    const json m = show(db);
    CHECK(m["name"] == "UNIFIL");
    CHECK(m["head_of_mission"] == "Head of Mission and Force Commander");
    CHECK(m["time_zone"] == "Asia/Beirut");
    CHECK(m["languages"][0] == "ar");
    CHECK(m["utm_zones"] == json::array({32636}));
    auto table = run_keepout(db, {"mission", "show"});
    CHECK(table.out.find("EPSG:32636") != std::string::npos);
}

TEST_CASE("a mission in the southern hemisphere across two zones") {
    TempDir tmp;
    const auto db = tmp.file("s.sqlite");
    init(db);
    const std::string dir = tmp.file("south");
    fs::create_directories(dir);
    // Across 30°E just south of the equator (zones 35 and 36 south).
    write(dir + "/area.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":)"
          R"({"type":"Polygon","coordinates":[[[29.2,-4.0],[30.8,-4.0],[30.8,-1.0],[29.2,-1.0],[29.2,-4.0]]]}}]})");
    write(dir + "/mission.json",
          R"({"name":"TESTMIS","full_name":"Test Mission","time_zone":"Africa/Bujumbura","languages":["fr","rn","sw","en"],)"
          R"("head_of_mission":"Special Representative","area":"area.geojson","default_radius_m":100})");
    auto r = run_keepout(db, {"mission", "import", dir + "/mission.json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json m = show(db);
    CHECK(m["utm_zones"] == json::array({32735, 32736}));
    CHECK(m["default_radius_m"] == 100.0);
    CHECK(m["layers"].empty());
}

TEST_CASE("the database stands alone: the layers are copied in") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    const auto file = copy_mission(tmp, "kosovo");
    REQUIRE(run_keepout(db, {"mission", "import", file}).exit_code == 0);
    fs::remove_all(fs::path(file).parent_path());
    const json m = show(db);
    CHECK(m["utm_zones"] == json::array({32634}));
    CHECK(m["layers"].size() == 3);
}

TEST_CASE("paths are read relative to mission.json, not to where keepout runs") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    // run_keepout runs in the test's working directory, which holds no boundary.geojson.
    REQUIRE_FALSE(fs::exists("boundary.geojson"));
    CHECK(run_keepout(db, {"mission", "import", copy_mission(tmp, "lebanon")}).exit_code == 0);
}

TEST_CASE("a bad mission file is refused with what is wrong, and changes nothing") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    REQUIRE(run_keepout(db, {"mission", "import", mission_dir("kosovo") + "/mission.json"}).exit_code == 0);
    const json before = show(db);
    const auto audit_before = run_keepout(db, {"audit", "log", "--limit", "1000", "--format", "json"}).out;

    const auto file = copy_mission(tmp, "lebanon");
    const std::string dir = fs::path(file).parent_path().string();
    const json good = json::parse(std::ifstream(file));
    struct Case {
        const char* what;
        json change;
        const char* says;
    };
    const std::vector<Case> cases{
        {"time zone that is an offset", {{"time_zone", "GMT+2"}}, "time_zone"},
        {"unknown time zone", {{"time_zone", "Asia/Atlantis"}}, "time_zone"},
        {"no languages", {{"languages", json::array()}}, "languages"},
        {"a language that is no tag", {{"languages", {"ar", "not a tag!"}}}, "languages"},
        {"missing area file", {{"area", "nowhere.geojson"}}, "area"},
        {"area of points", {{"area", "towns.geojson"}}, "area"},
        {"missing layer file", {{"layers", {{"towns", "gone.geojson"}}}}, "layers.towns"},
        {"layer name with a path", {{"layers", {{"../x", "towns.geojson"}}}}, "layers"},
        {"radius of zero", {{"default_radius_m", 0}}, "default_radius_m"},
        {"review interval of zero", {{"review_interval_days", 0}}, "review_interval_days"},
        {"review interval in weeks", {{"review_interval_days", "26w"}}, "review_interval_days"},
        {"review interval of a fraction", {{"review_interval_days", 180.5}}, "review_interval_days"},
        {"review interval over ten years", {{"review_interval_days", 3651}}, "review_interval_days"},
        {"empty name", {{"name", ""}}, "name"},
        {"unknown field", {{"utm_zone", 36}}, "utm_zone"},
    };
    for (const auto& c : cases) {
        SECTION(c.what) {
            json bad = good;
            bad.merge_patch(c.change);
            write(file, bad.dump());
            auto r = run_keepout(db, {"mission", "import", file});
            INFO(r.err);
            CHECK(r.exit_code != 0);
            CHECK(r.err.find(c.says) != std::string::npos);
        }
    }
    SECTION("not JSON") {
        write(file, "{\"name\": \"UNIFIL\",");
        CHECK(run_keepout(db, {"mission", "import", file}).exit_code != 0);
    }
    SECTION("no file") { CHECK(run_keepout(db, {"mission", "import", dir + "/missing.json"}).exit_code != 0); }
    CHECK(show(db) == before);
    CHECK(run_keepout(db, {"audit", "log", "--limit", "1000", "--format", "json"}).out == audit_before);
}

TEST_CASE("setting the mission is audited, and so is changing it") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    REQUIRE(run_keepout(db, {"mission", "import", mission_dir("kosovo") + "/mission.json"}, "ana").exit_code == 0);
    REQUIRE(run_keepout(db, {"mission", "import", mission_dir("lebanon") + "/mission.json"}, "ben").exit_code == 0);
    auto log = run_keepout(db, {"audit", "log", "--limit", "10", "--format", "json"});
    REQUIRE(log.exit_code == 0);
    CHECK(log.out.find("mission.import") != std::string::npos);
    CHECK(log.out.find("mission.update") != std::string::npos);
    CHECK(log.out.find("ben") != std::string::npos);
    CHECK(log.out.find("review_interval_days") != std::string::npos);  // a setting like the others
    CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 0);
    CHECK(show(db)["name"] == "UNIFIL");
}

TEST_CASE("mission show before any import says what to do") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    auto r = run_keepout(db, {"mission", "show"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("mission import") != std::string::npos);
}

namespace {

// The sample loaded with its mission profile (or without, to see UTC), from data/<name>.
void load_mission_sample(const std::string& db, const std::string& name, bool with_profile) {
    init(db);
    const std::string dir = mission_dir(name);
    if (with_profile) REQUIRE(run_keepout(db, {"mission", "import", dir + "/mission.json"}).exit_code == 0);
    for (auto [what, file] : {std::pair{"venues", "venues.geojson"}, std::pair{"sites", "deployment_sites.geojson"},
                              std::pair{"directives", "directives.json"}}) {
        auto r = run_keepout(db, {"import", what, dir + "/" + file});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
}

std::size_t listed(const std::string& db, const std::string& as_of) {
    auto r = run_keepout(db, {"list", "--as-of", as_of, "--format", "geojson"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.json()["features"].size();
}

}  // namespace

TEST_CASE("an instant is read as the mission's local date: a directive counts from local midnight") {
    TempDir tmp;
    // Lebanon's emergency directive takes effect on 2026-06-20; 21:30 UTC on the 19th is already
    // 00:30 on the 20th in Beirut (UTC+3 in summer).
    const auto lebanon = tmp.file("l.sqlite");
    load_mission_sample(lebanon, "lebanon", true);
    const std::size_t before = listed(lebanon, "2026-06-19"), after = listed(lebanon, "2026-06-20");
    REQUIRE(before < after);
    CHECK(listed(lebanon, "2026-06-19T20:59:59Z") == before);
    CHECK(listed(lebanon, "2026-06-19T21:30:00Z") == after);
    CHECK(listed(lebanon, "2026-06-20T00:30:00+03:00") == after);

    // Kosovo's amendment takes effect on 2026-03-05; Belgrade is UTC+1 in March.
    const auto kosovo = tmp.file("k.sqlite");
    load_mission_sample(kosovo, "kosovo", true);
    CHECK(listed(kosovo, "2026-03-04T23:30:00Z") == listed(kosovo, "2026-03-05"));
    CHECK(listed(kosovo, "2026-03-04T22:30:00Z") == listed(kosovo, "2026-03-04"));

    // Without a mission profile the zone is UTC.
    const auto plain = tmp.file("p.sqlite");
    load_mission_sample(plain, "lebanon", false);
    CHECK(listed(plain, "2026-06-19T21:30:00Z") == before);

    // An instant that cannot be read is an error, never a list.
    for (const char* bad : {"2026-06-19T21:30:00", "2026-06-19T25:00:00Z", "2026-06-31T10:00:00Z", "yesterday at noon"}) {
        auto r = run_keepout(lebanon, {"list", "--as-of", bad});
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("--as-of") != std::string::npos);
    }
}

TEST_CASE("a position outside the mission area is flagged in the verdict, one inside is not") {
    TempDir tmp;
    const auto lebanon = tmp.file("l.sqlite");
    load_mission_sample(lebanon, "lebanon", true);
    auto check = [&](const std::string& db, const std::string& at) {
        auto r = run_keepout(db, {"check", "--at", at, "--format", "json"});
        INFO(at << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        return r.json();
    };
    auto has_warning = [](const json& j, const std::string& code) {
        for (const auto& w : j["warnings"])
            if (w["code"] == code) return true;
        return false;
    };
    // Beirut lies north of the Litani, outside the area of operations.
    const json beirut = check(lebanon, "33.8938,35.5018");
    CHECK(beirut["outside_mission_area"] == true);
    CHECK(has_warning(beirut, "outside-mission-area"));
    CHECK(beirut["verdict"] == "not-listed");  // the flag says where, the verdict stays honest
    // A venue near Burj ash-Shamali is inside.
    const json tyre = check(lebanon, "33.2692,35.2321");
    CHECK(tyre["outside_mission_area"] == false);
    CHECK_FALSE(has_warning(tyre, "outside-mission-area"));
    // The text says so too.
    auto text = run_keepout(lebanon, {"check", "--at", "33.8938,35.5018"});
    CHECK(text.out.find("outside the mission area of UNIFIL") != std::string::npos);
    // Without a profile there is no area to be outside of.
    const auto plain = tmp.file("p.sqlite");
    load_mission_sample(plain, "lebanon", false);
    CHECK(check(plain, "33.8938,35.5018")["outside_mission_area"] == false);
}

TEST_CASE("a refused position is answered with examples in the mission's own area, by the CLI and the API") {
    TempDir tmp;
    const auto lebanon = tmp.file("l.sqlite");
    load_mission_sample(lebanon, "lebanon", true);
    const auto kivu = tmp.file("kivu.sqlite");
    init(kivu);
    REQUIRE(run_keepout(kivu, {"mission", "import", (fs::path(KEEPOUT_SOURCE_DIR) / "tests/data/kivu/mission.json").string()})
                .exit_code == 0);
    // Text that is no position at all, and a position out of range: both refused with examples
    // around the area's centre, in its UTM zone and hemisphere, and nothing in Kosovo.
    for (const char* bad : {"abc", "95,21"}) {
        auto l = run_keepout(lebanon, {"check", "--at", bad});
        INFO(bad << ": " << l.err);
        CHECK(l.exit_code != 0);
        CHECK(l.out.empty());
        CHECK(l.err.find("33.2689, 35.4832") != std::string::npos);
        CHECK(l.err.find("36N 731294 3683843") != std::string::npos);
        CHECK(l.err.find("36SYB3129483843") != std::string::npos);
        CHECK(l.err.find("34T") == std::string::npos);
        auto k = run_keepout(kivu, {"check", "--at", bad});
        INFO(k.err);
        CHECK(k.exit_code != 0);
        CHECK(k.err.find("-1.9500, 29.0500") != std::string::npos);
        CHECK(k.err.find("1\u00B057'00.0\"S 29\u00B003'00.0\"E") != std::string::npos);
        CHECK(k.err.find("35M 728031 9784327") != std::string::npos);
        CHECK(k.err.find("35MQT2803184326") != std::string::npos);
    }
    ServerProcess server(lebanon);
    auto r = get(server.url("/api/v1/check?at=95,21"));
    CHECK(r.status == 400);
    const json examples = r.json()["error"]["examples"];
    INFO(examples.dump());
    CHECK(std::find(examples.begin(), examples.end(), json("36SYB3129483843")) != examples.end());
    CHECK(std::find(examples.begin(), examples.end(), json("33.2689, 35.4832")) != examples.end());
}
