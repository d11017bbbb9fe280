// The approval step and the API's tokens against the real server: submit and withdraw, four eyes
// per person (not per token), the emergency override, revocation and expiry seen by a running
// server, and failed authentications throttled per client address.
#include <algorithm>
#include <set>
#include <thread>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

struct Served {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    Served() { load_sample(db); }
    std::string token(const std::string& role, const std::string& name, const std::string& expires = "") {
        std::vector<std::string> args{"token", "create", "--role", role, "--name", name};
        if (!expires.empty()) args.insert(args.end(), {"--expires", expires});
        auto r = run_keepout(db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::string t = r.out.substr(0, r.out.find('\n'));
        REQUIRE(t.rfind("ko_", 0) == 0);
        return t;
    }
};

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

std::string ref_url(const ServerProcess& server, const std::string& ref, const std::string& action = "") {
    return server.url("/api/v1/directives/" + ref + (action.empty() ? "" : "/" + action));
}

HttpResult create(const ServerProcess& server, const std::string& token, const std::string& ref, bool emergency = false) {
    json body{{"ref", ref}, {"title", "Amendment"}, {"signed", "2026-11-01"}, {"effective", "2026-11-02"}};
    if (emergency) {
        body["emergency"] = true;
        body["review"] = "2026-12-01";
    }
    return curl("POST", server.url("/api/v1/directives"), {bearer(token)}, body.dump());
}

HttpResult place(const ServerProcess& server, const std::string& token, const std::string& ref, const std::string& venue) {
    return curl("POST", ref_url(server, ref, "listings"), {bearer(token)},
                json{{"venues", {venue}}, {"reasons", {"trafficking"}}}.dump());
}

// curl from a chosen loopback source address (the whole of 127/8 is local on Linux).
HttpResult curl_from(const std::string& source, const std::string& url, const std::string& token) {
    TempDir tmp;
    auto r = run_program({"curl", "-sS", "-g", "--interface", source, "-D", tmp.file("h"), "-o", tmp.file("b"), "-w",
                          "%{http_code}", "-H", bearer(token), url});
    HttpResult h;
    h.status = std::atoi(r.out.c_str());
    std::ifstream hs(tmp.file("h")), bs(tmp.file("b"));
    std::stringstream a, b;
    a << hs.rdbuf();
    b << bs.rdbuf();
    h.headers = a.str();
    h.body = b.str();
    return h;
}

}  // namespace

TEST_CASE("submit and withdraw over the API; the approver queue holds submissions only", "[server][auth][directive]") {
    Served s;
    const auto editor = s.token("editor", "Ana Editor");
    const auto reader = s.token("reader", "Reader Cem");
    const auto approver = s.token("approver", "Ben Approver");
    ServerProcess server(s.db);
    const std::string ref = "HOM/OL/2026/070";
    REQUIRE(create(server, editor, ref).status == 201);
    CHECK(curl("POST", ref_url(server, ref, "submit"), {bearer(editor)}).status == 409);  // no listings yet
    REQUIRE(place(server, editor, ref, "KV-026-0005").status == 201);
    // Only a submission waits for an approver, and a draft is not issued.
    CHECK(get(server.url("/api/v1/directives?status=submitted")).json()["directives"].empty());
    auto early = curl("POST", ref_url(server, ref, "issue"), {bearer(approver)});
    CHECK(early.status == 409);
    CHECK(early.json()["error"]["message"].get<std::string>().find("must be submitted") != std::string::npos);

    CHECK(curl("POST", ref_url(server, ref, "submit"), {bearer(reader)}).status == 403);
    CHECK(curl("POST", ref_url(server, ref, "submit")).status == 401);
    auto submitted = curl("POST", ref_url(server, ref, "submit"), {bearer(editor)});
    INFO(submitted.body);
    REQUIRE(submitted.status == 200);
    CHECK(submitted.json()["status"] == "submitted");
    CHECK(submitted.json()["submitted_by"] == "Ana Editor");
    CHECK(curl("POST", ref_url(server, ref, "submit"), {bearer(editor)}).status == 409);
    auto queue = get(server.url("/api/v1/directives?status=submitted")).json()["directives"];
    REQUIRE(queue.size() == 1);
    CHECK(queue[0]["ref"] == ref);
    for (auto& d : get(server.url("/api/v1/directives?status=draft")).json()["directives"]) CHECK(d["status"] == "draft");
    CHECK(get(server.url("/api/v1/directives?status=pending")).status == 400);
    // Locked while it waits.
    auto locked = place(server, editor, ref, "KV-026-0006");
    CHECK(locked.status == 409);
    CHECK(locked.json()["error"]["message"].get<std::string>().find("withdraw") != std::string::npos);

    auto withdrawn = curl("POST", ref_url(server, ref, "withdraw"), {bearer(editor)});
    REQUIRE(withdrawn.status == 200);
    CHECK(withdrawn.json()["status"] == "draft");
    CHECK(curl("POST", ref_url(server, ref, "withdraw"), {bearer(editor)}).status == 409);
    CHECK(get(server.url("/api/v1/directives?status=submitted")).json()["directives"].empty());
    REQUIRE(place(server, editor, ref, "KV-026-0006").status == 201);
    REQUIRE(curl("POST", ref_url(server, ref, "submit"), {bearer(editor)}).status == 200);
    auto issued = curl("POST", ref_url(server, ref, "issue"), {bearer(approver)});
    INFO(issued.body);
    REQUIRE(issued.status == 200);
    CHECK(issued.json()["status"] == "issued");
    CHECK(curl("POST", ref_url(server, ref, "withdraw"), {bearer(editor)}).status == 409);
    CHECK(place(server, editor, ref, "KV-026-0007").status == 409);
}

