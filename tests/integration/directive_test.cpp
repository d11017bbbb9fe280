// Directive lifecycle from the command line, the history of a venue, and the audit chain.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

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
    auto submit = run_keepout(db, {"directive", "submit", "HOM/OL/2026/020"});
    INFO(submit.err);
    REQUIRE(submit.exit_code == 0);
    CHECK_FALSE(listed(db, "KV-026-0005", "2026-08-10"));  // a submission does not count either

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
        REQUIRE(run_keepout(db, {"directive", "submit", "HOM/OL/2026/021"}).exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/2026/021"}, "approver").exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "create", "HOM/OL/2026/022", "--title", "Again", "--signed", "2026-10-01",
                             "--effective", "2026-10-01"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/022", "KV-026-0005", "--reason", "prostitution"})
                    .exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "submit", "HOM/OL/2026/022"}).exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/2026/022"}, "approver").exit_code == 0);
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
    CHECK(unknown.err.find("no venue has the id, external_id or exact name \"NO-SUCH\"") != std::string::npos);

    // All-or-nothing across the venues of one command.
    auto partly = run_keepout(db, {"directive", "place", "X/2", "KV-026-0005", "NO-SUCH", "--reason", "trafficking"});
    CHECK(partly.exit_code != 0);
    auto show = run_keepout(db, {"directive", "show", "X/2", "--format", "json"});
    CHECK(show.json()["listings"].empty());

    auto bad_reason = run_keepout(db, {"directive", "place", "X/2", "KV-026-0005", "--reason", "gambling"});
    CHECK(bad_reason.exit_code != 0);
    CHECK(bad_reason.err.find("unknown reason \"gambling\"") != std::string::npos);

    auto empty_submit = run_keepout(db, {"directive", "submit", "X/2"});
    CHECK(empty_submit.exit_code != 0);
    CHECK(empty_submit.err.find("no listings") != std::string::npos);

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

namespace {
RunResult draft(const std::string& db, const std::string& ref, const std::string& actor, bool emergency = false) {
    std::vector<std::string> args{"directive", "create", ref, "--title", "t", "--signed", "2026-08-01", "--effective",
                                  "2026-08-03"};
    if (emergency) args.insert(args.end(), {"--emergency", "--review", "2026-09-01"});
    return run_keepout(db, args, actor);
}
std::string status_of(const std::string& db, const std::string& ref) {
    return run_keepout(db, {"directive", "show", ref, "--format", "json"}).json()["status"];
}
}  // namespace

TEST_CASE("submit locks a draft until it is withdrawn; only a submission is issued", "[cli][directive]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(draft(db, "HOM/OL/2026/030", "ana").exit_code == 0);
    REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/030", "KV-026-0005", "--reason", "trafficking"}, "ana")
                .exit_code == 0);
    // A draft is not issued straight away, not even by someone else.
    auto early = run_keepout(db, {"directive", "issue", "HOM/OL/2026/030"}, "cem");
    CHECK(early.exit_code != 0);
    CHECK(early.err.find("must be submitted") != std::string::npos);
    CHECK(status_of(db, "HOM/OL/2026/030") == "draft");

    auto submit = run_keepout(db, {"directive", "submit", "HOM/OL/2026/030"}, "ana");
    INFO(submit.err);
    REQUIRE(submit.exit_code == 0);
    CHECK(status_of(db, "HOM/OL/2026/030") == "submitted");
    CHECK(run_keepout(db, {"directive", "submit", "HOM/OL/2026/030"}, "ana").exit_code != 0);
    // Locked: no listing is added or changed while it waits.
    auto more = run_keepout(db, {"directive", "place", "HOM/OL/2026/030", "KV-026-0007", "--reason", "trafficking"}, "ana");
    CHECK(more.exit_code != 0);
    CHECK(more.err.find("withdraw it to amend it") != std::string::npos);
    CHECK(run_keepout(db, {"directive", "show", "HOM/OL/2026/030", "--format", "json"}).json()["listings"].size() == 1);

    auto withdraw = run_keepout(db, {"directive", "withdraw", "HOM/OL/2026/030"}, "ana");
    INFO(withdraw.err);
    REQUIRE(withdraw.exit_code == 0);
    CHECK(status_of(db, "HOM/OL/2026/030") == "draft");
    CHECK(run_keepout(db, {"directive", "withdraw", "HOM/OL/2026/030"}, "ana").exit_code != 0);
    REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/030", "KV-026-0007", "--reason", "trafficking"}, "ana")
                .exit_code == 0);
    REQUIRE(run_keepout(db, {"directive", "submit", "HOM/OL/2026/030"}, "ana").exit_code == 0);
    auto issue = run_keepout(db, {"directive", "issue", "HOM/OL/2026/030"}, "cem");
    INFO(issue.err);
    REQUIRE(issue.exit_code == 0);
    CHECK(status_of(db, "HOM/OL/2026/030") == "issued");
    CHECK(listed(db, "KV-026-0007", "2026-08-03"));
    // Issued: not withdrawn, not amended.
    CHECK(run_keepout(db, {"directive", "withdraw", "HOM/OL/2026/030"}, "ana").exit_code != 0);
    CHECK(run_keepout(db, {"directive", "lift", "HOM/OL/2026/030", "KV-026-0007", "--reason", "closed"}, "ana").exit_code != 0);
    auto log = run_keepout(db, {"audit", "log", "--limit", "10", "--format", "json"}).json();
    std::vector<std::string> actions;
    for (auto& row : log) actions.push_back(row["action"]);
    CHECK(std::count(actions.begin(), actions.end(), "directive.submit") == 2);
    CHECK(std::count(actions.begin(), actions.end(), "directive.withdraw") == 1);
}

