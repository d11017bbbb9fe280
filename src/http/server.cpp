#include "http/server.hpp"
#include "http/changes.hpp"
#include "http/errors.hpp"
#include "text/utf8.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace keepout::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Buffered access log lines, flushed by a timer and at exit (stderr itself is unbuffered).
class AccessLog {
public:
    explicit AccessLog(const std::string& where) {
        if (where.empty()) return;
        file_ = where == "-" ? stderr : std::fopen(where.c_str(), "a");
        if (!file_) throw std::runtime_error("cannot open access log " + where);
        owned_ = where != "-";
    }
    ~AccessLog() {
        flush();
        if (owned_) std::fclose(file_);
    }
    bool enabled() const { return file_ != nullptr; }
    void write(const std::string& line) {
        if (!file_) return;
        std::lock_guard lock(mutex_);
        buffer_ += line;
        if (buffer_.size() > 64 * 1024) flush_locked();
    }
    void flush() {
        std::lock_guard lock(mutex_);
        flush_locked();
    }

private:
    void flush_locked() {
        if (!file_ || buffer_.empty()) return;
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
        std::fflush(file_);
        buffer_.clear();
    }
    std::FILE* file_ = nullptr;
    bool owned_ = false;
    std::mutex mutex_;
    std::string buffer_;
};

std::string clf_time() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char b[64];
    std::strftime(b, sizeof b, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    return b;
}

// One policy for every response. The web page loads its scripts, styles, the map library, its
// data and the tiles from this server and has no inline script or style; the OGC pages link their
// stylesheet. Nothing may frame a page (clickjacking on the approve buttons).
const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

template <class Fields>
void security_headers(Fields& response) {
    response.set("Content-Security-Policy", kContentSecurityPolicy);
    response.set("X-Content-Type-Options", "nosniff");
    response.set(bhttp::field::x_frame_options, "DENY");
    response.set("Referrer-Policy", "no-referrer");
}

// The configured origin that admits `origin` ("*" admits any), or nothing.
std::optional<std::string> cors_allowed(const ServerOptions& o, const std::string& origin) {
    if (origin.empty()) return std::nullopt;
    for (const auto& allowed : o.cors_origins)
        if (allowed == "*" || allowed == origin) return allowed;
    return std::nullopt;
}

struct Shared;

// What the shutdown needs of a connection, whatever its stream (plain TCP or TLS).
class SessionBase {
public:
    virtual ~SessionBase() = default;
    virtual void close_if_idle() = 0;
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
public:
    static constexpr bool tls = std::is_same_v<Stream, TlsStream>;
    // `extra`: the TLS context for a TLS stream, nothing for plain TCP.
    template <class... Extra>
    Session(tcp::socket socket, Shared& shared, Extra&... extra) : stream_(std::move(socket), extra...), shared_(shared) {}
    void start();
    void close_if_idle() override;

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
    void on_handshake(beast::error_code ec);
    void read();
    void on_read(beast::error_code ec, std::size_t);
    void respond(const Request& r, Response out, std::chrono::steady_clock::time_point start);
    void on_write(bool keep_alive, beast::error_code ec, std::size_t);
    void linger();
    void drain();
    void finish();
    // The change feed (GET /api/v1/changes): the head, then the events from the client's
    // Last-Event-ID on, each fetched off the loop in batches and written one batch at a time.
    void start_stream(const Request& r, std::chrono::steady_clock::time_point start);
    void stream_fetch();
    void stream_write(std::string text);
    void stream_heartbeat();
    void stream_watch_close();
    void end_stream();

    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> response_;
    Shared& shared_;
    std::atomic<bool> idle_{true};
    bool linger_ = false;  // after a refused request: read what the client still sends, then close
    std::string remote_;
    // A change feed stream, on this session's loop only.
    bool streaming_ = false, stream_ended_ = false, stream_stop_ = false;
    bool writing_ = false, fetching_ = false, heartbeat_due_ = false;
    std::int64_t stream_next_ = 0;  // the last event id sent
    std::uint64_t subscription_ = 0;
    std::string out_;                                  // the bytes being written
    std::optional<asio::steady_timer> heartbeat_timer_;
    char probe_[256];                                  // what a streaming client sends (nothing, or its close)
};

