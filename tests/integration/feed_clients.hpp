#pragma once
// Clients and receivers for the change feed tests: a Server-Sent Events reader over a plain
// socket (it sends Last-Event-ID as a client would, and reads the stream as it comes), and a
// webhook receiver on loopback that records every POST and answers what the test tells it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <poll.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/raw_http.hpp"
#include "integration/run.hpp"

namespace keepout::test {

struct SseEvent {
    std::string id;
    std::string data;
    nlohmann::json json() const { return nlohmann::json::parse(data); }
};

class SseClient {
public:
    // Opens GET `target` with the extra header lines (each ending in \r\n).
    SseClient(int port, const std::string& target = "/api/v1/changes", const std::string& headers = "") {
        fd_ = connect_loopback(port);
        REQUIRE(fd_ >= 0);
        const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                                headers + "\r\n";
        REQUIRE(::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size()));
    }
    ~SseClient() { close(); }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    // Reads until `done` says so, the server closes, or `limit` passes (a limit only so that a
    // broken server fails the test instead of hanging it; the tests never assert a time).
    void read_until(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(60)) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (!done() && !closed_ && std::chrono::steady_clock::now() < until) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            char buf[65536];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            raw_.append(buf, std::size_t(n));
            if (head_done_) body_.append(buf, std::size_t(n));
            parse();
        }
    }
    std::vector<SseEvent> wait_for_events(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60)) {
        read_until([&] { return events_.size() >= n; }, limit);
        return events_;
    }
    int status() {
        read_until([&] { return head_done_; });
        return status_;
    }
    const std::string& head() const { return head_; }
    const std::vector<SseEvent>& events() const { return events_; }
    const std::vector<std::string>& comments() const { return comments_; }
    const std::vector<std::string>& fields() const { return fields_; }  // retry: and other fields
    bool closed() const { return closed_; }
    const std::string& body() const { return body_; }

private:
    void parse() {
        if (!head_done_) {
            const auto end = raw_.find("\r\n\r\n");
            if (end == std::string::npos) return;
            head_ = raw_.substr(0, end);
            status_ = head_.size() > 12 ? std::atoi(head_.c_str() + 9) : 0;
            raw_.erase(0, end + 4);
            head_done_ = true;
            body_ = raw_;
        }
        for (;;) {
            const auto end = raw_.find("\n\n");
            if (end == std::string::npos) break;
            const std::string block = raw_.substr(0, end);
            raw_.erase(0, end + 2);
            SseEvent e;
            bool data = false;
            std::size_t i = 0;
            while (i <= block.size()) {
                auto j = block.find('\n', i);
                if (j == std::string::npos) j = block.size();
                const std::string line = block.substr(i, j - i);
                i = j + 1;
                if (line.empty()) continue;
                if (line[0] == ':') comments_.push_back(line);
                else if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
                else if (line.rfind("data: ", 0) == 0) {
                    e.data += line.substr(6);
                    data = true;
                } else
                    fields_.push_back(line);
            }
            if (data) events_.push_back(e);
        }
        if (status_ != 200) raw_.clear();
    }
    int fd_ = -1;
    std::string raw_, head_, body_;
    bool head_done_ = false, closed_ = false;
    int status_ = 0;
    std::vector<SseEvent> events_;
    std::vector<std::string> comments_, fields_;
};

// A port on loopback that nothing listens on (bound, then released).
inline int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

class WebhookReceiver {
public:
    struct Hit {
        std::string method, target, head, body;
        std::string header(const std::string& name) const {
            std::string lower_head = head, lower_name = name + ":";
            for (auto& c : lower_head) c = char(std::tolower(c));
            for (auto& c : lower_name) c = char(std::tolower(c));
            const auto at = lower_head.find("\r\n" + lower_name);
            if (at == std::string::npos) return {};
            auto start = at + 2 + lower_name.size();
            const auto end = head.find("\r\n", start);
            std::string v = head.substr(start, end - start);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            return v;
        }
    };
    // `answer(n)`: the status of the n-th request (0-based) with any extra header lines.
    explicit WebhookReceiver(int port = 0, std::function<std::string(std::size_t)> answer = {},
                             std::function<std::string(const Hit&)> respond = {})
        : answer_(std::move(answer)), respond_(std::move(respond)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        const int yes = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(std::uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd_, 64) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { loop(); });
    }
    ~WebhookReceiver() {
        running_ = false;
        thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }
    std::string url(const std::string& path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::vector<Hit> hits() {
        std::lock_guard lock(mutex_);
        return hits_;
    }
    std::vector<Hit> wait_for(const std::function<bool(const std::vector<Hit>&)>& done,
                              std::chrono::seconds limit = std::chrono::seconds(90)) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (done(hits())) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return hits();
    }

private:
    void loop() {
        while (running_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            timeval tv{10, 0};
            ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            std::string all;
            char buf[8192];
            std::size_t want = std::string::npos;
            while (want == std::string::npos || all.size() < want) {
                const ssize_t n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                all.append(buf, std::size_t(n));
                const auto end = all.find("\r\n\r\n");
                if (end != std::string::npos && want == std::string::npos) {
                    Hit h;
                    h.head = all.substr(0, end);
                    const std::string length = h.header("Content-Length");
                    want = end + 4 + std::size_t(length.empty() ? 0 : std::stoul(length));
                }
            }
            Hit h;
            const auto end = all.find("\r\n\r\n");
            h.head = all.substr(0, end);
            if (end != std::string::npos) h.body = all.substr(end + 4);
            h.method = h.head.substr(0, h.head.find(' '));
            const auto t = h.head.find(' ') + 1;
            h.target = h.head.substr(t, h.head.find(' ', t) - t);
            std::size_t n = 0;
            {
                std::lock_guard lock(mutex_);
                n = hits_.size();
                hits_.push_back(h);
            }
            const std::string answer = answer_ ? answer_(n) : "200 OK\r\n";
            const std::string res = respond_ ? respond_(h)
                                             : "HTTP/1.1 " + answer + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            ::send(c, res.data(), res.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }
    std::function<std::string(std::size_t)> answer_;
    std::function<std::string(const Hit&)> respond_;  // a whole answer, for a fake server
    int fd_ = -1, port_ = 0;
    std::atomic<bool> running_{true};
    std::mutex mutex_;
    std::vector<Hit> hits_;
    std::thread thread_;
};

// A directive that places `venue`, drafted by the tester and issued by another person: one list
// change. Returns nothing; REQUIREs each step.
inline void issue_placing(const std::string& db, const std::string& ref, const std::string& venue) {
    for (auto args : std::vector<std::vector<std::string>>{
             {"directive", "create", ref, "--title", "Amendment", "--signed", "2026-08-01", "--effective", "2026-08-03"},
             {"directive", "place", ref, venue, "--reason", "trafficking"},
             {"directive", "submit", ref}}) {
        auto r = run_keepout(db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    auto r = run_keepout(db, {"directive", "issue", ref}, "approver");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

inline void revoke(const std::string& db, const std::string& ref) {
    auto r = run_keepout(db, {"directive", "revoke", ref, "--date", "2026-09-01"}, "approver");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

}  // namespace keepout::test
