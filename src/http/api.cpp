// The REST API of DESIGN.md: reads from the snapshot, writes through store/operations.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "about/version.hpp"
#include "analysis/check.hpp"
#include "analysis/errors.hpp"
#include "analysis/position_review.hpp"
#include "analysis/proximity.hpp"
#include "encode/reports.hpp"
#include "encode/venues.hpp"
#include "geo/geodesic.hpp"
#include "http/auth.hpp"
#include "http/detail/writes.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "source/geojson.hpp"
#include "source/validate.hpp"
#include "store/operations.hpp"
#include "store/reviews.hpp"
#include "store/tokens.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

using namespace keepout::model;
using analysis::Snapshot;
using analysis::VenueView;
using nlohmann::json;

// --- shared helpers -----------------------------------------------------------------------

Response json_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

std::string etag_for(const Snapshot& s, bool explicit_date) {
    // The list version names the content for a given date; a request without a date means
    // "today", whose answer also changes at midnight.
    return explicit_date ? "\"" + std::to_string(s.list_version()) + "\""
                         : "\"" + std::to_string(s.list_version()) + "@" + s.as_of().iso() + "\"";
}

bool not_modified(const Request& r, const std::string& etag, Response& response) {
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    const std::string inm = r.header("if-none-match");
    if (inm.empty()) return false;
    std::stringstream tags(inm);
    std::string tag;
    while (std::getline(tags, tag, ',')) {
        tag = source::trim(tag);
        if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
        if (tag == etag || tag == "*") {
            response.status = 304;
            response.body.clear();
            return true;
        }
    }
    return false;
}

namespace {

// The pairs a proximity answer may hold over HTTP (the bounds on each parameter are in the
// tables of http/params.cpp).
constexpr std::size_t kMaxProximityPairs = 200000;

// A venue id in a path: plain digits (text::parse_int64), so "12.0" or "+12" is no venue id.
Id venue_id(const std::string& text) {
    const auto id = text::parse_int64(text);
    if (!id) throw HttpError(400, "bad-parameter", "venue id must be a whole number, not " + text::quote(text, 40));
    return *id;
}

}  // namespace

std::string site_feature(const analysis::SiteView& s) {
    json geometry = s.shape.is_point ? json{{"type", "Point"}, {"coordinates", {s.shape.point.lon, s.shape.point.lat}}}
                                     : json(nullptr);
    if (!s.shape.is_point) {
        json rings = json::array();
        for (auto& ring : s.shape.polygons.front().rings) {
            json coords = json::array();
            for (auto& p : ring) coords.push_back({p.lon, p.lat});
            rings.push_back(coords);
        }
        geometry = {{"type", "Polygon"}, {"coordinates", rings}};
    }
    return json{{"type", "Feature"},
                {"id", s.site.id},
                {"geometry", geometry},
                {"properties",
                 {{"id", s.site.id},
                  {"name", s.site.name},
                  {"kind", to_string(s.site.kind)},
                  {"contingent", s.site.contingent},
                  {"personnel", s.site.personnel}}}}
        .dump();
}

// --- reads ------------------------------------------------------------------------------

Response handle_health(Service& service, const Request& request) {
    validate(request, schemas::health);
    auto s = service.snapshot();
    // A replica still waiting for its HQ's first publication is up but not ready to answer.
    const bool waiting = service.replica_without_list();
    return json_response(waiting ? 503 : 200, json{{"status", waiting ? "waiting-for-publication" : "ok"},
                                   {"version", std::string(about::full_version())},
                                   {"list_version", s->list_version()},
                                   {"as_of", s->as_of().iso()},
                                   {"listed", s->listed().size()},
                                   {"venues", s->venues().size()}}
                                  .dump());
}

Response handle_metrics(Service& service, const Request& request) {
    validate(request, schemas::metrics);
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = service.metrics().prometheus(service.snapshot()->list_version(), service.metrics().open_connections);
    return r;
}

