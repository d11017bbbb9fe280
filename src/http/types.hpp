#pragma once
// Requests and responses as the handlers see them: plain structs, so Beast stays in server.cpp.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace keepout::http {

struct Request {
    std::string method;  // "GET", "POST", …
    std::string target;  // as received, with the query string
    std::string path;    // decoded path without the query
    std::map<std::string, std::string> query;  // decoded; a repeated key keeps its last value
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string remote;
    std::string scheme = "http";  // "https" when the connection is TLS

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    std::optional<std::string> param(const std::string& name) const {
        auto it = query.find(name);
        if (it == query.end()) return std::nullopt;
        return it->second;
    }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string route = "unmatched";  // the route template, for metrics
};

// Any failure a handler turns into a response: {"error": {"code", "message"}} with this status.
struct HttpError : std::runtime_error {
    HttpError(int s, std::string c, const std::string& message)
        : std::runtime_error(message), status(s), code(std::move(c)) {}
    int status;
    std::string code;
    std::vector<std::pair<std::string, std::string>> headers;  // added to the error response (Retry-After)
};

// Percent-decoding of a path or query component ('+' is a space only in queries).
std::string url_decode(std::string_view text, bool plus_is_space);
std::string url_encode(std::string_view text);

// A Host header value that may be written into a URL: a host name or IPv4 address (letters,
// digits, '-', '.'), or an IPv6 address in brackets, with an optional :port. Anything else
// (spaces, quotes, '<', '/', '@', non-ASCII) is refused, so a hostile Host never reaches a link.
bool valid_host(std::string_view host);

// Splits "path?a=1&b=2" into the decoded path and parameters; throws HttpError 400 on bad escapes.
void parse_target(Request& r);

}  // namespace keepout::http
