// The HTTP layer through Service::handle, no sockets: routing, methods, every route's parameters
// (driven by the tables of http/params.cpp, so a parameter added there is tested here), writes
// that need a token, ETag and 304, and ids and numbers that only look like whole numbers.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "http/params.hpp"
#include "publish/publication.hpp"
#include "store/mission.hpp"
#include "store/publications.hpp"
#include "unit/http/service_fixture.hpp"

using namespace keepout;
using keepout::test::header_of;
using keepout::test::ServiceFixture;
using nlohmann::json;

namespace {

std::string code_of(const http::Response& r) {
    const json j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}
std::string message_of(const http::Response& r) {
    const json j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("message", "") : "";
}

// How the tests reach each table's route: method, a path, a query that makes the rest of the
// request valid, and who asks (writes check the token before anything else).
struct RouteCall {
    std::string method, path;
    std::map<std::string, std::string> query{};
    enum Who { nobody, editor } who = nobody;
};

std::map<const http::ParamSchema*, RouteCall> route_calls() {
    namespace s = http::schemas;
    return {{&s::health, {"GET", "/healthz"}},
            {&s::metrics, {"GET", "/metrics"}},
            {&s::files, {"GET", "/"}},
            {&s::offlimits, {"GET", "/api/v1/offlimits"}},
            {&s::field, {"GET", "/api/v1/offlimits.kmz"}},
            {&s::check, {"GET", "/api/v1/check", {{"at", "42.6629,21.1655"}}}},
            {&s::proximity, {"GET", "/api/v1/proximity"}},
            {&s::patrol, {"GET", "/api/v1/patrol", {{"from", "Camp Test"}, {"radius", "5000"}}}},
            {&s::token, {"GET", "/api/v1/token"}},
            {&s::mission, {"GET", "/api/v1/mission"}},
            {&s::mission_layers, {"GET", "/api/v1/mission/layers"}},
            {&s::mission_layer, {"GET", "/api/v1/mission/layers/area"}},
            {&s::sites, {"GET", "/api/v1/sites"}},
            {&s::venues, {"GET", "/api/v1/venues"}},
            {&s::venue, {"GET", "/api/v1/venues/1"}},
            {&s::create_venue, {"POST", "/api/v1/venues", {}, RouteCall::editor}},
            {&s::update_venue, {"PATCH", "/api/v1/venues/1", {}, RouteCall::editor}},
            {&s::directives, {"GET", "/api/v1/directives"}},
            {&s::directive, {"GET", "/api/v1/directives/HOM/OL/2025/001"}},
            {&s::create_directive, {"POST", "/api/v1/directives", {}, RouteCall::editor}},
            {&s::directive_action, {"POST", "/api/v1/directives/HOM/OL/2025/001/submit", {}, RouteCall::editor}},
            {&s::ogc_landing, {"GET", "/ogc"}},
            {&s::ogc_conformance, {"GET", "/ogc/conformance"}},
            {&s::ogc_api, {"GET", "/ogc/api"}},
            {&s::ogc_collections, {"GET", "/ogc/collections"}},
            {&s::ogc_collection, {"GET", "/ogc/collections/offlimits"}},
            {&s::ogc_items, {"GET", "/ogc/collections/offlimits/items"}},
            {&s::ogc_item, {"GET", "/ogc/collections/offlimits/items/1"}},
            {&s::ogc_queryables, {"GET", "/ogc/collections/offlimits-points/queryables"}},
            {&s::map, {"GET", "/map.png"}},
            {&s::tile, {"GET", "/tiles/0/0/0.png"}},
            {&s::publications, {"GET", "/api/v1/publications"}},
            {&s::create_publication, {"POST", "/api/v1/publications", {}, RouteCall::editor}},
            {&s::publication, {"GET", "/api/v1/publications/1"}},
            {&s::publication_key, {"GET", "/api/v1/publication-key.pem"}},
            {&s::due, {"GET", "/api/v1/due", {}, RouteCall::editor}},
            {&s::reviews, {"POST", "/api/v1/reviews", {}, RouteCall::editor}}};
}

std::string target_of(const std::string& path, const std::map<std::string, std::string>& query) {
    std::string t = path;
    char sep = '?';
    for (const auto& [k, v] : query) {
        t += sep + http::url_encode(k) + "=" + http::url_encode(v);
        sep = '&';
    }
    return t;
}

std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

// Values of the wrong type or beyond the limits of one parameter of a table.
std::vector<std::string> wrong_values(const http::ParamSpec& p) {
    using K = http::ParamKind;
    std::vector<std::string> out;
    const bool blank_refused = !p.blank_is_absent;
    switch (p.kind) {
        case K::integer:
            out = {"12.0", "+12", " 12", "12 ", "1e3", "0x10", "99999999999999999999", "ten",
                   std::to_string((long long)p.min - 1), std::to_string((long long)p.max + 1)};
            break;
        case K::number:
            out = {"x", "1e999", "nan", "inf", "0x10", "+1", " 1", "1,5", number_text(p.max + 1),
                   number_text(p.above_min ? p.min : p.min - 1)};
            break;
        case K::number_list: {
            const std::string ok = number_text(p.min + 1);
            std::string too_many = ok;
            for (std::size_t i = 0; i < p.max_length; ++i) too_many += "," + ok;
            out = {"x", ok + ",,", ok + ", " + ok, ok + "," + number_text(p.max + 1), too_many, "nan"};
            break;
        }
        case K::date: out = {"2026-13-01", "2026-02-30", "01.06.2026", "2026-6-1", "today"}; break;
        case K::local_date:
            out = {"2026-13-01", "2026-06-30T25:00:00Z", "2026-06-30T22:30:00", "2026-06-30T22:30:00Z/2026-07-01",
                   "01.06.2026", "yesterday"};
            break;
        case K::date_or_instant: out = {"2026-13-01", "2026-06-01/2026-07-01", "2026-06-01X", "yesterday"}; break;
        case K::choice: out = {"nope", std::string(p.choices.front()) + " "}; break;
        case K::text:
        case K::position: out = {std::string(p.max_length + 1, '7')}; break;
        case K::lonlat_box: out = {"1,2,3", "3,2,1,4", "0,0,200,10", "a,b,c,d", "1, 2,3,4", "1,2,3,4,5"}; break;
    }
    if (blank_refused && p.kind != K::text && p.kind != K::position) out.push_back("");
    return out;
}

}  // namespace

