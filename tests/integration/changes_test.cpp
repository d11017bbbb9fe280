// The change feed as its clients see it: GET /api/v1/changes over a socket, as an EventSource or
// `curl -N` reads it. Two changes arrive as two events saying what changed; a client that comes
// back after a restart with Last-Event-ID gets every event after it once, in order; 200 stream
// attempts at once do not stop a check from answering; SIGTERM ends the streams cleanly.
#include <catch2/catch.hpp>

#include <memory>
#include <set>

#include "integration/feed_clients.hpp"
#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

bool has_venue(const json& list, const std::string& external_id) {
    for (const auto& v : list)
        if (v.value("external_id", "") == external_id) return true;
    return false;
}

}  // namespace

TEST_CASE("an SSE client sees the events of two changes, each saying what changed", "[server][changes]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db, {"--heartbeat", "0.3"});
    SseClient client(server.port());
    REQUIRE(client.status() == 200);
    CHECK(client.head().find("Content-Type: text/event-stream") != std::string::npos);
    CHECK(client.head().find("Cache-Control: no-cache") != std::string::npos);

    issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
    revoke(db, "HOM/OL/2026/020");
    const auto events = client.wait_for_events(2);
    REQUIRE(events.size() == 2);
    // The stream starts with the advice on reconnecting, then only the changes made since.
    bool retry = false;
    for (const auto& f : client.fields()) retry = retry || f.rfind("retry: ", 0) == 0;
    CHECK(retry);

    const json issued = events[0].json(), revoked = events[1].json();
    CHECK(std::stoll(events[1].id) > std::stoll(events[0].id));
    CHECK(issued["id"].get<std::int64_t>() == std::stoll(events[0].id));
    CHECK(issued["kind"] == "list");
    CHECK(revoked["list_version"].get<std::int64_t>() > issued["list_version"].get<std::int64_t>());
    REQUIRE(issued["directives"].size() == 1);
    CHECK(issued["directives"][0]["ref"] == "HOM/OL/2026/020");
    CHECK(issued["directives"][0]["change"] == "issued");
    CHECK(has_venue(issued["venues"]["placed"], "KV-026-0005"));
    CHECK(issued["venues"]["lifted"].empty());
    REQUIRE(revoked["directives"].size() == 1);
    CHECK(revoked["directives"][0]["change"] == "revoked");
    CHECK(has_venue(revoked["venues"]["lifted"], "KV-026-0005"));
    // Drafting, placing in a draft and submitting changed nothing a reader of the list sees.
    CHECK(events.size() == 2);

    // The list version the event names is the one the server answers with once it has taken the
    // command line's write (it looks every second).
    json answer;
    for (int i = 0; i < 600; ++i) {
        answer = get(server.url("/api/v1/check?name=Nothing%20Such%20Place")).json();
        if (answer["list_version"] == revoked["list_version"]) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(answer["list_version"] == revoked["list_version"]);

    // A quiet stream carries heartbeat comments (every 0.3 s here, 15 s by default).
    client.read_until([&] { return client.comments().size() >= 3; });
    CHECK(client.comments().size() >= 3);
    CHECK_FALSE(client.closed());

    SECTION("a bad Last-Event-ID is a 400, not a stream from somewhere") {
        SseClient bad(server.port(), "/api/v1/changes", "Last-Event-ID: yesterday\r\n");
        CHECK(bad.status() == 400);
        SseClient bad_query(server.port(), "/api/v1/changes?last_event_id=-4");
        CHECK(bad_query.status() == 400);
        CHECK(curl("POST", server.url("/api/v1/changes")).status == 405);
    }
    SECTION("SIGTERM ends an open stream cleanly and the server exits 0") {
        CHECK(server.stop() == 0);
        client.read_until([&] { return client.closed(); });
        CHECK(client.closed());
        // The stream ended after a whole event or comment, never inside one.
        CHECK(client.body().size() >= 2);
        CHECK(client.body().substr(client.body().size() - 2) == "\n\n");
    }
}

TEST_CASE("after a server restart a client resumes with Last-Event-ID and misses nothing", "[server][changes]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    std::string first_id;
    {
        ServerProcess server(db);
        SseClient client(server.port());
        REQUIRE(client.status() == 200);
        issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
        const auto events = client.wait_for_events(1);
        REQUIRE(events.size() == 1);
        first_id = events[0].id;
        REQUIRE(server.stop() == 0);
    }
    // While the server is down the list changes twice (from the command line), and once more
    // with a publication.
    revoke(db, "HOM/OL/2026/020");
    issue_placing(db, "HOM/OL/2026/021", "KV-026-0006");
    REQUIRE(run_keepout(db, {"mission", "import", std::string(KEEPOUT_SOURCE_DIR) + "/data/kosovo/mission.json"})
                .exit_code == 0);
    const std::string key = tmp.file("signing.pem"), pub = tmp.file("signing.pub.pem");
    REQUIRE(run_keepout(db, {"key", "create", "--out", key, "--public-out", pub}).exit_code == 0);
    REQUIRE(run_keepout(db, {"publish", "--key", key, "--out", tmp.file("pub"), "--as-of", "2026-10-01"}).exit_code == 0);

    ServerProcess server(db);
    auto check = [&](SseClient& client) {
        REQUIRE(client.status() == 200);
        const auto events = client.wait_for_events(3);
        REQUIRE(events.size() == 3);
        // Nothing more than the three (no repeat of the first), in order.
        client.read_until([] { return false; }, std::chrono::seconds(1));
        CHECK(client.events().size() == 3);
        std::set<std::string> ids;
        std::int64_t previous = std::stoll(first_id);
        for (const auto& e : events) {
            CHECK(std::stoll(e.id) > previous);
            previous = std::stoll(e.id);
            ids.insert(e.id);
        }
        CHECK(ids.size() == 3);
        CHECK(ids.count(first_id) == 0);
        CHECK(events[0].json()["directives"][0]["change"] == "revoked");
        CHECK(has_venue(events[0].json()["venues"]["lifted"], "KV-026-0005"));
        CHECK(events[1].json()["directives"][0]["ref"] == "HOM/OL/2026/021");
        CHECK(has_venue(events[1].json()["venues"]["placed"], "KV-026-0006"));
        const json publication = events[2].json();
        CHECK(publication["kind"] == "publication");
        CHECK(publication["publication"]["number"] == 1);
        CHECK(publication["publication"]["links"]["document"] == "/api/v1/publications/1");
    };
    SECTION("with the Last-Event-ID header, as EventSource sends it") {
        SseClient client(server.port(), "/api/v1/changes", "Last-Event-ID: " + first_id + "\r\n");
        check(client);
    }
    SECTION("with ?last_event_id= for clients that cannot set headers") {
        SseClient client(server.port(), "/api/v1/changes?last_event_id=" + first_id);
        check(client);
    }
    SECTION("from 0: every change the feed has recorded, the import of the sample first") {
        SseClient client(server.port(), "/api/v1/changes", "Last-Event-ID: 0\r\n");
        client.read_until([&] {
            return !client.events().empty() && client.events().back().json()["kind"] == "publication";
        });
        const auto& events = client.events();
        REQUIRE(events.size() >= 5);
        for (std::size_t i = 0; i < events.size(); ++i) CHECK(std::stoll(events[i].id) == std::int64_t(i + 1));
        REQUIRE(events.front().json().contains("imports"));
        CHECK(events.front().json()["imports"][0]["action"] == "venue.import");
        CHECK(events.back().json()["kind"] == "publication");
    }
}

TEST_CASE("200 stream attempts at once do not stop a check from answering", "[server][changes][limits]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db, {"--max-streams", "50"});
    std::vector<std::unique_ptr<SseClient>> clients;
    for (int i = 0; i < 200; ++i) clients.push_back(std::make_unique<SseClient>(server.port()));
    int streaming = 0, refused = 0;
    for (auto& c : clients) {
        const int status = c->status();
        if (status == 200) ++streaming;
        else if (status == 503) {
            ++refused;
            CHECK(c->head().find("Retry-After:") != std::string::npos);
        }
    }
    CHECK(streaming == 50);
    CHECK(refused == 150);
    // With the streams held open, a check by name still answers.
    auto check = get(server.url("/api/v1/check?name=Nothing%20Such%20Place"));
    CHECK(check.status == 200);
    CHECK(check.json()["verdict"] == "not-listed");
    // A change reaches every open stream.
    issue_placing(db, "HOM/OL/2026/020", "KV-026-0005");
    int told = 0;
    for (auto& c : clients)
        if (c->status() == 200 && c->wait_for_events(1).size() == 1) ++told;
    CHECK(told == 50);
    // Closed streams free their places.
    clients.clear();
    std::unique_ptr<SseClient> later;
    for (int i = 0; i < 100; ++i) {
        later = std::make_unique<SseClient>(server.port());
        if (later->status() == 200) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(later->status() == 200);
    CHECK(server.stop() == 0);
}