struct Shared {
    Service& service;
    const ServerOptions& options;
    AccessLog log;
    asio::thread_pool& workers;  // requests that may take long (see answers_from_memory)
    asio::ssl::context* tls;     // null: plain HTTP
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> streams{0};  // open change feed streams
    std::mutex sessions_mutex;
    std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;
};

template <class Stream>
void Session<Stream>::start() {
    beast::error_code ec;
    auto ep = lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    {
        std::lock_guard lock(shared_.sessions_mutex);
        shared_.sessions.insert(this->weak_from_this());
    }
    ++shared_.service.metrics().open_connections;
    asio::dispatch(lowest().get_executor(), [self = this->shared_from_this()] {
        if constexpr (tls) {
            // The handshake has the same deadline as a request.
            self->lowest().expires_after(self->shared_.options.read_timeout);
            self->stream_.async_handshake(asio::ssl::stream_base::server,
                                          beast::bind_front_handler(&Session<Stream>::on_handshake, self));
        } else {
            self->read();
        }
    });
}

template <class Stream>
void Session<Stream>::on_handshake(beast::error_code ec) {
    if (ec) return finish();  // not TLS, or a certificate the client refused
    read();
}

template <class Stream>
void Session<Stream>::close_if_idle() {
    asio::post(lowest().get_executor(), [self = this->shared_from_this()] {
        if (self->streaming_) {
            // A stream ends between two events, never inside one.
            self->stream_stop_ = true;
            if (!self->writing_) self->end_stream();
            return;
        }
        if (self->idle_) {
            beast::error_code ec;
            self->lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
            self->lowest().cancel();
        }
    });
}

template <class Stream>
void Session<Stream>::read() {
    if (shared_.stopping) return finish();
    parser_.emplace();
    parser_->header_limit(std::uint32_t(shared_.options.max_header_bytes));
    parser_->body_limit(shared_.options.max_body_bytes);
    idle_ = true;
    lowest().expires_after(shared_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session<Stream>::on_read, this->shared_from_this()));
}

template <class Stream>
void Session<Stream>::on_read(beast::error_code ec, std::size_t) {
    idle_ = false;
    // The client went away (a TLS client may do so without closing TLS first): nothing to answer.
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::ssl::error::stream_truncated)
        return finish();
    const auto start = std::chrono::steady_clock::now();
    if (ec) {
        // Malformed or too large: answer once, then close.
        const bool too_large = ec == bhttp::error::body_limit || ec == bhttp::error::header_limit;
        response_ = {};
        response_.version(11);
        response_.result(too_large ? bhttp::status::payload_too_large : bhttp::status::bad_request);
        response_.set(bhttp::field::content_type, "application/json");
        security_headers(response_);
        response_.body() = std::string("{\"error\":{\"code\":\"") + (too_large ? "too-large" : "bad-request") +
                           "\",\"message\":\"" + (too_large ? "request too large" : "malformed HTTP request") + "\"}}";
        response_.keep_alive(false);
        response_.prepare_payload();
        linger_ = true;
        return bhttp::async_write(stream_, response_,
                                  beast::bind_front_handler(&Session<Stream>::on_write, this->shared_from_this(), false));
    }
    auto& req = parser_->get();
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.remote = remote_;
    r.scheme = tls ? "https" : "http";
    for (auto& field : req) {
        std::string name(field.name_string());
        for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(field.value());
    }
    r.body = std::move(req.body());
    try {
        parse_target(r);
    } catch (const HttpError& e) {
        return respond(r, error_response(e.status, e.code, e.what()), start);
    }
    // A Host that could not be written into a link is refused before any handler sees it.
    if (r.headers.count("host") && !valid_host(r.headers["host"]))
        return respond(r, error_response(400, "bad-host", "the Host header is not a host name or address with an optional port"),
                       start);
    // CORS preflight, only when origins are configured (without them OPTIONS is just a method
    // no route allows).
    if (r.method == "OPTIONS" && !shared_.options.cors_origins.empty() && r.headers.count("origin") &&
        r.headers.count("access-control-request-method")) {
        if (!cors_allowed(shared_.options, r.headers["origin"]))
            return respond(r, error_response(403, "forbidden", "this origin may not call the API"), start);
        Response out;
        out.status = 204;
        out.route = "preflight";
        out.headers = {{"Access-Control-Allow-Methods", "GET, HEAD, POST, PATCH"},
                       {"Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match"},
                       {"Access-Control-Max-Age", "600"}};
        return respond(r, std::move(out), start);
    }
    if (r.path == "/api/v1/changes" && r.method == "GET") return start_stream(r, start);
    if (Service::answers_from_memory(r)) return respond(r, shared_.service.handle(r), start);
    // Maps, tiles, writes, dated snapshots: on the worker pool, so the connections sharing this
    // event loop are not held up behind them. The answer is written back on this loop.
    asio::post(shared_.workers, [self = this->shared_from_this(), r = std::move(r), start]() mutable {
        Response out = self->shared_.service.handle(r);
        asio::post(self->lowest().get_executor(), [self, r = std::move(r), out = std::move(out), start]() mutable {
            self->respond(r, std::move(out), start);
        });
    });
}

