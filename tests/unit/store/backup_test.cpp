// Backups while the database is written, the checks a copy passes, restoring one, the copy a
// migration keeps, and the refusal of a database newer than this build.
#include "store/backup.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/operations.hpp"
#include "store/repository.hpp"
#include "store/schema.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace keepout::model;
using keepout::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string point_wkb(double lon, double lat) {
    std::string out(1, '\x01');
    const std::uint32_t type = 1;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((type >> (8 * i)) & 0xFFu));
    for (double d : {lon, lat}) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
    }
    return out;
}

// Each venue 100 m east of the one before, so that none is taken for another entered twice.
Venue venue_named(const std::string& name) {
    static std::atomic<int> placed{0};
    Venue v;
    v.name = name;
    v.category = Category::bar;
    v.geometry = point_wkb(21.16 + 0.00125 * (placed++ % 2000), 42.66);
    return v;
}

std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A raw connection, behind keepout's back.
void raw_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(message);
    REQUIRE(rc == SQLITE_OK);
}

// A database with venues, an issued directive listing one of them, and a draft.
void fill(const std::string& path) {
    auto s = Store::init(path);
    s->set_actor("drafter");
    for (int i = 0; i < 20; ++i) create_venue(*s, venue_named("Bar " + std::to_string(i)));
    NewDirective n;
    n.ref = "HOM/OL/2026/001";
    n.title = "First";
    n.signed_on = n.effective_on = Date::parse("2026-01-05");
    create_directive(*s, n);
    ListingRequest r;
    r.directive_ref = n.ref;
    r.venues = {"1", "2"};
    r.reasons = {Reason::prostitution};
    add_listings(*s, r);
    submit_directive(*s, n.ref);
    s->set_actor("approver");
    issue_directive(*s, n.ref);
    s->set_actor("drafter");
    n.ref = "HOM/OL/2026/002";
    create_directive(*s, n);
}

std::vector<fs::path> files_starting(const fs::path& dir, const std::string& prefix) {
    std::vector<fs::path> out;
    for (auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
    return out;
}

}  // namespace

TEST_CASE("a backup is a checked, self-contained copy that says what it holds", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite"), copy = dir.file("copy.sqlite");
    fill(db);
    const DatabaseSummary s = backup_database(db, copy);
    CHECK(s.path == copy);
    CHECK(s.schema_version == latest_schema_version());
    CHECK(s.venues == 20);
    CHECK(s.directives == 2);
    CHECK(s.listings == 2);
    CHECK(s.draft_revision.has_value());
    CHECK(s.sha256 == file_sha256(copy));
    CHECK(s.bytes == fs::file_size(copy));
    {
        auto original = Store::open(db);
        CHECK(s.list_version == original->list_version());
        CHECK(s.audit_rows == original->db().scalar("SELECT count(*) FROM audit_log"));
    }
    // One file, no WAL: the header's read and write versions are 1 (rollback journal).
    const std::string header = bytes_of(copy).substr(0, 20);
    CHECK(header[18] == 1);
    CHECK(header[19] == 1);
    CHECK(files_starting(dir.path(), "copy.sqlite").size() == 1);  // no partial file left
    // It opens as a keepout database of its own.
    auto reopened = Store::open(copy);
    CHECK(reopened->venue_count() == 20);
    CHECK(reopened->audit().verify().ok);
}

TEST_CASE("a backup does not replace an existing file unless asked", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite"), copy = dir.file("copy.sqlite");
    fill(db);
    std::ofstream(copy) << "precious";
    CHECK_THROWS_AS(backup_database(db, copy), FileExists);
    CHECK(bytes_of(copy) == "precious");
    BackupOptions force;
    force.overwrite = true;
    backup_database(db, copy, force);
    CHECK(verify_database_file(copy).venues == 20);
}

TEST_CASE("a backup taken while another connection writes is one consistent moment", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    fill(db);
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        auto s = Store::open(db);
        s->set_actor("writer");
        while (!stop) {
            create_venue(*s, venue_named("Writer bar " + std::to_string(written.load())));
            ++written;
        }
    });
    std::vector<DatabaseSummary> copies;
    BackupOptions small_steps;
    small_steps.pages_per_step = 1;  // many steps, writes in between
    for (int i = 0; i < 5; ++i) copies.push_back(backup_database(db, dir.file("copy" + std::to_string(i)), small_steps));
    stop = true;
    writer.join();
    CHECK(written > 0);
    for (auto& c : copies) {
        // Every created venue has its audit row in the same copy, and the list version counts both.
        CHECK(c.audit_rows == c.venues + 6 /* the directive rows of fill */);
        CHECK(c.list_version == c.venues + 1 /* the issue */);
    }
}

