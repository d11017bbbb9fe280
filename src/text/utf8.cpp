#include "text/utf8.hpp"

#include <cstdint>
#include <cstdio>

namespace keepout::text {

std::optional<char32_t> decode_next(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80u) {
        ++i;
        return c;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c >= 0xC2u && c <= 0xDFu) {
        len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0u) == 0xE0u) {
        len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0u && c <= 0xF4u) {
        len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        ++i;
        return std::nullopt;
    }
    if (s.size() - i < len) {
        ++i;
        return std::nullopt;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0u) != 0x80u) {
            ++i;
            return std::nullopt;
        }
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return std::nullopt;
    }
    i += len;
    return static_cast<char32_t>(cp);
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (!decode_next(s, i)) return false;
    return true;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string to_valid_utf8(std::string_view s) {
    if (is_valid_utf8(s)) return std::string(s);
    std::string out;
    out.reserve(s.size() + 8);
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        if (decode_next(s, i)) {
            out.append(s.substr(start, i - start));
        } else {
            append_utf8(out, 0xFFFD);
        }
    }
    return out;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) decode_next(s, i);
    return n;
}

std::string quote(std::string_view s, std::size_t max_chars) {
    std::string out = "\"";
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        if (n == max_chars) {
            out += "…";
            break;
        }
        const std::size_t start = i;
        const auto cp = decode_next(s, i);
        ++n;
        if (!cp) {
            append_utf8(out, 0xFFFD);
        } else if (*cp == '\n') {
            out += "\\n";
        } else if (*cp == '\t') {
            out += "\\t";
        } else if (*cp < 0x20 || *cp == 0x7F || (*cp >= 0x80 && *cp < 0xA0) || *cp == 0x2028 || *cp == 0x2029) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(*cp));
            out += buf;
        } else if (*cp == '"' || *cp == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(*cp));
        } else {
            out.append(s.substr(start, i - start));
        }
    }
    out += "\"";
    return out;
}

}  // namespace keepout::text