TEST_CASE("every table has a route the tests can reach", "[http][service][params]") {
    const auto calls = route_calls();
    for (const auto* schema : http::schemas::all()) {
        INFO(schema->route);
        CHECK(calls.count(schema));
    }
    CHECK(calls.size() == http::schemas::all().size());
}

TEST_CASE("each route refuses every parameter it does not take, naming those it does", "[http][service][params]") {
    ServiceFixture f;
    for (const auto& [schema, call] : route_calls()) {
        auto query = call.query;
        query["colour"] = "red";
        const auto r = f.ask(call.method, target_of(call.path, query), call.who == RouteCall::editor ? f.editor : "");
        INFO(call.method << " " << target_of(call.path, query) << " → " << r.status << " " << r.body);
        if (schema->any_query) {
            CHECK(code_of(r) != "unknown-parameter");
            continue;
        }
        CHECK(r.status == 400);
        CHECK(code_of(r) == "unknown-parameter");
        for (const auto& p : schema->params) CHECK(message_of(r).find(std::string(p.name)) != std::string::npos);
    }
}

TEST_CASE("each route refuses every parameter's wrong values with that parameter's code", "[http][service][params]") {
    ServiceFixture f;
    std::size_t asked = 0;
    for (const auto& [schema, call] : route_calls()) {
        for (const auto& p : schema->params) {
            for (const auto& value : wrong_values(p)) {
                auto query = call.query;
                query[std::string(p.name)] = value;
                const auto r = f.ask(call.method, target_of(call.path, query), call.who == RouteCall::editor ? f.editor : "");
                INFO(call.method << " " << target_of(call.path, query).substr(0, 300) << " → " << r.status << " "
                                 << r.body.substr(0, 300));
                CHECK(r.status == 400);
                CHECK(code_of(r) == p.code);
                ++asked;
            }
        }
    }
    CHECK(asked > 100);
}

