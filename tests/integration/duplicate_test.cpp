// Issue 12, "Two identical venues at the same point are accepted silently": a venue within 25 m of
// another with a similar name (text::names_alike: the same folded name, or every distinctive word
// of one in the other, typos of a letter in four allowed) is refused with the candidate unless
// confirmed, through `keepout import venues` (--duplicate-ok) and POST/PATCH /api/v1/venues
// ("duplicate_ok": true). The sample's "Night Club Zana e Natës" (KV-026-0002) stands at
// 21.1650847, 42.6632737.
#include <catch2/catch.hpp>

#include <fstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

constexpr const char* kZanaLon = "21.1650847";
constexpr const char* kZanaLat = "42.6632737";

// One degree of latitude is 111 km: 0.00009° is 10 m north, 0.00036° is 40 m.
std::string csv(const std::vector<std::string>& rows) {
    std::string out = "external_id,name,aliases,category,lat,lon\n";
    for (auto& r : rows) out += r + "\n";
    return out;
}

std::string write(const TempDir& tmp, const std::string& name, const std::string& content) {
    const auto path = tmp.file(name);
    std::ofstream(path) << content;
    return path;
}

std::int64_t count_venues(const std::string& db) {
    auto s = run_program({"sqlite3", db, "SELECT count(*) FROM venues"});
    REQUIRE(s.exit_code == 0);
    return std::stoll(s.out);
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("the sample imports cleanly: no two of its venues are alike within 25 m", "[duplicates][sample]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    auto r = run_keepout(db, {"import", "venues", sample("venues.geojson")});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(has(r.err, "similar name"));
    CHECK(count_venues(db) == 180);
}

TEST_CASE("import: a row like a listed venue at its point is refused with the candidate", "[duplicates][import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string lon = kZanaLon, lat = kZanaLat;
    // Row 1 is the sample's club again under a new id; row 2 another venue at the same point;
    // row 3 the club's name 40 m north: another venue.
    const auto file = write(tmp, "again.csv",
                            csv({"N-1,Night Club Zana e Natës,,nightclub," + lat + "," + lon,
                                 "N-2,Kafe Bar Ylli,,bar," + lat + "," + lon,
                                 "N-3,Night Club Zana e Natës,,nightclub,42.6636337," + lon}));
    SECTION("refused, reported with the row and the candidate, and nothing is written") {
        auto r = run_keepout(db, {"import", "venues", file});
        CHECK(r.exit_code == 1);
        CHECK(has(r.err, "row 1 [name]"));
        CHECK(has(r.err, "\"Night Club Zana e Natës\" (\"KV-026-0002\"), 0 m away"));
        CHECK(has(r.err, "1 row looks like a venue within 25 m with a similar name (row 1)"));
        CHECK(has(r.err, "--duplicate-ok"));
        CHECK_FALSE(has(r.err, "row 2"));
        CHECK_FALSE(has(r.err, "row 3"));
        CHECK(count_venues(db) == 180);
    }
    SECTION("the JSON report names the candidate by id and external id") {
        auto r = run_keepout(db, {"import", "venues", file, "--format", "json"});
        CHECK(r.exit_code == 1);
        const json j = r.json();
        REQUIRE(j["errors"].size() == 1);
        CHECK(j["errors"][0]["row"] == 1);
        REQUIRE(j["errors"][0]["duplicate_of"].size() == 1);
        CHECK(j["errors"][0]["duplicate_of"][0]["external_id"] == "KV-026-0002");
        CHECK(j["errors"][0]["duplicate_of"][0]["distance_m"] == 0.0);
        CHECK(j["errors"][0]["duplicate_of"][0]["id"].get<long>() > 0);
    }
    SECTION("--skip-invalid writes the other rows and skips the duplicate") {
        auto r = run_keepout(db, {"import", "venues", file, "--skip-invalid"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(has(r.err, "row 1 [name]"));
        CHECK(count_venues(db) == 182);
    }
    SECTION("--duplicate-ok confirms: every row is written") {
        auto r = run_keepout(db, {"import", "venues", file, "--duplicate-ok"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(count_venues(db) == 183);
    }
}

TEST_CASE("import: a row like an earlier row of the same file is refused, naming that row", "[duplicates][import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    // Rows 1 and 3: one motel, typed in Cyrillic and in Latin, 10 m apart. Row 2 is 10 m away too
    // with another name; row 4 bears row 1's name 40 m from it.
    const auto file = write(tmp, "twice.csv",
                            csv({"M-1,Мотел Плави Кестен,,motel,42.5242132,21.1224527",
                                 "M-2,Bar Zlatna Reka,,bar,42.5243032,21.1224527",
                                 "M-3,Motel Plavi Kesten,,motel,42.5241232,21.1224527",
                                 "M-4,Мотел Плави Кестен,,motel,42.5245732,21.1224527"}));
    auto r = run_keepout(db, {"import", "venues", file});
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "row 3 [name]: \"Motel Plavi Kesten\" is like venue"));
    CHECK(has(r.err, "of row 1, 10 m away"));
    CHECK(has(r.err, "(row 3)"));
    CHECK_FALSE(has(r.err, "row 2 ["));
    CHECK_FALSE(has(r.err, "row 4 ["));
    CHECK(count_venues(db) == 0);
    auto ok = run_keepout(db, {"import", "venues", file, "--duplicate-ok"});
    INFO(ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(count_venues(db) == 4);
}

TEST_CASE("import: re-importing a file is refused by external id, as before, not called a duplicate", "[duplicates][import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"import", "venues", sample("venues.geojson")});
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "row 1 [external_id]: duplicate external_id \"KV-026-0001\""));
    CHECK(has(r.err, "180 of 180 rows rejected"));
    CHECK_FALSE(has(r.err, "similar name"));
    CHECK(count_venues(db) == 180);
}

TEST_CASE("API: a venue like another within 25 m is 409 duplicate-venue with the candidate", "[duplicates][server]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto editor = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Ed"});
    REQUIRE(editor.exit_code == 0);
    const std::string auth = "Authorization: Bearer " + editor.out.substr(0, editor.out.find('\n'));
    ServerProcess server(db);
    auto feature = [](const std::string& name, const std::string& lat, const std::string& extra = "") {
        return "{\"type\":\"Feature\"," + extra + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" +
               std::string(kZanaLon) + "," + lat + "]},\"properties\":{\"name\":\"" + name + "\",\"category\":\"nightclub\"}}";
    };
    auto post = [&](const std::string& body) { return curl("POST", server.url("/api/v1/venues"), {auth}, body); };

    // The scenario: the same venue at the same point, in the other script.
    auto twice = post(feature("Ноћни клуб Зана е Натес", kZanaLat));
    REQUIRE(twice.status == 409);
    const json e = twice.json()["error"];
    CHECK(e["code"] == "duplicate-venue");
    REQUIRE(e["candidates"].size() == 1);
    CHECK(e["candidates"][0]["external_id"] == "KV-026-0002");
    CHECK(e["candidates"][0]["name"] == "Night Club Zana e Natës");
    CHECK(e["candidates"][0]["distance_m"] == 0.0);
    CHECK(e["candidates"][0]["id"].get<long>() > 0);
    CHECK(has(e["message"].get<std::string>(), "duplicate_ok"));
    CHECK(post(feature("Zana", "42.6633637")).status == 409);  // 10 m north, the club's one distinctive word

    // Near misses: another name at 10 m, the same name at 40 m.
    auto ylli = post(feature("Kafe Bar Ylli", "42.6633637"));
    REQUIRE(ylli.status == 201);
    CHECK(post(feature("Night Club Zana e Natës", "42.6636337")).status == 201);
    // Confirmed, it is written; a confirmation that is not a boolean is a bad request.
    CHECK(post(feature("Night Club Zana e Natës", kZanaLat, "\"duplicate_ok\":\"yes\",")).status == 400);
    auto confirmed = post(feature("Night Club Zana e Natës", kZanaLat, "\"duplicate_ok\":true,"));
    CHECK(confirmed.status == 201);

    // PATCH: renaming the bar 10 m away to the club's name is refused the same way.
    const std::string path = "/api/v1/venues/" + std::to_string(ylli.json()["id"].get<long>());
    auto rename = curl("PATCH", server.url(path), {auth}, R"({"name":"Zana e Natës"})");
    CHECK(rename.status == 409);
    CHECK(rename.json()["error"]["code"] == "duplicate-venue");
    CHECK(curl("PATCH", server.url(path), {auth}, R"({"address":"Rr. Agim Ramadani 23"})").status == 200);
    CHECK(curl("PATCH", server.url(path), {auth}, R"({"name":"Zana e Natës","duplicate_ok":true})").status == 200);
}
