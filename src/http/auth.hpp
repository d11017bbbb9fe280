#pragma once
// Authentication of API requests. A bearer token is checked against the database on every
// request, so a token revoked or expired from the command line stops working at once. Failed
// attempts are recorded (store::record_auth_failure) and throttled per client address.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/types.hpp"
#include "store/tokens.hpp"

namespace keepout::http {

class Service;

// Counts failed authentications per client address in a fixed window: after `failures` in one
// window, the address is refused (429) until the window has passed. Successes reset nothing, so a
// valid token interleaved with guesses buys no more guesses. At most `addresses` are tracked: when
// full, finished windows go first, then the oldest.
class AuthThrottle {
public:
    using Clock = std::chrono::steady_clock;
    struct Limits {
        int failures = 10;
        std::chrono::seconds window{60};
        std::size_t addresses = 4096;
    };
    AuthThrottle() = default;
    explicit AuthThrottle(Limits limits) : limits_(limits) {}

    // Seconds until `remote` may try again (at least 1); nullopt when it may try now.
    std::optional<std::chrono::seconds> blocked(const std::string& remote, Clock::time_point now = Clock::now()) const;
    void failed(const std::string& remote, Clock::time_point now = Clock::now());
    std::size_t tracked() const;

private:
    struct Entry {
        Clock::time_point start;
        int failures = 0;
    };
    void make_room(Clock::time_point now);

    Limits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

// The holder of the request's bearer token. HttpError 429 (with Retry-After) when the client's
// address is throttled, 401 with the reason (not valid, revoked, expired) otherwise.
store::TokenHolder authenticate(Service& service, const Request& r);

}  // namespace keepout::http
