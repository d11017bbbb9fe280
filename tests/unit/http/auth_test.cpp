// The throttle of failed authentications, on a clock the test moves.
#include "http/auth.hpp"

#include <catch2/catch.hpp>

using keepout::http::AuthThrottle;
using namespace std::chrono_literals;

TEST_CASE("ten failures in a window block an address until the window passes", "[http][auth]") {
    AuthThrottle t;
    const auto t0 = AuthThrottle::Clock::time_point{} + 1000s;
    for (int i = 0; i < 9; ++i) t.failed("10.0.0.1", t0 + std::chrono::seconds(i));
    CHECK_FALSE(t.blocked("10.0.0.1", t0 + 9s));
    t.failed("10.0.0.1", t0 + 9s);
    auto wait = t.blocked("10.0.0.1", t0 + 9s);
    REQUIRE(wait);
    CHECK(*wait == 51s);
    CHECK(*t.blocked("10.0.0.1", t0 + 59500ms) == 1s);
    CHECK_FALSE(t.blocked("10.0.0.1", t0 + 60s));
    // Others are not affected.
    CHECK_FALSE(t.blocked("10.0.0.2", t0 + 10s));
    // A new window starts from scratch.
    t.failed("10.0.0.1", t0 + 61s);
    CHECK_FALSE(t.blocked("10.0.0.1", t0 + 61s));
}

TEST_CASE("failures spread over windows never block", "[http][auth]") {
    AuthThrottle t;
    auto now = AuthThrottle::Clock::time_point{} + 1000s;
    for (int i = 0; i < 100; ++i) {
        t.failed("10.0.0.1", now);
        CHECK_FALSE(t.blocked("10.0.0.1", now));
        if (i % 9 == 8) now += 61s;
    }
}

TEST_CASE("the throttle tracks a bounded number of addresses", "[http][auth]") {
    AuthThrottle t(AuthThrottle::Limits{3, 60s, 100});
    const auto t0 = AuthThrottle::Clock::time_point{} + 1000s;
    for (int k = 0; k < 3; ++k) t.failed("attacker", t0);
    REQUIRE(t.blocked("attacker", t0));
    for (int i = 0; i < 10000; ++i) t.failed("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0 + 1s);
    CHECK(t.tracked() <= 100);
}
