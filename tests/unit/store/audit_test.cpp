// The hash-chained, append-only audit log, and tampering done behind keepout's back.
#include "store/audit.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <regex>
#include <string>

#include "store/repository.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using keepout::test::TempDir;

namespace {

// Runs SQL on a second, plain SQLite connection to the same file.
int tamper(const std::string& path, const std::string& sql, std::string* error = nullptr) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return SQLITE_CANTOPEN;
    }
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (error) *error = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return rc;
}

struct Fixture {
    TempDir dir;
    std::string path = dir.file("audit.sqlite");
    std::unique_ptr<Store> store = Store::init(path);

    // Three rows: seq 1, 2, 3.
    void fill() {
        store->set_actor("alice");
        store->record("venue.import", "venue", "1", std::nullopt, R"({"name":"Bar Eden"})");
        store->set_actor("bob");
        store->record("directive.issue", "directive", "HOM/OL/2026/014", R"({"status":"draft"})",
                      R"({"status":"issued"})");
        store->set_actor("carol");
        store->record("directive.revoke", "directive", "HOM/OL/2026/014", R"({"status":"issued"})",
                      R"({"status":"revoked"})");
    }
};

AuditEntry sample_entry() {
    return {"alice", "venue.import", "venue", "42", std::string(R"({"a":1})"), std::string(R"({"a":2})")};
}

}  // namespace

TEST_CASE("an empty audit log verifies", "[store][audit]") {
    Fixture f;
    auto v = f.store->audit().verify();
    CHECK(v.ok);
    CHECK(v.rows == 0);
    CHECK(v.first_bad_seq == 0);
    CHECK(v.problem.empty());
}

TEST_CASE("appended rows are chained and verify", "[store][audit]") {
    Fixture f;
    f.fill();
    auto v = f.store->audit().verify();
    CHECK(v.ok);
    CHECK(v.rows == 3);
    CHECK(v.problem.empty());

    auto& db = f.store->db();
    CHECK(db.scalar("SELECT min(seq) FROM audit_log") == 1);
    CHECK(db.scalar("SELECT max(seq) FROM audit_log") == 3);
    // Row 1 starts the chain; each later row links to the hash of the one before.
    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE seq = 1 AND prev_hash = ''") == 1);
    CHECK(db.scalar("SELECT count(*) FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1"
                    " WHERE b.prev_hash = a.hash") == 2);
    // The head in meta is the last row's hash.
    CHECK(db.scalar("SELECT count(*) FROM meta m JOIN audit_log a ON a.seq = 3"
                    " WHERE m.key = 'audit_head' AND m.value = a.hash") == 1);
    // Who did it is recorded; NULL before stays NULL.
    Statement st = db.prepare("SELECT actor, before IS NULL, at FROM audit_log ORDER BY seq");
    REQUIRE(st.step());
    CHECK(st.text(0) == "alice");
    CHECK(st.integer(1) == 1);
    CHECK(std::regex_match(st.text(2), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));
    REQUIRE(st.step());
    CHECK(st.text(0) == "bob");
    CHECK(st.integer(1) == 0);
}

TEST_CASE("the stored hash is audit_hash over the row", "[store][audit]") {
    Fixture f;
    f.fill();
    Statement st = f.store->db().prepare(
        "SELECT seq, at, actor, action, entity, entity_key, before, after, prev_hash, hash FROM audit_log"
        " WHERE seq = 2");
    REQUIRE(st.step());
    AuditEntry e{st.text(2), st.text(3), st.text(4), st.text(5), st.optional_text(6), st.optional_text(7)};
    CHECK(audit_hash(st.text(8), st.integer(0), st.text(1), e) == st.text(9));
}

TEST_CASE("editing a row behind keepout's back is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    REQUIRE(f.store->audit().verify().ok);
    std::string error;
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE seq=2;",
                   &error) == SQLITE_OK);
    INFO(error);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_seq == 2);
    CHECK_FALSE(v.problem.empty());
}

