// keepout serve at the descriptor limit: --max-connections is lowered to what ulimit -n allows, and
// running out of descriptors pauses accepting instead of spinning. The server must stay idle
// (not burn a core) while it cannot accept, and answer normally once the connections are gone.
#include <filesystem>
#include <fstream>
#include <thread>

#include "integration/raw_http.hpp"
#include "integration/server.hpp"

using namespace keepout::test;

namespace {

// User plus system CPU time of a process, in seconds (/proc/PID/stat, fields 14 and 15).
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    std::vector<std::string> v;
    while (fields >> f) v.push_back(f);
    REQUIRE(v.size() > 13);
    // After the command: field 3 is v[0], so utime (14) is v[11] and stime (15) is v[12].
    return double(std::stoll(v[11]) + std::stoll(v[12])) / double(sysconf(_SC_CLK_TCK));
}

// The share of one core the server used over a short idle window. A bound on CPU spent, not on
// time: an idle server spends next to nothing however loaded the machine is, while one spinning
// on accept took 30-45% of a core even on this busy shared machine (100% when it is quiet).
double idle_cpu_share(pid_t pid) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds(pid);
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double c1 = cpu_seconds(pid);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return (c1 - c0) / wall;
}

std::size_t open_descriptors(pid_t pid) {
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++n;
    return n;
}

void close_all(std::vector<int>& fds) {
    for (int fd : fds) ::close(fd);
    fds.clear();
}

}  // namespace

TEST_CASE("ulimit -n 64 with --max-connections 1000: lowered with a warning, no spinning with 100 connections open",
          "[server][limits]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db, {"--max-connections", "1000", "--read-timeout", "3600"}, {"/usr/bin/prlimit", "--nofile=64", "--"});
    CHECK(server.output().find("--max-connections 1000 is more than the descriptor limit allows (64 open files") !=
          std::string::npos);
    REQUIRE(raw_get(server.port(), "/healthz").status == 200);

    std::vector<int> clients;
    for (int i = 0; i < 100; ++i) {
        const int fd = connect_loopback(server.port());
        REQUIRE(fd >= 0);
        clients.push_back(fd);
    }
    // Those over the limit are answered 503 and closed; the rest wait for a request.
    const double share = idle_cpu_share(server.pid());
    INFO("the server used " << share * 100 << "% of a core while 100 connections were open");
    CHECK(share < 0.1);
    const RawAnswer busy = raw_get(server.port(), "/healthz");
    REQUIRE(busy.answered);  // 503 while full, never a dropped or hung connection
    CHECK((busy.status == 503 || busy.status == 200));
    close_all(clients);

    // Once they are gone, normal answers again (the closed ones are noticed as they are read).
    int status = 0;
    for (int i = 0; i < 200 && status != 200; ++i) {
        status = raw_get(server.port(), "/healthz").status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 200);
    CHECK(raw_get(server.port(), "/api/v1/offlimits?limit=1").status == 200);
    CHECK(server.stop() == 0);
}

TEST_CASE("out of descriptors while running: accepting pauses (no busy loop), open connections are served, then "
          "normal answers again",
          "[server][limits]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db, {"--read-timeout", "3600"});
    const std::string pid = std::to_string(server.pid());

    // A connection opened before the limit drops, with a request to come.
    const int early = connect_loopback(server.port());
    REQUIRE(early >= 0);
    REQUIRE(raw_get(server.port(), "/healthz").status == 200);

    // The soft limit lowered under the process's feet to just what it has open now: every
    // accept fails with EMFILE from here on (the connection limit counted at start is far away).
    const std::size_t open = open_descriptors(server.pid());
    REQUIRE(run_program({"prlimit", "--pid", pid, "--nofile=" + std::to_string(open) + ":"}).exit_code == 0);

    std::vector<int> clients;
    for (int i = 0; i < 100; ++i) {
        const int fd = connect_loopback(server.port());  // into the listen backlog
        REQUIRE(fd >= 0);
        clients.push_back(fd);
    }
    const double share = idle_cpu_share(server.pid());
    INFO("the server used " << share * 100 << "% of a core while it could not accept");
    CHECK(share < 0.1);
    CHECK(server.output().find("pausing accepts") != std::string::npos);
    // The open connection is still served while accepting is paused.
    const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(early, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()));
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(early, buf, sizeof buf, 0)) > 0;) answer.append(buf, std::size_t(n));
    ::close(early);
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);

    close_all(clients);
    REQUIRE(run_program({"prlimit", "--pid", pid, "--nofile=1024:"}).exit_code == 0);
    int status = 0;
    for (int i = 0; i < 200 && status != 200; ++i) {
        status = raw_get(server.port(), "/healthz").status;
        if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 200);
    CHECK(raw_get(server.port(), "/api/v1/offlimits?limit=1").status == 200);
    CHECK(server.output().find("accepting connections again") != std::string::npos);
    const std::string out = server.output();
    // Said once per burst, not once per failed accept.
    std::size_t said = 0;
    for (auto at = out.find("pausing accepts"); at != std::string::npos; at = out.find("pausing accepts", at + 1)) ++said;
    CHECK(said == 1);
    CHECK(server.stop() == 0);
}
