// Directive lifecycle from the command line, the history of a venue, and the audit chain.
#include <catch2/catch.hpp>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;

namespace {
bool listed(const std::string& db, const std::string& external_id, const std::string& date) {
    auto j = run_keepout(db, {"list", "--as-of", date, "--format", "json"}).json();
    for (auto& v : j["venues"])
        if (v["external_id"] == external_id) return true;
    return false;
}
}  // namespace

TEST_CASE("draft, place, issue, lift and revoke from the command line", "[cli][directive]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    // KV-026-0005 is not on the sample list at any date; check before using it.
    REQUIRE_FALSE(listed(db, "KV-026-0005", "2026-12-31"));

    auto create = run_keepout(db, {"directive", "create", "HOM/OL/2026/020", "--title", "Amendment 3", "--signed",
                               "2026-08-01", "--effective", "2026-08-03"});
    INFO(create.err);
    REQUIRE(create.exit_code == 0);
    auto place = run_keepout(db, {"directive", "place", "HOM/OL/2026/020", "KV-026-0005", "--reason", "trafficking",
                              "--reason", "minors"});
    INFO(place.err);
    REQUIRE(place.exit_code == 0);
    CHECK_FALSE(listed(db, "KV-026-0005", "2026-08-10"));  // still a draft

    auto issue = run_keepout(db, {"directive", "issue", "HOM/OL/2026/020"}, "approver");
    INFO(issue.err);
    REQUIRE(issue.exit_code == 0);
    CHECK_FALSE(listed(db, "KV-026-0005", "2026-08-02"));
    CHECK(listed(db, "KV-026-0005", "2026-08-03"));

    SECTION("an issued directive cannot be amended or issued twice") {
        auto again = run_keepout(db, {"directive", "issue", "HOM/OL/2026/020"});
        CHECK(again.exit_code != 0);
        CHECK(again.err.find("already issued") != std::string::npos);
        auto more = run_keepout(db, {"directive", "place", "HOM/OL/2026/020", "KV-026-0006", "--reason", "trafficking"});
        CHECK(more.exit_code != 0);
        CHECK(more.err.find("only drafts can be amended") != std::string::npos);
    }
    SECTION("revocation removes its listings from the revocation date") {
        auto rv = run_keepout(db, {"directive", "revoke", "HOM/OL/2026/020", "--date", "2026-09-01"});
        INFO(rv.err);
        REQUIRE(rv.exit_code == 0);
        CHECK(listed(db, "KV-026-0005", "2026-08-31"));
        CHECK_FALSE(listed(db, "KV-026-0005", "2026-09-01"));
    }
    SECTION("lift, then place again: reinstated, with history") {
        REQUIRE(run_keepout(db, {"directive", "create", "HOM/OL/2026/021", "--title", "Lift", "--signed", "2026-09-01",
                             "--effective", "2026-09-02"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "lift", "HOM/OL/2026/021", "KV-026-0005", "--reason", "corrective-action"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/2026/021"}).exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "create", "HOM/OL/2026/022", "--title", "Again", "--signed", "2026-10-01",
                             "--effective", "2026-10-01"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/022", "KV-026-0005", "--reason", "prostitution"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/2026/022"}).exit_code == 0);
        CHECK_FALSE(listed(db, "KV-026-0005", "2026-09-15"));
        CHECK(listed(db, "KV-026-0005", "2026-10-01"));
        auto h = run_keepout(db, {"history", "KV-026-0005", "--as-of", "2026-10-05", "--format", "json"});
        INFO(h.err);
        REQUIRE(h.exit_code == 0);
        auto j = h.json();
        CHECK(j["listed"] == true);
        CHECK(j["listed_since"] == "2026-10-01");
        REQUIRE(j["history"].size() == 3);
        CHECK(j["history"][0]["action"] == "place");
        CHECK(j["history"][1]["action"] == "lift");
        CHECK(j["history"][1]["directive"] == "HOM/OL/2026/021");
        CHECK(j["history"][2]["action"] == "place");
    }
}

