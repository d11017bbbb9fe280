// keepout serve on loopback, driven by real clients: curl for every route and error, GDAL's OAPIF
// driver, concurrent writers and readers, SIGTERM under load.
#include <atomic>
#include <set>
#include <thread>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

struct Served {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    Served() { load_sample(db); }
    std::string token(const std::string& role, const std::string& name) {
        auto r = run_keepout(db, {"token", "create", "--role", role, "--name", name});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::string t = r.out.substr(0, r.out.find('\n'));
        REQUIRE(t.rfind("ko_", 0) == 0);
        return t;
    }
};

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token; }

}  // namespace

TEST_CASE("read routes answer with the contract's shapes", "[server]") {
    Served s;
    ServerProcess server(s.db);

    auto health = get(server.url("/healthz"));
    REQUIRE(health.status == 200);
    CHECK(health.json()["status"] == "ok");
    const auto version = health.json()["list_version"].get<long>();

    auto list = get(server.url("/api/v1/offlimits?as_of=2026-06-01"));
    REQUIRE(list.status == 200);
    CHECK(list.header("Content-Type") == "application/geo+json");
    CHECK(list.header("ETag") == "\"" + std::to_string(version) + "\"");
    CHECK(list.json()["features"].size() == 114);
    CHECK(list.json()["features"][0]["properties"].contains("listed_since"));

    SECTION("If-None-Match with the list version gives 304") {
        auto again = get(server.url("/api/v1/offlimits?as_of=2026-06-01"), {"If-None-Match: " + list.header("ETag")});
        CHECK(again.status == 304);
        CHECK(again.body.empty());
    }
    SECTION("filters, paging and bad parameters") {
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-06-01&category=nightclub")).json()["features"].size() > 0);
        auto page = get(server.url("/api/v1/offlimits?as_of=2026-06-01&limit=10&offset=110")).json();
        CHECK(page["features"].size() == 4);
        CHECK(page["numberMatched"] == 114);
        auto box = get(server.url("/api/v1/offlimits?as_of=2026-06-01&bbox=21.0,42.5,21.3,42.8")).json();
        CHECK(box["features"].size() < 114);
        for (auto& f : box["features"]) CHECK(f["properties"]["municipality"].is_string());
        CHECK(get(server.url("/api/v1/offlimits?bbox=21.3,42.5,21.0,42.8")).status == 400);
        CHECK(get(server.url("/api/v1/offlimits?limit=0")).status == 400);
        CHECK(get(server.url("/api/v1/offlimits?limit=10001")).status == 400);
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-13-01")).json()["error"]["code"] == "bad-date");
        CHECK(get(server.url("/api/v1/offlimits?colour=red")).status == 400);
        CHECK(get(server.url("/api/v1/offlimits?as_of=2026-01-01")).json()["features"].empty());
    }
    SECTION("checks by position and by name") {
        auto at = get(server.url("/api/v1/check?at=42.6632737,21.1650847&as_of=2026-06-01"));
        REQUIRE(at.status == 200);
        CHECK(at.json()["verdict"] == "off-limits");
        CHECK(at.json()["matches"][0]["distance_m"] == 0.0);
        auto name = get(server.url("/api/v1/check?name=%D0%9C%D0%BE%D1%82%D0%B5%D0%BB%20%D0%9F%D0%BB%D0%B0%D0%B2%D0%B8%20"
                                   "%D0%9A%D0%B5%D1%81%D1%82%D0%B5%D0%BD"));
        CHECK(name.json()["verdict"] == "off-limits");
        auto bad = get(server.url("/api/v1/check?at=95,21"));
        CHECK(bad.status == 400);
        CHECK(bad.json()["error"]["code"] == "bad-coordinate");
        CHECK(get(server.url("/api/v1/check")).status == 400);
        CHECK(get(server.url("/api/v1/check?at=42.6,21.1&radius=-5")).status == 400);
    }
    SECTION("proximity, venues with history, directives, sites") {
        auto p = get(server.url("/api/v1/proximity?as_of=2026-06-01&radius=1000,5000"));
        REQUIRE(p.status == 200);
        CHECK(p.json()["rings"] == json({1000, 5000}));
        auto csv = get(server.url("/api/v1/proximity?f=csv"));
        CHECK(csv.body.rfind("site,venue,external_id,distance_m,bearing_deg", 0) == 0);
        auto v = get(server.url("/api/v1/venues/16"));
        REQUIRE(v.status == 200);
        CHECK(v.json()["history"].size() >= 1);
        CHECK(get(server.url("/api/v1/venues/99999")).status == 404);
        auto ds = get(server.url("/api/v1/directives")).json();
        CHECK(ds["directives"].size() == 4);
        auto d = get(server.url("/api/v1/directives/HOM/OL/2026/002"));
        REQUIRE(d.status == 200);
        CHECK(d.json()["listings"].size() == 24);
        CHECK(get(server.url("/api/v1/directives/NOPE")).status == 404);
        CHECK(get(server.url("/api/v1/sites")).json()["features"].size() == 19);
        CHECK(get(server.url("/no/such/thing")).status == 404);
        CHECK(curl("DELETE", server.url("/api/v1/offlimits")).status == 405);
    }
    SECTION("metrics in Prometheus text") {
        get(server.url("/healthz"));
        auto m = get(server.url("/metrics"));
        CHECK(m.body.find("keepout_http_requests_total{route=\"/healthz\",status=\"200\"}") != std::string::npos);
        CHECK(m.body.find("keepout_http_request_duration_seconds_bucket") != std::string::npos);
        CHECK(m.body.find("keepout_list_version " + std::to_string(version)) != std::string::npos);
    }
    CHECK(server.stop() == 0);
    CHECK(server.access_log().find("\"GET /healthz HTTP/1.1\" 200") != std::string::npos);
}

