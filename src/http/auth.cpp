#include "http/auth.hpp"

#include <algorithm>
#include <cctype>

#include "http/service.hpp"
#include "source/validate.hpp"
#include "store/repository.hpp"

namespace keepout::http {

std::optional<std::chrono::seconds> AuthThrottle::blocked(const std::string& remote, Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(remote);
    if (it == entries_.end() || it->second.failures < limits_.failures) return std::nullopt;
    const auto end = it->second.start + limits_.window;
    if (now >= end) return std::nullopt;
    const auto left = std::chrono::ceil<std::chrono::seconds>(end - now);
    return std::max(left, std::chrono::seconds{1});
}

void AuthThrottle::make_room(Clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();)
        it = now - it->second.start >= limits_.window ? entries_.erase(it) : std::next(it);
    while (entries_.size() >= limits_.addresses && !entries_.empty())
        entries_.erase(std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
            return a.second.start < b.second.start;
        }));
}

void AuthThrottle::failed(const std::string& remote, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(remote);
    if (it == entries_.end()) {
        if (entries_.size() >= limits_.addresses) make_room(now);
        it = entries_.emplace(remote, Entry{now, 0}).first;
    } else if (now - it->second.start >= limits_.window) {
        it->second = Entry{now, 0};
    }
    ++it->second.failures;
}

std::size_t AuthThrottle::tracked() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

namespace {
bool starts_with_bearer(const std::string& h) {
    if (h.size() < 7) return false;
    static const char* word = "bearer ";
    for (std::size_t i = 0; i < 7; ++i)
        if (char(std::tolower(static_cast<unsigned char>(h[i]))) != word[i]) return false;
    return true;
}
}  // namespace

store::TokenHolder authenticate(Service& service, const Request& r) {
    const std::string auth = r.header("authorization");
    if (auth.empty()) throw HttpError(401, "unauthorized", "this needs Authorization: Bearer TOKEN");
    auto& throttle = service.auth_throttle();
    if (auto wait = throttle.blocked(r.remote)) {
        HttpError e(429, "too-many-attempts",
                    "too many failed authentications from this address: try again in " +
                        std::to_string(wait->count()) + " s");
        e.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        throw e;
    }
    std::string reason, message;
    std::optional<model::Id> token_id;
    if (!starts_with_bearer(auth)) {
        reason = "not-bearer";
        message = "send Authorization: Bearer TOKEN";
    } else {
        const std::string token = source::trim(auth.substr(7));
        auto check = service.read([&](store::Store& s) { return store::check_token(s.db(), token); });
        if (check.holder) return *check.holder;
        token_id = check.token_id;
        reason = std::string(store::to_string(check.refusal));
        switch (check.refusal) {
            case store::TokenRefusal::revoked: message = "the token has been revoked"; break;
            case store::TokenRefusal::expired:
                message = "the token has expired" +
                          (check.expired_on ? " (its last day was " + check.expired_on->iso() + ")" : std::string()) +
                          ": ask for a new one";
                break;
            default: message = "the token is not valid"; break;
        }
    }
    throttle.failed(r.remote);
    try {
        // A small insert on a connection of the read pool: a flood of bad tokens never queues
        // behind the writers' lock, and SQLite's own lock keeps it one writer at a time.
        service.read([&](store::Store& s) { store::record_auth_failure(s.db(), r.remote, token_id, reason); });
    } catch (const std::exception&) {
        // A busy database must not turn a refusal into an error; the throttle still counts it.
    }
    throw HttpError(401, "unauthorized", message);
}

}  // namespace keepout::http
