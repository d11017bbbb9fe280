#pragma once
// A small HTTP/1.1 client for what the server itself sends out (webhook deliveries): one request,
// one answer, a deadline on the whole exchange, http:// and https:// (OpenSSL, the system's
// trusted certificates, the host name checked). Redirects are never followed. A URL whose host is
// not loopback may not reach a loopback or unspecified address (a name that resolves to
// 127.0.0.1, as a rebinding attack would make it): the server's own admin routes stay out of
// reach of a webhook URL.
#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace keepout::http {

struct Url {
    bool https = false;
    std::string host;    // without brackets for IPv6
    std::string port;    // "80"/"443" when not given
    std::string target;  // path and query, "/" at least
};
// A URL the client can send to, or nullopt (another scheme, no host, a bad port, a fragment,
// spaces or control characters, user info).
std::optional<Url> parse_url(const std::string& text);
// Whether a host names this machine: localhost, 127.0.0.0/8, ::1.
bool loopback_host(const std::string& host);

struct ClientError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ClientRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";
    std::chrono::milliseconds timeout{10000};
    std::size_t max_body = 1 << 20;
};

struct ClientResponse {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
};

// Throws ClientError when the URL is refused, the host cannot be reached, TLS fails, the answer
// is not HTTP or exceeds max_body, or the deadline passes.
ClientResponse send_request(const ClientRequest& request);

}  // namespace keepout::http
