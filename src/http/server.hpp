#pragma once
// The HTTP/1.1 transport, plain or over TLS: Boost.Beast, asynchronous, keep-alive, per-connection
// read timeouts, header/body/connection limits, an access log and a graceful stop on SIGTERM or
// SIGINT.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "http/service.hpp"

namespace keepout::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 2;
    // 0: as many as the process's descriptor limit allows (see effective_max_connections).
    std::size_t max_connections = 0;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds shutdown_grace{10};
    std::string access_log = "-";  // "-": stderr; empty: none; else a file appended to
    // HTTPS when both are set: PEM certificate chain and private key. Browsers give the page the
    // device's position ("check where I am") only over HTTPS or on localhost.
    std::string tls_cert, tls_key;
    // Origins (scheme://host[:port], or *) whose pages may call the API from a browser; empty:
    // no CORS headers at all and no preflight answers.
    std::vector<std::string> cors_origins;
    // The change feed's streams (GET /api/v1/changes): at most this many at once (beyond it, 503
    // with Retry-After), a comment this often so that proxies keep an idle stream open, and the
    // reconnection delay advised to clients. A stream whose reader falls read_timeout behind is
    // closed (it resumes with Last-Event-ID), so a slow reader never makes the server buffer.
    std::size_t max_streams = 100;
    std::chrono::milliseconds stream_heartbeat{15000};
    std::chrono::milliseconds stream_retry{3000};
};

// The connection limit serve() uses: `requested` (0 for the default of 10000) lowered to what the
// descriptor limit (RLIMIT_NOFILE) leaves after the descriptors already open and a reserve for
// the database, files read per request and the worker pool. `warning` says why when a requested
// value was lowered.
std::size_t effective_max_connections(std::size_t requested, int threads, std::string* warning = nullptr);

// Whether `origin` is a value --cors-origin accepts: "*" or scheme://host[:port] with http(s).
bool valid_cors_origin(const std::string& origin);

// Serves until SIGTERM/SIGINT: stops accepting, lets requests in flight finish, closes idle
// connections, then returns. `on_listening` is called with the bound port (0 picks a free one).
void serve(Service& service, const ServerOptions& options, const std::function<void(unsigned short)>& on_listening = {});

}  // namespace keepout::http
