// keepout serve against hostile requests, through the real server on loopback: the corpus of
// tests/data/hostile/requests.tsv plus generated ones (every route with every method, huge
// headers, many parameters, overlong values). After each request the server must still answer
// /healthz, and the request itself must get an answer (never a dropped connection) that is not a
// 5xx; the refused ones get a 4xx.
#include <fstream>
#include <set>

#include "integration/raw_http.hpp"
#include "integration/server.hpp"

using namespace keepout::test;

namespace {

struct Hostile {
    std::string expect;  // "4xx" or "ok" (below 500)
    std::string method, target, headers, body;
    std::string label;   // as written in the corpus, for the report
};

// \xHH and \\ in the corpus.
std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() + 0 && s[i + 1] == 'x') {
            out.push_back(char(std::stoi(s.substr(i + 2, 2), nullptr, 16)));
            i += 3;
        } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
            out.push_back('\\');
            ++i;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) return out;
        start = at + 1;
    }
}

std::vector<Hostile> corpus(const std::string& editor) {
    std::vector<Hostile> out;
    std::ifstream in(with_data_dir("hostile/requests.tsv"));
    REQUIRE(in);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto f = split(line, '\t');
        REQUIRE(f.size() == 5);
        Hostile h{f[0], f[1], unescape(f[2]), "", f[4] == "-" ? "" : unescape(f[4]), f[1] + " " + f[2] + (f[4] == "-" ? "" : " " + f[4].substr(0, 100))};
        if (f[3] != "-")
            for (auto& header : split(f[3], '|')) {
                std::string v = unescape(header);
                if (auto at = v.find("{EDITOR}"); at != std::string::npos) v.replace(at, 8, editor);
                h.headers += v + "\r\n";
            }
        out.push_back(h);
    }
    return out;
}

std::vector<Hostile> generated() {
    std::vector<Hostile> out;
    auto add = [&](std::string expect, std::string method, std::string target, std::string headers, std::string label) {
        out.push_back({std::move(expect), std::move(method), std::move(target), std::move(headers), "", std::move(label)});
    };
    // Every route with every method: the reads answer GET and HEAD (anything below 500 will do),
    // the rest is refused (no token, wrong method, or no such thing).
    const std::vector<std::string> routes{"/healthz", "/metrics", "/api/v1/offlimits", "/api/v1/check?at=42.6,21.1",
                                          "/api/v1/proximity", "/api/v1/patrol", "/api/v1/token", "/api/v1/sites",
                                          "/api/v1/venues", "/api/v1/venues/16", "/api/v1/directives",
                                          "/api/v1/directives/HOM/OL/2026/002", "/api/v1/directives/HOM/OL/2026/002/issue",
                                          "/api/v1/directives/HOM/OL/2026/002/listings", "/ogc", "/ogc/collections",
                                          "/ogc/collections/offlimits/items", "/map.png?width=64&height=64", "/tiles/7/71/47.png",
                                          "/", "/static/app.js", "/vendor/leaflet/leaflet.js", "/no/such/route"};
    for (const auto& route : routes)
        for (const std::string method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
                                         "PROPFIND", "BREW"})
            add(method == "GET" || method == "HEAD" ? "ok" : "4xx", method, route, "", method + " " + route);
    // Overlong values and targets: beyond the header limit (16 KiB) and just inside it.
    add("4xx", "GET", "/api/v1/offlimits?q=" + std::string(20000, 'a'), "", "GET q of 20000 bytes");
    add("4xx", "GET", "/api/v1/offlimits?q=" + std::string(12000, 'a'), "", "GET q of 12000 bytes");
    add("ok", "GET", "/api/v1/check?name=" + std::string(12000, 'x'), "", "GET name of 12000 bytes");  // cheap: 0.1 s
    add("4xx", "GET", "/api/v1/check?at=" + std::string(12000, '4'), "", "GET at of 12000 digits");
    add("4xx", "GET", "/api/v1/proximity?radius=" + [] {
        std::string s;
        for (int i = 0; i < 2000; ++i) s += (i ? "," : "") + std::to_string(i + 1);
        return s;
    }(), "", "GET 2000 radii");
    add("4xx", "GET", "/" + std::string(15000, 'a'), "", "GET a path of 15000 bytes");
    add("4xx", "GET", "/static/" + [] {
        std::string s;
        for (int i = 0; i < 3000; ++i) s += "../";
        return s;
    }() + "etc/passwd", "", "GET /static/ with 3000 ../");
    // Many parameters.
    std::string many;
    for (int i = 0; i < 2000; ++i) many += "&p" + std::to_string(i) + "=1";
    add("4xx", "GET", "/api/v1/offlimits?" + many.substr(1), "", "GET 2000 parameters");
    std::string same;
    for (int i = 0; i < 2000; ++i) same += "&limit=" + std::to_string(i);
    add("ok", "GET", "/api/v1/offlimits?" + same.substr(1), "", "GET limit 2000 times");
    // Huge headers and many headers.
    add("4xx", "GET", "/healthz", "X-Big: " + std::string(40000, 'b') + "\r\n", "GET with a 40000-byte header");
    std::string headers;
    for (int i = 0; i < 3000; ++i) headers += "X-" + std::to_string(i) + ": v\r\n";
    add("4xx", "GET", "/healthz", headers, "GET with 3000 headers");
    std::string fewer;
    for (int i = 0; i < 500; ++i) fewer += "X-" + std::to_string(i) + ": v\r\n";
    add("4xx", "GET", "/api/v1/offlimits?limit=0", fewer, "GET limit=0 with 500 headers");
    // A write body past the limit (1 MiB): 413, whether announced or chunked.
    out.push_back({"4xx", "POST", "/api/v1/venues", "Content-Type: application/json\r\n",
                   "{\"name\":\"" + std::string(2 << 20, 'x') + "\"}", "POST a body of 2 MiB"});
    std::string chunked;
    for (int i = 0; i < 40; ++i) chunked += "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
    out.push_back({"4xx", "POST", "/api/v1/directives", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                   chunked + "0\r\n\r\n", "POST a chunked body of 2.5 MiB"});
    return out;
}