Response handle_offlimits(Service& service, const Request& r) {
    const Params params = validate(r, schemas::offlimits, service.time_zone());
    const auto as_of = params.date("as_of");
    const std::string format = *params.text("f");
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = format == "csv"   ? "text/csv; charset=utf-8"
                        : format == "kml" ? "application/vnd.google-earth.kml+xml"
                                          : "application/geo+json";
    std::string etag = etag_for(*snap, as_of.has_value());
    if (format == "csv" || format == "kml") etag.insert(etag.size() - 1, "." + format);
    if (not_modified(r, etag, resp)) return resp;

    const long long limit = *params.integer("limit");
    const long long offset = *params.integer("offset");
    const std::optional<geo::Box> bbox = params.box("bbox");
    std::optional<Category> category;
    if (auto c = params.text("category")) category = parse_category(*c);
    const std::string municipality = analysis::fold_name(params.text("municipality").value_or(""));
    std::set<Id> by_name;
    const auto q = params.text("q").value_or("");
    if (!q.empty())
        for (auto& m : snap->names().search(q, analysis::kNameMatchThreshold, 1000)) by_name.insert(m.venue_id);
    const std::string address_text = params.text("address").value_or("");
    const AddressQuery address(address_text);

    std::vector<const VenueView*> matched;
    for (auto i : snap->listed()) {
        const VenueView& v = snap->venues()[i];
        if (bbox && !bbox->intersects(v.shape.box)) continue;
        if (category && v.venue.category != *category) continue;
        if (!municipality.empty() && analysis::fold_name(v.venue.municipality) != municipality) continue;
        if (!q.empty() && !by_name.count(v.venue.id)) continue;
        if (!address_text.empty() && !address.matches(v)) continue;
        matched.push_back(&v);
    }
    if (format == "csv" || format == "kml") {
        std::vector<const VenueView*> page;
        for (long long k = offset; k < (long long)matched.size() && (long long)page.size() < limit; ++k)
            page.push_back(matched[std::size_t(k)]);
        resp.body = format == "csv" ? encode::list_csv(page) : encode::list_kml(*snap, page);
        resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"offlimits-" + snap->as_of().iso() +
                                                             "." + format + "\"");
        return resp;
    }
    encode::VenuePage page;
    for (long long k = offset; k < (long long)matched.size() && (long long)page.size() < limit; ++k)
        page.push_back(matched[std::size_t(k)]);
    resp.body = encode::list_geojson(*snap, page, matched.size());
    return resp;
}

Response handle_check(Service& service, const Request& r) {
    const Params params = validate(r, schemas::check, service.time_zone());
    auto at = params.text("at");
    auto name = params.text("name");
    if (const auto q = params.text("q")) {
        // One box for both: text that looks like a position is read as one or refused (400
        // bad-coordinate), never searched as a name, so a misread position cannot answer "not listed".
        if (at || name) throw HttpError(400, "bad-request", "give one of q=TEXT, at=COORD or name=TEXT");
        (geo::looks_like_position(*q) ? at : name) = q;
    }
    if (at.has_value() == name.has_value())
        throw HttpError(400, "bad-request", "give exactly one of at=COORD, name=TEXT or q=TEXT");
    const auto as_of = params.date("as_of");
    if (at) {
        const double radius = params.number("radius").value_or(analysis::kDefaultCheckRadius);
        auto snap = service.snapshot(as_of);
        const geo::ParsedPosition parsed = geo::parse_position(*at, geo::PositionContext{snap->grid_zones()});
        const geo::LonLat p = parsed.at;
        auto c = analysis::check_position(*snap, p, radius);
        analysis::review_position(*snap, parsed, c);
        return json_response(200, encode::position_check_json(*snap, c, *at, p, radius));
    }
    if (name->empty()) throw HttpError(400, "bad-request", "name must not be empty");
    auto snap = service.snapshot(as_of);
    return json_response(200, encode::name_check_json(*snap, analysis::check_name(*snap, *name), *name));
}