TEST_CASE("a position too long to read is a bad coordinate; a required parameter missing or blank is refused", "[http][service][params]") {
    ServiceFixture f;
    const auto long_at = f.get("/api/v1/check?at=" + std::string(201, '4'));
    CHECK(code_of(long_at) == "bad-coordinate");
    CHECK(json::parse(long_at.body)["error"]["examples"].is_array());  // as every bad-coordinate answer
    for (const std::string target : {"/api/v1/patrol?radius=5000", "/api/v1/patrol?from=&radius=5000"}) {
        const auto r = f.get(target);
        INFO(target << " → " << r.body);
        CHECK(r.status == 400);
        CHECK(code_of(r) == "bad-parameter");
        CHECK(message_of(r).find("from is required") != std::string::npos);
    }
}

TEST_CASE("values that fit every table are read, not refused", "[http][service][params]") {
    ServiceFixture f;
    CHECK(f.get("/api/v1/offlimits?limit=1&offset=0&f=geojson&bbox=20,41,22,43&category=bar&as_of=").status == 200);
    CHECK(f.get("/api/v1/offlimits?f=csv").status == 200);
    CHECK(f.get("/api/v1/venues?limit=1").status == 200);
    CHECK(f.get("/api/v1/check?at=42.6629,21.1655&radius=50").status == 200);
    CHECK(f.get("/api/v1/check?name=Bar%20Lindenhof").status == 200);
    CHECK(f.get("/api/v1/proximity?radius=100,1000&f=csv").status == 200);
    CHECK(f.get("/api/v1/directives?status=issued").status == 200);
    CHECK(f.get("/api/v1/directives?status=").status == 200);
    CHECK(f.get("/ogc/collections/offlimits/items?limit=5&offset=0&crs=EPSG:4326&datetime=2026-06-01T00:00:00Z").status ==
          200);
    CHECK(f.get("/ogc/collections/offlimits/items?f=html").status == 200);
    CHECK(f.get("/ogc/style.css?v=2").status == 200);  // the files of pages take any query

    // The values reach the handler: limit and offset page the list.
    const json page = json::parse(f.get("/api/v1/offlimits?offset=1").body);
    CHECK(page["numberMatched"] == 1);
    CHECK(page["numberReturned"] == 0);
    const json off = json::parse(f.get("/api/v1/check?name=Bar%20Lindenhof").body);
    CHECK(off.dump().find("Bar Lindenhof") != std::string::npos);
}

TEST_CASE("routing: each route by its path, unknown paths 404, the route template for the metrics",
          "[http][service]") {
    ServiceFixture f;
    const auto health = f.get("/healthz");
    CHECK(health.status == 200);
    CHECK(health.route == "/healthz");
    CHECK(json::parse(health.body)["listed"] == 1);
    CHECK(f.get("/api/v1/venues/" + std::to_string(f.listed_id)).route == "/api/v1/venues/{id}");
    CHECK(f.get("/api/v1/directives/HOM/OL/2025/001").route == "/api/v1/directives/{ref}");
    CHECK(f.get("/ogc/collections/sites/items").route == "/ogc/collections/{id}/items");
    CHECK(f.get("/api/v1/sites").status == 200);
    for (const std::string target : {"/nothing", "/api/v2/offlimits", "/api/v1/offlimitsx", "/ogc/collections/nope",
                                     "/tiles/1/2/3.jpg", "/tiles/0/0/0.png.png", "/api/v1/directives/HOM/OL/1999/404"}) {
        const auto r = f.get(target);
        INFO(target << " → " << r.body);
        CHECK(r.status == 404);
        CHECK(code_of(r) == "not-found");
    }
}

TEST_CASE("a method a route does not answer is 405", "[http][service]") {
    ServiceFixture f;
    const std::vector<std::pair<std::string, std::string>> cases{
        {"DELETE", "/api/v1/offlimits"}, {"POST", "/api/v1/offlimits"}, {"PUT", "/api/v1/venues"},
        {"DELETE", "/api/v1/venues/1"},  {"POST", "/api/v1/check"},     {"PATCH", "/api/v1/directives"},
        {"GET", "/api/v1/directives/HOM/OL/2025/001/issue"},            {"POST", "/ogc"},
        {"POST", "/map.png"},            {"PUT", "/tiles/0/0/0.png"},   {"POST", "/healthz"},
        {"BREW", "/metrics"}};
    for (const auto& [method, target] : cases) {
        const auto r = f.ask(method, target, f.approver);
        INFO(method << " " << target << " → " << r.body);
        CHECK(r.status == 405);
        CHECK(code_of(r) == "method-not-allowed");
    }
}