template <class Stream>
void Session<Stream>::respond(const Request& r, Response out, std::chrono::steady_clock::time_point start) {
    const auto& req = parser_->get();
    const bool keep_alive = req.keep_alive() && !shared_.stopping;
    response_ = {};
    response_.version(req.version());
    response_.result(unsigned(out.status));
    response_.set(bhttp::field::server, "keepout");
    response_.set(bhttp::field::content_type, out.content_type);
    for (auto& [name, value] : out.headers) response_.set(name, value);
    // Set last, here where every answer passes, so no handler can leave them out.
    security_headers(response_);
    if (!shared_.options.cors_origins.empty()) {
        response_.set(bhttp::field::vary, "Origin");
        if (auto allowed = cors_allowed(shared_.options, r.header("origin"))) {
            response_.set(bhttp::field::access_control_allow_origin, *allowed == "*" ? "*" : r.header("origin"));
            response_.set(bhttp::field::access_control_expose_headers, "ETag, Content-Disposition, Content-Crs");
        }
    }
    const bool head = req.method() == bhttp::verb::head;
    const std::size_t length = out.body.size();
    if (!head) response_.body() = std::move(out.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    if (head) response_.content_length(length);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    shared_.service.metrics().observe(out.route, out.status, seconds);
    // The line is only built when there is a log to write it to (--access-log none).
    if (shared_.log.enabled())
        shared_.log.write(remote_ + " - - [" + clf_time() + "] \"" + r.method + " " + r.target + " HTTP/" +
                          (req.version() == 11 ? "1.1" : "1.0") + "\" " + std::to_string(out.status) + " " +
                          std::to_string(length) + " " + std::to_string(int(seconds * 1e6)) + "us\n");
    // A deadline for the write too, counted from now (handling a large map can take seconds): a
    // client that stops reading cannot hold the connection open.
    lowest().expires_after(shared_.options.read_timeout);
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session<Stream>::on_write, this->shared_from_this(), keep_alive));
}

template <class Stream>
void Session<Stream>::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    if (!ec && linger_) return linger();
    if (ec || !keep_alive) return finish();
    read();
}

// The client of a refused request (too large, malformed) may still be sending it. Closing with
// unread bytes makes the kernel reset the connection, and the reset can destroy the answer before
// the client reads it; so stop sending, read and drop what comes for a moment, then close.
template <class Stream>
void Session<Stream>::linger() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));  // once: a trickle cannot extend it
    drain();
}

