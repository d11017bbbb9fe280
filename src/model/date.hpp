#pragma once
// A calendar date (no time of day, no zone): directives take effect on whole days.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keepout::model {

class Date {
public:
    constexpr Date() = default;
    constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}

    // Strict ISO 8601 calendar date, YYYY-MM-DD; throws DateError on anything else.
    static Date parse(std::string_view text);
    static std::optional<Date> try_parse(std::string_view text);
    static Date today_utc();

    std::string iso() const;
    std::chrono::sys_days days() const { return days_; }

    friend constexpr auto operator<=>(const Date&, const Date&) = default;

private:
    std::chrono::sys_days days_{};
};

// What is wrong with a text that should be a YYYY-MM-DD date, in words, or "" when it is one:
// "February 2026 has 28 days", "there is no month 13 (months are 01 to 12)", or the shape
// expected with an example. For messages that say what to fix.
std::string date_problem(std::string_view text);

// The current UTC time to the second, "2026-11-29T12:00:00Z" (file and document time stamps).
std::string utc_now_iso();

struct DateError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace keepout::model
