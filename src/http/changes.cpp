// The change feed (GET /api/v1/changes, streamed by server.cpp) and the webhooks' sender.
#include "http/changes.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include <iostream>

#include "http/client.hpp"
#include "http/types.hpp"
#include "store/changes.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

namespace {
constexpr std::size_t kRecent = 1024;  // events kept in memory for streams that are nearly current

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

std::string sse_event(const FeedEvent& e) {
    // The JSON has no raw newline (nlohmann escapes them), so it is one data line.
    return "id: " + std::to_string(e.id) + "\ndata: " + e.json + "\n\n";
}

std::string sse_preamble(std::chrono::milliseconds retry) {
    return ": keepout change feed\nretry: " + std::to_string(retry.count()) + "\n\n";
}

std::string sse_heartbeat() { return ": heartbeat\n\n"; }

std::int64_t resume_after(const std::string& header, const std::string* query, std::int64_t none) {
    const std::string* given = !header.empty() ? &header : query;
    if (!given) return none;
    const auto n = text::parse_int64(*given);
    if (!n || *n < 0)
        throw HttpError(400, "bad-parameter",
                        "Last-Event-ID (or last_event_id) is the id of an event, a whole number from 0, not " +
                            text::quote(*given, 40));
    return *n;
}

ChangeFeed::ChangeFeed(std::string db_path, std::chrono::milliseconds poll) : db_path_(std::move(db_path)), poll_(poll) {
    db_ = store::Store::open(db_path_);
    last_ = store::last_change(*db_);
}

ChangeFeed::~ChangeFeed() { stop(); }

void ChangeFeed::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { loop(); });
}

void ChangeFeed::stop() {
    if (!running_.exchange(false)) return;
    if (thread_.joinable()) thread_.join();
}

void ChangeFeed::loop() {
    while (running_) {
        for (auto slept = std::chrono::milliseconds(0); running_ && slept < poll_; slept += std::chrono::milliseconds(25))
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        if (!running_) break;
        try {
            poll_once();
        } catch (const std::exception&) {
            // The database may be busy or briefly unreadable; the next round tries again.
        }
    }
}

void ChangeFeed::poll_once() {
    std::int64_t latest = 0;
    {
        std::lock_guard lock(db_mutex_);
        latest = store::last_change(*db_);
        if (latest <= last_) return;
        // Keeps the newest in memory; a burst larger than the cache is read from the database by
        // whoever needs it.
        const std::int64_t from = std::max<std::int64_t>(last_, latest - std::int64_t(kRecent));
        for (auto& c : store::changes_after(*db_, from, kRecent)) {
            if (!recent_.empty() && c.seq <= recent_.back().id) continue;
            if (!recent_.empty() && c.seq != recent_.back().id + 1) recent_.clear();  // a gap: start afresh
            recent_.push_back({c.seq, std::move(c.json)});
            if (recent_.size() > kRecent) recent_.pop_front();
        }
        last_ = latest;
    }
    std::vector<Listener> listeners;
    {
        std::lock_guard lock(listeners_mutex_);
        for (auto& [id, f] : listeners_) listeners.push_back(f);
    }
    for (auto& f : listeners) f(latest);
}

std::vector<FeedEvent> ChangeFeed::after(std::int64_t after, std::size_t limit) {
    std::lock_guard lock(db_mutex_);
    std::vector<FeedEvent> out;
    if (!recent_.empty() && after + 1 >= recent_.front().id) {
        for (const auto& e : recent_) {
            if (e.id <= after) continue;
            if (out.size() >= limit) break;
            out.push_back(e);
        }
        return out;
    }
    for (auto& c : store::changes_after(*db_, after, limit)) {
        if (c.seq > last_) break;  // not announced yet: it comes with the next notice
        out.push_back({c.seq, std::move(c.json)});
    }
    return out;
}

std::uint64_t ChangeFeed::subscribe(Listener f) {
    std::lock_guard lock(listeners_mutex_);
    const auto id = next_listener_++;
    listeners_.emplace(id, std::move(f));
    return id;
}

void ChangeFeed::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(listeners_mutex_);
    listeners_.erase(id);
}

// --- webhooks

std::string webhook_signature(const std::string& secret, const std::string& body) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), secret.data(), int(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
              body.size(), mac, &n))
        throw std::runtime_error("HMAC-SHA256 unavailable");
    static const char* hex = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned i = 0; i < n; ++i) {
        out.push_back(hex[mac[i] >> 4]);
        out.push_back(hex[mac[i] & 15]);
    }
    return out;
}

WebhookSender::WebhookSender(std::string db_path, Options options)
    : db_path_(std::move(db_path)), options_(options) {}

WebhookSender::~WebhookSender() { stop(); }

void WebhookSender::start() {
    if (running_.exchange(true)) return;
    db_ = store::Store::open(db_path_);
    thread_ = std::thread([this] { loop(); });
}

void WebhookSender::stop() {
    if (!running_.exchange(false)) return;
    wake();
    if (thread_.joinable()) thread_.join();
}

void WebhookSender::wake() {
    {
        std::lock_guard lock(wake_mutex_);
        woken_ = true;
    }
    wake_.notify_one();
}

void WebhookSender::loop() {
    while (running_) {
        bool busy = false;
        try {
            busy = round();
        } catch (const std::exception& e) {
            std::cerr << "keepout serve: webhook deliveries: " << e.what() << std::endl;
        }
        if (busy) continue;
        std::unique_lock lock(wake_mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(250), [&] { return woken_ || !running_; });
        woken_ = false;
    }
}

bool WebhookSender::round() {
    const auto due = store::due_deliveries(*db_, now_ms(), 16);
    for (const auto& d : due) {
        if (!running_) return false;
        const auto changes = store::changes_after(*db_, d.change_seq - 1, 1);
        if (changes.empty() || changes.front().seq != d.change_seq) {
            store::delivery_failed(*db_, d.webhook_id, d.change_seq, std::nullopt, "the change is gone", now_ms(), true);
            continue;
        }
        const std::string& body = changes.front().json;
        ClientRequest req;
        req.method = "POST";
        req.url = d.url;
        req.body = body;
        req.timeout = options_.timeout;
        req.max_body = 64 * 1024;
        req.headers = {{"X-Keepout-Signature", webhook_signature(d.secret, body)},
                       {"X-Keepout-Event", std::to_string(d.change_seq)},
                       {"X-Keepout-Delivery", std::to_string(d.webhook_id) + "-" + std::to_string(d.change_seq)}};
        std::optional<int> status;
        std::string error;
        try {
            status = send_request(req).status;
            if (*status < 200 || *status > 299) error = "answered " + std::to_string(*status);
        } catch (const ClientError& e) {
            error = e.what();
        }
        if (error.empty()) {
            store::delivery_done(*db_, d.webhook_id, d.change_seq, *status);
            continue;
        }
        const int attempts = d.attempts + 1;
        auto wait = options_.first_retry * (std::int64_t(1) << std::min(attempts - 1, 20));
        if (wait > options_.longest_retry) wait = options_.longest_retry;
        const bool give_up = attempts >= options_.max_attempts;
        store::delivery_failed(*db_, d.webhook_id, d.change_seq, status, error, now_ms() + wait.count(), give_up);
    }
    return !due.empty();
}

}  // namespace keepout::http