TEST_CASE("writes need a token of the role they need, before anything else is read", "[http][service][auth]") {
    ServiceFixture f;
    const std::string feature =
        R"({"type":"Feature","geometry":{"type":"Point","coordinates":[21.2,42.7]},"properties":{"name":"Motel Abendstern","category":"motel"}})";
    struct Case {
        std::string method, target, token, body;
        int status;
        std::string code;
    };
    const std::vector<Case> cases{
        {"POST", "/api/v1/venues", "", feature, 401, "unauthorized"},
        {"POST", "/api/v1/venues", "not-a-token", feature, 401, "unauthorized"},
        {"POST", "/api/v1/venues", f.reader, feature, 403, "forbidden"},
        {"POST", "/api/v1/venues?colour=red", "", feature, 401, "unauthorized"},  // the token first
        {"PATCH", "/api/v1/venues/1", "", R"({"name":"X"})", 401, "unauthorized"},
        {"PATCH", "/api/v1/venues/1", f.reader, R"({"name":"X"})", 403, "forbidden"},
        {"POST", "/api/v1/directives", "", R"({"ref":"X","title":"Y"})", 401, "unauthorized"},
        {"POST", "/api/v1/directives/HOM/OL/2025/001/revoke", f.editor, R"({"date":"2026-01-01"})", 403, "forbidden"},
        {"POST", "/api/v1/directives/HOM/OL/2025/001/listings", f.reader, "{}", 403, "forbidden"},
        {"GET", "/api/v1/token", "", "", 401, "unauthorized"},
    };
    const auto version = json::parse(f.get("/healthz").body)["list_version"];
    for (const auto& c : cases) {
        const auto r = f.ask(c.method, c.target, c.token, c.body);
        INFO(c.method << " " << c.target << " → " << r.body);
        CHECK(r.status == c.status);
        CHECK(code_of(r) == c.code);
    }
    CHECK(json::parse(f.get("/healthz").body)["list_version"] == version);  // nothing was written

    const auto created = f.ask("POST", "/api/v1/venues", f.editor, feature);
    REQUIRE(created.status == 201);
    const json j = json::parse(created.body);
    CHECK(j["list_version"] != version);
    CHECK(f.get("/api/v1/venues/" + std::to_string(j["id"].get<long long>())).status == 200);
    const auto who = f.ask("GET", "/api/v1/token", f.approver);
    CHECK(json::parse(who.body)["role"] == "approver");
}

TEST_CASE("reads carry an ETag; If-None-Match gives 304 until the list changes", "[http][service][etag]") {
    ServiceFixture f;
    for (const std::string target : {"/api/v1/offlimits", "/api/v1/offlimits?f=csv", "/api/v1/venues", "/api/v1/sites",
                                     "/api/v1/venues/1"}) {
        INFO(target);
        const auto first = f.get(target);
        REQUIRE(first.status == 200);
        const std::string etag = header_of(first, "ETag");
        REQUIRE_FALSE(etag.empty());
        const auto again = f.get(target, etag);
        CHECK(again.status == 304);
        CHECK(again.body.empty());
        CHECK(f.get(target, "W/" + etag).status == 304);
        CHECK(f.get(target, "\"other\", " + etag).status == 304);
        CHECK(f.get(target, "\"other\"").status == 200);
    }
    CHECK(header_of(f.get("/api/v1/offlimits?f=csv"), "ETag") != header_of(f.get("/api/v1/offlimits"), "ETag"));

    const std::string before = header_of(f.get("/api/v1/offlimits"), "ETag");
    const auto renamed = f.ask("PATCH", "/api/v1/venues/" + std::to_string(f.unlisted_id), f.editor, R"({"name":"Cafe Abendrot"})");
    REQUIRE(renamed.status == 200);
    const auto after = f.get("/api/v1/offlimits", before);
    CHECK(after.status == 200);
    CHECK(header_of(after, "ETag") != before);
}