TEST_CASE("verification refuses damaged files and broken audit chains", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    fill(db);
    SECTION("not a database") {
        std::ofstream(dir.file("junk")) << std::string(8192, 'x');
        CHECK_THROWS_AS(verify_database_file(dir.file("junk")), InvalidDatabase);
        CHECK_THROWS_AS(verify_database_file(dir.file("missing")), InvalidDatabase);
    }
    SECTION("an edited audit row, and no backup of it is left behind") {
        raw_exec(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
        CHECK_THROWS_AS(verify_database_file(db), InvalidDatabase);
        CHECK_THROWS_WITH(verify_database_file(db), Catch::Contains("audit chain does not verify at row 3"));
        CHECK_THROWS_AS(backup_database(db, dir.file("copy")), InvalidDatabase);
        CHECK(files_starting(dir.path(), "copy").empty());
    }
    SECTION("a damaged page") {
        BackupOptions o;
        backup_database(db, dir.file("copy"), o);
        std::string bytes = bytes_of(dir.file("copy"));
        const std::size_t page = 4096;
        REQUIRE(bytes.size() > 8 * page);
        for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + page; ++i) bytes[i] = '\xA5';
        std::ofstream(dir.file("copy"), std::ios::binary | std::ios::trunc) << bytes;
        CHECK_THROWS_AS(verify_database_file(dir.file("copy")), InvalidDatabase);
    }
}

TEST_CASE("verification tells a file of no keepout schema", "[store][backup]") {
    TempDir dir;
    {
        Database plain(dir.file("plain.sqlite"), true);
        plain.exec("CREATE TABLE t (x)");
    }
    CHECK_THROWS_WITH(verify_database_file(dir.file("plain.sqlite")), Catch::Contains("not a keepout database"));
}

TEST_CASE("a restore keeps the current database, is audited and continues the versions", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite"), copy = dir.file("copy.sqlite");
    fill(db);
    const DatabaseSummary backup = backup_database(db, copy);
    std::int64_t version_before = 0;
    {
        auto s = Store::open(db);
        s->set_actor("later");
        for (int i = 0; i < 3; ++i) create_venue(*s, venue_named("Later bar " + std::to_string(i)));
        version_before = s->list_version();
    }
    const RestoreResult r = restore_database(db, copy, "operator");
    CHECK(r.file.sha256 == backup.sha256);
    CHECK(file_sha256(copy) == backup.sha256);
    REQUIRE(r.previous.has_value());
    CHECK(r.previous_problem.empty());
    CHECK(r.previous->venues == 23);
    CHECK(fs::path(r.previous->path).filename().string().rfind("k.sqlite.before-restore.", 0) == 0);
    CHECK(verify_database_file(r.previous->path).venues == 23);

    auto s = Store::open(db);
    CHECK(s->venue_count() == 20);
    CHECK(s->list_version() > version_before);
    CHECK(s->list_version() > backup.list_version);
    CHECK(s->audit().verify().ok);
    Statement last = s->db().prepare("SELECT actor, action, entity_key, before, after FROM audit_log ORDER BY seq DESC LIMIT 1");
    REQUIRE(last.step());
    CHECK(last.text(0) == "operator");
    CHECK(last.text(1) == "database.restore");
    CHECK(last.text(2) == "copy.sqlite");
    const auto after = nlohmann::json::parse(last.text(4));
    CHECK(after["sha256"] == backup.sha256);
    CHECK(after["audit_head"] == backup.audit_head);
    CHECK(after["path"] == fs::absolute(copy).string());
    const auto before = nlohmann::json::parse(last.text(3));
    CHECK(before["kept_as"]["path"] == r.previous->path);
    CHECK(before["kept_as"]["sha256"] == r.previous->sha256);
    // Rows up to the backup's head are the backup's own: the chain continues from it.
    CHECK(s->audit().verify().rows == backup.audit_rows + 1);
}

TEST_CASE("a restore refuses a bad file before touching the database", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    fill(db);
    backup_database(db, dir.file("copy"));
    raw_exec(dir.file("copy"), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2");
    const std::string bytes = bytes_of(db);
    CHECK_THROWS_AS(restore_database(db, dir.file("copy"), "operator"), InvalidDatabase);
    CHECK(bytes_of(db) == bytes);
    CHECK(files_starting(dir.path(), "k.sqlite.").empty());  // no copy kept, nothing staged
}

TEST_CASE("a restore refuses a database another process has open", "[store][backup]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    fill(db);
    backup_database(db, dir.file("copy"));
    CHECK_FALSE(database_holder(db).has_value());
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // A server's connection: open and read, then idle.
        sqlite3* c = nullptr;
        sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_exec(c, "SELECT count(*) FROM venues", nullptr, nullptr, nullptr);
        (void)!write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    char x = 0;
    REQUIRE(read(ready[0], &x, 1) == 1);
    close(ready[0]);
    close(ready[1]);
    CHECK(database_holder(db) == child);
    const std::string bytes = bytes_of(db);
    try {
        restore_database(db, dir.file("copy"), "operator");
        FAIL("restored under an open connection");
    } catch (const DatabaseInUse& e) {
        CHECK(e.holder == child);
    }
    CHECK(bytes_of(db) == bytes);
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    CHECK_FALSE(database_holder(db).has_value());
    CHECK_NOTHROW(restore_database(db, dir.file("copy"), "operator"));
}

TEST_CASE("a migration from the previous schema keeps a verified copy at the old version", "[store][backup][schema]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    const int previous = latest_schema_version() - 1;
    {
        Database d(db, true);
        migrate_to(d, previous);
    }
    auto s = Store::open(db);
    CHECK(s->db().scalar("PRAGMA user_version") == latest_schema_version());
    const auto kept = files_starting(dir.path(), "k.sqlite.before-v" + std::to_string(latest_schema_version()) + ".");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].extension() == ".sqlite");
    CHECK(read_schema_version(kept[0].string()) == previous);
    const DatabaseSummary summary = verify_database_file(kept[0].string());
    CHECK(summary.schema_version == previous);
    // Opened as it is, the copy is still the old schema (a read-only look does not migrate it).
    auto old = Database::open_read_only(kept[0].string());
    CHECK(old->scalar("PRAGMA user_version") == previous);
    // A second open has nothing to migrate and keeps no further copy.
    s.reset();
    Store::open(db);
    CHECK(files_starting(dir.path(), "k.sqlite.before-").size() == 1);
}