TEST_CASE("editing any column of a row is caught at that row", "[store][audit]") {
    const char* edits[] = {"at = '2020-01-01T00:00:00.000Z'", "actor = 'mallory'", "action = 'venue.delete'",
                           "entity = 'site'", "entity_key = '43'", "before = NULL", "after = '{}'",
                           "after = NULL"};
    for (const char* edit : edits) {
        CAPTURE(edit);
        Fixture f;
        f.fill();
        REQUIRE(tamper(f.path, std::string("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET ") + edit +
                                   " WHERE seq = 3;") == SQLITE_OK);
        auto v = f.store->audit().verify();
        CHECK_FALSE(v.ok);
        CHECK(v.first_bad_seq == 3);
    }
}

TEST_CASE("editing only a row's link to the previous row is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_update;"
                           " UPDATE audit_log SET prev_hash = 'forged' WHERE seq = 2;") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_seq == 2);
    CHECK_THAT(v.problem, Catch::Contains("link"));
}

TEST_CASE("rewriting a row and its hash breaks the link of the next row", "[store][audit]") {
    Fixture f;
    f.fill();
    // Recompute row 2's hash for a forged actor, as an attacker who knows the algorithm could.
    std::string hash;
    {
        // Scoped: an open statement would pin this connection's read snapshot.
        Statement st = f.store->db().prepare(
            "SELECT at, action, entity, entity_key, before, after, prev_hash FROM audit_log WHERE seq = 2");
        REQUIRE(st.step());
        AuditEntry forged{"mallory", st.text(1), st.text(2), st.text(3), st.optional_text(4), st.optional_text(5)};
        hash = audit_hash(st.text(6), 2, st.text(0), forged);
    }
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory', hash = '" +
                               hash + "' WHERE seq = 2;") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_seq == 3);
}

TEST_CASE("deleting the last row is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.rows == 2);
    CHECK(v.first_bad_seq == 3);
    CHECK_FALSE(v.problem.empty());
}

TEST_CASE("deleting every row is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.rows == 0);
    CHECK(v.first_bad_seq == 1);
}

TEST_CASE("deleting a middle row is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    REQUIRE(tamper(f.path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_seq == 3);  // the row after the gap
    CHECK_THAT(v.problem, Catch::Contains("2"));
}

TEST_CASE("a row appended behind keepout's back is caught", "[store][audit]") {
    Fixture f;
    f.fill();
    std::string prev;
    {
        Statement st = f.store->db().prepare("SELECT hash FROM audit_log WHERE seq = 3");
        REQUIRE(st.step());
        prev = st.text(0);
    }
    const std::string at = "2026-01-20T08:15:00.123Z";
    AuditEntry e{"mallory", "venue.delete", "venue", "1", std::nullopt, std::nullopt};
    const std::string hash = audit_hash(prev, 4, at, e);
    // A well-formed row, but the recorded head was not moved.
    REQUIRE(tamper(f.path, "INSERT INTO audit_log (seq, at, actor, action, entity, entity_key, prev_hash, hash)"
                           " VALUES (4, '" + at + "', 'mallory', 'venue.delete', 'venue', '1', '" + prev + "', '" +
                               hash + "')") == SQLITE_OK);
    auto v = f.store->audit().verify();
    CHECK_FALSE(v.ok);
    CHECK(v.rows == 4);
}

