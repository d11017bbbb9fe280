// Versioned migrations on a fresh SpatiaLite file.
#include "store/schema.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/repository.hpp"
#include "store/sqlite.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using keepout::test::TempDir;

namespace {

// A raw connection, behind keepout's back.
void raw_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(message);
    REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("the latest schema version is at least 1", "[store][schema]") {
    CHECK(latest_schema_version() >= 1);
}

TEST_CASE("Store::init migrates a new file to the latest version, idempotently", "[store][schema]") {
    TempDir dir;
    const std::string path = dir.file("keepout.sqlite");
    REQUIRE_FALSE(std::filesystem::exists(path));
    {
        auto store = Store::init(path);
        CHECK(store->db().scalar("PRAGMA user_version") == latest_schema_version());
    }
    CHECK(std::filesystem::exists(path));
    {
        auto store = Store::init(path);
        CHECK(store->db().scalar("PRAGMA user_version") == latest_schema_version());
        // The one-off seed rows of migration 1 were not inserted twice.
        CHECK(store->db().scalar("SELECT count(*) FROM meta WHERE key = 'list_version'") == 1);
        CHECK(store->db().scalar("SELECT count(*) FROM meta") == 3);  // list_version, audit_head, draft_revision
    }
}

TEST_CASE("migrate returns the version the file had before", "[store][schema]") {
    TempDir dir;
    const std::string path = dir.file("k.sqlite");
    Database db(path, true);
    CHECK(db.scalar("PRAGMA user_version") == 0);
    CHECK(migrate(db) == 0);
    CHECK(db.scalar("PRAGMA user_version") == latest_schema_version());
    CHECK(migrate(db) == latest_schema_version());
    CHECK(migrate(db) == latest_schema_version());
    CHECK(db.scalar("PRAGMA user_version") == latest_schema_version());
}

TEST_CASE("migration 1 creates the tables, geometry columns and audit triggers", "[store][schema]") {
    TempDir dir;
    auto store = Store::init(dir.file("k.sqlite"));
    auto& db = store->db();
    for (const char* table : {"meta", "venues", "venue_names", "directives", "listings", "sites", "sectors",
                              "audit_log"}) {
        CAPTURE(table);
        Statement st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
        st.bind(1, table);
        REQUIRE(st.step());
        CHECK(st.integer(0) == 1);
    }
    for (const char* table : {"venues", "sites", "sectors"}) {
        CAPTURE(table);
        Statement st = db.prepare(
            "SELECT srid FROM geometry_columns WHERE f_table_name = ? AND f_geometry_column = 'geom'");
        st.bind(1, table);
        REQUIRE(st.step());
        CHECK(st.integer(0) == 4326);
    }
    CHECK(db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                    "('audit_log_no_update', 'audit_log_no_delete')") == 2);
    CHECK(store->list_version() == 0);
    CHECK(db.scalar("SELECT count(*) FROM meta WHERE key = 'audit_head' AND value = ''") == 1);
}

TEST_CASE("the schema enforces the directive and listing constraints", "[store][schema]") {
    TempDir dir;
    auto store = Store::init(dir.file("k.sqlite"));
    auto& db = store->db();
    // Effective before signed.
    CHECK_THROWS_AS(db.exec("INSERT INTO directives (ref, title, signed_on, effective_on, status)"
                            " VALUES ('A', 't', '2026-02-01', '2026-01-01', 'issued')"),
                    StoreError);
    // An emergency without a review date.
    CHECK_THROWS_AS(db.exec("INSERT INTO directives (ref, title, signed_on, effective_on, status, emergency)"
                            " VALUES ('B', 't', '2026-01-01', '2026-01-01', 'issued', 1)"),
                    StoreError);
    // Unknown status.
    CHECK_THROWS_AS(db.exec("INSERT INTO directives (ref, title, signed_on, effective_on, status)"
                            " VALUES ('C', 't', '2026-01-01', '2026-01-01', 'active')"),
                    StoreError);
    CHECK_NOTHROW(db.exec("INSERT INTO directives (ref, title, signed_on, effective_on, status)"
                          " VALUES ('D', 't', '2026-01-01', '2026-01-01', 'draft')"));
    CHECK(db.scalar("SELECT count(*) FROM directives") == 1);
    // A listing must point at an existing directive and venue (foreign keys are on).
    CHECK_THROWS_AS(db.exec("INSERT INTO listings (directive_id, venue_id, action, reasons, effective_from)"
                            " VALUES (1, 999, 'place', '[\"trafficking\"]', '2026-01-01')"),
                    StoreError);
    // Unknown category.
    CHECK_THROWS_AS(db.exec("INSERT INTO venues (name, category, created_at, updated_at, geom) VALUES"
                            " ('x', 'pub', 'now', 'now', MakePoint(21.0, 42.0, 4326))"),
                    StoreError);
}

