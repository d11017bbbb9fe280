#include "text/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace keepout::text {

std::string shortest(double value) {
    char b[64];
    const auto r = std::to_chars(b, b + sizeof b, value);
    return std::string(b, r.ptr);
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
    // Shortest digits in scientific form, "d.ddde±x", then laid out as JSON writers do.
    char b[64];
    const auto r = std::to_chars(b, b + sizeof b, value, std::chars_format::scientific);
    std::string sci(b, r.ptr);
    std::string out;
    std::size_t at = 0;
    if (sci[0] == '-') out += '-', at = 1;
    const auto e = sci.find('e');
    std::string digits;
    for (std::size_t i = at; i < e; ++i)
        if (sci[i] != '.') digits += sci[i];
    const int exponent = std::atoi(sci.c_str() + e + 1);
    const int k = int(digits.size());
    const int n = exponent + 1;  // digits before the decimal point
    constexpr int kMinExp = -4, kMaxExp = 15;
    if (k <= n && n <= kMaxExp) {
        out += digits + std::string(std::size_t(n - k), '0') + ".0";
    } else if (0 < n && n <= kMaxExp) {
        out += digits.substr(0, std::size_t(n)) + "." + digits.substr(std::size_t(n));
    } else if (kMinExp < n && n <= 0) {
        out += "0." + std::string(std::size_t(-n), '0') + digits;
    } else {
        out += digits.substr(0, 1);
        if (k > 1) out += "." + digits.substr(1);
        const int x = n - 1;
        out += x < 0 ? "e-" : "e+";
        const int ax = std::abs(x);
        if (ax < 10) out += '0';
        out += std::to_string(ax);
    }
    return out;
}

}  // namespace keepout::text
