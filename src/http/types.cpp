#include "http/types.hpp"

#include "text/utf8.hpp"

namespace keepout::http {

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string url_decode(std::string_view t, bool plus_is_space) {
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '%') {
            if (i + 2 >= t.size() || hex_value(t[i + 1]) < 0 || hex_value(t[i + 2]) < 0)
                throw HttpError(400, "bad-request", "malformed percent-escape in the URL");
            out.push_back(char(hex_value(t[i + 1]) * 16 + hex_value(t[i + 2])));
            i += 2;
        } else if (plus_is_space && t[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(t[i]);
        }
    }
    return out;
}

std::string url_encode(std::string_view t) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : t) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out.push_back(char(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

namespace {
// Decoded text reaches names, messages and JSON: refused here, once, unless it is UTF-8.
std::string decoded_utf8(std::string_view t, bool plus_is_space, const char* what) {
    std::string out = url_decode(t, plus_is_space);
    if (!text::is_valid_utf8(out) || out.find('\0') != std::string::npos)
        throw HttpError(400, "bad-encoding", std::string("the ") + what + " is not valid UTF-8 text once decoded");
    return out;
}
}  // namespace

bool valid_host(std::string_view host) {
    if (host.empty() || host.size() > 260) return false;
    std::string_view name = host;
    std::string_view port;
    if (host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos || close < 3) return false;
        for (char c : host.substr(1, close - 1))
            if (hex_value(c) < 0 && c != ':' && c != '.') return false;
        name = {};
        if (close + 1 < host.size()) {
            if (host[close + 1] != ':') return false;
            port = host.substr(close + 2);
            if (port.empty()) return false;
        }
    } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon + 1);
        if (port.empty()) return false;
    }
    if (host.front() != '[') {
        if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') return false;
        for (char c : name)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
                return false;
    }
    if (!port.empty()) {
        if (port.size() > 5) return false;
        unsigned value = 0;
        for (char c : port) {
            if (c < '0' || c > '9') return false;
            value = value * 10 + unsigned(c - '0');
        }
        if (value > 65535) return false;
    }
    return true;
}

void parse_target(Request& r) {
    const auto q = r.target.find('?');
    r.path = decoded_utf8(std::string_view(r.target).substr(0, q), false, "path");
    if (q == std::string::npos) return;
    std::string_view rest = std::string_view(r.target).substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = decoded_utf8(pair.substr(0, eq), true, "name of a query parameter");
        std::string value =
            eq == std::string_view::npos ? std::string() : decoded_utf8(pair.substr(eq + 1), true, "query");
        r.query[key] = value;
    }
}

}  // namespace keepout::http