TEST_CASE("four eyes on the command line: --actor who added a listing or drafted may not issue", "[cli][directive][four-eyes]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(draft(db, "HOM/OL/2026/031", "Ana Editor").exit_code == 0);
    REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/031", "KV-026-0005", "--reason", "trafficking"},
                        "Ana Editor")
                .exit_code == 0);
    // Ben, an approver, adds his own venue to Ana's draft.
    REQUIRE(run_keepout(db, {"directive", "place", "HOM/OL/2026/031", "KV-026-0007", "--reason", "prostitution"},
                        "Ben Approver")
                .exit_code == 0);
    REQUIRE(run_keepout(db, {"directive", "submit", "HOM/OL/2026/031"}, "Ana Editor").exit_code == 0);
    auto ben = run_keepout(db, {"directive", "issue", "HOM/OL/2026/031"}, "Ben Approver");
    CHECK(ben.exit_code != 0);
    CHECK(ben.err.find("four eyes") != std::string::npos);
    CHECK(ben.err.find("added 1 of its 2 listings") != std::string::npos);
    // The same person by another spelling, or through $KEEPOUT_ACTOR, is still refused.
    CHECK(run_keepout(db, {"directive", "issue", "HOM/OL/2026/031"}, "ben approver").exit_code != 0);
    auto env = run_program({"env", "KEEPOUT_ACTOR=Ben Approver", KEEPOUT_BINARY, "--db", db, "directive", "issue",
                            "HOM/OL/2026/031"});
    CHECK(env.exit_code != 0);
    CHECK(env.err.find("four eyes") != std::string::npos);
    auto ana = run_keepout(db, {"directive", "issue", "HOM/OL/2026/031"}, "Ana Editor");
    CHECK(ana.exit_code != 0);
    CHECK(ana.err.find("drafted it") != std::string::npos);
    CHECK(status_of(db, "HOM/OL/2026/031") == "submitted");
    CHECK_FALSE(listed(db, "KV-026-0007", "2026-08-03"));
    // The listing shows who added it.
    auto show = run_keepout(db, {"directive", "show", "HOM/OL/2026/031", "--format", "json"}).json();
    CHECK(show["listings"][1]["added_by"] == "Ben Approver");
    auto cem = run_keepout(db, {"directive", "issue", "HOM/OL/2026/031"}, "Cem Approver");
    INFO(cem.err);
    REQUIRE(cem.exit_code == 0);
    CHECK(listed(db, "KV-026-0007", "2026-08-03"));
}