TEST_CASE("the append-only triggers block UPDATE and DELETE", "[store][audit]") {
    Fixture f;
    f.fill();
    auto& db = f.store->db();
    CHECK_THROWS_AS(db.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"), StoreError);
    CHECK_THROWS_WITH(db.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"),
                      Catch::Contains("append-only"));
    CHECK_THROWS_AS(db.exec("DELETE FROM audit_log WHERE seq = 3"), StoreError);
    // And through a plain connection too.
    std::string error;
    CHECK(tamper(f.path, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", &error) != SQLITE_OK);
    CHECK_THAT(error, Catch::Contains("append-only"));
    CHECK(tamper(f.path, "DELETE FROM audit_log", &error) != SQLITE_OK);

    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE actor = 'mallory'") == 0);
    CHECK(db.scalar("SELECT count(*) FROM audit_log") == 3);
    CHECK(f.store->audit().verify().ok);
}

TEST_CASE("appending continues the chain after reopening", "[store][audit]") {
    TempDir dir;
    const std::string path = dir.file("a.sqlite");
    {
        auto store = Store::init(path);
        store->set_actor("alice");
        store->record("a", "venue", "1", std::nullopt, std::nullopt);
    }
    auto store = Store::open(path);
    store->set_actor("bob");
    store->record("b", "venue", "2", std::nullopt, std::nullopt);
    auto v = store->audit().verify();
    CHECK(v.ok);
    CHECK(v.rows == 2);
    CHECK(store->db().scalar("SELECT max(seq) FROM audit_log") == 2);
}

TEST_CASE("audit_hash is a deterministic lowercase hex SHA-256", "[store][audit]") {
    const AuditEntry e = sample_entry();
    const std::string h = audit_hash("prev", 7, "2026-01-20T08:15:00.123Z", e);
    CHECK(h.size() == 64);
    CHECK(std::regex_match(h, std::regex("[0-9a-f]{64}")));
    CHECK(audit_hash("prev", 7, "2026-01-20T08:15:00.123Z", e) == h);
}

TEST_CASE("audit_hash changes when any field changes", "[store][audit]") {
    const AuditEntry base = sample_entry();
    const std::string prev = "abc";
    const std::int64_t seq = 7;
    const std::string at = "2026-01-20T08:15:00.123Z";
    const std::string h = audit_hash(prev, seq, at, base);

    CHECK(audit_hash("abd", seq, at, base) != h);
    CHECK(audit_hash("", seq, at, base) != h);
    CHECK(audit_hash(prev, 8, at, base) != h);
    CHECK(audit_hash(prev, seq, "2026-01-20T08:15:00.124Z", base) != h);

    AuditEntry e = base;
    e.actor = "bob";
    CHECK(audit_hash(prev, seq, at, e) != h);
    e = base;
    e.action = "venue.update";
    CHECK(audit_hash(prev, seq, at, e) != h);
    e = base;
    e.entity = "site";
    CHECK(audit_hash(prev, seq, at, e) != h);
    e = base;
    e.entity_key = "43";
    CHECK(audit_hash(prev, seq, at, e) != h);
    e = base;
    e.before = R"({"a":3})";
    CHECK(audit_hash(prev, seq, at, e) != h);
    e = base;
    e.after = R"({"a":3})";
    CHECK(audit_hash(prev, seq, at, e) != h);
}

TEST_CASE("audit_hash tells NULL from empty and keeps field boundaries", "[store][audit]") {
    AuditEntry a = sample_entry();
    AuditEntry b = a;
    a.before = std::nullopt;
    b.before = std::string();
    CHECK(audit_hash("", 1, "t", a) != audit_hash("", 1, "t", b));
    b.before = std::string("-");
    CHECK(audit_hash("", 1, "t", a) != audit_hash("", 1, "t", b));

    // Moving a character from one field to the next must change the hash.
    AuditEntry c = sample_entry();
    AuditEntry d = c;
    c.actor = "ab";
    c.action = "c";
    d.actor = "a";
    d.action = "bc";
    CHECK(audit_hash("", 1, "t", c) != audit_hash("", 1, "t", d));

    // before and after are not interchangeable.
    AuditEntry x = sample_entry();
    AuditEntry y = x;
    x.before = std::nullopt;
    x.after = std::string("{}");
    y.before = std::string("{}");
    y.after = std::nullopt;
    CHECK(audit_hash("", 1, "t", x) != audit_hash("", 1, "t", y));
}

TEST_CASE("utc_timestamp has the documented shape", "[store][audit]") {
    const std::string t = utc_timestamp();
    CHECK(std::regex_match(t, std::regex(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z)")));
}
