#include "io/validate.hpp"

#include <unicode/ustring.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace keepout::io {

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

std::vector<std::string> parse_name_list(std::string_view text) {
    std::vector<std::string> raw;
    std::string t = trim(text);
    if (t.empty()) return {};
    if (t.front() == '[') {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(t);
        } catch (const nlohmann::json::exception& e) {
            throw std::invalid_argument(std::string("not a valid JSON array: ") + e.what());
        }
        for (auto& v : j) {
            if (!v.is_string()) throw std::invalid_argument("JSON array must hold strings only");
            raw.push_back(v.get<std::string>());
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
    std::vector<std::string> out;
    for (auto& r : raw) {
        std::string n = trim(r);
        if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
    }
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

namespace {
// A cell a spreadsheet would run as a formula, behind any number of apostrophes already added.
bool formula_after_apostrophes(std::string_view cell, std::size_t min_apostrophes) {
    const auto first = cell.find_first_not_of('\'');
    return first != std::string_view::npos && first >= min_apostrophes &&
           std::string_view("=+-@\t\r").find(cell[first]) != std::string_view::npos;
}
}  // namespace

std::string make_csv_cell_inert(std::string_view cell) {
    // One more apostrophe in front of any formula-like cell, even one that already has some, so
    // that strip_inert_prefix gives every value back intact.
    if (formula_after_apostrophes(cell, 0)) return "'" + std::string(cell);
    return std::string(cell);
}

std::string csv_cell(std::string_view cell) {
    std::string c = make_csv_cell_inert(cell);
    if (c.find_first_of(",\"\r\n") == std::string::npos) return c;
    std::string quoted = "\"";
    for (char ch : c) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += csv_cell(cells[i]);
    }
    return out;
}

std::string strip_inert_prefix(std::string_view cell) {
    if (formula_after_apostrophes(cell, 1)) return std::string(cell.substr(1));
    return std::string(cell);
}

}  // namespace keepout::io
