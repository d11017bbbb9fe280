// What the server answers when things go wrong, as a client sees it: a database another process
// holds locked, input that is not UTF-8, a position that cannot be read. Every 5xx body is free
// of SQL, paths and library messages.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

std::string editor_token(const std::string& db) {
    auto r = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Editor Ana"});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
}

// Another process holding the database's write lock (BEGIN IMMEDIATE) until it is stopped, as a
// long import from the command line would. Python's sqlite3 module is the other process.
class WriteLockHolder {
public:
    WriteLockHolder(const std::string& db, const std::string& ready_file) {
        const std::string script = "import sqlite3, sys, time\n"
                                   "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\n"
                                   "c.execute('BEGIN IMMEDIATE')\n"
                                   "c.execute(\"UPDATE meta SET value = value WHERE key = 'list_version'\")\n"
                                   "open(sys.argv[2], 'w').write('locked')\n"
                                   "time.sleep(600)\n";
        std::vector<std::string> argv{"python3", "-c", script, db, ready_file};
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        REQUIRE(posix_spawnp(&pid_, "python3", nullptr, nullptr, args.data(), environ) == 0);
        for (int i = 0; i < 400 && !std::ifstream(ready_file); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        REQUIRE(std::ifstream(ready_file).good());
    }
    ~WriteLockHolder() {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }

private:
    pid_t pid_ = 0;
};

bool free_of_internal_text(const std::string& body) {
    for (const char* word : {"SQL", "sqlite", "SELECT", "INSERT", "BEGIN", "/tmp", ".sqlite", "GDAL", "GEOS", "what()"})
        if (body.find(word) != std::string::npos) return false;
    return true;
}

}  // namespace

TEST_CASE("a database locked by another writer: writes answer 503 busy with Retry-After, reads do not wait",
          "[server][errors]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string token = editor_token(db);
    ServerProcess server(db, {"--write-timeout", "0.5"});
    const std::string draft = R"({"ref":"HOM/OL/2026/070","title":"Amendment","signed":"2026-11-01","effective":"2026-11-02"})";
    {
        WriteLockHolder lock(db, tmp.file("locked"));
        auto w = curl("POST", server.url("/api/v1/directives"), {"Authorization: Bearer " + token}, draft);
        INFO(w.body);
        CHECK(w.status == 503);
        CHECK(w.json()["error"]["code"] == "busy");
        CHECK(!w.header("Retry-After").empty());
        CHECK(free_of_internal_text(w.body));
        // Reads go on beside the writer: the store's history and the directives, today's check.
        CHECK(get(server.url("/api/v1/directives")).status == 200);
        CHECK(get(server.url("/api/v1/venues/1")).status == 200);
        CHECK(get(server.url("/api/v1/check?at=42.6633,21.1651")).status == 200);
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-03-01")).status == 200);
    }
    // Once the lock is gone the same write goes through.
    auto w = curl("POST", server.url("/api/v1/directives"), {"Authorization: Bearer " + token}, draft);
    INFO(w.body);
    CHECK(w.status == 201);
    CHECK(get(server.url("/healthz")).status == 200);
}

TEST_CASE("input that is not UTF-8, or not a position, gets a 4xx that says so and the server goes on",
          "[server][errors]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db);
    struct Case {
        const char* target;
        int status;
        const char* code;
    };
    for (const Case& c : std::vector<Case>{
             {"/api/v1/offlimits?limit=%ff", 400, "bad-encoding"},
             {"/api/v1/offlimits?%ff=1", 400, "bad-encoding"},
             {"/api/v1/directives/%ff", 400, "bad-encoding"},
             {"/static/%ff", 400, "bad-encoding"},
             {"/api/v1/check?at=%E3%83%BC42.66,21.16", 400, "bad-coordinate"},
             {"/api/v1/check?at=3%602%3A9%3A2%3A2%2C2", 400, "bad-coordinate"},
             {"/api/v1/check?at=4N%20500%200700%2067%203.%202%201", 400, "bad-coordinate"},
             {"/api/v1/check?q=4N%20500%200700%2067%203.%202%201", 400, "bad-coordinate"},
             {"/api/v1/check?q=3%602%3A9%3A2%3A2%2C2", 400, "bad-coordinate"},
             {"/api/v1/check?name=%c0%af", 400, "bad-encoding"},
             {"/api/v1/check?at=42.66,21.16%00", 400, "bad-encoding"},
         }) {
        CAPTURE(c.target);
        auto r = get(server.url(c.target));
        INFO(r.body);
        CHECK(r.status == c.status);
        CHECK(r.json()["error"]["code"] == c.code);
        CHECK(get(server.url("/healthz")).status == 200);
    }
    // A refused position says what keepout reads, with examples, and is never searched as a name.
    auto r = get(server.url("/api/v1/check?q=4N%20500%200700%2067%203.%202%201"));
    CHECK(r.json()["error"]["examples"].size() >= 3);
}

