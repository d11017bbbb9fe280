#include "http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

#include <cctype>
#include <functional>
#include <memory>

namespace keepout::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::optional<Url> parse_url(const std::string& text) {
    Url u;
    std::string rest;
    if (text.rfind("http://", 0) == 0) rest = text.substr(7);
    else if (text.rfind("https://", 0) == 0) {
        u.https = true;
        rest = text.substr(8);
    } else
        return std::nullopt;
    if (text.size() > 2000) return std::nullopt;
    for (unsigned char c : text)
        if (c <= 0x20 || c >= 0x7f || c == '#') return std::nullopt;
    const auto slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    u.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (!u.target.empty() && u.target.front() == '?') u.target = "/" + u.target;
    if (authority.find('@') != std::string::npos || authority.empty()) return std::nullopt;
    std::string port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    for (char c : u.host)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_'))
            return std::nullopt;
    if (port.empty()) port = u.https ? "443" : "80";
    if (port.size() > 5) return std::nullopt;
    for (char c : port)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    if (std::stoi(port) < 1 || std::stoi(port) > 65535) return std::nullopt;
    u.port = port;
    return u;
}

namespace {
bool loopback_address(const asio::ip::address& a) {
    if (a.is_loopback() || a.is_unspecified()) return true;
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        const auto v4 = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
        return v4.is_loopback() || v4.is_unspecified();
    }
    return false;
}
}  // namespace

bool loopback_host(const std::string& host) {
    std::string h;
    for (char c : host) h.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    if (h == "localhost" || (h.size() > 10 && h.compare(h.size() - 10, 10, ".localhost") == 0)) return true;
    beast::error_code ec;
    const auto a = asio::ip::make_address(h, ec);
    return !ec && loopback_address(a);
}

namespace {

// One exchange on an event loop of its own, every step under the one deadline of the stream.
template <class Stream>
ClientResponse exchange(asio::io_context& ioc, Stream& stream, const std::function<void(std::function<void()>)>& before,
                        const bhttp::request<bhttp::string_body>& req, std::size_t max_body) {
    ClientResponse out;
    beast::error_code failure;
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_body);
    parser.header_limit(64 * 1024);
    // Declared before the chain so the handlers outlive every step.
    std::function<void()> write_then_read = [&] {
        bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
            if (ec) {
                failure = ec;
                return;
            }
            bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec2, std::size_t) {
                if (ec2) failure = ec2;
            });
        });
    };
    before(write_then_read);
    ioc.run();
    if (failure) throw ClientError(failure == beast::error::timeout ? "no answer within the deadline" : failure.message());
    if (!parser.is_done()) throw ClientError("the answer was not complete");
    const auto& res = parser.get();
    out.status = int(res.result_int());
    out.body = res.body();
    for (auto& f : res) {
        std::string name(f.name_string());
        for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        out.headers.emplace_back(name, std::string(f.value()));
    }
    return out;
}

}  // namespace

ClientResponse send_request(const ClientRequest& r) {
    const auto url = parse_url(r.url);
    if (!url) throw ClientError("not an http:// or https:// URL the client can send to");
    asio::io_context ioc(1);
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    const auto found = resolver.resolve(url->host, url->port, ec);
    if (ec) throw ClientError("cannot resolve " + url->host + ": " + ec.message());
    // SSRF: a name that is not loopback may not lead to this machine.
    std::vector<tcp::endpoint> endpoints;
    const bool loopback_allowed = loopback_host(url->host);
    for (const auto& e : found)
        if (loopback_allowed || !loopback_address(e.endpoint().address())) endpoints.push_back(e.endpoint());
    if (endpoints.empty()) throw ClientError(url->host + " resolves only to this machine's own addresses; refused");

    bhttp::request<bhttp::string_body> req;
    req.version(11);
    req.method_string(r.method);
    req.target(url->target);
    const bool default_port = url->port == (url->https ? "443" : "80");
    const std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
    req.set(bhttp::field::host, default_port ? host : host + ":" + url->port);
    req.set(bhttp::field::user_agent, "keepout");
    req.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : r.headers) req.set(name, value);
    if (!r.body.empty() || r.method == "POST") {
        req.set(bhttp::field::content_type, r.content_type);
        req.body() = r.body;
    }
    req.prepare_payload();

    if (!url->https) {
        beast::tcp_stream stream(ioc);
        stream.expires_after(r.timeout);
        auto before = [&](std::function<void()> next) {
            stream.async_connect(endpoints, [&, next](beast::error_code e, const tcp::endpoint&) {
                if (e) throw ClientError("cannot connect to " + url->host + ":" + url->port + ": " + e.message());
                next();
            });
        };
        return exchange(ioc, stream, before, req, r.max_body);
    }
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str()))
        throw ClientError("cannot set the TLS server name");
    stream.set_verify_callback(asio::ssl::host_name_verification(url->host));
    beast::get_lowest_layer(stream).expires_after(r.timeout);
    auto before = [&](std::function<void()> next) {
        beast::get_lowest_layer(stream).async_connect(endpoints, [&, next](beast::error_code e, const tcp::endpoint&) {
            if (e) throw ClientError("cannot connect to " + url->host + ":" + url->port + ": " + e.message());
            stream.async_handshake(asio::ssl::stream_base::client, [&, next](beast::error_code h) {
                if (h) throw ClientError("TLS with " + url->host + " failed: " + h.message());
                next();
            });
        });
    };
    return exchange(ioc, stream, before, req, r.max_body);
}

}  // namespace keepout::http
