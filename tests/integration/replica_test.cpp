// A sector replica as a sector HQ runs it: `keepout serve --replica-of HQ` answers a listed name
// and a position from the HQ's signed publication, keeps answering with the HQ stopped and says
// since when, takes a new publication made while it was away once the HQ is back, refuses writes
// with a pointer to the HQ, and refuses a tampered publication while serving the last good one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>
#include <memory>
#include <fstream>
#include <map>
#include <sstream>

#include "integration/feed_clients.hpp"
#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void ok(const RunResult& r) {
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

struct Hq {
    std::string db, key, pub, out;
};

Hq make_hq(const TempDir& tmp) {
    Hq hq{tmp.file("hq.sqlite"), tmp.file("signing.pem"), tmp.file("signing.pub.pem"), tmp.file("published")};
    load_sample(hq.db);
    ok(run_keepout(hq.db, {"mission", "import", std::string(KEEPOUT_SOURCE_DIR) + "/data/kosovo/mission.json"}));
    ok(run_keepout(hq.db, {"key", "create", "--out", hq.key, "--public-out", hq.pub}));
    return hq;
}

json publish(const Hq& hq) {
    auto r = run_keepout(hq.db, {"publish", "--key", hq.key, "--out", hq.out, "--format", "json"});
    ok(r);
    return r.json();
}

