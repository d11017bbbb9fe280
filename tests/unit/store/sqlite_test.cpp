// The database layer's errors by kind: what callers decide on (busy, full, conflict) is a type,
// never a message to compare.
#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "with_data_dir.hpp"

using namespace keepout::store;
using keepout::test::TempDir;

TEST_CASE("a write that cannot get the lock within the busy timeout throws Busy", "[store][sqlite]") {
    TempDir dir;
    const std::string path = dir.file("k.sqlite");
    Database holder(path, true);
    holder.exec("CREATE TABLE t (x INTEGER)");
    Database waiter(path, false, /*busy_timeout_ms=*/50);
    Transaction held(holder);
    holder.exec("INSERT INTO t VALUES (1)");
    CHECK_THROWS_AS(Transaction(waiter), Busy);
    // Reads go on beside the writer (WAL).
    CHECK(waiter.scalar("SELECT count(*) FROM t") == 0);
}

TEST_CASE("a full database throws StorageFull, and the failed write leaves nothing", "[store][sqlite]") {
    TempDir dir;
    const std::string path = dir.file("k.sqlite");
    Database db(path, true);
    db.exec("CREATE TABLE t (x TEXT)");
    const auto pages = db.scalar("PRAGMA page_count");
    // The size limit SQLite enforces is as good as a full disk for the caller.
    db.exec("PRAGMA max_page_count = " + std::to_string(pages + 2));
    auto insert = db.prepare("INSERT INTO t VALUES (?)");
    bool full = false;
    try {
        Transaction tx(db);
        for (int i = 0; i < 1000; ++i) insert.bind(1, std::string(4000, 'x')).run();
        tx.commit();
    } catch (const StorageFull&) {
        full = true;
    }
    CHECK(full);
    CHECK(db.scalar("SELECT count(*) FROM t") == 0);
}

TEST_CASE("a unique constraint throws Conflict marked unique", "[store][sqlite]") {
    TempDir dir;
    Database db(dir.file("k.sqlite"), true);
    db.exec("CREATE TABLE t (x TEXT UNIQUE, y INTEGER CHECK (y > 0))");
    db.exec("INSERT INTO t VALUES ('a', 1)");
    try {
        db.prepare("INSERT INTO t VALUES ('a', 2)").run();
        FAIL("no exception");
    } catch (const Conflict& e) {
        CHECK(e.unique);
    }
    try {
        db.prepare("INSERT INTO t VALUES ('b', -1)").run();
        FAIL("no exception");
    } catch (const Conflict& e) {
        CHECK_FALSE(e.unique);
    }
}
