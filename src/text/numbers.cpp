#include "text/numbers.hpp"

#include <charconv>
#include <cmath>

namespace keepout::text {

namespace {
// from_chars takes a leading '-' but never '+' or blanks; it stops at the first character that
// is not part of the number, so a full-length match is checked by the caller.
bool starts_like_a_number(std::string_view t) {
    if (t.empty()) return false;
    const char first = t.front() == '-' && t.size() > 1 ? t[1] : t.front();
    return (first >= '0' && first <= '9') || first == '.';
}
}  // namespace

std::optional<std::int64_t> parse_int64(std::string_view text) {
    if (!starts_like_a_number(text)) return std::nullopt;
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value, 10);
    if (ec != std::errc{} || stop != end) return std::nullopt;
    return value;
}

std::optional<double> parse_double(std::string_view text) {
    // "inf" and "nan" start with letters and are refused here; "0x10" stops at the 'x'.
    if (!starts_like_a_number(text)) return std::nullopt;
    double value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
    if (ec != std::errc{} || stop != end || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace keepout::text