template <class Stream>
void Session<Stream>::drain() {
    lowest().async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->finish();
        self->drain();
    });
}

template <class Stream>
void Session<Stream>::start_stream(const Request& r, std::chrono::steady_clock::time_point start) {
    ChangeFeed& feed = shared_.service.changes();
    std::int64_t after = 0;
    try {
        for (const auto& parameter : r.query)
            if (parameter.first != "last_event_id")
                throw HttpError(400, "unknown-parameter",
                                "unknown parameter " + text::quote(parameter.first, 40) + " (the feed takes last_event_id)");
        const auto it = r.query.find("last_event_id");
        after = resume_after(r.header("last-event-id"), it == r.query.end() ? nullptr : &it->second, feed.last());
    } catch (const HttpError& e) {
        return respond(r, error_response(e.status, e.code, e.what()), start);
    }
    if (shared_.stopping || ++shared_.streams > shared_.options.max_streams) {
        if (!shared_.stopping) --shared_.streams;
        Response busy = error_response(503, "busy", "too many change feed streams open; try again shortly");
        busy.headers.emplace_back("Retry-After", "5");
        busy.route = "/api/v1/changes";
        return respond(r, std::move(busy), start);
    }
    streaming_ = true;
    idle_ = false;
    stream_next_ = after;
    std::string head = "HTTP/1.1 200 OK\r\nServer: keepout\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n";
    head += std::string("Content-Security-Policy: ") + kContentSecurityPolicy +
            "\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n";
    if (!shared_.options.cors_origins.empty()) {
        head += "Vary: Origin\r\n";
        // The origin written is a configured one (or *), checked when the server started.
        if (auto allowed = cors_allowed(shared_.options, r.header("origin")))
            head += "Access-Control-Allow-Origin: " + *allowed + "\r\n";
    }
    head += "\r\n" + sse_preamble(shared_.options.stream_retry);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    shared_.service.metrics().observe("/api/v1/changes", 200, seconds);
    if (shared_.log.enabled())
        shared_.log.write(remote_ + " - - [" + clf_time() + "] \"" + r.method + " " + r.target + " HTTP/1.1\" 200 - stream\n");
    std::weak_ptr<Session> weak = this->shared_from_this();
    subscription_ = feed.subscribe([weak](std::int64_t) {
        if (auto self = weak.lock())
            asio::post(self->lowest().get_executor(), [self] {
                if (!self->stream_ended_) self->stream_fetch();
            });
    });
    heartbeat_timer_.emplace(lowest().get_executor());
    stream_heartbeat();
    stream_watch_close();
    stream_write(std::move(head));
}

// The next batch of events after the last one sent, read on the worker pool; one batch at a time,
// so what the server holds for a stream is one batch however far behind its reader is.
template <class Stream>
void Session<Stream>::stream_fetch() {
    if (stream_ended_ || stream_stop_ || writing_ || fetching_) return;
    ChangeFeed& feed = shared_.service.changes();
    if (stream_next_ >= feed.last()) {
        if (heartbeat_due_) {
            heartbeat_due_ = false;
            stream_write(sse_heartbeat());
        }
        return;
    }
    fetching_ = true;
    asio::post(shared_.workers, [self = this->shared_from_this(), after = stream_next_] {
        std::string text;
        std::int64_t last = after;
        try {
            for (const auto& e : self->shared_.service.changes().after(after, 200)) {
                text += sse_event(e);
                last = e.id;
            }
        } catch (const std::exception& e) {
            std::cerr << "keepout serve: change feed: " << e.what() << std::endl;
        }
        asio::post(self->lowest().get_executor(), [self, text = std::move(text), last]() mutable {
            self->fetching_ = false;
            if (self->stream_ended_) return;
            if (self->stream_stop_) return self->end_stream();
            self->stream_next_ = last;
            if (text.empty()) {
                // Nothing readable yet (the database busy): the next notice or heartbeat tries again.
                if (self->heartbeat_due_) {
                    self->heartbeat_due_ = false;
                    self->stream_write(sse_heartbeat());
                }
                return;
            }
            self->stream_write(std::move(text));
        });
    });
}