TEST_CASE("a file written by a newer keepout is refused", "[store][schema]") {
    TempDir dir;
    const std::string path = dir.file("k.sqlite");
    Store::init(path);
    raw_exec(path, "PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    {
        Database db(path, false);
        CHECK_THROWS_AS(migrate(db), StoreError);
        CHECK_THROWS_WITH(migrate(db), Catch::Contains("newer"));
        CHECK(db.scalar("PRAGMA user_version") == latest_schema_version() + 1);  // untouched
    }
    CHECK_THROWS_AS(Store::open(path), StoreError);
    CHECK_THROWS_AS(Store::init(path), StoreError);
}

TEST_CASE("Store::open needs an existing, initialised keepout file", "[store][schema]") {
    TempDir dir;
    CHECK_THROWS_AS(Store::open(dir.file("missing.sqlite")), StoreError);
    CHECK_FALSE(std::filesystem::exists(dir.file("missing.sqlite")));

    const std::string other = dir.file("other.sqlite");
    raw_exec(other, "CREATE TABLE t (x INTEGER)");
    CHECK_THROWS_AS(Store::open(other), StoreError);

    const std::string path = dir.file("k.sqlite");
    Store::init(path);
    auto store = Store::open(path);
    CHECK(store->db().scalar("PRAGMA user_version") == latest_schema_version());
}

TEST_CASE("migration 3 keeps drafts as drafts and finds who added each listing", "[store][schema]") {
    TempDir dir;
    const std::string path = dir.file("k.sqlite");
    {
        // A file as keepout left it at schema version 2: an issued directive, a draft by Ana (over
        // the API, so "Ana (token 1)") with a listing Ben added, and one imported with no audit row.
        Database db(path, true);
        migrate_to(db, 2);
        db.exec(R"SQL(
            INSERT INTO venues (id, external_id, name, category, created_at, updated_at, geom) VALUES
                (1, 'KS-1', 'Club Eden', 'bar', 'now', 'now', MakePoint(21.0, 42.0, 4326)),
                (2, NULL, 'Bar Two', 'bar', 'now', 'now', MakePoint(21.1, 42.1, 4326));
            INSERT INTO directives (id, ref, title, signed_on, effective_on, status, drafted_by, issued_by) VALUES
                (1, 'HOM/OL/2026/001', 'Old', '2026-01-01', '2026-01-02', 'issued', 'tester', 'Head of Mission'),
                (2, 'HOM/OL/2026/002', 'Draft', '2026-02-01', '2026-02-02', 'draft', 'Ana (token 1)', ''),
                (3, 'HOM/OL/2026/003', 'Imported', '2026-02-01', '2026-02-02', 'draft', 'cli-user', '');
            INSERT INTO listings (id, directive_id, venue_id, action, reasons, effective_from) VALUES
                (1, 1, 1, 'place', '["trafficking"]', '2026-01-02'),
                (2, 2, 2, 'place', '["trafficking"]', '2026-02-02'),
                (3, 3, 1, 'lift', '["closed"]', '2026-02-02');
            INSERT INTO audit_log (seq, at, actor, action, entity, entity_key, before, after, prev_hash, hash) VALUES
                (1, 'now', 'Ana (token 1)', 'directive.create', 'directive', 'HOM/OL/2026/002', NULL, '{}', '', 'x'),
                (2, 'now', 'Ben (token 2)', 'listing.place', 'listing', 'HOM/OL/2026/002 2', NULL, '{}', 'x', 'y');
        )SQL");
    }
    auto store = Store::open(path);
    CHECK(store->db().scalar("PRAGMA user_version") == latest_schema_version());
    CHECK(store->db().scalar("PRAGMA foreign_keys") == 1);
    CHECK(store->db().scalar("SELECT count(*) FROM pragma_foreign_key_check") == 0);
    auto issued = store->directive("HOM/OL/2026/001");
    CHECK(issued.status == keepout::model::DirectiveStatus::issued);
    auto d = store->directive("HOM/OL/2026/002");
    CHECK(d.status == keepout::model::DirectiveStatus::draft);
    CHECK(d.drafted_by == "Ana");
    auto listings = store->listings_of(d.id);
    REQUIRE(listings.size() == 1);
    CHECK(listings[0].added_by == "Ben");
    auto imported = store->listings_of(store->directive("HOM/OL/2026/003").id);
    REQUIRE(imported.size() == 1);
    CHECK(imported[0].added_by == "cli-user");  // no audit row: the drafter, who owned the draft
    // The new state is accepted, and the listings still point at their directives.
    CHECK_NOTHROW(store->db().exec("UPDATE directives SET status = 'submitted' WHERE id = 2"));
    CHECK_THROWS_AS(store->db().exec("DELETE FROM directives WHERE id = 1"), StoreError);
    CHECK(store->db().scalar("SELECT count(*) FROM auth_failures") == 0);
    CHECK(store->db().scalar("SELECT count(*) FROM tokens WHERE expires_on IS NOT NULL") == 0);
}