TEST_CASE("four eyes per person: adding a venue, or a second token of the same name, does not make an approver eligible", "[server][auth][four-eyes]") {
    Served s;
    const auto ana = s.token("editor", "Ana Editor");
    const auto ben = s.token("approver", "Ben Approver");
    const auto ben_again = s.token("approver", "Ben Approver");  // a second token for the same person
    const auto cem = s.token("approver", "Cem Approver");
    ServerProcess server(s.db);

    // Ben adds his own venue to Ana's draft, then tries to issue it.
    const std::string ref = "HOM/OL/2026/071";
    REQUIRE(create(server, ana, ref).status == 201);
    REQUIRE(place(server, ana, ref, "KV-026-0005").status == 201);
    REQUIRE(place(server, ben, ref, "KV-026-0006").status == 201);
    REQUIRE(curl("POST", ref_url(server, ref, "submit"), {bearer(ana)}).status == 200);
    for (auto* token : {&ben, &ben_again}) {
        auto r = curl("POST", ref_url(server, ref, "issue"), {bearer(*token)});
        CHECK(r.status == 409);
        CHECK(r.json()["error"]["code"] == "four-eyes");
        CHECK(r.json()["error"]["message"].get<std::string>().find("added 1 of its 2 listings") != std::string::npos);
    }
    auto detail = get(ref_url(server, ref)).json();
    CHECK(detail["status"] == "submitted");
    CHECK(detail["listings"][1]["added_by"] == "Ben Approver");

    // Ben drafts under one token and tries to issue under the other.
    const std::string own = "HOM/OL/2026/072";
    REQUIRE(create(server, ben, own).status == 201);
    REQUIRE(place(server, ben, own, "KV-026-0007").status == 201);
    REQUIRE(curl("POST", ref_url(server, own, "submit"), {bearer(ben)}).status == 200);
    auto self = curl("POST", ref_url(server, own, "issue"), {bearer(ben_again)});
    CHECK(self.status == 409);
    CHECK(self.json()["error"]["code"] == "four-eyes");
    CHECK(self.json()["error"]["message"].get<std::string>().find("may not also issue") != std::string::npos);
    CHECK(get(ref_url(server, own)).json()["status"] == "submitted");

    // The override is for emergencies only.
    auto not_emergency = curl("POST", ref_url(server, own, "issue"), {bearer(ben_again)},
                              R"({"emergency_override":true,"reason":"urgent"})");
    CHECK(not_emergency.status == 409);
    CHECK(not_emergency.json()["error"]["code"] == "override-refused");

    // Someone else issues both.
    for (auto& r : {ref, own}) {
        auto ok = curl("POST", ref_url(server, r, "issue"), {bearer(cem)});
        INFO(ok.body);
        CHECK(ok.status == 200);
        CHECK(ok.json()["issued_by"] == "Cem Approver");
    }
}

