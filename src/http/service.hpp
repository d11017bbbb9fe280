#pragma once
// The keepout HTTP service without the transport: snapshots, routing and handlers. server.cpp
// feeds it requests from Beast; tests can call handle() directly.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "analysis/snapshot.hpp"
#include "http/auth.hpp"
#include "http/metrics.hpp"
#include "http/types.hpp"
#include "model/date.hpp"

namespace keepout::store {
class Store;
}

namespace keepout::http {

struct ServiceCaches;  // http/caches.hpp: styles, backdrops and tiles kept between requests
class ChangeFeed;     // http/changes.hpp: the change feed and the webhooks' sender
class WebhookSender;
class Replica;  // http/replica.hpp: serve --replica-of

struct ServiceOptions {
    std::string db_path;
    std::string web_root;       // static files for the web page (issue: web); empty: none
    std::string style_path;     // map style for /map.* and /tiles (empty: the mission's, render::default_style)
    std::string styles_dir;     // where style=NAME is looked up (NAME.json); empty: no named styles
    // The private key POST /api/v1/publications signs with (empty: publishing over HTTP is off),
    // and the page the pocket card's QR code opens (empty: this server's own, from the request).
    std::string publication_key_path;
    std::string check_url;
    std::chrono::milliseconds watch_interval{1000};  // how often the list version is polled
    // How long a write waits for the database (another writer, the command line) before it is
    // answered 503 busy with Retry-After. Reads never wait for writers.
    std::chrono::milliseconds write_timeout{5000};
    // The change feed looks for new changes this often; webhooks are retried after this, doubled
    // after each failure.
    std::chrono::milliseconds changes_poll{250};
    std::chrono::milliseconds webhook_first_retry{1000};
    // A sector replica of this HQ URL (http/replica.hpp): read-only, from its signed publications,
    // verified with this public key (PEM; empty: the HQ's, pinned on first use).
    std::string replica_of;
    std::string replica_key_pem;
    std::chrono::milliseconds replica_poll{3000};
};

class Service {
public:
    explicit Service(ServiceOptions options);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Never throws: every failure becomes a JSON error response (http/errors.hpp holds the table);
    // one the table does not know is a 500 with a request id, its detail in the server's log.
    Response handle(const Request& request) noexcept;

    // True for the requests answered from memory in microseconds (health, metrics, today's point
    // and name checks and list, the web page's files); the server runs the others (maps, tiles,
    // writes, history, other dates) off its event loops. Needs the parsed path and query.
    static bool answers_from_memory(const Request& request);

    // The snapshot for a date (today when empty). Today's is swapped in atomically when the list
    // version or the date changes; other dates are built on demand and cached per version.
    std::shared_ptr<const analysis::Snapshot> snapshot(std::optional<model::Date> as_of = std::nullopt);

    // The mission's IANA time zone ("UTC" before a profile is imported): the zone in which an
    // instant given for as_of is read as a date.
    std::string time_zone() { return today_.load()->time_zone(); }

    // Starts/stops the thread that notices writes made by other processes (the CLI) and midnight.
    void start_watching();
    void stop_watching();

    Metrics& metrics() { return metrics_; }
    AuthThrottle& auth_throttle() { return auth_throttle_; }
    const ServiceOptions& options() const { return options_; }
    // Each cache locks itself (http/caches.hpp); this service's own, shared with no other.
    ServiceCaches& caches() { return *caches_; }
    // A replica that has not yet verified a publication of its HQ: it has no list to answer from.
    bool replica_without_list() const;
    // The change feed (GET /api/v1/changes), running between start_watching and stop_watching.
    ChangeFeed& changes() { return *changes_; }

    // Runs a write under the writers' lock with the actor set, then republishes the snapshot.
    // Waits at most write_timeout for the lock (then store::Busy), and as long again for the
    // database's own lock when another process writes.
    template <class F>
    auto write(const std::string& actor, F&& f) {
        std::unique_lock lock(write_mutex_, std::defer_lock);
        if (!lock.try_lock_for(options_.write_timeout)) throw_busy();
        set_actor(actor);
        auto result = f(*writer_);
        refresh_locked();
        return result;
    }
    // Reads through the store (history, directives: not the hot path) on a connection of their
    // own, so a long write never holds them up (WAL lets readers run beside the writer).
    template <class F>
    auto read(F&& f) {
        ReaderLease lease(*this);
        return f(*lease.store);
    }

private:
    // A read connection borrowed from the pool for one read, returned when done.
    struct ReaderLease {
        explicit ReaderLease(Service& s);
        ~ReaderLease();
        ReaderLease(const ReaderLease&) = delete;
        ReaderLease& operator=(const ReaderLease&) = delete;
        Service& service;
        std::unique_ptr<store::Store> store;
    };
    [[noreturn]] static void throw_busy();

    Response dispatch(const Request& request);
    std::string next_request_id();
    // Request ids are the start time in seconds, then a counter: unique within the service and
    // unlikely to repeat across restarts.
    const std::int64_t started_;
    std::atomic<std::uint64_t> request_counter_{0};
    void set_actor(const std::string& actor);
    void refresh_locked();  // with write_mutex_ held
    model::Date today();    // the mission's local date, with write_mutex_ held or before serving
    void watch_loop();

    ServiceOptions options_;
    Metrics metrics_;
    AuthThrottle auth_throttle_;
    std::timed_mutex write_mutex_;
    std::unique_ptr<store::Store> writer_;  // the one connection used for writes
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<store::Store>> idle_readers_;  // read connections not lent out
    std::atomic<std::shared_ptr<const analysis::Snapshot>> today_;
    std::mutex cache_mutex_;
    std::vector<std::shared_ptr<const analysis::Snapshot>> dated_;  // small cache of other dates, under cache_mutex_
    std::unique_ptr<ServiceCaches> caches_;
    std::unique_ptr<ChangeFeed> changes_;
    std::unique_ptr<WebhookSender> webhooks_;
    std::unique_ptr<Replica> replica_;
    void mark_replica(Response& response) const;

    std::atomic<bool> watching_{false};
    std::thread watcher_;
};

}  // namespace keepout::http