TEST_CASE("a migration keeps a faithful copy of a database whose audit chain is broken", "[store][backup][schema]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    {
        Database d(db, true);
        migrate_to(d, latest_schema_version() - 1);
        d.exec("INSERT INTO audit_log (seq, at, actor, action, entity, entity_key, prev_hash, hash) VALUES "
               "(1, 'now', 'a', 'x', 'y', 'z', '', 'forged')");
    }
    // The copy is what the file was, broken chain and all; the migration goes on, and the chain
    // still does not verify after it.
    auto s = Store::open(db);
    CHECK(s->db().scalar("PRAGMA user_version") == latest_schema_version());
    const auto kept = files_starting(dir.path(), "k.sqlite.before-");
    REQUIRE(kept.size() == 1);
    CHECK(read_schema_version(kept[0].string()) == latest_schema_version() - 1);
    CHECK_THROWS_WITH(verify_database_file(kept[0].string()), Catch::Contains("audit chain does not verify at row 1"));
    CHECK_FALSE(s->audit().verify().ok);
}

TEST_CASE("a database newer than this build is refused and not written", "[store][backup][schema]") {
    TempDir dir;
    const std::string db = dir.file("k.sqlite");
    fill(db);
    raw_exec(db, "PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    SECTION("in WAL mode, as keepout leaves it") {}
    SECTION("in rollback-journal mode") { raw_exec(db, "PRAGMA journal_mode = DELETE"); }
    const std::string bytes = bytes_of(db);
    try {
        Store::open(db);
        FAIL("opened a newer database");
    } catch (const SchemaTooNew& e) {
        CHECK(e.found == latest_schema_version() + 1);
        CHECK(e.supported == latest_schema_version());
        CHECK(std::string(e.what()).find("newer than this keepout understands") != std::string::npos);
    }
    CHECK_THROWS_AS(Store::init(db), SchemaTooNew);
    CHECK_THROWS_AS(backup_database(db, dir.file("copy")), SchemaTooNew);
    CHECK_THROWS_AS(verify_database_file(db), SchemaTooNew);
    {
        Database d(dir.file("other.sqlite"), true);
        migrate(d);
    }
    CHECK_THROWS_AS(restore_database(dir.file("other.sqlite"), db, "operator"), SchemaTooNew);
    CHECK(bytes_of(db) == bytes);
    CHECK(files_starting(dir.path(), "k.sqlite.before-").empty());
    CHECK_FALSE(fs::exists(dir.file("copy")));
}

TEST_CASE("drafts bump the draft revision, not the list version", "[store][operations]") {
    TempDir dir;
    auto s = Store::init(dir.file("k.sqlite"));
    s->set_actor("drafter");
    auto versions = [&] { return std::pair{s->list_version(), s->draft_revision()}; };
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{0, 0});
    const Venue v = create_venue(*s, venue_named("Bar Eden"));
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{1, 0});  // a venue is answered by checks
    NewDirective n;
    n.ref = "HOM/OL/2026/001";
    n.title = "First";
    n.signed_on = n.effective_on = Date::parse("2026-01-05");
    create_directive(*s, n);
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{1, 1});
    ListingRequest r;
    r.directive_ref = n.ref;
    r.venues = {std::to_string(v.id)};
    r.reasons = {Reason::prostitution};
    add_listings(*s, r);
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{1, 2});
    submit_directive(*s, n.ref);
    withdraw_directive(*s, n.ref);
    submit_directive(*s, n.ref);
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{1, 5});
    s->set_actor("approver");
    issue_directive(*s, n.ref);
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{2, 6});  // the list changes; the queue too
    VenueChanges c;
    c.address = "Rruga 1";
    update_venue(*s, v.id, c);
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{3, 6});  // a listed venue's edit shows in the list
    revoke_directive(*s, n.ref, Date::parse("2026-03-01"));
    CHECK(versions() == std::pair<std::int64_t, std::int64_t>{4, 6});
}
