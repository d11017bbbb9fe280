// keepout serve killed with SIGKILL while it acknowledges writes: every write answered 2xx before
// the kill is in the database afterwards, the database is intact, and the audit chain verifies.
#include <atomic>
#include <mutex>
#include <thread>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

TEST_CASE("SIGKILL during acknowledged API writes, 20 times: no acknowledged write lost, database and audit chain intact",
          "[server][crash]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    auto t = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Crash Editor"});
    REQUIRE(t.exit_code == 0);
    const std::string auth = "Authorization: Bearer " + t.out.substr(0, t.out.find('\n'));

    struct Ack {
        std::string kind, key;  // "venue" and its id, or "directive" and its reference
        std::string name;
    };
    std::mutex mutex;
    std::vector<Ack> acked;
    std::size_t attempted = 0;
    std::vector<std::string> refused;  // Catch's macros are not for other threads: checked after

    constexpr int kRounds = 20;
    constexpr int kClients = 4;
    for (int round = 0; round < kRounds; ++round) {
        ServerProcess server(db);
        std::atomic<bool> dead{false};
        std::atomic<int> acked_this_round{0};
        std::atomic<int> running{kClients};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back([&, c] {
                struct Done {
                    std::atomic<int>& n;
                    ~Done() { --n; }
                } done{running};
                for (int k = 0; !dead; ++k) {
                    const std::string tag = std::to_string(round) + "-" + std::to_string(c) + "-" + std::to_string(k);
                    HttpResult r;
                    Ack a;
                    if ((c + k) % 2 == 0) {
                        a.kind = "venue";
                        // 33 m apart in k: "Crash Test Bar 0-0-1" and "…1-0-0" are alike names to the
                        // duplicate rule (word order does not count), which refuses them within 25 m.
                        a.name = "Crash Test Bar " + tag;
                        const json venue{{"type", "Feature"},
                                         {"geometry", {{"type", "Point"}, {"coordinates", {21.0 + c * 0.01, 42.5 + k * 3e-4}}}},
                                         {"properties", {{"name", a.name}, {"category", "bar"}, {"municipality", "Prishtinë"}}}};
                        r = curl("POST", server.url("/api/v1/venues"), {auth}, venue.dump());
                        if (r.status == 201) {
                            try {
                                a.key = std::to_string(json::parse(r.body).at("id").get<long long>());
                            } catch (const std::exception&) {
                                std::lock_guard lock(mutex);
                                refused.push_back("201 without an id: " + r.body);
                                return;
                            }
                        }
                    } else {
                        a.kind = "directive";
                        a.key = "TEST/KILL/" + tag;
                        a.name = "Crash test " + tag;
                        const json directive{{"ref", a.key}, {"title", a.name}, {"signed", "2026-11-01"}, {"effective", "2026-11-02"}};
                        r = curl("POST", server.url("/api/v1/directives"), {auth}, directive.dump());
                    }
                    std::lock_guard lock(mutex);
                    ++attempted;
                    if (r.status >= 200 && r.status < 300) {
                        acked.push_back(a);
                        ++acked_this_round;
                    } else if (r.status != 0) {
                        refused.push_back(std::to_string(r.status) + " " + r.body);
                        return;
                    } else {
                        return;  // no answer: the server is gone
                    }
                }
            });
        // Killed after a number of acknowledgements that varies by round, with every client in the
        // middle of a write.
        const int wait_for = 2 + (round * 7) % 11;
        while (acked_this_round < wait_for && running > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        server.kill_now();
        dead = true;
        for (auto& c : clients) c.join();
    }
    for (auto& r : refused) UNSCOPED_INFO("a write was refused: " << r);
    CHECK(refused.empty());
    INFO(acked.size() << " writes acknowledged of " << attempted << " attempted");
    REQUIRE(acked.size() >= std::size_t(kRounds * 2));

    {
        ServerProcess server(db);
        std::size_t missing = 0;
        for (const auto& a : acked) {
            const auto r = a.kind == "venue" ? get(server.url("/api/v1/venues/" + a.key))
                                             : get(server.url("/api/v1/directives/" + a.key));
            const bool found = r.status == 200 &&
                               (a.kind == "venue" ? r.json()["properties"]["name"] == a.name : r.json()["title"] == a.name);
            if (!found) {
                ++missing;
                UNSCOPED_INFO("acknowledged " << a.kind << " " << a.key << " (" << a.name << ") is missing: " << r.status);
            }
        }
        CHECK(missing == 0);
        CHECK(server.stop() == 0);
    }
    auto integrity = run_program({"sqlite3", db, "PRAGMA integrity_check;"});
    INFO(integrity.err);
    CHECK(integrity.exit_code == 0);
    CHECK(integrity.out == "ok\n");
    auto audit = run_keepout(db, {"audit", "verify"});
    INFO(audit.out << audit.err);
    CHECK(audit.exit_code == 0);
}