TEST_CASE("the API's emergency override needs a reason and is in the audit log", "[server][auth][four-eyes]") {
    Served s;
    const auto ben = s.token("approver", "Ben Approver");
    const auto ana = s.token("editor", "Ana Editor");
    ServerProcess server(s.db);
    const std::string ref = "HOM/OL/2026/073";
    REQUIRE(create(server, ben, ref, true).status == 201);
    REQUIRE(place(server, ben, ref, "KV-026-0005").status == 201);
    REQUIRE(curl("POST", ref_url(server, ref, "submit"), {bearer(ben)}).status == 200);
    auto no_reason = curl("POST", ref_url(server, ref, "issue"), {bearer(ben)}, R"({"emergency_override":true})");
    CHECK(no_reason.status == 409);
    CHECK(no_reason.json()["error"]["code"] == "override-refused");
    CHECK(curl("POST", ref_url(server, ref, "issue"), {bearer(ben)}, R"({"emergency_override":true,"reason":" "})").status == 409);
    CHECK(curl("POST", ref_url(server, ref, "issue"), {bearer(ben)}, R"({"emergency_override":"yes","reason":"x"})").status == 400);
    CHECK(curl("POST", ref_url(server, ref, "issue"), {bearer(ben)}, R"({"reason":"x"})").status == 400);
    // An editor cannot use it at all.
    CHECK(curl("POST", ref_url(server, ref, "issue"), {bearer(ana)}, R"({"emergency_override":true,"reason":"x"})").status == 403);
    CHECK(get(ref_url(server, ref)).json()["status"] == "submitted");

    auto ok = curl("POST", ref_url(server, ref, "issue"), {bearer(ben)},
                   R"({"emergency_override":true,"reason":"children seen on site; no second approver reachable"})");
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    CHECK(ok.json()["status"] == "issued");
    auto log = run_keepout(s.db, {"audit", "log", "--limit", "5", "--format", "json"}).json();
    bool found = false;
    for (auto& row : log)
        if (row["action"] == "directive.emergency-override") {
            found = true;
            CHECK(row["actor"] == "Ben Approver (token 1)");
            CHECK(json::parse(row["after"].get<std::string>())["reason"] ==
                  "children seen on site; no second approver reachable");
        }
    CHECK(found);
    CHECK(run_keepout(s.db, {"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a token revoked from the command line stops working against a running server", "[server][auth][token]") {
    Served s;
    const auto editor = s.token("editor", "Ana Editor");
    const auto other = s.token("editor", "Dan Editor");
    ServerProcess server(s.db);
    REQUIRE(get(server.url("/api/v1/token"), {bearer(editor)}).status == 200);
    auto revoke = run_keepout(s.db, {"token", "revoke", "1"});
    INFO(revoke.err);
    REQUIRE(revoke.exit_code == 0);
    // Polls for up to a few seconds; the contract is about a second.
    HttpResult r;
    for (int i = 0; i < 100; ++i) {
        r = get(server.url("/api/v1/token"), {bearer(editor)});
        if (r.status != 200) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(r.status == 401);
    CHECK(r.json()["error"]["message"].get<std::string>().find("revoked") != std::string::npos);
    CHECK(create(server, editor, "HOM/OL/2026/074").status == 401);
    CHECK(get(server.url("/api/v1/token"), {bearer(other)}).status == 200);
}

TEST_CASE("an expired token is refused with 401 and says so", "[server][auth][token]") {
    Served s;
    const auto lasting = s.token("editor", "Ana Editor", "2999-12-31");
    const auto expiring = s.token("editor", "Eva Editor", "2999-12-31");
    ServerProcess server(s.db);
    REQUIRE(get(server.url("/api/v1/token"), {bearer(expiring)}).status == 200);
    // Time passes: its last day is now behind us.
    auto aged = run_program({"sqlite3", s.db, "UPDATE tokens SET expires_on = '2020-01-31' WHERE id = 2"});
    REQUIRE(aged.exit_code == 0);
    auto r = get(server.url("/api/v1/token"), {bearer(expiring)});
    CHECK(r.status == 401);
    CHECK(r.json()["error"]["message"].get<std::string>().find("expired (its last day was 2020-01-31)") != std::string::npos);
    CHECK(create(server, expiring, "HOM/OL/2026/075").status == 401);
    CHECK(get(server.url("/api/v1/token"), {bearer(lasting)}).status == 200);
}

TEST_CASE("failed authentications are recorded and throttled per client address", "[server][auth][throttle]") {
    Served s;
    const auto good = s.token("editor", "Ana Editor");
    ServerProcess server(s.db);
    const std::string url = server.url("/api/v1/token");
    std::vector<int> statuses;
    std::string retry_after;
    for (int i = 0; i < 20; ++i) {
        auto r = curl_from("127.0.0.1", url, "ko_1_guess" + std::to_string(i));
        statuses.push_back(r.status);
        if (r.status == 429) retry_after = r.header("Retry-After");
    }
    CHECK(std::count(statuses.begin(), statuses.end(), 401) == 10);
    CHECK(std::count(statuses.begin(), statuses.end(), 429) == 10);
    CHECK(statuses.back() == 429);
    REQUIRE_FALSE(retry_after.empty());
    CHECK(std::stoi(retry_after) >= 1);
    CHECK(std::stoi(retry_after) <= 60);
    // The throttled address is refused even with a good token (a guess that succeeds tells nothing).
    CHECK(curl_from("127.0.0.1", url, good).status == 429);
    // Another client is not affected, and its success resets nobody's count.
    auto other = curl_from("127.0.0.2", url, good);
    INFO(other.body);
    CHECK(other.status == 200);
    CHECK(curl_from("127.0.0.1", url, good).status == 429);
    // Writes are throttled the same way.
    CHECK(curl("POST", server.url("/api/v1/directives"), {bearer(good)}, "{}").status == 429);

    auto failures = run_keepout(s.db, {"token", "failures", "--limit", "100", "--format", "json"});
    INFO(failures.err);
    REQUIRE(failures.exit_code == 0);
    auto rows = failures.json()["failures"];
    CHECK(rows.size() == 10);  // the refusals that were checked; the 429s were not
    for (auto& row : rows) {
        CHECK(row["remote"] == "127.0.0.1");
        CHECK(row["token_id"] == 1);
        CHECK(row["reason"] == "wrong-secret");
        CHECK(row["at"].is_string());
    }
}