// Polls `url` until `done` holds for its JSON answer (or a generous limit passes: no time is
// asserted, the limit only turns a hang into a failure).
json poll_until(const std::string& url, const std::function<bool(const json&)>& done, int seconds = 90) {
    json last;
    for (int i = 0; i < seconds * 10; ++i) {
        auto r = get(url);
        if (r.status == 200 || r.status == 404 || r.status == 503) {
            last = json::parse(r.body, nullptr, false);
            if (!last.is_discarded() && done(last)) return last;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return last;
}

std::int64_t served(const json& answer) {
    const json& p = answer["replica"]["publication"];
    return p.is_number() ? p.get<std::int64_t>() : 0;
}

std::string encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c)) out.push_back(char(c));
        else {
            char b[4];
            std::snprintf(b, sizeof b, "%%%02X", c);
            out += b;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("a replica serves the HQ's publication, through an outage, and catches up", "[server][replica]") {
    TempDir tmp;
    const Hq hq = make_hq(tmp);
    const json first = publish(hq);
    REQUIRE(first["number"] == 1);
    const json doc = json::parse(slurp(hq.out + "/publication-1.json"));
    REQUIRE_FALSE(doc["venues"].empty());

    const int hq_port = free_port();
    const std::string hq_url = "http://127.0.0.1:" + std::to_string(hq_port);
    auto hq_server = std::make_unique<ServerProcess>(hq.db, std::vector<std::string>{"--listen", "127.0.0.1:" + std::to_string(hq_port)});
    // A listed venue whose name alone names it (not one of several alike) at the HQ.
    std::string name;
    double lat = 0, lon = 0;
    for (const auto& v : doc["venues"]) {
        auto at_hq = get(hq_server->url("/api/v1/check?name=" + encode(v["name"])));
        if (at_hq.status == 200 && at_hq.json()["verdict"] == "off-limits") {
            name = v["name"];
            lat = v["position"]["lat"];
            lon = v["position"]["lon"];
            break;
        }
    }
    REQUIRE_FALSE(name.empty());
    const std::string replica_db = tmp.file("replica.sqlite");  // made by the replica itself
    ServerProcess replica(replica_db, {"--replica-of", hq_url, "--replica-poll", "0.5"});

    const json health = poll_until(replica.url("/healthz"), [](const json& j) { return served(j) == 1; });
    REQUIRE(served(health) == 1);
    CHECK(health["replica"]["of"] == hq_url);
    CHECK(health["replica"]["hq_unreachable_since"].is_null());
    CHECK(health["replica"]["verified_at"].is_string());

    // A listed name and its position are off-limits at the replica, from publication 1.
    auto by_name = get(replica.url("/api/v1/check?name=" + encode(name)));
    REQUIRE(by_name.status == 200);
    CHECK(by_name.json()["verdict"] == "off-limits");
    CHECK(served(by_name.json()) == 1);
    CHECK(by_name.header("X-Keepout-Replica-Of") == hq_url);
    auto by_position = get(replica.url("/api/v1/check?at=" + std::to_string(lat) + "," + std::to_string(lon)));
    REQUIRE(by_position.status == 200);
    CHECK(by_position.json()["verdict"] == "off-limits");
    auto none = get(replica.url("/api/v1/check?name=Nothing%20Such%20Place"));
    CHECK(none.json()["verdict"] == "not-listed");
    // The list is the publication's, venue for venue.
    auto list = get(replica.url("/api/v1/offlimits?limit=10000"));
    REQUIRE(list.status == 200);
    CHECK(list.json()["numberMatched"] == doc["venue_count"]);
    // The publication itself is served as the HQ signed it.
    auto copy = get(replica.url("/api/v1/publications/1"));
    REQUIRE(copy.status == 200);
    CHECK(copy.body == slurp(hq.out + "/publication-1.json"));
    CHECK(get(replica.url("/")).status == 200);
    // Writes go to the HQ.
    auto write = curl("POST", replica.url("/api/v1/directives"), {"Authorization: Bearer x"}, R"({"ref":"X/1"})");
    CHECK(write.status == 403);
    CHECK(write.json()["error"]["code"] == "read-only-replica");
    CHECK(write.json()["error"]["hq"].get<std::string>().rfind(hq_url, 0) == 0);

    // The HQ goes down: the replica keeps answering from publication 1 and says since when.
    REQUIRE(hq_server->stop() == 0);
    hq_server.reset();
    const json down =
        poll_until(replica.url("/healthz"), [](const json& j) { return j["replica"]["hq_unreachable_since"].is_string(); });
    CHECK(down["replica"]["hq_unreachable_since"].is_string());
    auto during = get(replica.url("/api/v1/check?name=" + encode(name)));
    REQUIRE(during.status == 200);
    CHECK(during.json()["verdict"] == "off-limits");
    CHECK(served(during.json()) == 1);
    CHECK(during.json()["replica"]["hq_unreachable_since"].is_string());

    // Meanwhile the HQ lists another venue and publishes; when it is back the replica takes it.
    issue_placing(hq.db, "HOM/OL/2026/020", "KV-026-0005");
    REQUIRE(publish(hq)["number"] == 2);
    const json doc2 = json::parse(slurp(hq.out + "/publication-2.json"));
    std::string added;
    for (const auto& v : doc2["venues"])
        if (v["external_id"] == "KV-026-0005") added = v["name"];
    REQUIRE_FALSE(added.empty());
    const std::string added_check = "/api/v1/check?name=" + encode(added);
    // The replica still answers from publication 1, where the venue is not listed.
    auto before = get(replica.url(added_check)).json();
    CHECK(served(before) == 1);
    bool listed_before = false;
    for (const auto& m : before["matches"]) listed_before = listed_before || m["external_id"] == "KV-026-0005";
    CHECK_FALSE(listed_before);
    hq_server = std::make_unique<ServerProcess>(hq.db, std::vector<std::string>{"--listen", "127.0.0.1:" + std::to_string(hq_port)});
    const json caught = poll_until(replica.url(added_check), [](const json& j) { return served(j) == 2; });
    CHECK(served(caught) == 2);
    CHECK(caught["replica"]["hq_unreachable_since"].is_null());
    // The same answer as the HQ's, venue for venue.
    const json at_hq = get(hq_server->url(added_check)).json();
    CHECK(caught["verdict"] == at_hq["verdict"]);
    CHECK(caught["matches"].size() == at_hq["matches"].size());
    bool listed_now = false;
    for (const auto& m : caught["matches"]) listed_now = listed_now || m["external_id"] == "KV-026-0005";
    CHECK(listed_now);

    SECTION("a publication made while the HQ runs reaches the replica through the change feed or the poll") {
        revoke(hq.db, "HOM/OL/2026/020");
        REQUIRE(publish(hq)["number"] == 3);
        const json third = poll_until(replica.url(added_check), [](const json& j) { return served(j) == 3; });
        CHECK(served(third) == 3);
        for (const auto& m : third["matches"]) CHECK(m["external_id"] != "KV-026-0005");
    }
    SECTION("a restarted replica answers from its own verified copy with the HQ down") {
        hq_server.reset();
        REQUIRE(replica.stop() == 0);
        ServerProcess again(replica_db, {"--replica-of", hq_url, "--replica-poll", "0.5"});
        auto answer = get(again.url(added_check));
        REQUIRE(answer.status == 200);
        CHECK(answer.json()["verdict"] == caught["verdict"]);
        CHECK(served(answer.json()) == 2);
    }
}

TEST_CASE("a replica refuses a tampered publication and keeps the last good one", "[server][replica][hostile]") {
    TempDir tmp;
    const Hq hq = make_hq(tmp);
    publish(hq);
    issue_placing(hq.db, "HOM/OL/2026/020", "KV-026-0005");
    publish(hq);
    // A fake HQ: publication 1 as signed, publication 2 with a venue's name changed after signing.
    std::map<std::string, std::string> files;
    files["/api/v1/publications/1"] = slurp(hq.out + "/publication-1.json");
    files["/api/v1/publications/1.sig"] = slurp(hq.out + "/publication-1.json.sig");
    std::string forged = slurp(hq.out + "/publication-2.json");
    const json doc2 = json::parse(forged);
    const std::string victim = doc2["venues"][0]["name"];
    forged.replace(forged.find(victim), victim.size(), std::string(victim.size(), 'X'));
    files["/api/v1/publications/2"] = forged;
    files["/api/v1/publications/2.sig"] = slurp(hq.out + "/publication-2.json.sig");
    const json fingerprint = json::parse(files["/api/v1/publications/1"])["key_fingerprint"];
    files["/api/v1/publications"] = json{{"publications", json::array()}, {"latest", 1}}.dump();
    std::atomic<int> latest{1};
    WebhookReceiver fake(0, {}, [&](const WebhookReceiver::Hit& h) {
        std::string path = h.target.substr(0, h.target.find('?'));
        std::string body;
        if (path == "/api/v1/publications")
            body = json{{"publications", json::array()}, {"latest", latest.load()}}.dump();
        else if (path == "/api/v1/publication-key.pem")
            body = slurp(hq.pub);
        else if (files.count(path))
            body = files[path];
        else
            return std::string("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    });
    const std::string fake_url = "http://127.0.0.1:" + std::to_string(fake.port());
    ServerProcess replica(tmp.file("replica.sqlite"), {"--replica-of", fake_url, "--key", hq.pub, "--replica-poll", "0.3"});
    const json one = poll_until(replica.url("/healthz"), [](const json& j) { return served(j) == 1; });
    REQUIRE(served(one) == 1);
    latest = 2;
    const json refused =
        poll_until(replica.url("/healthz"), [](const json& j) { return j["replica"]["last_refused"].is_string(); });
    REQUIRE(refused["replica"]["last_refused"].is_string());
    CHECK(refused["replica"]["last_refused"].get<std::string>().find("publication 2") != std::string::npos);
    CHECK(served(refused) == 1);
    // Still publication 1's list: the forged name is nowhere, the venue listed only in 2 is not listed.
    auto check = get(replica.url("/api/v1/check?name=" + encode(std::string(victim.size(), 'X'))));
    CHECK(check.json()["verdict"] != "off-limits");
    CHECK(served(check.json()) == 1);
    CHECK(get(replica.url("/api/v1/publications/2")).status == 404);
    (void)fingerprint;
}

TEST_CASE("a replica will not overwrite a mission's own database", "[cli][replica]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"serve", "--replica-of", "http://127.0.0.1:9", "--listen", "127.0.0.1:0"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("replica") != std::string::npos);
    CHECK(run_keepout(db, {"serve", "--replica-of", "ftp://x"}).exit_code != 0);
    CHECK(run_keepout(db, {"serve", "--key", "x.pem"}).exit_code != 0);
}

// A sector HQ reaches the mission HQ over the mission's WAN, where the HQ serves HTTPS. The
// replica checks the HQ's certificate with the machine's trusted ones (here a test CA given by
// SSL_CERT_FILE, as OpenSSL reads it) and follows it; an HQ it cannot verify is never served from.
TEST_CASE("a replica of an HQ over HTTPS checks its certificate, serves and catches up", "[server][replica][tls]") {
    TempDir tmp;
    const Hq hq = make_hq(tmp);
    REQUIRE(publish(hq)["number"] == 1);
    const std::string cert = tmp.file("hq-cert.pem"), key = tmp.file("hq-key.pem");
    auto made = run_program({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    ServerProcess hq_server(hq.db, {"--tls-cert", cert, "--tls-key", key});
    const std::string hq_url = "https://127.0.0.1:" + std::to_string(hq_server.port());

    SECTION("with the HQ's certificate trusted") {
        ServerProcess replica(tmp.file("replica.sqlite"), {"--replica-of", hq_url, "--replica-poll", "0.5"},
                              {"/usr/bin/env", "SSL_CERT_FILE=" + cert});
        const json health = poll_until(replica.url("/healthz"), [](const json& j) { return served(j) == 1; });
        REQUIRE(served(health) == 1);
        CHECK(health["replica"]["of"] == hq_url);
        // The HQ lists a venue and publishes: the replica takes publication 2 (by its poll).
        issue_placing(hq.db, "HOM/OL/2026/020", "KV-026-0005");
        REQUIRE(publish(hq)["number"] == 2);
        const json doc2 = json::parse(slurp(hq.out + "/publication-2.json"));
        std::string added;
        for (const auto& v : doc2["venues"])
            if (v["external_id"] == "KV-026-0005") added = v["name"];
        REQUIRE_FALSE(added.empty());
        const json caught =
            poll_until(replica.url("/api/v1/check?name=" + encode(added)), [](const json& j) { return served(j) == 2; });
        REQUIRE(served(caught) == 2);
        bool listed = false;
        for (const auto& m : caught["matches"]) listed = listed || m["external_id"] == "KV-026-0005";
        CHECK(listed);
        CHECK(get(replica.url("/api/v1/publications/2")).body == slurp(hq.out + "/publication-2.json"));
    }
    SECTION("with a certificate nobody vouches for") {
        // No SSL_CERT_FILE: the system's CAs do not know the HQ's self-signed certificate.
        ServerProcess replica(tmp.file("replica.sqlite"), {"--replica-of", hq_url, "--replica-poll", "0.3"},
                              {"/usr/bin/env", "-u", "SSL_CERT_FILE"});
        const json health = poll_until(replica.url("/healthz"), [](const json& j) {
            return j["replica"]["hq_unreachable_since"].is_string() || j["replica"]["last_refused"].is_string();
        });
        CHECK(served(health) == 0);
        CHECK(health["status"] == "waiting-for-publication");
        CHECK(get(replica.url("/healthz")).status == 503);
        // No verdict from a list the replica has not verified: a listed name is not "not listed".
        for (const char* q : {"/api/v1/check?name=Night%20Club%20Zana%20e%20Nat%C3%ABs", "/api/v1/check?at=42.6633,21.1651",
                              "/api/v1/offlimits", "/ogc/collections/offlimits-points/items", "/api/v1/offlimits.kmz"}) {
            INFO(q);
            auto answer = get(replica.url(q));
            CHECK(answer.status == 503);
            CHECK(answer.header("Retry-After") == "5");
            CHECK(answer.body.find("not-listed") == std::string::npos);
            if (answer.status == 503) CHECK(answer.json()["error"]["code"] == "replica-without-list");
        }
        CHECK(get(replica.url("/")).status == 200);
        CHECK(replica.output().find("certificate") != std::string::npos);
    }
}