TEST_CASE("ids and numbers that only look like whole numbers are refused", "[http][service][params]") {
    ServiceFixture f;
    const std::string id = std::to_string(f.listed_id);
    CHECK(f.get("/api/v1/venues/" + id).status == 200);
    CHECK(f.get("/api/v1/venues/999999").status == 404);
    for (const std::string& bad : std::vector<std::string>{id + ".0", "+" + id, "%20" + id, id + "%20", "1e0", "0x1",
                                                           "99999999999999999999", "one", ""}) {
        const auto r = f.get("/api/v1/venues/" + bad);
        INFO("/api/v1/venues/" << bad << " → " << r.body);
        CHECK(r.status == 400);
        CHECK(code_of(r) == "bad-parameter");
        const auto patch = f.ask("PATCH", "/api/v1/venues/" + bad, f.editor, R"({"name":"X"})");
        CHECK(patch.status == 400);
        CHECK(code_of(patch) == "bad-parameter");
    }
    CHECK(code_of(f.get("/api/v1/offlimits?limit=100.0")) == "bad-parameter");
    CHECK(code_of(f.get("/api/v1/offlimits?offset=0.0")) == "bad-parameter");
    CHECK(code_of(f.get("/api/v1/venues?limit=100.0")) == "bad-parameter");
    CHECK(code_of(f.get("/api/v1/patrol?from=Camp%20Test&radius=5000&max_stops=3.0")) == "bad-parameter");
    CHECK(code_of(f.get("/ogc/collections/offlimits/items?limit=100.0")) == "bad-limit");
    CHECK(code_of(f.get("/ogc/collections/offlimits/items?offset=1.0")) == "bad-offset");
    // OGC feature ids name features: one that is not plain digits names none.
    CHECK(f.get("/ogc/collections/offlimits/items/" + id).status == 200);
    for (const std::string& bad : std::vector<std::string>{id + ".0", "+" + id, "1e0"}) {
        const auto r = f.get("/ogc/collections/offlimits/items/" + bad);
        INFO(bad << " → " << r.body);
        CHECK(r.status == 404);
        CHECK(code_of(r) == "not-found");
    }
}

TEST_CASE("the OGC API definition describes the items' parameters from their table", "[http][service][ogc]") {
    ServiceFixture f;
    const json api = json::parse(f.get("/ogc/api").body);
    const json& params = api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"];
    std::vector<std::string> names;
    for (const auto& p : params) names.push_back(p["name"]);
    std::vector<std::string> expected{"collectionId"};
    for (const auto& p : http::schemas::ogc_items.params) expected.emplace_back(p.name);
    CHECK(names == expected);
    for (const auto& p : params) {
        if (p["name"] != "limit") continue;
        CHECK(p["schema"]["type"] == "integer");
        CHECK(p["schema"]["minimum"] == 1);
        CHECK(p["schema"]["maximum"] == 10000);
        CHECK(p["schema"]["default"] == 100);
    }
    // What the definition says is what the route does.
    CHECK(f.get("/ogc/collections/offlimits/items?limit=10000").status == 200);
    CHECK(f.get("/ogc/collections/offlimits/items?limit=10001").status == 400);
}

