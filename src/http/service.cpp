#include "http/service.hpp"

#include "model/time_zone.hpp"
#include "store/mission.hpp"

#include <nlohmann/json.hpp>

#include <cctype>

#include "geo/coordinates.hpp"
#include "geo/geos.hpp"
#include "http/caches.hpp"
#include "http/changes.hpp"
#include "http/replica.hpp"
#include "http/handlers.hpp"
#include "model/rules.hpp"
#include "store/repository.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

using analysis::Snapshot;
using model::Date;

namespace {
std::int64_t seconds_since_epoch() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

Service::Service(ServiceOptions options)
    : started_(seconds_since_epoch()), options_(std::move(options)), caches_(std::make_unique<ServiceCaches>()) {
    writer_ = store::Store::open(options_.db_path, static_cast<int>(options_.write_timeout.count()));
    today_.store(Snapshot::build(*writer_, today()));
    changes_ = std::make_unique<ChangeFeed>(options_.db_path, options_.changes_poll);
    WebhookSender::Options w;
    w.first_retry = options_.webhook_first_retry;
    webhooks_ = std::make_unique<WebhookSender>(options_.db_path, w);
    if (!options_.replica_of.empty()) {
        replica_ = std::make_unique<Replica>(*this, ReplicaOptions{options_.replica_of, options_.replica_key_pem,
                                                                   options_.replica_poll});
        replica_->load_local();
    }
}

// Today in the mission's time zone (UTC before a profile exists): a directive takes effect at local
// midnight, so a mission at UTC+3 must not check yesterday's list until 03:00. Read from the
// database each time, so that a profile imported while the server runs counts at once.
Date Service::today() {
    const auto m = store::mission_settings(*writer_);
    return model::today_in(m ? m->time_zone : "UTC");
}

Service::ReaderLease::ReaderLease(Service& s) : service(s) {
    {
        std::lock_guard lock(s.readers_mutex_);
        if (!s.idle_readers_.empty()) {
            store = std::move(s.idle_readers_.back());
            s.idle_readers_.pop_back();
        }
    }
    if (!store) store = store::Store::open(s.options_.db_path, static_cast<int>(s.options_.write_timeout.count()));
}

Service::ReaderLease::~ReaderLease() {
    // A few idle connections are kept; more than that, under a burst, are closed.
    std::lock_guard lock(service.readers_mutex_);
    if (service.idle_readers_.size() < 8) service.idle_readers_.push_back(std::move(store));
}

void Service::throw_busy() {
    throw store::Busy("the writers' lock was not free within the write timeout");
}

Service::~Service() { stop_watching(); }

void Service::set_actor(const std::string& actor) { writer_->set_actor(actor); }

void Service::refresh_locked() {
    auto current = today_.load();
    const auto version = writer_->list_version();
    const auto mission = store::mission_settings(*writer_);
    const std::string zone = mission ? mission->time_zone : "UTC";
    const Date now = model::today_in(zone);
    // A profile imported while serving changes the zone, the languages and the area, not the list.
    if (current && current->list_version() == version && current->as_of() == now && current->time_zone() == zone &&
        current->mission().languages == (mission ? mission->languages : std::vector<std::string>{}))
        return;
    today_.store(Snapshot::build(*writer_, now));
    std::lock_guard lock(cache_mutex_);
    dated_.clear();
}

std::shared_ptr<const Snapshot> Service::snapshot(std::optional<Date> as_of) {
    auto current = today_.load();
    if (!as_of || *as_of == current->as_of()) return current;
    {
        std::lock_guard lock(cache_mutex_);
        for (auto& s : dated_)
            if (s->as_of() == *as_of && s->list_version() == current->list_version()) return s;
    }
    // Built on a read connection: a long write does not hold up a look at another date.
    std::shared_ptr<const Snapshot> built = read([&](store::Store& s) { return Snapshot::build(s, *as_of); });
    std::lock_guard lock(cache_mutex_);
    if (dated_.size() >= 16) dated_.erase(dated_.begin());
    dated_.push_back(built);
    return built;
}

void Service::start_watching() {
    if (watching_.exchange(true)) return;
    watcher_ = std::thread([this] { watch_loop(); });
    changes_->subscribe([this](std::int64_t) { webhooks_->wake(); });
    changes_->start();
    webhooks_->start();
    if (replica_) replica_->start();
}

void Service::stop_watching() {
    if (!watching_.exchange(false)) return;
    if (replica_) replica_->stop();
    if (watcher_.joinable()) watcher_.join();
    changes_->stop();
    webhooks_->stop();
}

void Service::watch_loop() {
    // Writes by this process republish at once; this catches the command line writing to the same
    // file, and the turn of the day.
    while (watching_) {
        for (auto slept = std::chrono::milliseconds(0); watching_ && slept < options_.watch_interval;
             slept += std::chrono::milliseconds(50))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!watching_) break;
        try {
            std::unique_lock lock(write_mutex_, std::defer_lock);
            if (lock.try_lock_for(std::chrono::milliseconds(100))) refresh_locked();
        } catch (...) {
            // The database may be busy; the next round tries again.
        }
    }
}

