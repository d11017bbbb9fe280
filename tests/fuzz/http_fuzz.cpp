// Fuzz target: bytes as they arrive on a connection → Beast's request parser with the server's
// limits → the same Request the server builds → parse_target → Service::handle, against the
// Kosovo sample (venues, sites, sectors, directives) in a database made once at start-up.
//
// Checked: handle() never throws (its contract: every failure is a response), answers with an
// HTTP status, and a JSON answer is JSON. A 500 is a crash in disguise here: the database is
// healthy, so an internal error can only come from the request.
//
// Writes need tokens, which are random: the markers @reader@, @editor@ and @approver@ in the
// input are replaced by tokens of those roles, so that seeds (and mutations of them) reach the
// write paths. A write that succeeded is undone by reopening a copy of the start-up database, so
// every input meets the same data.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "fuzz_support.hpp"
#include "http/service.hpp"
#include "http/types.hpp"
#include "source/import.hpp"
#include "store/operations.hpp"
#include "store/repository.hpp"

namespace {

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;
using namespace keepout;

// The server's defaults (http/server.hpp ServerOptions).
constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr std::uint64_t kMaxBodyBytes = 1024 * 1024;

struct Fixture {
    fs::path pristine = fuzz::scratch_dir() / "http-pristine.db";
    fs::path db = fuzz::scratch_dir() / "http.db";
    std::string reader, editor, approver;
    std::unique_ptr<http::Service> service;

    Fixture() {
        {
            auto s = store::Store::init(pristine.string());
            const fs::path data = fuzz::source_dir() / "data/kosovo";
            const auto check = [](const store::ImportReport& r, const char* what) {
                if (!r.committed) fuzz::broken("the sample imports", what);
            };
            check(source::import_venues(*s, (data / "venues.geojson").string(), {}), "venues");
            check(source::import_sites(*s, (data / "deployment_sites.geojson").string(), {}), "sites");
            check(source::import_sectors(*s, (data / "sectors.geojson").string(), {}), "sectors");
            check(source::import_directives(*s, (data / "directives.json").string()), "directives");
            // A draft submitted for approval, so that an issue request has something to issue.
            store::NewDirective n;
            n.ref = "HOM/OL/2026/090";
            n.title = "Submitted for approval";
            n.signed_on = *model::Date::try_parse("2026-11-01");
            n.effective_on = *model::Date::try_parse("2026-11-02");
            s->set_actor("fuzz editor");
            store::create_directive(*s, n);
            store::ListingRequest l;
            l.directive_ref = n.ref;
            l.venues = {"KV-026-0005"};
            l.reasons = {model::Reason::trafficking};
            store::add_listings(*s, l);
            store::submit_directive(*s, n.ref);
            reader = store::create_api_token(*s, model::Role::reader, "fuzz reader");
            editor = store::create_api_token(*s, model::Role::editor, "fuzz editor");
            approver = store::create_api_token(*s, model::Role::approver, "fuzz approver");
        }
        reset();
    }
    void reset() {
        service.reset();
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
        fs::copy_file(pristine, db);
        http::ServiceOptions o;
        o.db_path = db.string();
        o.web_root = (fuzz::source_dir() / "web").string();
        o.style_path = (fuzz::source_dir() / "styles/kosovo-slide.json").string();
        service = std::make_unique<http::Service>(o);
    }
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    std::string bytes(fuzz::bytes(data, size));
    replace_all(bytes, "@reader@", fixture.reader);
    replace_all(bytes, "@editor@", fixture.editor);
    replace_all(bytes, "@approver@", fixture.approver);

    // As the server reads a connection: the parser takes what it can; the end of the input is
    // the end of the stream.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kMaxHeaderBytes);
    parser.body_limit(kMaxBodyBytes);
    parser.eager(true);
    boost::beast::error_code ec;
    std::size_t used = 0;
    while (!ec && !parser.is_done() && used < bytes.size()) {
        const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
        if (ec == bhttp::error::need_more) ec = {};
        if (n == 0) break;
        used += n;
    }
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;  // the server answers 400/413 and closes

    auto& req = parser.get();
    http::Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    // Each input from an address of its own (the same one every time it runs): failed tokens are
    // throttled per address, and a run that shared one would soon see nothing but 429.
    const std::size_t h = std::hash<std::string>{}(bytes);
    r.remote = "10." + std::to_string((h >> 16) & 255u) + "." + std::to_string((h >> 8) & 255u) + "." +
               std::to_string(h & 255u);
    for (auto& field : req) {
        std::string name(field.name_string());
        for (char& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(field.value());
    }
    r.body = std::move(req.body());
    try {
        http::parse_target(r);
    } catch (const http::HttpError& e) {
        if (e.status < 400 || e.status > 499) fuzz::broken("parse_target refuses with a 4xx", std::to_string(e.status));
        return 0;
    }

    (void)http::Service::answers_from_memory(r);
    http::Response out;
    try {
        out = fixture.service->handle(r);
    } catch (const nlohmann::json::type_error& e) {
        // Invalid UTF-8 reaching a JSON writer (id 316): a known crash, tolerated on request only.
        if (e.id == 316 && fuzz::tolerated("utf8-in-json")) return 0;
        fuzz::broken("Service::handle never throws", r.method + " " + r.target + ": " + e.what());
    } catch (const std::exception& e) {
        fuzz::broken("Service::handle never throws", r.method + " " + r.target + ": " + e.what());
    } catch (...) {
        fuzz::broken("Service::handle never throws", r.method + " " + r.target + ": not a std::exception");
    }
    // For whoever writes seeds: what each one reached.
    static const bool verbose = std::getenv("KEEPOUT_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "%d %s %s\n", out.status, r.method.c_str(), r.target.substr(0, 120).c_str());
    if (out.status < 100 || out.status > 599) fuzz::broken("an HTTP status", std::to_string(out.status));
    if (out.status == 500) fuzz::broken("no internal error from a request", r.method + " " + r.target + ": " + out.body);
    const bool json_type = out.content_type.rfind("application/", 0) == 0 && out.content_type.find("json") != std::string::npos;
    // 304 Not Modified carries no body.
    if (json_type && out.status != 304 && !nlohmann::json::accept(out.body))
        fuzz::broken("a JSON answer is JSON", r.method + " " + r.target + ": " + out.body.substr(0, 200));

    const bool reads = r.method == "GET" || r.method == "HEAD";
    if (!reads && out.status < 300) fixture.reset();
    return 0;
}
