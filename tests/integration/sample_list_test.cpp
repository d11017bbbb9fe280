// The Kosovo sample's list on the dates its history turns on.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

std::set<std::string> listed_ids(const std::string& db, const std::string& date) {
    auto r = run_keepout(db, {"list", "--as-of", date, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = r.json();
    REQUIRE(j["as_of"] == date);
    std::set<std::string> ids;
    for (auto& v : j["venues"]) ids.insert(v["external_id"].get<std::string>());
    REQUIRE(ids.size() == j["count"].get<std::size_t>());
    return ids;
}

json sample_directives() {
    std::ifstream in(sample("directives.json"));
    return json::parse(in);
}

std::set<std::string> venues_of(const json& directive, const std::string& action) {
    std::set<std::string> out;
    for (auto& l : directive["listings"])
        if (l["action"] == action) out.insert(l["venue"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("the sample list on the dates of its history", "[sample][list]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const json d = sample_directives()["directives"];
    const auto initial = venues_of(d[0], "place");
    const auto lifted = venues_of(d[1], "lift");
    const auto added = venues_of(d[1], "place");
    const auto emergency = venues_of(d[2], "place");
    const auto drafted = venues_of(d[3], "place");
    REQUIRE(d[3]["status"] == "draft");
    REQUIRE(lifted.size() == 6);
    REQUIRE(added.size() == 18);

    SECTION("before the first directive the list is empty") {
        CHECK(listed_ids(db, "2026-01-19").empty());
        CHECK(listed_ids(db, "2000-01-01").empty());
    }
    SECTION("the initial list takes effect on its effective date, not its signing date") {
        CHECK(listed_ids(db, "2026-01-15").empty());
        CHECK(listed_ids(db, "2026-01-20") == initial);
        CHECK(listed_ids(db, "2026-03-04") == initial);
    }
    SECTION("after the amendment: six lifted, eighteen added") {
        auto now = listed_ids(db, "2026-03-05");
        CHECK(now.size() == initial.size() - 6 + 18);
        for (auto& v : lifted) {
            CHECK(initial.count(v) == 1);
            CHECK(now.count(v) == 0);
        }
        for (auto& v : added) CHECK(now.count(v) == 1);
    }
    SECTION("after the emergency declaration") {
        auto before = listed_ids(db, "2026-05-09");
        auto after = listed_ids(db, "2026-05-10");
        CHECK(after.size() == before.size() + emergency.size());
        for (auto& v : emergency) CHECK(after.count(v) == 1);
    }
    SECTION("the draft never shows") {
        auto later = listed_ids(db, "2026-12-31");
        for (auto& v : drafted) {
            bool elsewhere = initial.count(v) || added.count(v) || emergency.count(v);
            if (!elsewhere) CHECK(later.count(v) == 0);
        }
        CHECK(later == listed_ids(db, "2026-05-10"));
    }
}

TEST_CASE("list formats carry the contract's fields", "[sample][list]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);

    auto geo = run_keepout(db, {"list", "--as-of", "2026-06-01", "--format", "geojson"});
    REQUIRE(geo.exit_code == 0);
    auto fc = geo.json();
    REQUIRE(fc["type"] == "FeatureCollection");
    REQUIRE(fc["features"].size() == 114);
    for (auto& f : fc["features"]) {
        for (const char* key : {"id", "external_id", "name", "aliases", "category", "address", "municipality",
                                "directive", "listed_since", "reasons"})
            REQUIRE(f["properties"].contains(key));
        REQUIRE((f["geometry"]["type"] == "Point" || f["geometry"]["type"] == "Polygon"));
        REQUIRE(f["properties"]["aliases"].is_array());
        REQUIRE(f["properties"]["reasons"].is_array());
    }

    auto csv = run_keepout(db, {"list", "--as-of", "2026-06-01", "--format", "csv"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("id,external_id,name,", 0) == 0);
    CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') >= 115);

    auto table = run_keepout(db, {"list", "--as-of", "2026-06-01"});
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("114 venues") != std::string::npos);
}

TEST_CASE("a bad --as-of date is a clear error", "[list]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"list", "--as-of", "2026-02-30"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("2026-02-30") != std::string::npos);
    CHECK(r.out.empty());
}

TEST_CASE("commands on a missing database say how to create it", "[cli]") {
    TempDir tmp;
    auto r = run_keepout(tmp.file("none.sqlite"), {"list"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("init") != std::string::npos);
}
