// The outgoing side: which webhook URLs the client takes, what counts as this machine, and the
// signature receivers check.
#include <catch2/catch.hpp>

#include "http/changes.hpp"
#include "http/client.hpp"
#include "http/types.hpp"

using namespace keepout::http;

TEST_CASE("webhook URLs: http and https with a host, nothing else", "[http][client]") {
    auto u = parse_url("https://hooks.example.org/keepout?x=1");
    REQUIRE(u);
    CHECK(u->https);
    CHECK(u->host == "hooks.example.org");
    CHECK(u->port == "443");
    CHECK(u->target == "/keepout?x=1");
    auto v = parse_url("http://[::1]:8081");
    REQUIRE(v);
    CHECK(v->host == "::1");
    CHECK(v->port == "8081");
    CHECK(v->target == "/");
    for (const char* bad : {"ftp://x/", "http://", "http:///path", "http://u:p@host/", "http://host:0/",
                            "http://host:65536/", "http://host:8o/", "http://ho st/", "http://host/a#b",
                            "http://host/\r\nX-Evil: 1", "javascript:alert(1)", "http://[::1/", "HTTP//host"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_url(bad));
    }
}

TEST_CASE("what is this machine: loopback names and addresses", "[http][client][ssrf]") {
    for (const char* h : {"localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0",
                          "::ffff:127.0.0.1", "::"})
        CHECK(loopback_host(h));
    for (const char* h : {"example.org", "10.0.0.1", "192.168.1.1", "localhost.example.org", "128.0.0.1"})
        CHECK_FALSE(loopback_host(h));
}

TEST_CASE("a URL that cannot be sent to is refused before any connection", "[http][client]") {
    ClientRequest r;
    r.url = "gopher://example.org/";
    CHECK_THROWS_AS(send_request(r), ClientError);
}

TEST_CASE("the webhook signature is HMAC-SHA256 in lowercase hex", "[http][webhooks]") {
    // RFC 4231, test case 2.
    CHECK(webhook_signature("Jefe", "what do ya want for nothing?") ==
          "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("SSE text and the resume point", "[http][changes]") {
    CHECK(sse_event({7, R"({"id":7})"}) == "id: 7\ndata: {\"id\":7}\n\n");
    CHECK(sse_preamble(std::chrono::milliseconds(3000)).find("retry: 3000\n") != std::string::npos);
    CHECK(sse_heartbeat().front() == ':');
    const std::string q = "12";
    CHECK(resume_after("", nullptr, 99) == 99);
    CHECK(resume_after("5", &q, 99) == 5);  // the header wins
    CHECK(resume_after("", &q, 99) == 12);
    const std::string bad = "x";
    CHECK_THROWS_AS(resume_after("-1", nullptr, 0), HttpError);
    CHECK_THROWS_AS(resume_after("", &bad, 0), HttpError);
}
