// Webhooks as a receiving system sees them: every change POSTed once delivered, signed with the
// shared secret (X-Keepout-Signature, checked here with openssl alone); a server killed between
// the change and the delivery delivers after its restart; a receiver answering 500 is tried again
// until it takes the change; a redirect is not followed.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "integration/feed_clients.hpp"
#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

const std::string kSecret = "correct horse battery staple";

std::string secret_file(const TempDir& tmp) {
    const std::string path = tmp.file("hook.secret");
    std::ofstream(path) << kSecret << "\n";
    return path;
}

json webhook_list(const std::string& db) {
    auto r = run_keepout(db, {"webhook", "list", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.json()["webhooks"];
}

// "sha256=<hex>" as openssl computes it over the body as received.
std::string openssl_signature(const TempDir& tmp, const std::string& body) {
    const std::string file = tmp.file("body.json");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << body;
    auto r = run_program({"openssl", "dgst", "-sha256", "-hmac", kSecret, "-r", file});
    REQUIRE(r.exit_code == 0);
    return "sha256=" + r.out.substr(0, r.out.find(' '));
}

}  // namespace

TEST_CASE("webhook add, list and remove, and URLs that are refused", "[cli][webhooks]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    const auto secret = secret_file(tmp);
    auto added = run_keepout(db, {"webhook", "add", "https://hooks.example.org/keepout", "--secret-file", secret});
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    for (const std::string bad : {"ftp://example.org/", "http://", "http://user:pw@example.org/", "http://a b/",
                                  "file:///etc/passwd", "http://example.org:99999/", "http://example.org/#x"}) {
        CAPTURE(bad);
        auto r = run_keepout(db, {"webhook", "add", bad, "--secret-file", secret});
        CHECK(r.exit_code != 0);
    }
    std::ofstream(tmp.file("short")) << "abc";
    CHECK(run_keepout(db, {"webhook", "add", "http://example.org/", "--secret-file", tmp.file("short")}).exit_code != 0);
    CHECK(run_keepout(db, {"webhook", "add", "http://example.org/", "--secret-file", tmp.file("missing")}).exit_code != 0);
    json hooks = webhook_list(db);
    REQUIRE(hooks.size() == 1);
    CHECK(hooks[0]["url"] == "https://hooks.example.org/keepout");
    // The secret is shown nowhere: not in the list, not in the audit log.
    auto list_text = run_keepout(db, {"webhook", "list"});
    CHECK(list_text.out.find(kSecret) == std::string::npos);
    auto audit = run_keepout(db, {"audit", "log", "--format", "json"});
    CHECK(audit.out.find("webhook.create") != std::string::npos);
    CHECK(audit.out.find(kSecret) == std::string::npos);
    const std::string id = std::to_string(hooks[0]["id"].get<int>());
    REQUIRE(run_keepout(db, {"webhook", "remove", id}).exit_code == 0);
    CHECK(run_keepout(db, {"webhook", "remove", id}).exit_code != 0);
    CHECK(run_keepout(db, {"webhook", "remove", "99"}).exit_code != 0);
    CHECK_FALSE(webhook_list(db)[0]["removed"].is_null());
    CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 0);
}

TEST_CASE("a receiver gets every change once, signed with the secret", "[server][webhooks]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    WebhookReceiver receiver;
    REQUIRE(run_keepout(db, {"webhook", "add", receiver.url(), "--secret-file", secret_file(tmp)}).exit_code == 0);
    ServerProcess server(db);
    issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
    revoke(db, "HOM/OL/2026/020");
    auto hits = receiver.wait_for([](const auto& h) { return h.size() >= 2; });
    REQUIRE(hits.size() == 2);
    std::set<std::string> events;
    for (const auto& h : hits) {
        CHECK(h.method == "POST");
        CHECK(h.target == "/hook");
        CHECK(h.header("Content-Type") == "application/json");
        CHECK(h.header("X-Keepout-Signature") == openssl_signature(tmp, h.body));
        const json body = json::parse(h.body);
        CHECK(std::to_string(body["id"].get<std::int64_t>()) == h.header("X-Keepout-Event"));
        events.insert(h.header("X-Keepout-Event"));
    }
    CHECK(events.size() == 2);
    CHECK(json::parse(hits[0].body)["directives"][0]["change"] == "issued");
    CHECK(json::parse(hits[1].body)["directives"][0]["change"] == "revoked");
    // A body changed on the way no longer matches its signature.
    std::string forged = hits[0].body;
    forged.replace(forged.find("KV-026-0005"), 11, "KV-026-0006");
    CHECK(hits[0].header("X-Keepout-Signature") != openssl_signature(tmp, forged));
    // Done once delivered: nothing pending, nothing sent twice.
    receiver.wait_for([](const auto&) { return false; }, std::chrono::seconds(2));
    CHECK(receiver.hits().size() == 2);
    json hooks = webhook_list(db);
    CHECK(hooks[0]["delivered"] == 2);
    CHECK(hooks[0]["pending"] == 0);
}