Response handle_proximity(Service& service, const Request& r) {
    const Params params = validate(r, schemas::proximity, service.time_zone());
    const std::vector<double> rings = params.numbers("radius");
    const std::string site = params.text("site").value_or("");
    const auto as_of = params.date("as_of");
    auto snap = service.snapshot(as_of);
    {
        // The pairs are counted from the spatial index (boxes, no distances) before any is
        // measured: an upper bound on what the answer would hold.
        const double reach = rings.empty() ? *std::max_element(analysis::kDefaultRings.begin(), analysis::kDefaultRings.end())
                                           : *std::max_element(rings.begin(), rings.end());
        std::size_t candidates = 0;
        for (const auto& s : snap->sites())
            if (site.empty() || s.site.name == site) snap->listed_near(s.shape.box, reach, [&](std::uint32_t) { ++candidates; });
        if (candidates > kMaxProximityPairs)
            throw HttpError(400, "too-much-work",
                            "up to " + std::to_string(candidates) + " site-venue pairs within " + std::to_string(long(reach)) +
                                " m; the limit over HTTP is " + std::to_string(kMaxProximityPairs) +
                                ": choose a smaller radius or one site (or use keepout proximity)");
    }
    analysis::ProximityReport report;
    try {
        report = analysis::proximity(*snap, rings, site);
    } catch (const analysis::UnknownReference& e) {
        throw HttpError(404, "not-found", e.what());
    } catch (const std::invalid_argument& e) {
        throw HttpError(400, "bad-parameter", e.what());
    }
    const std::string f = *params.text("f");
    Response resp;
    if (f == "geojson") {
        resp.content_type = "application/geo+json";
        resp.body = encode::proximity_geojson(*snap, report);
    } else if (f == "csv") {
        resp.content_type = "text/csv; charset=utf-8";
        resp.body = encode::proximity_csv(report);
    } else {
        resp.body = encode::proximity_json(*snap, report);
    }
    not_modified(r, etag_for(*snap, as_of.has_value()), resp);
    return resp;
}

Response handle_sites(Service& service, const Request& r) {
    validate(r, schemas::sites);
    auto snap = service.snapshot();
    Response resp;
    resp.content_type = "application/geo+json";
    if (not_modified(r, etag_for(*snap, false), resp)) return resp;
    std::string features;
    for (auto& s : snap->sites()) features += (features.empty() ? "" : ",") + site_feature(s);
    resp.body = "{\"type\":\"FeatureCollection\",\"features\":[" + features + "]}";
    return resp;
}

Response handle_venue(Service& service, const Request& r, const std::string& id_text) {
    const Id id = venue_id(id_text);
    const auto as_of = validate(r, schemas::venue, service.time_zone()).date("as_of");
    auto snap = service.snapshot(as_of);
    const VenueView* v = snap->venue_by_id(id);
    if (!v) throw HttpError(404, "not-found", "unknown venue " + id_text);
    std::int64_t draft_revision = 0, last_review = 0;
    Response resp = json_response(200, service.read([&](store::Store& s) {
        draft_revision = s.draft_revision();
        last_review = s.db().scalar("SELECT coalesce(max(id), 0) FROM reviews");
        const auto reviews = store::reviews_for_venue(s, id);
        return encode::venue_document(*v, snap->as_of(), snap->time_zone(), s.history(), &reviews);
    }));
    // The history shows the venue's acts in drafts too, which the list version does not count, and
    // the review decisions, which neither counts.
    std::string etag = etag_for(*snap, as_of.has_value());
    etag.insert(etag.size() - 1, "+d" + std::to_string(draft_revision) + "+r" + std::to_string(last_review));
    not_modified(r, etag, resp);
    return resp;
}

namespace {
// The directive document (encode/venues.hpp) with what it needs read from the store; drafts and
// submissions carry the draft revision, which is to them what the list version is to the list.
std::string directive_json(store::Store& s, const Directive& d, std::optional<std::int64_t> list_version = std::nullopt) {
    const auto listings = s.listings_of(d.id);
    std::vector<Id> ids;
    for (auto& l : listings) ids.push_back(l.venue_id);
    std::map<Id, Venue> venues;
    for (auto& v : s.venues(ids)) venues[v.id] = v;
    const bool draft = d.status == DirectiveStatus::draft || d.status == DirectiveStatus::submitted;
    return encode::directive_json(d, listings, &venues, list_version,
                                  draft ? std::optional<std::int64_t>(s.draft_revision()) : std::nullopt);
}
}  // namespace

Response handle_directives(Service& service, const Request& r) {
    std::optional<DirectiveStatus> status;
    if (auto st = validate(r, schemas::directives).text("status")) status = parse_status(*st);
    return json_response(200, service.read([&](store::Store& s) {
        std::vector<std::pair<Directive, std::size_t>> picked;
        for (auto& d : s.directives())
            if (!status || d.status == *status) picked.emplace_back(d, s.listings_of(d.id).size());
        return encode::directives_json(picked);
    }));
}

