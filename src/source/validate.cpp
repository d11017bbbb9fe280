#include "source/validate.hpp"

#include <unicode/ustring.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_set>

#include "text/utf8.hpp"

namespace keepout::source {

bool is_valid_utf8(std::string_view text) {
    if (text.size() > std::size_t(INT32_MAX)) return false;
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = 0;
    // Preflight: ICU checks well-formedness without writing anything.
    u_strFromUTF8(nullptr, 0, &needed, text.data(), int32_t(text.size()), &status);
    return status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING || U_SUCCESS(status);
}

std::string trim(std::string_view t) {
    const char* ws = " \t\r\n\f\v";
    auto b = t.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = t.find_last_not_of(ws);
    return std::string(t.substr(b, e - b + 1));
}

std::string normalise_code(std::string_view text) {
    std::string s = trim(text);
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c == '_' || c == ' ') c = '-';
    }
    return s;
}

std::vector<std::string> parse_name_list(std::string_view text, std::string_view field) {
    std::vector<std::string> raw;
    std::string t = trim(text);
    if (t.empty()) return {};
    if (t.front() == '[') {
        nlohmann::json j;
        try {
            // A flat array of strings: anything nested deeper is refused while parsing, so a
            // deeply nested array costs nothing.
            j = nlohmann::json::parse(t, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                if (depth > 1) throw std::invalid_argument("JSON array must hold strings only");
                return true;
            });
        } catch (const nlohmann::json::exception& e) {
            throw std::invalid_argument(std::string("not a valid JSON array: ") + e.what());
        }
        if (!j.is_array()) throw std::invalid_argument("not a valid JSON array");
        raw.reserve(j.size());
        for (auto& v : j) {
            if (!v.is_string()) throw std::invalid_argument("JSON array must hold strings only");
            raw.push_back(v.get_ref<const std::string&>());
        }
    } else {
        std::size_t start = 0;
        while (start <= t.size()) {
            auto end = t.find(';', start);
            if (end == std::string::npos) end = t.size();
            raw.push_back(t.substr(start, end - start));
            start = end + 1;
        }
    }
    return clean_name_list(std::move(raw), field);
}

std::vector<std::string> clean_name_list(std::vector<std::string> raw, std::string_view field) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    // Duplicates by hash, not by scanning what is kept (that was quadratic: 100 000 aliases took
    // 25 s); the list is refused past kMaxNames distinct entries before anything else is done.
    for (std::string& r : raw) {
        std::string n = trim(r);
        if (n.empty() || !seen.insert(n).second) continue;
        if (out.size() == kMaxNames)
            throw InvalidField(std::string(field), std::to_string(raw.size()) + " " + std::string(field) +
                                                       " given, at most " + std::to_string(kMaxNames) + " per venue");
        out.push_back(n);
    }
    store::check_names(field, out);
    return out;
}

std::optional<double> parse_number(std::string_view text) {
    std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    const char* b = t.data();
    if (*b == '+') {
        ++b;
        if (b == t.data() + t.size() || *b == '+' || *b == '-') return std::nullopt;
    }
    double v = 0;
    auto [p, ec] = std::from_chars(b, t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long long> parse_integer(std::string_view text) {
    std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    long long v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || p != t.data() + t.size()) {
        // GDAL may hand an integer column over as "120.0".
        auto d = parse_number(t);
        if (d && std::floor(*d) == *d && std::fabs(*d) < 9e15) return static_cast<long long>(*d);
        return std::nullopt;
    }
    return v;
}

}  // namespace keepout::source