TEST_CASE("check?q= reads positions as positions and names as names", "[server][check]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db);
    // Decimal commas and an MGRS reference without its zone (the sites' zone, 34T, is taken)
    // find the listed club at 42.6633, 21.1651 instead of a name search answering "not listed".
    for (const char* q : {"42.6633,21.1651", "42%2C6633%2C%2021%2C1651", "EN%2013528%2023436", "34TEN1352823436"}) {
        CAPTURE(q);
        auto r = get(server.url(std::string("/api/v1/check?q=") + q));
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(r.json()["verdict"] == "off-limits");
        CHECK(r.json()["matches"][0]["external_id"] == "KV-026-0002");
    }
    auto n = get(server.url("/api/v1/check?q=Zana%20e%20Nat%C3%ABs"));
    REQUIRE(n.status == 200);
    CHECK(n.json()["matches"][0]["external_id"] == "KV-026-0002");
}

TEST_CASE("a position with latitude and longitude swapped is ambiguous, with the swapped reading to check",
          "[server][check]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db);
    auto r = get(server.url("/api/v1/check?q=21.1651%2C%2042.6633"));
    INFO(r.body);
    REQUIRE(r.status == 200);
    const json doc = r.json();
    CHECK(doc["verdict"] == "ambiguous");
    REQUIRE(doc["warnings"].size() == 1);
    CHECK(doc["warnings"][0]["code"] == "possible-swap");
    const std::string alternative = doc["warnings"][0]["alternative"]["at"];
    // The alternative is the listed club.
    auto again = get(server.url("/api/v1/check?at=" + alternative));
    REQUIRE(again.status == 200);
    CHECK(again.json()["verdict"] == "off-limits");
    CHECK(again.json()["matches"][0]["external_id"] == "KV-026-0002");
    // Far from the data, and no better reading: a warning, the verdict of the point as typed.
    auto far = get(server.url("/api/v1/check?at=-33.9,18.4")).json();
    CHECK(far["verdict"] == "not-listed");
    CHECK(far["warnings"][0]["code"] == "outside-data-area");
    // Decimal commas are said to be read as such.
    auto commas = get(server.url("/api/v1/check?q=42%2C6633%2C%2021%2C1651")).json();
    CHECK(commas["warnings"][0]["code"] == "decimal-comma");
}

TEST_CASE("check --at in the CLI reads decimal commas, MGRS without its zone and flags a swap",
          "[check][cli]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    for (const char* at : {"42,6633, 21,1651", "EN 13528 23436"}) {
        CAPTURE(at);
        auto r = run_keepout(db, {"check", "--at", at, "--format", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(json::parse(r.out)["verdict"] == "off-limits");
    }
    auto swapped = run_keepout(db, {"check", "--at", "21.1651, 42.6633"});
    REQUIRE(swapped.exit_code == 0);
    CHECK(swapped.out.find("AMBIGUOUS") != std::string::npos);
    CHECK(swapped.out.find("42.663300,21.165100") != std::string::npos);
    auto bad = run_keepout(db, {"check", "--at", "4N 500 0700 67 3. 2 1"});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("invalid coordinate") != std::string::npos);
}