TEST_CASE("the emergency override needs an emergency directive and a reason, and is audited", "[cli][directive][four-eyes]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    for (auto [ref, emergency] : {std::pair{"HOM/OL/2026/032", false}, std::pair{"HOM/OL/2026/033", true}}) {
        REQUIRE(draft(db, ref, "ana", emergency).exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "place", ref, "KV-026-0005", "--reason", "minors"}, "ana").exit_code == 0);
        REQUIRE(run_keepout(db, {"directive", "submit", ref}, "ana").exit_code == 0);
    }
    auto no_reason = run_keepout(db, {"directive", "issue", "HOM/OL/2026/033", "--emergency-override"}, "ana");
    CHECK(no_reason.exit_code != 0);
    CHECK(no_reason.err.find("--reason") != std::string::npos);
    auto blank = run_keepout(db, {"directive", "issue", "HOM/OL/2026/033", "--emergency-override", "--reason", "  "}, "ana");
    CHECK(blank.exit_code != 0);
    auto not_emergency = run_keepout(db, {"directive", "issue", "HOM/OL/2026/032", "--emergency-override", "--reason",
                                          "no second approver tonight"},
                                     "ana");
    CHECK(not_emergency.exit_code != 0);
    CHECK(not_emergency.err.find("only for emergency directives") != std::string::npos);
    CHECK(status_of(db, "HOM/OL/2026/032") == "submitted");
    CHECK(status_of(db, "HOM/OL/2026/033") == "submitted");

    auto ok = run_keepout(db, {"directive", "issue", "HOM/OL/2026/033", "--emergency-override", "--reason",
                               "minors seen on site; no second approver reachable"},
                          "ana");
    INFO(ok.err);
    REQUIRE(ok.exit_code == 0);
    CHECK(status_of(db, "HOM/OL/2026/033") == "issued");
    auto log = run_keepout(db, {"audit", "log", "--limit", "5", "--format", "json"}).json();
    bool found = false;
    for (auto& row : log)
        if (row["action"] == "directive.emergency-override") {
            found = true;
            CHECK(row["actor"] == "ana");
            CHECK(row["key"] == "HOM/OL/2026/033");
            auto after = nlohmann::json::parse(row["after"].get<std::string>());
            CHECK(after["reason"] == "minors seen on site; no second approver reachable");
            CHECK(after["four_eyes_conflicts"].size() == 2);
        }
    CHECK(found);
    CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 0);
}

TEST_CASE("token list shows holders, roles and dates, never a secret; revoke and expiry", "[cli][token]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    auto a = run_keepout(db, {"token", "create", "--role", "approver", "--name", "Ben Approver", "--expires", "2999-12-31"});
    auto b = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Ana Editor"});
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    const std::string ta = a.out.substr(0, a.out.find('\n')), tb = b.out.substr(0, b.out.find('\n'));
    const std::string secret_a = ta.substr(ta.rfind('_') + 1), secret_b = tb.substr(tb.rfind('_') + 1);
    REQUIRE(secret_a.size() >= 32);
    auto past = run_keepout(db, {"token", "create", "--role", "reader", "--name", "Late", "--expires", "2001-01-01"});
    CHECK(past.exit_code != 0);
    CHECK(past.err.find("has passed") != std::string::npos);
    CHECK(run_keepout(db, {"token", "create", "--role", "reader", "--name", "Bad", "--expires", "soon"}).exit_code != 0);

    CHECK(run_keepout(db, {"token", "revoke", "2"}).exit_code == 0);
    auto again = run_keepout(db, {"token", "revoke", "2"});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("already revoked") != std::string::npos);
    CHECK(run_keepout(db, {"token", "revoke", "99"}).exit_code != 0);

    auto table = run_keepout(db, {"token", "list"});
    auto json = run_keepout(db, {"token", "list", "--format", "json"});
    REQUIRE(table.exit_code == 0);
    REQUIRE(json.exit_code == 0);
    // Neither the secret, nor the stored hash or salt, appears anywhere.
    auto stored = run_program({"sqlite3", db, "SELECT salt || ' ' || hash FROM tokens"});
    REQUIRE(stored.exit_code == 0);
    std::vector<std::string> hidden{secret_a, secret_b, ta, tb};
    std::istringstream words(stored.out);
    for (std::string w; words >> w;) hidden.push_back(w);
    for (auto& text : {table.out + table.err, json.out + json.err})
        for (auto& h : hidden) CHECK(text.find(h) == std::string::npos);
    auto j = json.json();
    REQUIRE(j["tokens"].size() == 2);
    CHECK(j["tokens"][0]["id"] == 1);
    CHECK(j["tokens"][0]["name"] == "Ben Approver");
    CHECK(j["tokens"][0]["role"] == "approver");
    CHECK(j["tokens"][0]["expires"] == "2999-12-31");
    CHECK(j["tokens"][0]["revoked"].is_null());
    CHECK(j["tokens"][1]["expires"].is_null());
    CHECK(j["tokens"][1]["revoked"].is_string());
    CHECK(j["tokens"][1]["state"] == "revoked");
    for (auto& t : j["tokens"]) {
        CHECK_FALSE(t.contains("hash"));
        CHECK_FALSE(t.contains("salt"));
        CHECK_FALSE(t.contains("secret"));
        CHECK(t["created"].is_string());
    }
    CHECK(table.out.find("Ben Approver") != std::string::npos);
}
