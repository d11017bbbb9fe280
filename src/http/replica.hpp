#pragma once
// A sector replica (keepout serve --replica-of URL): a read-only copy of the mission HQ's list,
// taken from its signed publications only. Each publication is fetched with its signature,
// verified with the mission key (given with --key, else pinned on first use) and only then loaded
// into the replica's own database, so the checks, the list, the publications and the page answer
// from it as on any keepout server. The HQ's change feed says when to look (a poll every few
// seconds is the fallback); when the HQ cannot be reached the last good publication keeps being
// served and every answer says since when.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace keepout::http {

class Service;

struct ReplicaOptions {
    std::string of;       // the HQ's base URL, http(s)://host[:port]
    std::string key_pem;  // the mission's public key; empty: pinned from the HQ on first use
    std::chrono::milliseconds poll{3000};
};

struct ReplicaStatus {
    std::string of;
    std::int64_t publication = 0;  // the one served, 0 before the first
    std::string verified_at;       // when it was verified (UTC)
    std::string hq_unreachable_since;  // empty while the HQ answers
    std::string last_refused;      // why the latest refused publication was refused, if any
    std::string key_fingerprint;   // the pinned key
};

class Replica {
public:
    Replica(Service& service, ReplicaOptions options);
    ~Replica();
    Replica(const Replica&) = delete;
    Replica& operator=(const Replica&) = delete;

    // Loads the last good publication the replica database holds, verified again (before the
    // server listens, so that a replica restarted while the HQ is down answers at once).
    void load_local();
    // Follows the HQ on threads of its own.
    void start();
    void stop();

    ReplicaStatus status() const;
    // {"of", "publication", "verified_at", "hq_unreachable_since", "last_refused"} as JSON text.
    std::string status_json() const;
    const std::string& of() const { return options_.of; }

private:
    void loop();
    void follow();
    void sync();
    void wake();
    Service& service_;
    ReplicaOptions options_;
    mutable std::mutex mutex_;
    ReplicaStatus status_;
    std::string pinned_pem_;
    std::atomic<bool> running_{false};
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    std::atomic<int> follow_fd_{-1};
    std::thread poller_, follower_;
};

}  // namespace keepout::http
