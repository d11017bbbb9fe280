#pragma once
// The change feed behind GET /api/v1/changes and the webhooks: one thread that notices new rows
// of the store's `changes` (written by whichever process changed the list), keeps the latest
// events in memory and tells the open streams. No Beast here: server.cpp streams the events.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keepout::store {
class Store;
}

namespace keepout::http {

struct FeedEvent {
    std::int64_t id = 0;
    std::string json;  // the event document (store/changes.hpp)
};

// One event as Server-Sent Events text: "id: N\ndata: {…}\n\n".
std::string sse_event(const FeedEvent& e);
// The first lines of a stream: the reconnection delay a client should wait, in milliseconds.
std::string sse_preamble(std::chrono::milliseconds retry);
// A comment line that keeps proxies from closing an idle stream.
std::string sse_heartbeat();
// The id a client resumes after: the Last-Event-ID header, else ?last_event_id=, else `none`
// when neither is given (then the stream starts with the next change). Throws HttpError 400 when
// the value is not a whole number from 0.
std::int64_t resume_after(const std::string& header, const std::string* query, std::int64_t none);

class ChangeFeed {
public:
    ChangeFeed(std::string db_path, std::chrono::milliseconds poll);
    ~ChangeFeed();
    ChangeFeed(const ChangeFeed&) = delete;
    ChangeFeed& operator=(const ChangeFeed&) = delete;

    void start();
    void stop();

    // The latest change known, 0 before any.
    std::int64_t last() const { return last_; }
    // The events after `after`, oldest first, at most `limit`: from memory when recent, else read
    // from the database (call it off the event loops).
    std::vector<FeedEvent> after(std::int64_t after, std::size_t limit);

    // `f` is called on the feed's thread with the latest id whenever new changes arrive.
    using Listener = std::function<void(std::int64_t last)>;
    std::uint64_t subscribe(Listener f);
    void unsubscribe(std::uint64_t id);

private:
    void loop();
    void poll_once();
    std::string db_path_;
    std::chrono::milliseconds poll_;
    std::mutex db_mutex_;  // the connection and the cache
    std::unique_ptr<store::Store> db_;
    std::deque<FeedEvent> recent_;  // the latest events, oldest first
    std::atomic<std::int64_t> last_{0};
    std::mutex listeners_mutex_;
    std::map<std::uint64_t, Listener> listeners_;
    std::uint64_t next_listener_ = 1;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

// The webhooks' sender: delivers each queued change (store/changes.hpp) as a signed JSON POST,
// marks it done on a 2xx only, and tries again later otherwise, so delivery is at least once and
// outlives a restart. Its own thread and database connection.
class WebhookSender {
public:
    struct Options {
        std::chrono::milliseconds first_retry{1000};  // doubled after each failure
        std::chrono::milliseconds longest_retry{600000};
        int max_attempts = 30;  // then the delivery is marked failed (webhook list shows it)
        std::chrono::milliseconds timeout{10000};
    };
    WebhookSender(std::string db_path, Options options);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;
    void start();
    void stop();
    void wake();  // a new change: look at the queue now rather than at the next round

private:
    void loop();
    bool round();  // true when something was attempted
    std::string db_path_;
    Options options_;
    std::unique_ptr<store::Store> db_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

// "sha256=" and the lowercase hex HMAC-SHA256 of `body` with `secret`: X-Keepout-Signature.
std::string webhook_signature(const std::string& secret, const std::string& body);

}  // namespace keepout::http
