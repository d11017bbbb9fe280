#include "model/date.hpp"

#include <charconv>
#include <cstdio>

namespace keepout::model {

namespace {
bool parse_digits(std::string_view s, int& out) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}
}  // namespace

std::optional<Date> Date::try_parse(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int y = 0, m = 0, d = 0;
    if (!parse_digits(t.substr(0, 4), y) || !parse_digits(t.substr(5, 2), m) ||
        !parse_digits(t.substr(8, 2), d))
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                    std::chrono::day{unsigned(d)}};
    if (!ymd.ok()) return std::nullopt;
    return Date{std::chrono::sys_days{ymd}};
}

Date Date::parse(std::string_view text) {
    if (auto d = try_parse(text)) return *d;
    throw DateError("invalid date '" + std::string(text) + "': expected YYYY-MM-DD");
}

std::string date_problem(std::string_view t) {
    if (Date::try_parse(t)) return "";
    const char* shape = "expected YYYY-MM-DD, e.g. 2026-03-01";
    int y = 0, m = 0, d = 0;
    if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !parse_digits(t.substr(0, 4), y) ||
        !parse_digits(t.substr(5, 2), m) || !parse_digits(t.substr(8, 2), d))
        return shape;
    if (m < 1 || m > 12) return "there is no month " + std::string(t.substr(5, 2)) + " (months are 01 to 12)";
    static constexpr const char* month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};
    const unsigned last = unsigned((std::chrono::year{y} / std::chrono::month{unsigned(m)} / std::chrono::last).day());
    if (d < 1) return "there is no day 00 (days start at 01)";
    return std::string(month_names[m - 1]) + " " + std::string(t.substr(0, 4)) + " has " + std::to_string(last) +
           " days";
}

Date Date::today_utc() {
    return Date{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
}

std::string utc_now_iso() {
    using namespace std::chrono;
    const auto now = floor<seconds>(system_clock::now());
    const auto days = floor<std::chrono::days>(now);
    const hh_mm_ss<seconds> t{now - days};
    char hms[16];
    std::snprintf(hms, sizeof hms, "T%02d:%02d:%02dZ", int(t.hours().count()), int(t.minutes().count()),
                  int(t.seconds().count()));
    return Date{days}.iso() + hms;
}

std::string Date::iso() const {
    // By hand rather than snprintf: every verdict the server writes carries one or two dates.
    const std::chrono::year_month_day ymd{days_};
    const int year = int(ymd.year());
    if (year < 0 || year > 9999) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, unsigned(ymd.month()), unsigned(ymd.day()));
        return buf;
    }
    const unsigned month = unsigned(ymd.month()), day = unsigned(ymd.day());
    return {char('0' + year / 1000), char('0' + year / 100 % 10), char('0' + year / 10 % 10), char('0' + year % 10), '-',
            char('0' + month / 10), char('0' + month % 10), '-', char('0' + day / 10), char('0' + day % 10)};
}

}  // namespace keepout::model
