#pragma once
// A Service on a small database of its own in a temporary folder, asked through Service::handle
// with requests built as the server builds them (parse_target), no sockets.
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "http/service.hpp"
#include "http/types.hpp"
#include "store/operations.hpp"
#include "store/repository.hpp"

namespace keepout::test {

// ISO WKB of a point (little-endian), as the store keeps geometry.
inline std::string point_wkb(double lon, double lat) {
    std::string out(21, '\0');
    out[0] = 1;
    const std::uint32_t type = 1;
    std::memcpy(&out[1], &type, 4);
    std::memcpy(&out[5], &lon, 8);
    std::memcpy(&out[13], &lat, 8);
    return out;
}

struct ServiceFixture {
    std::filesystem::path dir;
    std::string reader, editor, approver;  // bearer tokens
    model::Id listed_id = 0, unlisted_id = 0;
    std::unique_ptr<http::Service> service;

    ServiceFixture() {
        std::random_device rd;
        dir = std::filesystem::temp_directory_path() / ("keepout-http-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(dir);
        const std::string db = (dir / "k.sqlite").string();
        {
            auto s = store::Store::init(db);
            s->set_actor("Edna Editor");
            model::Venue a;
            a.external_id = "T-001";
            a.name = "Bar Lindenhof";
            a.category = model::Category::bar;
            a.address = "Rruga Fiktive 7";
            a.municipality = "Prishtinë";
            a.geometry = point_wkb(21.1655, 42.6629);
            listed_id = store::create_venue(*s, a).id;
            model::Venue b = a;
            b.external_id = "T-002";
            b.name = "Cafe Morgenrot";
            b.category = model::Category::cafe;
            b.geometry = point_wkb(21.17, 42.67);
            unlisted_id = store::create_venue(*s, b).id;
            model::Site site;
            site.name = "Camp Test";
            site.contingent = "TEST";
            site.personnel = 100;
            site.geometry = point_wkb(21.16, 42.66);
            s->insert_site(site);

            store::NewDirective n;
            n.ref = "HOM/OL/2025/001";
            n.title = "Test listing";
            n.signed_on = model::Date::parse("2025-01-01");
            n.effective_on = model::Date::parse("2025-01-02");
            store::create_directive(*s, n);
            store::ListingRequest l;
            l.directive_ref = n.ref;
            l.venues = {"T-001"};
            l.reasons = {model::Reason::trafficking};
            store::add_listings(*s, l);
            store::submit_directive(*s, n.ref);
            s->set_actor("Abel Approver");
            store::issue_directive(*s, n.ref);

            reader = store::create_api_token(*s, model::Role::reader, "Rita Reader");
            editor = store::create_api_token(*s, model::Role::editor, "Edna Editor");
            approver = store::create_api_token(*s, model::Role::approver, "Abel Approver");
        }
        http::ServiceOptions options;
        options.db_path = db;
        service = std::make_unique<http::Service>(options);
    }
    ~ServiceFixture() {
        service.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    ServiceFixture(const ServiceFixture&) = delete;
    ServiceFixture& operator=(const ServiceFixture&) = delete;

    http::Response ask(const std::string& method, const std::string& target, const std::string& token = "",
                       const std::string& body = "", const std::string& if_none_match = "") {
        http::Request r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.remote = "127.0.0.1";
        r.headers["host"] = "127.0.0.1:8080";
        if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
        if (!if_none_match.empty()) r.headers["if-none-match"] = if_none_match;
        http::parse_target(r);
        return service->handle(r);
    }
    http::Response get(const std::string& target, const std::string& if_none_match = "") {
        return ask("GET", target, "", "", if_none_match);
    }
};

// The header's value, empty when absent.
inline std::string header_of(const http::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return "";
}

}  // namespace keepout::test
