#pragma once
// The real `keepout serve` on a free loopback port, stopped with SIGTERM when the test ends, and
// curl as the client.
#include <catch2/catch.hpp>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

extern char** environ;

namespace keepout::test {

class ServerProcess {
public:
    // `wrapper`: a command that execs the server with the rest of the line (prlimit --nofile=64).
    explicit ServerProcess(const std::string& db, const std::vector<std::string>& extra = {},
                           const std::vector<std::string>& wrapper = {})
        : out_(tmp_.file("serve.out")) {
        std::vector<std::string> argv = wrapper;
        // A test that restarts a server on the same port gives its own --listen.
        const bool listen_given = std::find(extra.begin(), extra.end(), "--listen") != extra.end();
        argv.insert(argv.end(), {KEEPOUT_BINARY, "--db", db, "serve"});
        if (!listen_given) argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
        argv.insert(argv.end(), {"--access-log", tmp_.file("access.log")});
        argv.insert(argv.end(), extra.begin(), extra.end());
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        REQUIRE(posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        // Waits for the line that names the port (no time limit on the test: only on this wait,
        // which fails the test with the server's own words if it never comes up).
        const std::regex listening("on https?://127\\.0\\.0\\.1:([0-9]+)/");
        for (int i = 0; i < 600 && port_ == 0; ++i) {
            std::smatch m;
            const std::string text = output();
            if (std::regex_search(text, m, listening)) port_ = std::stoi(m[1]);
            else std::this_thread::sleep_for(std::chrono::milliseconds(50));
            int status = 0;
            if (port_ == 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = 0;
                FAIL("keepout serve exited: " << output());
            }
        }
        REQUIRE(port_ != 0);
    }
    ~ServerProcess() { stop(); }

    // SIGTERM, then waits; returns the exit status.
    int stop() {
        if (pid_ <= 0) return exit_code_;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_code_;
    }
    // SIGKILL: no grace, no cleanup, as a crash or the OOM killer would stop it.
    void kill_now() {
        if (pid_ <= 0) return;
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
        exit_code_ = 128 + SIGKILL;
    }
    pid_t pid() const { return pid_; }
    int port() const { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string output() const {
        std::ifstream in(out_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::string access_log() const {
        std::ifstream in(tmp_.file("access.log"));
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

private:
    TempDir tmp_;
    std::string out_;
    pid_t pid_ = 0;
    int port_ = 0;
    int exit_code_ = -1;
};

struct HttpResult {
    int status = 0;
    std::string headers;
    std::string body;
    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& name) const {
        std::istringstream in(headers);
        std::string line;
        std::string lower_name = name;
        for (auto& c : lower_name) c = char(std::tolower(c));
        while (std::getline(in, line)) {
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string key = line.substr(0, colon);
            for (auto& c : key) c = char(std::tolower(c));
            if (key == lower_name) {
                std::string v = line.substr(colon + 1);
                while (!v.empty() && (v.front() == ' ')) v.erase(0, 1);
                while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
                return v;
            }
        }
        return {};
    }
};

// curl, the real client: method, URL, extra headers, body.
inline HttpResult curl(const std::string& method, const std::string& url, const std::vector<std::string>& headers = {},
                       const std::string& body = "") {
    TempDir tmp;
    std::vector<std::string> argv{"curl", "-sS", "-g", "-X", method, "-D", tmp.file("headers"), "-o", tmp.file("body"),
                                  "-w", "%{http_code}", url};
    for (auto& h : headers) argv.insert(argv.end(), {"-H", h});
    if (!body.empty()) {
        std::ofstream(tmp.file("request")) << body;
        argv.insert(argv.end(), {"--data-binary", "@" + tmp.file("request"), "-H", "Content-Type: application/json"});
    }
    auto r = run_program(argv);
    HttpResult h;
    h.status = std::atoi(r.out.c_str());
    std::ifstream hs(tmp.file("headers")), bs(tmp.file("body"));
    std::stringstream a, b;
    a << hs.rdbuf();
    b << bs.rdbuf();
    h.headers = a.str();
    h.body = b.str();
    return h;
}

inline HttpResult get(const std::string& url, const std::vector<std::string>& headers = {}) {
    return curl("GET", url, headers);
}

}  // namespace keepout::test