template <class Stream>
void Session<Stream>::stream_write(std::string text) {
    if (stream_ended_) return;
    writing_ = true;
    out_ = std::move(text);
    // A reader that takes longer than this for one batch is cut; it resumes with Last-Event-ID.
    lowest().expires_after(shared_.options.read_timeout);
    asio::async_write(stream_, asio::buffer(out_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        self->writing_ = false;
        self->out_.clear();
        self->out_.shrink_to_fit();
        if (ec || self->stream_stop_) return self->end_stream();
        self->lowest().expires_never();
        self->stream_fetch();
    });
}

template <class Stream>
void Session<Stream>::stream_heartbeat() {
    heartbeat_timer_->expires_after(shared_.options.stream_heartbeat);
    heartbeat_timer_->async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (ec || self->stream_ended_) return;
        if (!self->writing_ && !self->fetching_) self->stream_write(sse_heartbeat());
        else self->heartbeat_due_ = true;
        self->stream_heartbeat();
    });
}

// A client that closes its stream is noticed at once on plain TCP (a read on the socket ends);
// over TLS the next heartbeat's write fails instead.
template <class Stream>
void Session<Stream>::stream_watch_close() {
    if constexpr (!tls) {
        lowest().socket().async_read_some(asio::buffer(probe_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (self->stream_ended_) return;
            if (ec) {
                if (!self->writing_) return self->end_stream();
                self->stream_stop_ = true;  // the write in flight fails or ends, then the stream
                return;
            }
            self->stream_watch_close();
        });
    }
}

template <class Stream>
void Session<Stream>::end_stream() {
    if (stream_ended_) return;
    stream_ended_ = true;
    shared_.service.changes().unsubscribe(subscription_);
    --shared_.streams;
    if (heartbeat_timer_) heartbeat_timer_->cancel();
    finish();
}

template <class Stream>
void Session<Stream>::finish() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().socket().close(ec);
    --shared_.service.metrics().open_connections;
    std::lock_guard lock(shared_.sessions_mutex);
    shared_.sessions.erase(this->weak_from_this());
}

class Listener : public std::enable_shared_from_this<Listener> {
public:
    // Accepts on the first context and hands each connection to the next context in turn.
    Listener(std::vector<std::unique_ptr<asio::io_context>>& contexts, tcp::endpoint endpoint, Shared& shared)
        : contexts_(contexts), acceptor_(*contexts.front()), pause_(*contexts.front()), shared_(shared) {
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    void accept() {
        auto& next = *contexts_[next_++ % contexts_.size()];
        acceptor_.async_accept(next, beast::bind_front_handler(&Listener::on_accept, this->shared_from_this()));
    }
    void stop() {
        asio::post(acceptor_.get_executor(), [self = this->shared_from_this()] {
            beast::error_code ec;
            self->acceptor_.close(ec);
            self->pause_.cancel();
        });
    }

private:
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
        if (ec && ec != asio::error::connection_aborted && ec != asio::error::connection_reset) {
            // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) or worse: accepting
            // again at once would fail again at once, a busy loop. Stop accepting for a while
            // (the connection waits in the listen backlog), keep serving the open ones, and say
            // so once per burst.
            if (pauses_++ == 0)
                std::cerr << "keepout serve: cannot accept connections (" << ec.message() << ", "
                          << shared_.service.metrics().open_connections << " open); pausing accepts" << std::endl;
            pause_.expires_after(std::chrono::milliseconds(std::min(1000, 25 << std::min<std::size_t>(pauses_, 6))));
            pause_.async_wait([self = this->shared_from_this()](beast::error_code e) {
                if (!e && self->acceptor_.is_open()) self->accept();
            });
            return;
        }
        if (!ec && pauses_ > 0) {
            std::cerr << "keepout serve: accepting connections again after " << pauses_ << " pauses" << std::endl;
            pauses_ = 0;
        }
        if (!ec) {
            if (shared_.service.metrics().open_connections >= shared_.options.max_connections) {
                // Over the limit: refuse politely rather than queue without bound (in plain HTTP;
                // a plain-text answer would mean nothing to a TLS client, which is just closed).
                static const std::string busy =
                    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    "X-Content-Type-Options: nosniff\r\nRetry-After: 1\r\n"
                    "Content-Length: 71\r\n\r\n{\"error\":{\"code\":\"busy\",\"message\":\"too many connections, try again\"}}";
                beast::error_code ignored;
                if (!shared_.tls) asio::write(socket, asio::buffer(busy), ignored);
                socket.close(ignored);
            } else if (shared_.tls) {
                std::make_shared<Session<TlsStream>>(std::move(socket), shared_, *shared_.tls)->start();
            } else {
                std::make_shared<Session<beast::tcp_stream>>(std::move(socket), shared_)->start();
            }
        }
        accept();
    }
    std::vector<std::unique_ptr<asio::io_context>>& contexts_;
    std::size_t next_ = 0;
    tcp::acceptor acceptor_;
    asio::steady_timer pause_;  // the wait before accepting again after a failed accept
    std::size_t pauses_ = 0;    // failed accepts in the current burst
    Shared& shared_;
};

