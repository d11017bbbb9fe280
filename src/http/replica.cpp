// keepout serve --replica-of: the HQ's signed publications, verified, loaded into this server's
// own database (store/replica), served read-only.
#include "http/replica.hpp"

#include <nlohmann/json.hpp>

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>

#include <cstring>
#include <iostream>

#include "http/client.hpp"
#include "http/service.hpp"
#include "publish/errors.hpp"
#include "publish/publication.hpp"
#include "publish/signing.hpp"
#include "source/geojson.hpp"
#include "store/publications.hpp"
#include "store/replica.hpp"

namespace keepout::http {

using nlohmann::json;

namespace {

// A publication that is not to be served: the reason is kept and shown.
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The HQ could not be asked (down, unreachable, an answer that is not one).
struct Unreachable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void put_f64(std::string& out, double v) { out.append(reinterpret_cast<const char*>(&v), 8); }

// ISO WKB (little-endian, as the store keeps it) of a box.
std::string box_wkb(double west, double south, double east, double north) {
    std::string out(1, '\1');
    put_u32(out, 3);
    put_u32(out, 1);
    put_u32(out, 5);
    const double ring[5][2] = {{west, south}, {east, south}, {east, north}, {west, north}, {west, south}};
    for (const auto& p : ring) {
        put_f64(out, p[0]);
        put_f64(out, p[1]);
    }
    return out;
}

model::Date date_of(const json& j, const char* key) { return model::Date::parse(j.at(key).get<std::string>()); }
std::optional<model::Date> optional_date(const json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return model::Date::parse(j.at(key).get<std::string>());
}
std::vector<std::string> strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (j.contains(key) && j.at(key).is_array())
        for (const auto& s : j.at(key)) out.push_back(s.get<std::string>());
    return out;
}

struct Loaded {
    store::ReplicaMission mission;
    std::vector<store::ReplicaDirective> directives;
    std::vector<store::ReplicaVenue> venues;
};

// The list a verified publication holds, as the store takes it.
Loaded parse_publication(const std::string& document) {
    Loaded out;
    try {
        const json doc = json::parse(document);
        const json& m = doc.at("mission");
        out.mission.name = m.value("name", "");
        out.mission.full_name = m.value("full_name", "");
        out.mission.head_of_mission = m.value("head_of_mission", "");
        out.mission.time_zone = doc.value("time_zone", m.value("time_zone", "UTC"));
        out.mission.languages = strings(m, "languages");
        for (const json& d : doc.at("directives_in_force")) {
            store::ReplicaDirective r;
            r.ref = d.at("ref").get<std::string>();
            r.title = d.value("title", "");
            r.authority = d.value("authority", "");
            r.issued_by = d.value("issued_by", "");
            r.signed_on = date_of(d, "signed");
            r.effective_on = date_of(d, "effective");
            r.ended_on = optional_date(d, "ends");
            out.directives.push_back(std::move(r));
        }
        double west = 180, south = 90, east = -180, north = -90;
        for (const json& v : doc.at("venues")) {
            store::ReplicaVenue r;
            r.venue.id = v.at("id").get<std::int64_t>();
            r.venue.external_id = v.value("external_id", "");
            r.venue.name = v.at("name").get<std::string>();
            r.venue.aliases = strings(v, "aliases");
            r.venue.former_names = strings(v, "former_names");
            r.venue.category = model::parse_category(v.value("category", "other")).value_or(model::Category::other);
            r.venue.address = v.value("address", "");
            r.venue.municipality = v.value("municipality", "");
            r.venue.geometry = source::geojson_to_wkb(v.at("geometry").dump());
            r.directive_ref = v.at("directive").get<std::string>();
            r.listed_since = date_of(v, "listed_since");
            r.until = optional_date(v, "until");
            for (const auto& code : strings(v, "reasons"))
                if (auto reason = model::parse_reason(code)) r.reasons.push_back(*reason);
            if (v.contains("position")) {
                const double lat = v["position"].value("lat", 0.0), lon = v["position"].value("lon", 0.0);
                west = std::min(west, lon), east = std::max(east, lon);
                south = std::min(south, lat), north = std::max(north, lat);
            }
            out.venues.push_back(std::move(r));
        }
        if (west > east) west = east = south = north = 0;
        out.mission.area_wkb = box_wkb(std::max(-180.0, west - 0.1), std::max(-90.0, south - 0.1),
                                       std::min(180.0, east + 0.1), std::min(90.0, north + 0.1));
    } catch (const std::exception& e) {
        throw Refused(std::string("the publication's list cannot be read: ") + e.what());
    }
    return out;
}

ClientResponse fetch(const std::string& base, const std::string& path, std::size_t max_body) {
    ClientRequest r;
    r.url = base + path;
    r.timeout = std::chrono::seconds(15);
    r.max_body = max_body;
    ClientResponse res;
    try {
        res = send_request(r);
    } catch (const ClientError& e) {
        throw Unreachable(e.what());
    }
    if (res.status != 200) throw Unreachable(path + " answered " + std::to_string(res.status));
    return res;
}

std::string base_of(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

Replica::Replica(Service& service, ReplicaOptions options) : service_(service), options_(std::move(options)) {
    options_.of = base_of(options_.of);
    status_.of = options_.of;
    pinned_pem_ = options_.key_pem;
}

Replica::~Replica() { stop(); }

void Replica::load_local() {
    // The last good publication this database holds, verified again before it is served.
    try {
        auto local = service_.read([&](store::Store& s) -> std::optional<store::Publication> {
            if (pinned_pem_.empty()) {
                auto keys = store::publication_keys(s);
                if (!keys.empty()) pinned_pem_ = keys.front().public_key_pem;
            }
            auto latest = store::latest_publication(s);
            if (!latest) return std::nullopt;
            return store::publication(s, latest->number);
        });
        if (local && !pinned_pem_.empty()) {
            const auto key = publish::VerifyKey::from_pem(pinned_pem_, "the pinned mission key");
            const auto facts = publish::verify(local->document, local->signature, key);
            Loaded list = parse_publication(local->document);
            service_.write("replica", [&](store::Store& s) {
                store::load_replica(s, facts.number, local->summary.sha256, list.mission, list.directives, list.venues);
                return 0;
            });
            std::lock_guard lock(mutex_);
            status_.publication = facts.number;
            status_.verified_at = store::utc_timestamp();
            status_.key_fingerprint = key.fingerprint();
        }
    } catch (const std::exception& e) {
        std::cerr << "keepout serve: the replica's own copy is not usable (" << e.what()
                  << "); waiting for the HQ" << std::endl;
    }
}

void Replica::start() {
    if (running_.exchange(true)) return;
    poller_ = std::thread([this] { loop(); });
    follower_ = std::thread([this] { follow(); });
}

void Replica::stop() {
    if (!running_.exchange(false)) return;
    {
        std::lock_guard lock(wake_mutex_);
        const int fd = follow_fd_.load();
        if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
    }
    wake();
    if (poller_.joinable()) poller_.join();
    if (follower_.joinable()) follower_.join();
}

void Replica::wake() {
    {
        std::lock_guard lock(wake_mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

ReplicaStatus Replica::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

std::string Replica::status_json() const {
    const ReplicaStatus s = status();
    auto text = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
    return json{{"of", s.of},
                {"publication", s.publication ? json(s.publication) : json(nullptr)},
                {"verified_at", text(s.verified_at)},
                {"hq_unreachable_since", text(s.hq_unreachable_since)},
                {"last_refused", text(s.last_refused)}}
        .dump();
}

void Replica::loop() {
    while (running_) {
        sync();
        std::unique_lock lock(wake_mutex_);
        wake_.wait_for(lock, options_.poll, [&] { return woken_ || !running_; });
        woken_ = false;
    }
}

void Replica::sync() {
    auto unreachable = [&](const std::string& why) {
        std::lock_guard lock(mutex_);
        if (status_.hq_unreachable_since.empty()) {
            status_.hq_unreachable_since = store::utc_timestamp();
            std::cerr << "keepout serve: the HQ " << options_.of << " cannot be reached (" << why
                      << "); serving publication " << status_.publication << std::endl;
        }
    };
    try {
        const json list = json::parse(fetch(options_.of, "/api/v1/publications", 16 << 20).body, nullptr, false);
        if (list.is_discarded() || !list.is_object()) throw Unreachable("/api/v1/publications is not JSON");
        {
            std::lock_guard lock(mutex_);
            if (!status_.hq_unreachable_since.empty())
                std::cerr << "keepout serve: the HQ " << options_.of << " answers again" << std::endl;
            status_.hq_unreachable_since.clear();
        }
        if (!list.contains("latest") || !list["latest"].is_number_integer()) return;
        const std::int64_t latest = list["latest"].get<std::int64_t>();
        std::int64_t local = service_.read([](store::Store& s) {
            auto p = store::latest_publication(s);
            return p ? p->number : std::int64_t{0};
        });
        for (std::int64_t n = local + 1; n <= latest && running_; ++n) {
            const std::string path = "/api/v1/publications/" + std::to_string(n);
            std::string document = fetch(options_.of, path, 256u << 20).body;
            std::string signature = fetch(options_.of, path + ".sig", 1024).body;
            std::string fingerprint;
            try {
                fingerprint = publish::read_facts(document).key_fingerprint;
            } catch (const publish::PublishError& e) {
                throw Refused("publication " + std::to_string(n) + ": " + e.what());
            }
            // The key: the one given or pinned; on first use, the HQ's, pinned from then on.
            bool pinning = false;
            if (pinned_pem_.empty()) {
                pinned_pem_ = fetch(options_.of, "/api/v1/publication-key.pem?fingerprint=" + fingerprint, 64 << 10).body;
                pinning = true;
            }
            publish::VerifyKey key = [&] {
                try {
                    return publish::VerifyKey::from_pem(pinned_pem_, "the mission key");
                } catch (const publish::PublishError& e) {
                    if (pinning) pinned_pem_.clear();
                    throw Refused(std::string("the mission key cannot be read: ") + e.what());
                }
            }();
            publish::PublicationFacts facts;
            try {
                if (key.fingerprint() != fingerprint)
                    throw Refused("publication " + std::to_string(n) + " names the key " + fingerprint +
                                  ", not the mission key " + key.fingerprint());
                facts = publish::verify(document, signature, key);
                if (facts.number != n)
                    throw Refused("the document served as publication " + std::to_string(n) + " is publication " +
                                  std::to_string(facts.number));
            } catch (const publish::PublishError& e) {
                if (pinning) pinned_pem_.clear();
                throw Refused("publication " + std::to_string(n) + " is refused: " + e.what());
            } catch (const Refused&) {
                if (pinning) pinned_pem_.clear();
                throw;
            }
            std::optional<Loaded> list_of;
            if (n == latest) list_of = parse_publication(document);
            store::Publication p;
            p.summary.number = facts.number;
            p.summary.created_at = facts.created_at;
            p.summary.as_of = facts.as_of;
            p.summary.time_zone = facts.time_zone;
            p.summary.list_version = facts.list_version;
            p.summary.venue_count = facts.venue_count;
            p.summary.key_fingerprint = fingerprint;
            p.summary.created_by = "HQ " + options_.of;
            {
                const json doc = json::parse(document);
                p.summary.note = doc.value("note", "");
            }
            p.document = document;
            p.signature = signature;
            const std::string pem = pinned_pem_;
            service_.write("replica", [&](store::Store& s) {
                if (!store::publication_key(s, fingerprint))
                    store::add_publication_key(s, {fingerprint, pem, store::utc_timestamp(), "replica"});
                {
                    store::Transaction tx(s.db());
                    store::insert_publication(s, p);
                    tx.commit();
                }
                if (list_of)
                    store::load_replica(s, facts.number, store::sha256_hex(document), list_of->mission,
                                        list_of->directives, list_of->venues);
                return 0;
            });
            std::lock_guard lock(mutex_);
            if (list_of) {
                status_.publication = facts.number;
                status_.verified_at = store::utc_timestamp();
                status_.key_fingerprint = key.fingerprint();
                std::cerr << "keepout serve: replica now serves publication " << facts.number << " of " << options_.of
                          << " (" << facts.venue_count << " venues, verified)" << std::endl;
            }
            status_.last_refused.clear();
        }
    } catch (const Unreachable& e) {
        unreachable(e.what());
    } catch (const Refused& e) {
        std::lock_guard lock(mutex_);
        if (status_.last_refused != e.what())
            std::cerr << "keepout serve: " << e.what() << "; still serving publication " << status_.publication
                      << std::endl;
        status_.last_refused = e.what();
    } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        if (status_.last_refused != e.what())
            std::cerr << "keepout serve: replica: " << e.what() << std::endl;
        status_.last_refused = e.what();
    }
}

// The HQ's change feed, read as it comes: any event is a reason to look now. Plain HTTP only;
// over HTTPS the poll alone keeps the replica current.
void Replica::follow() {
    const auto url = parse_url(options_.of);
    if (!url || url->https) return;
    std::string prefix = url->target == "/" ? "" : url->target;
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    while (running_) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        if (::getaddrinfo(url->host.c_str(), url->port.c_str(), &hints, &found) == 0) {
            int fd = -1;
            for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
                fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
                if (fd < 0) continue;
                timeval tv{40, 0};  // the HQ sends a heartbeat every 15 s
                ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
                timeval connect_tv{5, 0};
                ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connect_tv, sizeof connect_tv);
                if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
                    ::close(fd);
                    fd = -1;
                }
            }
            ::freeaddrinfo(found);
            if (fd >= 0) {
                {
                    std::lock_guard lock(wake_mutex_);
                    follow_fd_ = fd;
                }
                const std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
                const std::string req = "GET " + prefix + "/api/v1/changes HTTP/1.1\r\nHost: " + host + ":" + url->port +
                                        "\r\nAccept: text/event-stream\r\nUser-Agent: keepout-replica\r\n\r\n";
                bool streaming = false;
                if (running_ && ::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())) {
                    std::string seen;
                    char buf[4096];
                    while (running_) {
                        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                        if (n <= 0) break;
                        seen.append(buf, std::size_t(n));
                        if (!streaming) {
                            if (seen.find("\r\n\r\n") == std::string::npos) continue;
                            if (seen.rfind("HTTP/1.1 200", 0) != 0) break;  // busy, or not a keepout HQ
                            streaming = true;
                            wake();  // connected again: what was missed meanwhile is looked at now
                        }
                        if (seen.find("\ndata: ") != std::string::npos || seen.find("\rdata: ") != std::string::npos)
                            wake();
                        seen = seen.substr(seen.size() > 8 ? seen.size() - 8 : 0);
                    }
                }
                {
                    std::lock_guard lock(wake_mutex_);
                    follow_fd_ = -1;
                }
                ::close(fd);
            }
        }
        // Before trying again: a second, or less when stopping.
        std::unique_lock lock(wake_mutex_);
        wake_.wait_for(lock, std::chrono::seconds(1), [&] { return !running_.load(); });
    }
}

}  // namespace keepout::http