// Words of the implementation that an answer must never show.
bool internal_text(const std::string& body) {
    for (const char* word : {"std::", "basic_string", "what()", "json.exception", "sqlite", "SQLITE", "terminate", ".cpp",
                             "boost::", "Segmentation", "/work/", "/usr/"})
        if (body.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("hostile requests: each gets a 4xx (or a plain answer), never a 5xx or a dropped connection, and the "
          "server stays up",
          "[server][hostile]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    auto t = run_keepout(db, {"token", "create", "--role", "editor", "--name", "Hostile Editor"});
    REQUIRE(t.exit_code == 0);
    const std::string editor = t.out.substr(0, t.out.find('\n'));
    auto server = std::make_unique<ServerProcess>(db);

    auto requests = corpus(editor);
    REQUIRE(requests.size() > 500);
    for (auto& g : generated()) requests.push_back(g);

    std::vector<std::string> failures;
    for (const auto& h : requests) {
        std::string bytes = h.method + " " + h.target + " HTTP/1.1\r\n";
        if (h.headers.find("Host:") == std::string::npos) bytes += "Host: 127.0.0.1\r\n";
        bytes += h.headers;
        if (!h.body.empty() && h.headers.find("Content-Length") == std::string::npos &&
            h.headers.find("Transfer-Encoding") == std::string::npos)
            bytes += "Content-Length: " + std::to_string(h.body.size()) + "\r\n";
        bytes += "Connection: close\r\n\r\n" + h.body;
        const RawAnswer a = raw_exchange(server->port(), bytes);
        std::string problem;
        if (!a.answered) problem = "no answer (connection dropped)";
        else if (a.status >= 500) problem = "status " + std::to_string(a.status) + (internal_text(a.body) ? " with internal text" : "");
        else if (h.expect == "4xx" && (a.status < 400 || a.status >= 500)) problem = "status " + std::to_string(a.status) + ", not 4xx";
        else if (internal_text(a.body) && a.status >= 500) problem = "internal text in the answer";
        // A request that kills the server usually loses its answer; the process takes a moment to
        // go, and /healthz must not be answered by a thread that has not yet gone with it.
        if (!a.answered) std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const RawAnswer health = raw_get(server->port(), "/healthz");
        if (!health.answered || health.status != 200) {
            // Noted, and a new server for the rest, so one run lists every request that kills it.
            const std::string out = server->output();
            failures.push_back(h.label.substr(0, 200) + ": the server died (" + out.substr(out.find('\n') + 1, 300) + ")");
            server.reset();
            server = std::make_unique<ServerProcess>(db);
            continue;
        }
        if (!problem.empty()) failures.push_back(h.label.substr(0, 200) + ": " + problem + " " + a.body.substr(0, 200));
    }
    std::string report;
    for (auto& f : failures) report += f + "\n";
    INFO(failures.size() << " of " << requests.size() << " requests failed:\n" << report);
    CHECK(failures.empty());
    CHECK(server->stop() == 0);
}

TEST_CASE("security headers on every answer, CORS only for configured origins, Host never reflected",
          "[server][hostile][headers]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);

    SECTION("without --cors-origin") {
        ServerProcess server(db);
        for (const std::string target : {"/", "/healthz", "/api/v1/offlimits?limit=1", "/ogc?f=html", "/no/such/thing",
                                          "/api/v1/check?at=95,21", "/static/%2e%2e/x", "/tiles/7/71/47.png"}) {
            const RawAnswer a = raw_get(server.port(), target, "Origin: https://evil.example\r\n");
            INFO(target << "\n" << a.head);
            REQUIRE(a.answered);
            CHECK(a.head.find("\r\nContent-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';") !=
                  std::string::npos);
            CHECK(a.head.find("frame-ancestors 'none'") != std::string::npos);
            CHECK(a.head.find("\r\nX-Content-Type-Options: nosniff") != std::string::npos);
            CHECK(a.head.find("\r\nX-Frame-Options: DENY") != std::string::npos);
            CHECK(a.head.find("\r\nReferrer-Policy: no-referrer") != std::string::npos);
            CHECK(a.head.find("Access-Control-") == std::string::npos);
        }
        // A malformed request is answered by the transport itself, with the same headers.
        const RawAnswer bad = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n");
        REQUIRE(bad.answered);
        CHECK(bad.status == 400);
        CHECK(bad.head.find("X-Frame-Options: DENY") != std::string::npos);
        // No preflight without configured origins.
        const RawAnswer pre = raw_exchange(server.port(), "OPTIONS /api/v1/venues HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: "
                                                          "https://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                                                          "Connection: close\r\n\r\n");
        REQUIRE(pre.answered);
        CHECK(pre.status >= 400);
        CHECK(pre.status < 500);
        CHECK(pre.head.find("Access-Control-") == std::string::npos);

        // Host: links name a valid host, an invalid one is refused, never printed.
        const RawAnswer ok = raw_get(server.port(), "/ogc", "Host: keepout.mission.example:8443\r\n");
        CHECK(ok.status == 200);
        CHECK(ok.body.find("\"http://keepout.mission.example:8443/ogc/collections\"") != std::string::npos);
        for (const std::string host : {"evil.example\"><script>alert(1)</script>", "a b", "x@evil.example", "evil.example/p",
                                        "evil.example:99999", "\xff\xfe", "[::1", "[::1]x"}) {
            for (const std::string target : {"/ogc", "/ogc?f=html", "/ogc/collections?f=html",
                                              "/ogc/collections/offlimits/items?f=html"}) {
                const RawAnswer a = raw_exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host +
                                                                    "\r\nConnection: close\r\n\r\n");
                INFO(host << " " << target);
                REQUIRE(a.answered);
                CHECK(a.status == 400);
                CHECK(a.body.find(host) == std::string::npos);
                CHECK(a.body.find("<script>") == std::string::npos);
            }
        }
        const RawAnswer ipv6 = raw_get(server.port(), "/ogc", "Host: [::1]:8080\r\n");
        CHECK(ipv6.status == 200);
        CHECK(ipv6.body.find("http://[::1]:8080/ogc") != std::string::npos);
        // The OGC pages link their stylesheet (no inline style), which is served.
        const RawAnswer page = raw_get(server.port(), "/ogc/collections/offlimits/items?f=html&limit=3");
        CHECK(page.status == 200);
        CHECK(page.body.find("<style") == std::string::npos);
        CHECK(page.body.find("href=\"/ogc/style.css\"") != std::string::npos);
        const RawAnswer css = raw_get(server.port(), "/ogc/style.css");
        CHECK(css.status == 200);
        CHECK(css.head.find("Content-Type: text/css") != std::string::npos);
        CHECK(server.stop() == 0);
    }
    SECTION("with --cors-origin") {
        ServerProcess server(db, {"--cors-origin", "https://ops.mission.example", "--cors-origin", "http://10.0.0.5:8080"});
        const RawAnswer a = raw_get(server.port(), "/api/v1/offlimits?limit=1", "Origin: https://ops.mission.example\r\n");
        CHECK(a.status == 200);
        CHECK(a.head.find("\r\nAccess-Control-Allow-Origin: https://ops.mission.example") != std::string::npos);
        CHECK(a.head.find("\r\nVary: Origin") != std::string::npos);
        const RawAnswer other = raw_get(server.port(), "/api/v1/offlimits?limit=1", "Origin: https://evil.example\r\n");
        CHECK(other.status == 200);
        CHECK(other.head.find("Access-Control-Allow-Origin") == std::string::npos);
        const std::string preflight = "OPTIONS /api/v1/venues HTTP/1.1\r\nHost: 127.0.0.1\r\nAccess-Control-Request-Method: "
                                      "POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\nConnection: close\r\n";
        const RawAnswer pre = raw_exchange(server.port(), preflight + "Origin: http://10.0.0.5:8080\r\n\r\n");
        CHECK(pre.status == 204);
        CHECK(pre.head.find("\r\nAccess-Control-Allow-Origin: http://10.0.0.5:8080") != std::string::npos);
        CHECK(pre.head.find("\r\nAccess-Control-Allow-Headers: Authorization, Content-Type") != std::string::npos);
        CHECK(pre.head.find("\r\nAccess-Control-Allow-Methods: GET, HEAD, POST, PATCH") != std::string::npos);
        const RawAnswer refused = raw_exchange(server.port(), preflight + "Origin: https://evil.example\r\n\r\n");
        CHECK(refused.status == 403);
        CHECK(refused.head.find("Access-Control-Allow-Origin") == std::string::npos);
        CHECK(server.stop() == 0);
    }
    SECTION("--cors-origin refuses what is not an origin") {
        for (const std::string bad : {"evil.example", "https://a.example/", "https://a.example/path", "ftp://a.example", "https://"}) {
            auto r = run_keepout(db, {"serve", "--listen", "127.0.0.1:0", "--cors-origin", bad});
            INFO(bad << ": " << r.err);
            CHECK(r.exit_code != 0);
            CHECK(r.err.find("--cors-origin") != std::string::npos);
        }
    }
}