// TLS 1.2 and later with the certificate chain and key of the options (PEM files).
asio::ssl::context tls_context(const ServerOptions& o) {
    if (o.tls_cert.empty() || o.tls_key.empty())
        throw std::runtime_error("TLS needs both a certificate (--tls-cert) and its private key (--tls-key)");
    for (const std::string& file : {o.tls_cert, o.tls_key})
        if (std::FILE* f = std::fopen(file.c_str(), "rb")) std::fclose(f);
        else throw std::runtime_error("cannot read " + file + ": " + std::strerror(errno));
    asio::ssl::context ctx(asio::ssl::context::tls_server);
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                    asio::ssl::context::single_dh_use);
    beast::error_code ec;
    ctx.use_certificate_chain_file(o.tls_cert, ec);
    if (ec) throw std::runtime_error("cannot use TLS certificate " + o.tls_cert + " (a PEM certificate chain?): " + ec.message());
    ctx.use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot use TLS private key " + o.tls_key + " (a PEM private key?): " + ec.message());
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
        throw std::runtime_error("TLS private key " + o.tls_key + " does not match certificate " + o.tls_cert);
    return ctx;
}

// Descriptors open in this process now (the database, the log, the event loops, the listener).
std::size_t open_descriptors() {
    std::error_code ec;
    std::size_t n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
        ++n;
    return ec || n == 0 ? 16 : n;
}

}  // namespace

bool valid_cors_origin(const std::string& origin) {
    if (origin == "*") return true;
    std::string rest;
    if (origin.rfind("http://", 0) == 0) rest = origin.substr(7);
    else if (origin.rfind("https://", 0) == 0) rest = origin.substr(8);
    else return false;
    return valid_host(rest);  // an origin has no path, not even "/"
}

