// keepout backup and restore through the real binary, while the real server takes writes; a
// database newer than the binary; a backup killed half way.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string sqlite_value(const std::string& db, const std::string& sql) {
    auto r = run_program({"sqlite3", db, sql});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::string editor_token(const std::string& db) {
    auto t = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Load Writer"});
    INFO(t.err);
    REQUIRE(t.exit_code == 0);
    return "Authorization: Bearer " + t.out.substr(0, t.out.find('\n'));
}

// The database passes what a restored database must: SQLite's own check, the audit chain, and
// keepout answering a check and the list from it.
void require_sound(const std::string& db) {
    CHECK(sqlite_value(db, "PRAGMA integrity_check") == "ok");
    auto audit = run_keepout(db, {"audit", "verify"});
    INFO(audit.out << audit.err);
    CHECK(audit.exit_code == 0);
    auto check = run_keepout(db, {"check", "--name", "Мотел Плави Кестен", "--as-of", "2026-06-01", "--format", "json"});
    INFO(check.err);
    REQUIRE(check.exit_code == 0);
    CHECK(check.json()["verdict"] == "off-limits");
    auto list = run_keepout(db, {"list", "--as-of", "2026-06-01", "--format", "json"});
    REQUIRE(list.exit_code == 0);
    CHECK(list.json()["count"].get<int>() > 0);
}

}  // namespace