Response handle_directive(Service& service, const Request& r, const std::string& ref) {
    validate(r, schemas::directive);
    return json_response(200, service.read([&](store::Store& s) { return directive_json(s, s.directive(ref)); }));
}

// --- writes -----------------------------------------------------------------------------

Response handle_create_directive(Service& service, const Request& r) {
    const auto holder = require_role(service, r, Role::editor);
    validate(r, schemas::create_directive);
    const json body = parse_body(r);
    store::NewDirective n;
    n.ref = body.value("ref", std::string());
    n.title = body.value("title", std::string());
    n.authority = body.value("authority", std::string("Head of Mission"));
    n.signed_on = body_date(body, "signed");
    n.effective_on = body_date(body, "effective");
    n.emergency = body.value("emergency", false);
    if (body.contains("review")) n.review_on = body_date(body, "review");
    if (n.ref.empty() || n.title.empty()) throw HttpError(400, "bad-request", "'ref' and 'title' are required");
    return write_as(service, holder, [&](store::Store& s) {
        auto d = store::create_directive(s, n);
        return json_response(201, directive_json(s, d));
    });
}

Response handle_directive_action(Service& service, const Request& r, const std::string& ref, const std::string& action) {
    // Editors draft, approvers decide; the token is checked before anything else is read.
    const bool drafting = action == "listings" || action == "submit" || action == "withdraw";
    const auto holder = require_role(service, r, drafting ? Role::editor : Role::approver);
    validate(r, schemas::directive_action);
    const json body = parse_body(r);
    if (action == "listings") {
        store::ListingRequest lr;
        lr.directive_ref = ref;
        auto act = parse_action(body.value("action", std::string("place")));
        if (!act) throw HttpError(400, "bad-request", "action must be place or lift");
        lr.action = *act;
        if (!body.contains("venues") || !body["venues"].is_array() || body["venues"].empty())
            throw HttpError(400, "bad-request", "'venues' must be a non-empty array of ids, external ids or names");
        for (auto& v : body["venues"]) lr.venues.push_back(v.is_number_integer() ? std::to_string(v.get<Id>()) : v.get<std::string>());
        if (!body.contains("reasons") || !body["reasons"].is_array())
            throw HttpError(400, "bad-request", "'reasons' must be an array of reason codes");
        for (auto& code : body["reasons"]) {
            auto reason = parse_reason(code.get<std::string>());
            if (!reason) throw HttpError(400, "bad-request", "unknown reason '" + code.get<std::string>() + "'");
            lr.reasons.push_back(*reason);
        }
        if (body.contains("from")) lr.from = body_date(body, "from");
        if (body.contains("until")) lr.until = body_date(body, "until");
        return write_as(service, holder, [&](store::Store& s) {
            store::add_listings(s, lr);
            return json_response(201, directive_json(s, s.directive(ref)));
        });
    }
    if (action == "submit" || action == "withdraw") {
        return write_as(service, holder, [&](store::Store& s) {
            Directive d = action == "submit" ? store::submit_directive(s, ref) : store::withdraw_directive(s, ref);
            return json_response(200, directive_json(s, d, s.list_version()));
        });
    }
    store::IssueOptions issue_options;
    if (action == "issue") {
        for (auto& [key, value] : body.items())
            if (key != "emergency_override" && key != "reason")
                throw HttpError(400, "bad-request", "unknown field '" + key + "' (emergency_override, reason)");
        if (body.contains("emergency_override")) {
            if (!body["emergency_override"].is_boolean())
                throw HttpError(400, "bad-request", "'emergency_override' must be true or false");
            issue_options.emergency_override = body["emergency_override"].get<bool>();
        }
        if (body.contains("reason")) {
            if (!body["reason"].is_string()) throw HttpError(400, "bad-request", "'reason' must be text");
            if (!issue_options.emergency_override)
                throw HttpError(400, "bad-request", "'reason' goes with \"emergency_override\": true");
            issue_options.override_reason = body["reason"].get<std::string>();
        }
    }
    // A FourEyesViolation or OverrideRefused is answered by the error table (http/errors.cpp).
    return write_as(service, holder, [&](store::Store& s) {
        Directive d;
        if (action == "issue") {
            d = store::issue_directive(s, ref, issue_options);
        } else if (action == "revoke") {
            d = store::revoke_directive(s, ref, body_date(body, "date"));
        } else {
            d = store::supersede_directive(s, ref, body.value("by", std::string()));
        }
        return json_response(200, directive_json(s, d, s.list_version()));
    });
}

