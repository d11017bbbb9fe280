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
#include "http/metrics.hpp"
#include "http/types.hpp"
#include "model/date.hpp"

namespace keepout::store {
class Store;
}

namespace keepout::http {

struct ServiceOptions {
    std::string db_path;
    std::string web_root;       // static files for the web page (issue: web); empty: none
    std::string style_path;     // map style for /map.* and /tiles (empty: the built-in default)
    std::chrono::milliseconds watch_interval{1000};  // how often the list version is polled
};

class Service {
public:
    explicit Service(ServiceOptions options);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    // Never throws: every failure becomes a JSON error response.
    Response handle(const Request& request);

    // True for the requests answered from memory in microseconds (health, metrics, today's point
    // and name checks and list, the web page's files); the server runs the others (maps, tiles,
    // writes, history, other dates) off its event loops. Needs the parsed path and query.
    static bool answers_from_memory(const Request& request);

    // The snapshot for a date (today when empty). Today's is swapped in atomically when the list
    // version or the date changes; other dates are built on demand and cached per version.
    std::shared_ptr<const analysis::Snapshot> snapshot(std::optional<model::Date> as_of = std::nullopt);

    // Starts/stops the thread that notices writes made by other processes (the CLI) and midnight.
    void start_watching();
    void stop_watching();

    Metrics& metrics() { return metrics_; }
    const ServiceOptions& options() const { return options_; }

    // Runs a write under the writers' lock with the actor set, then republishes the snapshot.
    template <class F>
    auto write(const std::string& actor, F&& f) {
        std::lock_guard lock(write_mutex_);
        set_actor(actor);
        auto result = f(*writer_);
        refresh_locked();
        return result;
    }
    // Reads through the store on the writer's connection (history, directives): not the hot path.
    template <class F>
    auto read(F&& f) {
        std::lock_guard lock(write_mutex_);
        return f(*writer_);
    }

private:
    Response dispatch(const Request& request);
    void set_actor(const std::string& actor);
    void refresh_locked();  // with write_mutex_ held
    void watch_loop();

    ServiceOptions options_;
    Metrics metrics_;
    std::mutex write_mutex_;
    std::unique_ptr<store::Store> writer_;  // the one connection used for writes and store reads
    std::atomic<std::shared_ptr<const analysis::Snapshot>> today_;
    std::mutex cache_mutex_;
    std::vector<std::shared_ptr<const analysis::Snapshot>> dated_;  // small cache of other dates

    std::atomic<bool> watching_{false};
    std::thread watcher_;
};

}  // namespace keepout::http