std::size_t effective_max_connections(std::size_t requested, int threads, std::string* warning) {
    // Up to the hard limit (65536 at most): the soft limit is often 1024 for no reason of ours.
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return requested ? requested : 10000;
    if (lim.rlim_cur != RLIM_INFINITY && (lim.rlim_max == RLIM_INFINITY || lim.rlim_cur < lim.rlim_max)) {
        rlimit raised = lim;
        raised.rlim_cur = std::min<rlim_t>(lim.rlim_max, 65536);
        if (raised.rlim_cur > lim.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
    }
    const std::size_t limit = lim.rlim_cur == RLIM_INFINITY ? std::size_t(1) << 20 : std::size_t(lim.rlim_cur);
    // Kept back: descriptors open now, the database and its journal per reader, files the
    // workers read (styles, fonts, web files), the over-the-limit answers, the accept itself.
    const std::size_t reserve = open_descriptors() + 32 + 4 * std::size_t(std::max(1, threads));
    const std::size_t fits = limit > reserve ? limit - reserve : 1;
    if (requested == 0) return std::min<std::size_t>(10000, fits);
    if (requested > fits) {
        if (warning)
            *warning = "--max-connections " + std::to_string(requested) + " is more than the descriptor limit allows (" +
                       std::to_string(limit) + " open files, ulimit -n); using " + std::to_string(fits);
        return fits;
    }
    return requested;
}

void serve(Service& service, const ServerOptions& options, const std::function<void(unsigned short)>& on_listening) {
    // One event loop per thread, each owning the connections it was handed: a connection's
    // handlers never run on two threads, so no strand and no lock is taken per request.
    const std::size_t threads = std::size_t(std::max(1, options.threads));
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
    for (std::size_t i = 0; i < threads; ++i) {
        contexts.push_back(std::make_unique<asio::io_context>(1));
        keep_running.push_back(asio::make_work_guard(*contexts.back()));
    }
    auto stop_all = [&] {
        for (auto& c : contexts) c->stop();
    };
    asio::io_context& main = *contexts.front();
    asio::thread_pool workers(threads);
    std::optional<asio::ssl::context> tls;
    if (!options.tls_cert.empty() || !options.tls_key.empty()) tls.emplace(tls_context(options));
    auto listener_options = options;
    Shared shared{service, listener_options, AccessLog(options.access_log), workers, tls ? &*tls : nullptr, {}, {}, {}, {}};
    auto listener = std::make_shared<Listener>(contexts, tcp::endpoint(asio::ip::make_address(options.address), options.port), shared);
    // Counted once everything this process keeps open is open.
    std::string warning;
    listener_options.max_connections = effective_max_connections(options.max_connections, options.threads, &warning);
    if (!warning.empty()) std::cerr << "keepout serve: " << warning << std::endl;
    listener->accept();

    // Flushes the access log now and then.
    asio::steady_timer flush_timer(main);
    std::function<void(beast::error_code)> flush_tick = [&](beast::error_code ec) {
        if (ec) return;
        shared.log.flush();
        flush_timer.expires_after(std::chrono::seconds(1));
        flush_timer.async_wait(flush_tick);
    };
    flush_timer.expires_after(std::chrono::seconds(1));
    flush_timer.async_wait(flush_tick);

    // SIGTERM/SIGINT: stop accepting; connections finish their request in flight, idle ones close.
    asio::signal_set signals(main, SIGINT, SIGTERM);
    asio::steady_timer grace(main);
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        shared.stopping = true;
        listener->stop();
        flush_timer.cancel();
        std::vector<std::shared_ptr<SessionBase>> open;
        {
            std::lock_guard lock(shared.sessions_mutex);
            for (auto& w : shared.sessions)
                if (auto s = w.lock()) open.push_back(s);
        }
        for (auto& s : open) s->close_if_idle();
        grace.expires_after(options.shutdown_grace);
        grace.async_wait([&](beast::error_code e) {
            if (!e) stop_all();  // whatever is still running after the grace period is cut
        });
    });

    if (on_listening) on_listening(listener->port());
    service.start_watching();
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back([&, i] { contexts[i]->run(); });
    // Stops every loop once the last session is gone after a stop signal.
    std::thread reaper([&] {
        while (!main.stopped()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (!shared.stopping) continue;
            std::lock_guard lock(shared.sessions_mutex);
            if (shared.sessions.empty()) {
                stop_all();
                break;
            }
        }
    });
    main.run();
    stop_all();
    for (auto& t : pool) t.join();
    reaper.join();
    workers.join();  // a request still on a worker finishes before the database closes
    service.stop_watching();
    shared.log.flush();
}

}  // namespace keepout::http