namespace {
std::vector<std::string> string_list(const json& j, const char* key) {
    std::vector<std::string> out;
    if (!j.contains(key) || j[key].is_null()) return out;
    if (!j[key].is_array()) throw HttpError(400, "bad-request", std::string("'") + key + "' must be an array of names");
    for (auto& x : j[key]) out.push_back(source::trim(x.get<std::string>()));
    return out;
}

// "duplicate_ok": true confirms a venue that the duplicate rule would refuse (store/duplicates.hpp).
store::Duplicates duplicate_policy(const json& body) {
    if (!body.contains("duplicate_ok")) return store::Duplicates::refuse;
    if (!body["duplicate_ok"].is_boolean()) throw HttpError(400, "bad-request", "'duplicate_ok' must be true or false");
    return body["duplicate_ok"].get<bool>() ? store::Duplicates::confirmed : store::Duplicates::refuse;
}
}  // namespace

Response handle_create_venue(Service& service, const Request& r) {
    const auto holder = require_role(service, r, Role::editor);
    validate(r, schemas::create_venue);
    const json body = parse_body(r);
    // A GeoJSON Feature: geometry Point or Polygon in lon/lat, properties as in imports.
    if (!body.contains("geometry") || !body["geometry"].is_object())
        throw HttpError(400, "bad-request", "a venue is a GeoJSON Feature with a geometry");
    const json props = body.value("properties", json::object());
    Venue v;
    v.name = source::trim(props.value("name", std::string()));
    if (v.name.empty()) throw HttpError(400, "bad-request", "properties.name is required");
    v.external_id = source::trim(props.value("external_id", std::string()));
    auto category = parse_category(source::normalise_code(props.value("category", std::string("other"))));
    if (!category) throw HttpError(400, "bad-request", "unknown category");
    v.category = *category;
    v.address = source::trim(props.value("address", std::string()));
    v.municipality = source::trim(props.value("municipality", std::string()));
    v.aliases = string_list(props, "aliases");
    v.former_names = string_list(props, "former_names");
    v.geometry = source::geojson_to_wkb(body["geometry"].dump());
    // The bounds of an imported row (names, aliases, lengths, geometry) are checked by the store.
    // Beside the Feature's members: the confirmation that a venue like one within 25 m is another.
    const auto duplicates = duplicate_policy(body);
    return write_as(service, holder, [&](store::Store& s) {
        auto created = store::create_venue(s, v, duplicates);
        return json_response(201, json{{"id", created.id}, {"name", created.name}, {"list_version", s.list_version()}}.dump());
    });
}

Response handle_update_venue(Service& service, const Request& r, const std::string& id_text) {
    const auto holder = require_role(service, r, Role::editor);
    const Id id = venue_id(id_text);
    validate(r, schemas::update_venue);
    const json body = parse_body(r);
    store::VenueChanges c;
    for (auto& [key, value] : body.items())
        if (key != "name" && key != "address" && key != "municipality" && key != "category" && key != "aliases" &&
            key != "duplicate_ok")
            throw HttpError(400, "bad-request",
                            "cannot change '" + key + "' (name, address, municipality, category, aliases; duplicate_ok confirms)");
    c.duplicates = duplicate_policy(body);
    if (body.contains("name")) c.name = source::trim(body["name"].get<std::string>());
    if (body.contains("address")) c.address = body["address"].get<std::string>();
    if (body.contains("municipality")) c.municipality = body["municipality"].get<std::string>();
    if (body.contains("category")) {
        c.category = parse_category(source::normalise_code(body["category"].get<std::string>()));
        if (!c.category) throw HttpError(400, "bad-request", "unknown category");
    }
    if (body.contains("aliases")) c.aliases = string_list(body, "aliases");
    return write_as(service, holder, [&](store::Store& s) {
        // The venue as changed keeps an imported row's bounds: the store checks it.
        auto v = store::update_venue(s, id, c);
        return json_response(200, json{{"id", v.id}, {"name", v.name}, {"former_names", v.former_names},
                                       {"list_version", s.list_version()}}.dump());
    });
}

}  // namespace keepout::http