namespace {

// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        auto j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        if (j > i) out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

Response Service::dispatch(const Request& r) {
    const std::string& p = r.path;
    const bool get = r.method == "GET" || r.method == "HEAD";
    auto routed = [](Response resp, const char* route) {
        resp.route = route;
        return resp;
    };
    // A replica takes no writes: they go to the HQ, whose list it copies.
    if (replica_ && !get) {
        Response resp = json_response(
            403, nlohmann::json{{"error",
                                 {{"code", "read-only-replica"},
                                  {"message", "this server is a read-only replica; send " + r.method + " to the HQ at " +
                                                  replica_->of()},
                                  {"hq", replica_->of() + r.target}}}}
                     .dump());
        resp.headers.emplace_back("Link", "<" + replica_->of() + r.target + ">; rel=\"canonical\"");
        return routed(std::move(resp), "replica-write");
    }
    // Before its first verified publication a replica has an empty list, and answering from it
    // would say "not listed" of every venue. Until then the page, /healthz (503, saying why) and
    // /metrics answer; every question about the list is 503, to be asked again or of the HQ.
    if (replica_without_list() && p != "/healthz" && p != "/metrics" && p != "/" && p != "/sw.js" &&
        !starts_with(p, "/static/") && !starts_with(p, "/vendor/")) {
        Response resp = error_response(503, "replica-without-list",
                                       "this replica has no verified publication of its HQ yet (" + replica_->of() +
                                           "): ask again shortly, or ask the HQ");
        resp.headers.emplace_back("Retry-After", "5");
        return routed(std::move(resp), "replica-without-list");
    }
    auto method_not_allowed = [&](const char* route) {
        return routed(error_response(405, "method-not-allowed",
                                     text::quote(r.method, 20) + " is not allowed on " + text::quote(p, 200)), route);
    };
    if (p == "/healthz") return get ? routed(handle_health(*this, r), "/healthz") : method_not_allowed("/healthz");
    if (p == "/metrics") return get ? routed(handle_metrics(*this, r), "/metrics") : method_not_allowed("/metrics");
    if (p == "/api/v1/patrol") return get ? routed(handle_patrol(*this, r), "/api/v1/patrol") : method_not_allowed("/api/v1/patrol");
    if (p == "/api/v1/offlimits")
        return get ? routed(handle_offlimits(*this, r), "/api/v1/offlimits") : method_not_allowed("/api/v1/offlimits");
    if (p == "/api/v1/offlimits.kmz" || p == "/api/v1/offlimits.tak.zip") {
        const char* route = p == "/api/v1/offlimits.kmz" ? "/api/v1/offlimits.kmz" : "/api/v1/offlimits.tak.zip";
        return get ? routed(handle_field_package(*this, r, p == "/api/v1/offlimits.kmz"), route) : method_not_allowed(route);
    }
    if (p == "/api/v1/check")
        return get ? routed(handle_check(*this, r), "/api/v1/check") : method_not_allowed("/api/v1/check");
    if (p == "/api/v1/proximity")
        return get ? routed(handle_proximity(*this, r), "/api/v1/proximity") : method_not_allowed("/api/v1/proximity");
    if (p == "/api/v1/mission")
        return get ? routed(handle_mission(*this, r), "/api/v1/mission") : method_not_allowed("/api/v1/mission");
    if (p == "/api/v1/mission/layers")
        return get ? routed(handle_mission_layers(*this, r), "/api/v1/mission/layers")
                   : method_not_allowed("/api/v1/mission/layers");
    if (starts_with(p, "/api/v1/mission/layers/")) {
        if (!get) return method_not_allowed("/api/v1/mission/layers/{name}");
        return routed(handle_mission_layer(*this, r, p.substr(std::string("/api/v1/mission/layers/").size())),
                      "/api/v1/mission/layers/{name}");
    }
    if (p == "/api/v1/token") return get ? routed(handle_token(*this, r), "/api/v1/token") : method_not_allowed("/api/v1/token");
    if (p == "/api/v1/sites") return get ? routed(handle_sites(*this, r), "/api/v1/sites") : method_not_allowed("/api/v1/sites");
    if (p == "/api/v1/venues") {
        if (get) return routed(handle_venues(*this, r), "/api/v1/venues");
        if (r.method == "POST") return routed(handle_create_venue(*this, r), "/api/v1/venues");
        return method_not_allowed("/api/v1/venues");
    }
    if (starts_with(p, "/api/v1/venues/")) {
        const std::string id = p.substr(std::string("/api/v1/venues/").size());
        if (get) return routed(handle_venue(*this, r, id), "/api/v1/venues/{id}");
        if (r.method == "PATCH") return routed(handle_update_venue(*this, r, id), "/api/v1/venues/{id}");
        return method_not_allowed("/api/v1/venues/{id}");
    }
    if (p == "/api/v1/directives") {
        if (get) return routed(handle_directives(*this, r), "/api/v1/directives");
        if (r.method == "POST") return routed(handle_create_directive(*this, r), "/api/v1/directives");
        return method_not_allowed("/api/v1/directives");
    }
    if (starts_with(p, "/api/v1/directives/")) {
        // References contain slashes (HOM/OL/2026/014): the action, if any, is the last segment.
        std::string rest = p.substr(std::string("/api/v1/directives/").size());
        for (const char* action : {"listings", "submit", "withdraw", "issue", "revoke", "supersede"}) {
            const std::string suffix = std::string("/") + action;
            if (rest.size() > suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0) {
                if (r.method != "POST") return method_not_allowed("/api/v1/directives/{ref}/{action}");
                return routed(handle_directive_action(*this, r, rest.substr(0, rest.size() - suffix.size()), action),
                              "/api/v1/directives/{ref}/{action}");
            }
        }
        if (get) return routed(handle_directive(*this, r, rest), "/api/v1/directives/{ref}");
        return method_not_allowed("/api/v1/directives/{ref}");
    }
    if (p == "/api/v1/changes") {
        // The server streams GET itself (server.cpp); this answers HEAD and callers without a stream.
        if (!get) return method_not_allowed("/api/v1/changes");
        Response resp;
        resp.content_type = "text/event-stream; charset=utf-8";
        resp.headers.emplace_back("Cache-Control", "no-cache");
        return routed(std::move(resp), "/api/v1/changes");
    }
    if (p == "/api/v1/due") return get ? routed(handle_due(*this, r), "/api/v1/due") : method_not_allowed("/api/v1/due");
    if (p == "/api/v1/reviews")
        return r.method == "POST" ? routed(handle_create_review(*this, r), "/api/v1/reviews")
                                  : method_not_allowed("/api/v1/reviews");
    if (p == "/api/v1/publications") {
        if (get) return routed(handle_publications(*this, r), "/api/v1/publications");
        if (r.method == "POST") return routed(handle_create_publication(*this, r), "/api/v1/publications");
        return method_not_allowed("/api/v1/publications");
    }
    if (starts_with(p, "/api/v1/publications/")) {
        if (!get) return method_not_allowed("/api/v1/publications/{n}");
        return routed(handle_publication(*this, r, p.substr(std::string("/api/v1/publications/").size())),
                      "/api/v1/publications/{n}");
    }
    if (p == "/api/v1/publication-key.pem")
        return get ? routed(handle_publication_key(*this, r), "/api/v1/publication-key.pem")
                   : method_not_allowed("/api/v1/publication-key.pem");
    if (p == "/ogc" || starts_with(p, "/ogc/")) {
        if (!get) return method_not_allowed("/ogc");
        auto resp = handle_ogc(*this, r, p.substr(4));
        if (resp.route == "unmatched") resp.route = "/ogc";
        return resp;
    }
    if (p == "/map.pdf" || p == "/map.png") {
        if (!get) return method_not_allowed("/map");
        return routed(handle_map(*this, r, p.substr(5)), p == "/map.pdf" ? "/map.pdf" : "/map.png");
    }
    if (starts_with(p, "/tiles/")) {
        if (!get) return method_not_allowed("/tiles");
        return routed(handle_tile(*this, r, p.substr(7)), "/tiles/{z}/{x}/{y}.png");
    }
    (void)segments;
    if (get && (p == "/" || p == "/sw.js" || starts_with(p, "/static/") || starts_with(p, "/vendor/")))
        return routed(handle_static(*this, r), "/static");
    return routed(error_response(404, "not-found", "no such resource: " + text::quote(p, 200)), "unmatched");
}

bool Service::answers_from_memory(const Request& r) {
    if (r.method != "GET" && r.method != "HEAD") return false;
    const std::string& p = r.path;
    if (p == "/healthz" || p == "/metrics" || p == "/api/v1/mission") return true;
    // Another date may need a snapshot built from the database first.
    if (p == "/api/v1/check" || p == "/api/v1/offlimits") return !r.query.count("as_of");
    return p == "/" || p == "/sw.js" || starts_with(p, "/static/") || starts_with(p, "/vendor/");
}

std::string Service::next_request_id() {
    return std::to_string(started_) + "-" + std::to_string(++request_counter_);
}

bool Service::replica_without_list() const { return replica_ && replica_->status().publication == 0; }

// Every answer of a replica says whose copy it is and how fresh: a header on all of them, and a
// "replica" member in every JSON object answer (/healthz, checks, the list, errors).
void Service::mark_replica(Response& resp) const {
    const ReplicaStatus s = replica_->status();
    resp.headers.emplace_back("X-Keepout-Replica-Of", s.of);
    resp.headers.emplace_back("X-Keepout-Publication", std::to_string(s.publication));
    if (!s.hq_unreachable_since.empty()) resp.headers.emplace_back("X-Keepout-HQ-Unreachable-Since", s.hq_unreachable_since);
    const bool json_body = resp.content_type.find("json") != std::string::npos;
    if (!json_body || resp.body.empty() || resp.body.front() != '{') return;
    std::size_t next = 1;
    while (next < resp.body.size() && std::isspace(static_cast<unsigned char>(resp.body[next]))) ++next;
    const bool empty_object = next < resp.body.size() && resp.body[next] == '}';
    resp.body = "{\"replica\":" + replica_->status_json() + (empty_object ? "" : ",") + resp.body.substr(1);
}

Response Service::handle(const Request& r) noexcept {
    Response resp;
    try {
        resp = dispatch(r);
    } catch (...) {
        std::string id;
        try {
            id = next_request_id();
        } catch (...) {
        }
        resp = error_for_current_exception(r, id);
        if (resp.route == "unmatched") resp.route = "error";
    }
    if (replica_) {
        try {
            // Publications are the HQ's signed bytes, served as they are.
            if (r.path.rfind("/api/v1/publications/", 0) != 0 && r.path != "/api/v1/publication-key.pem")
                mark_replica(resp);
            else
                resp.headers.emplace_back("X-Keepout-Replica-Of", replica_->of());
        } catch (...) {
            // Left unmarked rather than unanswered (only std::bad_alloc can get here).
        }
    }
    return resp;
}

}  // namespace keepout::http