TEST_CASE("a backup taken while the server takes writes restores to a sound database", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string auth = editor_token(db);
    ServerProcess server(db);

    std::atomic<bool> stop{false};
    std::atomic<int> venues_written{0}, drafts_written{0}, failures{0};
    std::thread writer([&] {
        for (int i = 0; !stop; ++i) {
            const std::string n = std::to_string(i);
            auto v = curl("POST", server.url("/api/v1/venues"), {auth},
                          R"({"type":"Feature","geometry":{"type":"Point","coordinates":[21.1,42.6]},
                              "properties":{"name":"Load bar )" + n + R"(","category":"bar"}})");
            (v.status == 201 ? venues_written : failures)++;
            auto d = curl("POST", server.url("/api/v1/directives"), {auth},
                          json{{"ref", "LOAD/" + n}, {"title", "Load"}, {"signed", "2026-11-01"},
                               {"effective", "2026-11-02"}}.dump());
            (d.status == 201 ? drafts_written : failures)++;
        }
    });
    // Backups while the writes go on; each a consistent moment that passes its own checks.
    std::vector<json> backups;
    for (int i = 0; i < 3; ++i) {
        // Waits for the writes, but not for ever: writes that keep failing end the test.
        while (venues_written < 3 * (i + 1) && failures < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (failures >= 20) {
            stop = true;
            writer.join();
            FAIL("the server refused or dropped 20 writes while backups were taken");
        }
        const std::string file = tmp.file("backup" + std::to_string(i) + ".sqlite");
        auto r = run_keepout(db, {"backup", file, "--format", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        backups.push_back(r.json());
        CHECK(backups.back()["checks"]["audit_chain"] == "ok");
        CHECK(backups.back()["file"] == file);
    }
    const int written_at_last_backup = venues_written;
    while (venues_written < written_at_last_backup + 3 && failures < 20)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    writer.join();
    CHECK(failures == 0);

    // Later backups hold more, and none holds a venue without its audit row.
    CHECK(backups[0]["venues"].get<int>() <= backups[2]["venues"].get<int>());
    const int final_venues = std::stoi(sqlite_value(db, "SELECT count(*) FROM venues"));
    CHECK(backups[2]["venues"].get<int>() < final_venues);
    for (auto& b : backups) {
        const std::string file = b["file"];
        CHECK(sqlite_value(file, "SELECT count(*) FROM venues") == std::to_string(b["venues"].get<int>()));
        CHECK(sqlite_value(file, "SELECT count(*) FROM audit_log") == std::to_string(b["audit_rows"].get<int>()));
        CHECK(sqlite_value(file, "PRAGMA journal_mode") == "delete");  // one self-contained file
    }

    SECTION("restoring into the served database is refused and changes nothing") {
        const std::string before = sqlite_value(db, "SELECT count(*) FROM audit_log");
        auto r = run_keepout(db, {"restore", backups[1]["file"]}, "operator");
        CHECK(r.exit_code == 75);
        CHECK(r.err.find("is open in process " + std::to_string(server.pid())) != std::string::npos);
        CHECK(sqlite_value(db, "SELECT count(*) FROM audit_log") == before);
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-06-01")).status == 200);
    }
    SECTION("a restore after the server stopped is sound, audited and served") {
        REQUIRE(server.stop() == 0);
        const json& b = backups[1];
        const std::string file = b["file"];
        auto r = run_keepout(db, {"restore", file, "--format", "json"}, "operator");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const json out = r.json();
        CHECK(out["file"]["sha256"] == b["sha256"]);
        CHECK(out["restored"]["venues"] == b["venues"]);
        CHECK(out["restored"]["list_version"].get<long>() > b["list_version"].get<long>());
        const std::string kept = out["previous"]["file"];
        CHECK(sqlite_value(kept, "SELECT count(*) FROM venues") == std::to_string(final_venues));
        require_sound(db);
        require_sound(kept);

        auto log = run_keepout(db, {"audit", "log", "--limit", "1", "--format", "json"});
        REQUIRE(log.exit_code == 0);
        const std::string text = log.out;
        CHECK(text.find("database.restore") != std::string::npos);
        CHECK(text.find("operator") != std::string::npos);
        CHECK(text.find(b["sha256"].get<std::string>()) != std::string::npos);

        ServerProcess again(db);
        auto list = get(again.url("/api/v1/offlimits?as_of=2026-06-01"));
        CHECK(list.status == 200);
        auto venue_count = run_keepout(db, {"backup", tmp.file("after-restore.sqlite"), "--format", "json"});
        REQUIRE(venue_count.exit_code == 0);
        CHECK(venue_count.json()["venues"] == b["venues"]);
    }
}

TEST_CASE("keepout backup refuses to replace a file unless --force", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), file = tmp.file("copy.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    std::ofstream(file) << "keep me";
    auto r = run_keepout(db, {"backup", file});
    CHECK(r.exit_code == 73);
    CHECK(r.err.find("--force") != std::string::npos);
    CHECK(bytes_of(file) == "keep me");
    auto forced = run_keepout(db, {"backup", file, "--force"});
    INFO(forced.err);
    CHECK(forced.exit_code == 0);
    CHECK(forced.out.find("audit chain ok") != std::string::npos);
    CHECK(sqlite_value(file, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("a restore refuses a file that fails its checks", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(run_keepout(db, {"backup", tmp.file("copy.sqlite")}).exit_code == 0);
    sqlite_value(tmp.file("copy.sqlite"), "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' WHERE seq = 5;");
    const std::string before = bytes_of(db);
    auto r = run_keepout(db, {"restore", tmp.file("copy.sqlite")});
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("audit chain does not verify at row 5") != std::string::npos);
    CHECK(bytes_of(db) == before);
    std::ofstream(tmp.file("junk.sqlite")) << "not a database at all";
    CHECK(run_keepout(db, {"restore", tmp.file("junk.sqlite")}).exit_code == 65);
    CHECK(bytes_of(db) == before);
}

TEST_CASE("a database newer than the binary is refused without being modified", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    sqlite_value(db, "PRAGMA user_version = 9999");
    const std::string before = bytes_of(db);
    for (auto args : std::vector<std::vector<std::string>>{{"list"},
                                                            {"init"},
                                                            {"directive", "create", "X/1", "--title", "t", "--signed",
                                                             "2026-01-01", "--effective", "2026-01-01"},
                                                            {"backup", tmp.file("copy.sqlite")},
                                                            {"serve", "--listen", "127.0.0.1:0"}}) {
        auto r = run_keepout(db, args);
        CAPTURE(args[0]);
        CHECK(r.exit_code != 0);
        CHECK(r.err.find("schema version 9999, newer than this keepout understands") != std::string::npos);
        CHECK(bytes_of(db) == before);
    }
    CHECK_FALSE(fs::exists(tmp.file("copy.sqlite")));
    CHECK((!fs::exists(db + "-wal") || fs::file_size(db + "-wal") == 0));
    // Nor is such a file restored over a database this binary serves.
    const std::string other = tmp.file("other.sqlite");
    REQUIRE(run_keepout(other, {"init"}).exit_code == 0);
    auto r = run_keepout(other, {"restore", db});
    CHECK(r.exit_code == 65);
    CHECK(bytes_of(db) == before);
}

TEST_CASE("a backup killed half way leaves nothing under its name", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite"), file = tmp.file("copy.sqlite");
    load_sample(db);
    // Killed as soon as its temporary file shows; a backup that outran the kill is tried again.
    int killed_half_way = 0;
    for (int attempt = 0; attempt < 50 && killed_half_way < 3; ++attempt) {
        fs::remove(file);
        std::vector<std::string> argv{KEEPOUT_BINARY, "--db", db, "backup", file};
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        REQUIRE(posix_spawn(&pid, KEEPOUT_BINARY, &actions, nullptr, args.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        const std::string partial = file + ".partial-" + std::to_string(pid);
        int status = 0;
        bool exited = false;
        while (!fs::exists(partial)) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                exited = true;
                break;
            }
        }
        if (exited) continue;
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        if (!fs::exists(partial)) continue;  // it had finished: the partial file was already renamed
        ++killed_half_way;
        CHECK_FALSE(fs::exists(file));
        fs::remove(partial);
    }
    CHECK(killed_half_way > 0);
    // The next backup is whole.
    auto r = run_keepout(db, {"backup", file});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(sqlite_value(file, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("drafting leaves the list version and its ETags alone; a venue edit does not", "[integration][backup]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string auth = editor_token(db);
    ServerProcess server(db);
    auto list = get(server.url("/api/v1/offlimits?as_of=2026-06-01"));
    REQUIRE(list.status == 200);
    const std::string etag = list.header("ETag");
    const long version = list.json()["list_version"];

    auto d = curl("POST", server.url("/api/v1/directives"), {auth},
                  json{{"ref", "HOM/OL/2026/900"}, {"title", "Draft"}, {"signed", "2026-11-01"}, {"effective", "2026-11-02"}}.dump());
    REQUIRE(d.status == 201);
    const long draft_revision = d.json()["draft_revision"];
    auto again = get(server.url("/api/v1/offlimits?as_of=2026-06-01"), {"If-None-Match: " + etag});
    CHECK(again.status == 304);  // the list did not change

    // A listed venue in the draft: the venue's own document shows its draft acts, so its ETag moves.
    auto listed = get(server.url("/api/v1/offlimits?as_of=2026-06-01")).json()["features"][0];
    const long venue_id = listed["properties"]["id"];
    auto venue = get(server.url("/api/v1/venues/" + std::to_string(venue_id)));
    REQUIRE(venue.status == 200);
    auto place = curl("POST", server.url("/api/v1/directives/HOM/OL/2026/900/listings"), {auth},
                      json{{"venues", {venue_id}}, {"reasons", {"closed"}}, {"action", "lift"}}.dump());
    INFO(place.body);
    REQUIRE(place.status == 201);
    CHECK(place.json()["draft_revision"].get<long>() > draft_revision);
    CHECK(get(server.url("/api/v1/venues/" + std::to_string(venue_id)), {"If-None-Match: " + venue.header("ETag")})
              .status == 200);
    auto show = run_keepout(db, {"directive", "show", "HOM/OL/2026/900", "--format", "json"});
    REQUIRE(show.exit_code == 0);
    CHECK(show.json()["draft_revision"] == place.json()["draft_revision"]);
    auto unchanged = get(server.url("/api/v1/offlimits?as_of=2026-06-01"));
    CHECK(unchanged.json()["list_version"] == version);

    // An edit of a listed venue shows in the list: a new version, a new ETag, the new name served.
    auto edit = curl("PATCH", server.url("/api/v1/venues/" + std::to_string(venue_id)), {auth},
                     R"({"name":"Renamed by the test"})");
    INFO(edit.body);
    REQUIRE(edit.status == 200);
    auto changed = get(server.url("/api/v1/offlimits?as_of=2026-06-01"), {"If-None-Match: " + etag});
    REQUIRE(changed.status == 200);
    CHECK(changed.json()["list_version"].get<long>() > version);
    CHECK(changed.body.find("Renamed by the test") != std::string::npos);
}