namespace {

// ISO WKB of a rectangle, little-endian, as a mission area.
std::string box_wkb(double x0, double y0, double x1, double y1) {
    std::string out;
    auto put_u32 = [&](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
    auto put_f64 = [&](double v) { out.append(reinterpret_cast<const char*>(&v), 8); };
    out.push_back(1);
    put_u32(3);
    put_u32(1);
    put_u32(5);
    for (auto [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}) {
        put_f64(x);
        put_f64(y);
    }
    return out;
}

}  // namespace

TEST_CASE("publications: the list, each document and signature as signed, and the key at a stable URL",
          "[http][service][publish]") {
    ServiceFixture f;
    // Before the first: an empty list, and nothing to fetch.
    const json none = json::parse(f.get("/api/v1/publications").body);
    CHECK(none["publications"].empty());
    CHECK(none["latest"].is_null());
    CHECK(f.get("/api/v1/publications/1").status == 404);
    CHECK(f.get("/api/v1/publications/1.sig").status == 404);
    CHECK(f.get("/api/v1/publication-key.pem").status == 404);

    std::string fingerprint;
    std::vector<publish::Published> made;
    {
        auto s = store::Store::open((f.dir / "k.sqlite").string());
        s->set_actor("Abel Approver");
        model::MissionProfile m;
        m.name = "TESTMIS";
        m.head_of_mission = "Head of Mission";
        m.time_zone = "Europe/Belgrade";
        m.languages = {"en"};
        m.area_wkb = box_wkb(20, 41, 22, 43);
        store::set_mission(*s, m);
        const auto key = publish::SigningKey::generate();
        const auto pub = key.public_key();
        fingerprint = pub.fingerprint();
        store::add_publication_key(*s, {fingerprint, pub.pem(), "2026-01-01T00:00:00.000Z", "Abel Approver"});
        made.push_back(publish::publish(*s, key, {model::Date::parse("2025-06-01"), "first"}));
        made.push_back(publish::publish(*s, key, {model::Date::parse("2025-01-01"), ""}));  // before the listing
    }
    REQUIRE(made[1].changes.lifted.size() == 1);

    const auto list = f.get("/api/v1/publications");
    REQUIRE(list.status == 200);
    const json j = json::parse(list.body);
    REQUIRE(j["publications"].size() == 2);
    CHECK(j["latest"] == 2);
    CHECK(j["key"] == "/api/v1/publication-key.pem");
    CHECK(j["publications"][0]["number"] == 1);
    CHECK(j["publications"][0]["note"] == "first");
    CHECK(j["publications"][0]["venue_count"] == 1);
    CHECK(j["publications"][0]["time_zone"] == "Europe/Belgrade");
    CHECK(j["publications"][0]["links"]["document"] == "/api/v1/publications/1");
    CHECK(j["publications"][0]["links"]["signature"] == "/api/v1/publications/1.sig");
    CHECK(j["publications"][1]["venue_count"] == 0);
    CHECK(f.get("/api/v1/publications", header_of(list, "ETag")).status == 304);

    // Each document byte for byte as signed, its signature, and the key that checks them.
    for (std::size_t i = 0; i < made.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        const auto doc = f.get("/api/v1/publications/" + n);
        const auto sig = f.get("/api/v1/publications/" + n + ".sig");
        REQUIRE(doc.status == 200);
        REQUIRE(sig.status == 200);
        CHECK(doc.body == made[i].document);
        CHECK(doc.content_type == "application/json");
        CHECK(header_of(doc, "Content-Disposition").find("publication-" + n + ".json") != std::string::npos);
        CHECK(sig.body == made[i].signature);
        CHECK(sig.body.size() == 64);
        CHECK(sig.content_type == "application/octet-stream");
        CHECK(f.get("/api/v1/publications/" + n, header_of(doc, "ETag")).status == 304);
    }
    const auto key = f.get("/api/v1/publication-key.pem");
    REQUIRE(key.status == 200);
    CHECK(key.content_type == "application/x-pem-file");
    CHECK(header_of(key, "X-Key-Fingerprint") == fingerprint);
    const auto verify_key = publish::VerifyKey::from_pem(key.body, "the served key");
    CHECK(verify_key.fingerprint() == fingerprint);
    CHECK(verify_key.verifies(f.get("/api/v1/publications/1").body, f.get("/api/v1/publications/1.sig").body));
    CHECK_FALSE(verify_key.verifies(f.get("/api/v1/publications/2").body, f.get("/api/v1/publications/1.sig").body));
    CHECK(f.get("/api/v1/publication-key.pem?fingerprint=" + fingerprint).body == key.body);
    CHECK(f.get("/api/v1/publication-key.pem?fingerprint=" + std::string(64, '0')).status == 404);

    // Numbers that are not publications.
    CHECK(f.get("/api/v1/publications/3").status == 404);
    CHECK(f.get("/api/v1/publications/99999999999999999999").status == 400);
    for (const std::string bad : {"0", "-1", "x", "1.5", "1.sig.sig", "1.json", " 1", ".sig", "1/x"}) {
        const auto r = f.get("/api/v1/publications/" + http::url_encode(bad));
        INFO(bad << " → " << r.status << " " << r.body);
        CHECK(r.status == 400);
        CHECK(code_of(r) == "bad-parameter");
    }
    // A server given no signing key (serve --publication-key) does not publish, and says why.
    const auto no_key = f.ask("POST", "/api/v1/publications", f.approver, "{}");
    CHECK(no_key.status == 503);
    CHECK(code_of(no_key) == "no-publication-key");
    CHECK(f.ask("DELETE", "/api/v1/publications/1", f.approver).status == 405);
    CHECK(f.ask("PUT", "/api/v1/publication-key.pem", f.approver, "x").status == 405);
    CHECK(f.get("/api/v1/publications/1").route == "/api/v1/publications/{n}");
}