TEST_CASE("clear errors for bad input on directives", "[cli][directive]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto bad_date = run_keepout(db, {"directive", "create", "X/1", "--title", "t", "--signed", "2026-02-30",
                                 "--effective", "2026-03-01"});
    CHECK(bad_date.exit_code != 0);
    CHECK(bad_date.err.find("2026-02-30") != std::string::npos);

    REQUIRE(run_keepout(db, {"directive", "create", "X/2", "--title", "t", "--signed", "2026-03-01", "--effective",
                         "2026-03-01"})
                .exit_code == 0);
    auto dup = run_keepout(db, {"directive", "create", "X/2", "--title", "t", "--signed", "2026-03-01", "--effective",
                            "2026-03-01"});
    CHECK(dup.exit_code != 0);
    CHECK(dup.err.find("already exists") != std::string::npos);

    auto unknown = run_keepout(db, {"directive", "place", "X/2", "NO-SUCH", "--reason", "trafficking"});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.err.find("unknown venue 'NO-SUCH'") != std::string::npos);

    // All-or-nothing across the venues of one command.
    auto partly = run_keepout(db, {"directive", "place", "X/2", "KV-026-0005", "NO-SUCH", "--reason", "trafficking"});
    CHECK(partly.exit_code != 0);
    auto show = run_keepout(db, {"directive", "show", "X/2", "--format", "json"});
    CHECK(show.json()["listings"].empty());

    auto bad_reason = run_keepout(db, {"directive", "place", "X/2", "KV-026-0005", "--reason", "gambling"});
    CHECK(bad_reason.exit_code != 0);
    CHECK(bad_reason.err.find("unknown reason 'gambling'") != std::string::npos);

    auto empty_issue = run_keepout(db, {"directive", "issue", "X/2"});
    CHECK(empty_issue.exit_code != 0);
    CHECK(empty_issue.err.find("no listings") != std::string::npos);

    auto emergency = run_keepout(db, {"directive", "create", "X/3", "--title", "t", "--signed", "2026-03-01",
                                  "--effective", "2026-03-01", "--emergency"});
    CHECK(emergency.exit_code != 0);
    CHECK(emergency.err.find("--review") != std::string::npos);

    auto unknown_directive = run_keepout(db, {"directive", "issue", "NOPE"});
    CHECK(unknown_directive.exit_code != 0);
    CHECK(unknown_directive.err.find("unknown directive 'NOPE'") != std::string::npos);
}

TEST_CASE("audit verify catches a row edited behind keepout's back", "[audit]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto ok = run_keepout(db, {"audit", "verify"});
    INFO(ok.err);
    REQUIRE(ok.exit_code == 0);
    CHECK(ok.out.find("intact") != std::string::npos);

    // The table refuses updates through SQL ...
    auto blocked = run_program({"sqlite3", db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"});
    CHECK(blocked.exit_code != 0);
    CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 0);

    // ... and someone who drops the guard and edits a row is still caught.
    auto edit = run_program({"sqlite3", db,
                             "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"});
    INFO(edit.err);
    REQUIRE(edit.exit_code == 0);
    auto bad = run_keepout(db, {"audit", "verify"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("row 3") != std::string::npos);
}

TEST_CASE("the audit log records who did what", "[audit]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(run_keepout(db, {"directive", "create", "X/9", "--title", "t", "--signed", "2026-03-01", "--effective",
                         "2026-03-01"},
                    "drafter-a")
                .exit_code == 0);
    auto log = run_keepout(db, {"audit", "log", "--limit", "1", "--format", "json"}).json();
    REQUIRE(log.size() == 1);
    CHECK(log[0]["actor"] == "drafter-a");
    CHECK(log[0]["action"] == "directive.create");
    CHECK(log[0]["key"] == "X/9");
}