TEST_CASE("writes need tokens with the right role, and the drafter cannot issue", "[server][auth]") {
    Served s;
    const auto editor = s.token("editor", "Editor Ana");
    const auto approver = s.token("approver", "Approver Ben");
    const auto reader = s.token("reader", "Reader Cem");
    ServerProcess server(s.db);
    const std::string draft = R"({"ref":"HOM/OL/2026/060","title":"Amendment","signed":"2026-11-01","effective":"2026-11-02"})";

    CHECK(curl("POST", server.url("/api/v1/directives"), {}, draft).status == 401);
    CHECK(curl("POST", server.url("/api/v1/directives"), {bearer("ko_1_nonsense")}, draft).status == 401);
    CHECK(curl("POST", server.url("/api/v1/directives"), {bearer(reader)}, draft).status == 403);
    auto created = curl("POST", server.url("/api/v1/directives"), {bearer(editor)}, draft);
    INFO(created.body);
    REQUIRE(created.status == 201);
    CHECK(created.json()["status"] == "draft");
    CHECK(curl("POST", server.url("/api/v1/directives"), {bearer(editor)}, draft).status == 409);  // exists

    auto placed = curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/listings"), {bearer(editor)},
                       R"({"action":"place","venues":["KV-026-0005"],"reasons":["trafficking"]})");
    REQUIRE(placed.status == 201);
    CHECK(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/listings"), {bearer(editor)},
               R"({"action":"place","venues":["NO-SUCH"],"reasons":["trafficking"]})")
              .status == 404);
    CHECK(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/listings"), {bearer(editor)}, "{not json").status == 400);

    REQUIRE(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/submit"), {bearer(editor)}).status == 200);
    // An editor may not issue; an approver who drafted may not either.
    CHECK(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/issue"), {bearer(editor)}).status == 403);
    const std::string own = R"({"ref":"HOM/OL/2026/061","title":"Own","signed":"2026-11-01","effective":"2026-11-02"})";
    REQUIRE(curl("POST", server.url("/api/v1/directives"), {bearer(approver)}, own).status == 201);
    REQUIRE(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/061/listings"), {bearer(approver)},
                 R"({"venues":["KV-026-0006"],"reasons":["prostitution"]})")
                .status == 201);
    REQUIRE(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/061/submit"), {bearer(approver)}).status == 200);
    auto self_issue = curl("POST", server.url("/api/v1/directives/HOM/OL/2026/061/issue"), {bearer(approver)});
    CHECK(self_issue.status == 409);
    CHECK(self_issue.json()["error"]["message"].get<std::string>().find("may not also issue") != std::string::npos);

    const long before = get(server.url("/healthz")).json()["list_version"];
    auto issued = curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/issue"), {bearer(approver)});
    INFO(issued.body);
    REQUIRE(issued.status == 200);
    CHECK(issued.json()["status"] == "issued");
    CHECK(issued.json()["list_version"].get<long>() > before);
    // The new snapshot is served at once.
    auto check = get(server.url("/api/v1/check?name=Klub%20Nate%20Dall%C3%ABndyshja%20e%20Lindjes&as_of=2026-11-05")).json();
    CHECK(check["verdict"] == "off-limits");
    CHECK(curl("POST", server.url("/api/v1/directives/HOM/OL/2026/060/issue"), {bearer(approver)}).status == 409);

    // Venues: a new point, then a rename that keeps the old name as a former one.
    auto venue = curl("POST", server.url("/api/v1/venues"), {bearer(editor)},
                      R"({"type":"Feature","geometry":{"type":"Point","coordinates":[21.15,42.66]},
                          "properties":{"name":"Bar Test","category":"bar","external_id":"T-100"}})");
    REQUIRE(venue.status == 201);
    const auto id = venue.json()["id"].get<long>();
    auto renamed = curl("PATCH", server.url("/api/v1/venues/" + std::to_string(id)), {bearer(editor)},
                        R"({"name":"Bar Test Renamed"})");
    REQUIRE(renamed.status == 200);
    CHECK(renamed.json()["former_names"] == json({"Bar Test"}));
    CHECK(curl("POST", server.url("/api/v1/venues"), {bearer(editor)},
               R"({"type":"Feature","geometry":{"type":"Point","coordinates":[21.15,95]},"properties":{"name":"X"}})")
              .status == 400);

    // Every write is in the audit log under the token's holder, and the chain holds.
    auto log = run_keepout(s.db, {"audit", "log", "--limit", "50", "--format", "json"}).json();
    std::set<std::string> actors;
    for (auto& row : log) actors.insert(row["actor"].get<std::string>());
    CHECK(actors.count("Approver Ben (token 2)") == 1);
    CHECK(run_keepout(s.db, {"audit", "verify"}).exit_code == 0);
}

TEST_CASE("concurrent writers and readers: no lost update, versions strictly increase", "[server][concurrency]") {
    Served s;
    const auto editor = s.token("editor", "Editor Ana");
    ServerProcess server(s.db, {"--threads", "4"});
    const long start = get(server.url("/healthz")).json()["list_version"];
    auto first = curl("POST", server.url("/api/v1/directives"), {bearer(editor)},
                      R"({"ref":"C/start","title":"t","signed":"2026-11-01","effective":"2026-11-02"})");
    REQUIRE(first.status == 201);
    const long start_draft = first.json()["draft_revision"];
    constexpr int kWriters = 4, kEach = 6;
    std::vector<std::vector<long>> seen(kWriters);
    std::atomic<int> failures{0}, reads{0};
    std::atomic<bool> writing{true};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w)
        threads.emplace_back([&, w] {
            for (int i = 0; i < kEach; ++i) {
                const std::string ref = "C/" + std::to_string(w) + "/" + std::to_string(i);
                auto r = curl("POST", server.url("/api/v1/directives"), {bearer(editor)},
                              R"({"ref":")" + ref + R"(","title":"t","signed":"2026-11-01","effective":"2026-11-02"})");
                if (r.status != 201) {
                    ++failures;
                    continue;
                }
                seen[std::size_t(w)].push_back(r.json()["draft_revision"]);
            }
        });
    std::thread reader([&] {
        while (writing) {
            auto r = get(server.url("/api/v1/check?at=42.6632737,21.1650847"));
            if (r.status != 200) ++failures;
            ++reads;
        }
    });
    for (auto& t : threads) t.join();
    writing = false;
    reader.join();
    CHECK(failures == 0);
    CHECK(reads > 0);
    // Drafts have their own revision: every draft took one number of it, none was lost or taken twice,
    // and the list version did not move.
    std::set<long> all;
    for (auto& versions : seen) {
        for (std::size_t i = 1; i < versions.size(); ++i) CHECK(versions[i] > versions[i - 1]);
        all.insert(versions.begin(), versions.end());
    }
    CHECK(all.size() == std::size_t(kWriters * kEach));
    CHECK(*all.begin() == start_draft + 1);
    CHECK(*all.rbegin() == start_draft + kWriters * kEach);
    CHECK(get(server.url("/healthz")).json()["list_version"].get<long>() == start);
    CHECK(get(server.url("/api/v1/directives")).json()["directives"].size() == 5 + kWriters * kEach);
}

TEST_CASE("GDAL's OAPIF driver reads every listed venue across pages", "[server][ogc]") {
    Served s;
    ServerProcess server(s.db);
    auto info = run_program({"ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=25", "OAPIF:" + server.url("/ogc"), "offlimits"});
    INFO(info.err);
    REQUIRE(info.exit_code == 0);
    const long listed = get(server.url("/healthz")).json()["listed"];
    CHECK(info.out.find("Feature Count: " + std::to_string(listed)) != std::string::npos);
    auto all = run_program({"ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=25", "OAPIF:" + server.url("/ogc"), "offlimits"});
    REQUIRE(all.exit_code == 0);
    std::size_t features = 0;
    for (std::size_t pos = 0; (pos = all.out.find("OGRFeature(offlimits)", pos)) != std::string::npos; ++pos) ++features;
    CHECK(features == std::size_t(listed));
    REQUIRE(server.stop() == 0);  // flushes the access log
    CHECK(server.access_log().find("offset=25") != std::string::npos);  // it really paged
}

TEST_CASE("OGC API routes: landing, conformance, collections, items, CRS, errors", "[server][ogc]") {
    Served s;
    ServerProcess server(s.db);
    auto landing = get(server.url("/ogc")).json();
    CHECK(landing["links"].size() >= 4);
    auto conf = get(server.url("/ogc/conformance")).json();
    CHECK(conf["conformsTo"].size() == 7);  // Parts 1 and 2, and Part 3's queryables
    CHECK(get(server.url("/ogc/api")).json()["openapi"] == "3.0.3");
    auto items = get(server.url("/ogc/collections/offlimits/items?limit=5&datetime=2026-06-01"));
    REQUIRE(items.status == 200);
    auto fc = items.json();
    CHECK(fc["numberMatched"] == 114);
    CHECK(fc["numberReturned"] == 5);
    CHECK(fc.contains("timeStamp"));
    bool next = false;
    for (auto& l : fc["links"]) next = next || l["rel"] == "next";
    CHECK(next);
    auto utm = get(server.url("/ogc/collections/offlimits/items?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/32634"));
    CHECK(utm.header("Content-Crs") == "<http://www.opengis.net/def/crs/EPSG/0/32634>");
    auto c = utm.json()["features"][0]["geometry"]["coordinates"];
    while (c[0].is_array()) c = c[0];
    CHECK(c[0].get<double>() > 100000);  // metres, not degrees
    auto boxed = get(server.url("/ogc/collections/sites/items?bbox=500000,4700000,530000,4740000&bbox-crs="
                                "http://www.opengis.net/def/crs/EPSG/0/32634"));
    CHECK(boxed.status == 200);
    CHECK(boxed.json()["numberMatched"].get<long>() < 19);
    CHECK(get(server.url("/ogc/collections/offlimits/items?limit=0")).status == 400);
    CHECK(get(server.url("/ogc/collections/offlimits/items?unknown=1")).status == 400);
    CHECK(get(server.url("/ogc/collections/offlimits/items?bbox=22,43,21,42")).status == 400);
    CHECK(get(server.url("/ogc/collections/nope")).status == 404);
    auto html = get(server.url("/ogc/collections/offlimits/items?f=html"));
    CHECK(html.header("Content-Type").find("text/html") == 0);
    CHECK(html.body.find("Off-Limits locations") != std::string::npos);
    CHECK(get(server.url("/ogc/collections/offlimits/items/2")).json()["properties"]["external_id"] == "KV-026-0002");
}

TEST_CASE("SIGTERM under load: requests in flight finish, the server exits cleanly", "[server][shutdown]") {
    Served s;
    ServerProcess server(s.db, {"--threads", "2"});
    std::atomic<bool> go{true};
    std::atomic<int> ok{0}, refused{0}, broken{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < 3; ++c)
        clients.emplace_back([&] {
            while (go) {
                auto r = get(server.url("/api/v1/offlimits"));
                if (r.status == 200) {
                    // A response that arrives is whole: its JSON parses.
                    try {
                        (void)r.json();
                        ++ok;
                    } catch (...) {
                        ++broken;
                    }
                } else {
                    ++refused;  // after the stop: connection refused
                }
            }
        });
    while (ok < 20) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const int code = server.stop();
    go = false;
    for (auto& t : clients) t.join();
    CHECK(code == 0);
    CHECK(broken == 0);
    CHECK(server.output().find("stopped cleanly") != std::string::npos);
    auto integrity = run_program({"sqlite3", s.db, "PRAGMA integrity_check"});
    CHECK(integrity.out == "ok\n");
}

TEST_CASE("SIGTERM while a map is being drawn: the map is delivered, then the server exits cleanly", "[server][shutdown]") {
    Served s;
    ServerProcess server(s.db, {"--threads", "2"});
    HttpResult map;
    std::thread client([&] { map = get(server.url("/map.png?page=A3&dpi=600")); });
    // The map's connection is open (the /metrics request is the other one) before the signal.
    for (;;) {
        const std::string m = get(server.url("/metrics")).body;
        const auto at = m.find("\nkeepout_open_connections ");
        if (at != std::string::npos && std::atoi(m.c_str() + at + 26) >= 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // curl sends the request as soon as it connects; a little later it is on a worker.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int code = server.stop();
    client.join();
    CHECK(code == 0);
    REQUIRE(map.status == 200);
    CHECK(map.body.compare(1, 3, "PNG") == 0);
    CHECK(server.output().find("stopped cleanly") != std::string::npos);
}

TEST_CASE("HTTPS with --tls-cert and --tls-key: verified by curl, refused in plain HTTP", "[server][tls]") {
    // Browsers give a page the device's position only over HTTPS (or on localhost): this is what
    // lets "check where I am" work from a phone on the mission network.
    Served s;
    TempDir keys;
    const std::string cert = keys.file("cert.pem"), key = keys.file("key.pem");
    auto made = run_program({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    ServerProcess server(s.db, {"--threads", "2", "--tls-cert", cert, "--tls-key", key});
    CHECK(server.output().find("on https://127.0.0.1:") != std::string::npos);
    const std::string base = "https://127.0.0.1:" + std::to_string(server.port());
    auto https = [&](const std::string& path, std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{"curl", "-sS", "-g", "--cacert", cert, "-w", "\n%{http_code}", base + path};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run_program(argv);
    };
    auto check = https("/api/v1/check?at=42.6629,21.1655");
    INFO(check.err);
    REQUIRE(check.exit_code == 0);
    const auto split = check.out.rfind('\n');
    CHECK(check.out.substr(split + 1) == "200");
    CHECK(json::parse(check.out.substr(0, split))["verdict"] == "off-limits");
    // A map comes back over TLS from the worker pool too; several requests share one connection.
    auto two = https("/healthz", {"--next", "--cacert", cert, "-o", "/dev/null", "-w", "\n%{http_code}", base + "/map.png?page=A4&dpi=40"});
    CHECK(two.exit_code == 0);
    CHECK(two.out.substr(two.out.rfind('\n') + 1) == "200");
    // The certificate is checked by the client: without the CA, curl refuses it.
    CHECK(run_program({"curl", "-sS", base + "/healthz"}).exit_code != 0);
    // Plain HTTP on the TLS port gets no answer, and the server carries on.
    CHECK(run_program({"curl", "-sS", "http://127.0.0.1:" + std::to_string(server.port()) + "/healthz"}).exit_code != 0);
    CHECK(https("/healthz").exit_code == 0);
    CHECK(server.stop() == 0);
    // Only both files, and only a key that matches the certificate.
    TempDir other;
    const std::string cert2 = other.file("cert.pem"), key2 = other.file("key.pem");
    REQUIRE(run_program({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key2, "-out", cert2,
                         "-days", "2", "-subj", "/CN=other"}).exit_code == 0);
    auto mismatch = run_keepout(s.db, {"serve", "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key2});
    CHECK(mismatch.exit_code != 0);
    CHECK_THAT(mismatch.err, Catch::Matchers::Contains("key values mismatch"));
    auto alone = run_keepout(s.db, {"serve", "--listen", "127.0.0.1:0", "--tls-cert", cert});
    CHECK(alone.exit_code != 0);
    CHECK_THAT(alone.err, Catch::Matchers::Contains("--tls-key"));
    auto missing = run_keepout(s.db, {"serve", "--listen", "127.0.0.1:0", "--tls-cert", keys.file("none.pem"), "--tls-key", key});
    CHECK(missing.exit_code != 0);
    CHECK_THAT(missing.err, Catch::Matchers::Contains("none.pem"));
}

TEST_CASE("maps over HTTP: PDF, PNG and Web Mercator tiles", "[server][maps]") {
    Served s;
    ServerProcess server(s.db);
    auto png_size = [](const std::string& png) {
        REQUIRE(png.size() > 24);
        REQUIRE(png.compare(1, 3, "PNG") == 0);
        auto be32 = [&](std::size_t at) {
            return (unsigned(std::uint8_t(png[at])) << 24) | (unsigned(std::uint8_t(png[at + 1])) << 16) |
                   (unsigned(std::uint8_t(png[at + 2])) << 8) | unsigned(std::uint8_t(png[at + 3]));
        };
        return std::pair<unsigned, unsigned>{be32(16), be32(20)};
    };
    auto pdf = get(server.url("/map.pdf?as_of=2026-06-01&page=A4"));
    REQUIRE(pdf.status == 200);
    CHECK(pdf.header("Content-Type") == "application/pdf");
    CHECK(pdf.body.rfind("%PDF", 0) == 0);

    auto png = get(server.url("/map.png?as_of=2026-06-01&page=A4&dpi=50"));
    REQUIRE(png.status == 200);
    auto [w, h] = png_size(png.body);
    CHECK(std::min(w, h) > 300);  // an A4 page at 50 dpi is about 413 × 585 pixels

    // Kosovo lies in tile 35/23 at zoom 6.
    auto tile = get(server.url("/tiles/6/35/23.png"));
    REQUIRE(tile.status == 200);
    CHECK(png_size(tile.body) == std::pair<unsigned, unsigned>{256, 256});
    auto again = get(server.url("/tiles/6/35/23.png"));
    CHECK(again.body == tile.body);  // from the cache, same list version
    CHECK(get(server.url("/tiles/6/35/23.png"), {"If-None-Match: " + tile.header("ETag")}).status == 304);

    // Tiles of one block asked for at once, as a browser does: each answer is its own tile, the
    // same as asked for again one by one afterwards.
    {
        std::vector<std::string> paths;
        for (int x = 4576; x < 4580; ++x)
            for (int y = 3018; y < 3020; ++y)
                paths.push_back("/tiles/13/" + std::to_string(x) + "/" + std::to_string(y) + ".png");
        std::vector<HttpResult> at_once(paths.size());
        std::vector<std::thread> clients;
        for (std::size_t i = 0; i < paths.size(); ++i) clients.emplace_back([&, i] { at_once[i] = get(server.url(paths[i])); });
        for (auto& c : clients) c.join();
        std::set<std::string> distinct;
        for (std::size_t i = 0; i < paths.size(); ++i) {
            CAPTURE(paths[i]);
            REQUIRE(at_once[i].status == 200);
            CHECK(at_once[i].body == get(server.url(paths[i])).body);
            distinct.insert(at_once[i].body);
        }
        CHECK(distinct.size() > 1);  // not one tile handed out for all
    }
    CHECK(get(server.url("/tiles/6/64/23.png")).status == 404);
    CHECK(get(server.url("/tiles/x/y/z.png")).status == 404);
    CHECK(get(server.url("/map.png?dpi=5000")).status == 400);
    CHECK(get(server.url("/map.pdf?style=../../etc/passwd")).status == 400);
    CHECK(get(server.url("/map.pdf?bbox=21.5,42,21,43")).status == 400);
}

TEST_CASE("point checks are answered while maps are being drawn", "[server][maps][concurrency]") {
    // Maps run on the worker pool, not on the event loops that carry the checks: with both server
    // threads' worth of large maps in progress, checks still come back before either map does.
    Served s;
    ServerProcess server(s.db, {"--threads", "2"});
    std::atomic<int> maps_done{0};
    std::vector<std::thread> maps;
    std::vector<int> map_status(2, 0);
    for (int i = 0; i < 2; ++i)
        maps.emplace_back([&, i] {
            map_status[std::size_t(i)] = get(server.url("/map.png?page=A3&dpi=600&landscape=" + std::string(i ? "true" : "false"))).status;
            ++maps_done;
        });
    // Both map connections are open before the checks start.
    auto open_connections = [&] {
        const std::string m = get(server.url("/metrics")).body;
        const std::string key = "\nkeepout_open_connections ";
        const auto at = m.find(key);
        return at == std::string::npos ? 0 : std::atoi(m.c_str() + at + key.size());
    };
    while (open_connections() < 3 && maps_done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    int answered_before_maps = 0;
    for (int i = 0; i < 5; ++i) {
        auto r = get(server.url("/api/v1/check?at=42.6629,21.1655"));
        REQUIRE(r.status == 200);
        if (maps_done == 0) ++answered_before_maps;
    }
    for (auto& t : maps) t.join();
    CHECK(map_status == std::vector<int>{200, 200});
    CHECK(answered_before_maps == 5);
    // The access log (complete once the server has stopped) has each check's line before either map's.
    REQUIRE(server.stop() == 0);
    const std::string log = server.access_log();
    const auto last_check = log.rfind("GET /api/v1/check");
    const auto first_map = log.find("GET /map.png");
    REQUIRE(last_check != std::string::npos);
    REQUIRE(first_map != std::string::npos);
    CHECK(last_check < first_map);
}