TEST_CASE("a delivery queued when the server is killed is made after its restart", "[server][webhooks][crash]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const int port = free_port();  // nothing listens there yet: every attempt fails
    REQUIRE(run_keepout(db, {"webhook", "add", "http://127.0.0.1:" + std::to_string(port) + "/hook", "--secret-file",
                             secret_file(tmp)})
                .exit_code == 0);
    {
        ServerProcess server(db);
        issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
        // The change is queued in the same transaction as the change itself.
        json hooks = webhook_list(db);
        CHECK(hooks[0]["pending"] == 1);
        server.kill_now();
    }
    CHECK(webhook_list(db)[0]["delivered"] == 0);
    WebhookReceiver receiver(port);
    ServerProcess server(db);
    auto hits = receiver.wait_for([](const auto& h) { return !h.empty(); });
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].header("X-Keepout-Signature") == openssl_signature(tmp, hits[0].body));
    CHECK(json::parse(hits[0].body)["directives"][0]["ref"] == "HOM/OL/2026/020");
    json hooks;
    for (int i = 0; i < 200; ++i) {
        hooks = webhook_list(db);
        if (hooks[0]["delivered"] == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(hooks[0]["delivered"] == 1);
    CHECK(hooks[0]["pending"] == 0);
}

TEST_CASE("a receiver answering 500 gets the change again until it takes it", "[server][webhooks]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    WebhookReceiver receiver(0, [](std::size_t n) {
        return n < 2 ? std::string("500 Internal Server Error\r\n") : std::string("204 No Content\r\n");
    });
    REQUIRE(run_keepout(db, {"webhook", "add", receiver.url(), "--secret-file", secret_file(tmp)}).exit_code == 0);
    ServerProcess server(db);
    issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
    auto hits = receiver.wait_for([](const auto& h) { return h.size() >= 3; });
    REQUIRE(hits.size() == 3);
    for (const auto& h : hits) {
        CHECK(h.body == hits[0].body);  // the same change each time, signed alike
        CHECK(h.header("X-Keepout-Event") == hits[0].header("X-Keepout-Event"));
        CHECK(h.header("X-Keepout-Signature") == openssl_signature(tmp, h.body));
    }
    json hooks;
    for (int i = 0; i < 200; ++i) {
        hooks = webhook_list(db);
        if (hooks[0]["delivered"] == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(hooks[0]["delivered"] == 1);
    receiver.wait_for([](const auto&) { return false; }, std::chrono::seconds(2));
    CHECK(receiver.hits().size() == 3);
}

TEST_CASE("a webhook's redirect is not followed, and counts as a failed attempt", "[server][webhooks][ssrf]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db);
    WebhookReceiver receiver(0, [&](std::size_t) {
        return "302 Found\r\nLocation: " + server.url("/api/v1/directives") + "\r\n";
    });
    REQUIRE(run_keepout(db, {"webhook", "add", receiver.url(), "--secret-file", secret_file(tmp)}).exit_code == 0);
    issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
    auto hits = receiver.wait_for([](const auto& h) { return h.size() >= 2; });
    REQUIRE(hits.size() >= 2);  // tried again: a redirect is not a delivery
    for (const auto& h : hits) CHECK(h.target == "/hook");
    json hooks = webhook_list(db);
    CHECK(hooks[0]["delivered"] == 0);
    CHECK(hooks[0]["last_error"].get<std::string>().find("302") != std::string::npos);
    // The server was never asked for the redirect's target by its own sender.
    CHECK(server.access_log().find("/api/v1/directives") == std::string::npos);
}
