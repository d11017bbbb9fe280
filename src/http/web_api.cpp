// What the web page needs beyond the reads of api.cpp: a search of venue addresses (there is no
// geocoder on a mission network), every venue for the management screens' picker, and who holds
// the token the page was given. The list's CSV and KML downloads are written in encode/venues.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/names.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "source/validate.hpp"
#include "store/operations.hpp"
#include "http/auth.hpp"
#include "store/tokens.hpp"

namespace keepout::http {

using analysis::VenueView;
using nlohmann::json;

namespace {

std::vector<std::string> words(const std::string& folded) {
    std::vector<std::string> out;
    std::stringstream ss(folded);
    std::string w;
    while (ss >> w) out.push_back(w);
    return out;
}

bool is_number(const std::string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Street-type words that people write in full, abbreviate or leave out: they never decide a match.
bool street_word(const std::string& w) {
    static const char* const kWords[] = {"rr", "rruga", "rrug", "ul", "ulica", "ulitsa", "bul", "bulevardi",
                                         "bulevar", "blvd", "str", "street", "st", "road", "rd", "nr", "no", "br"};
    for (const char* k : kWords)
        if (w == k) return true;
    return false;
}

}  // namespace

AddressQuery::AddressQuery(const std::string& text) {
    for (auto& w : words(analysis::fold_name(text)))
        if (!street_word(w)) words_.push_back(w);
}

bool AddressQuery::matches(const VenueView& v) const {
    if (words_.empty()) return false;
    const auto have = words(analysis::fold_name(v.venue.address + " " + v.venue.municipality));
    for (auto& want : words_) {
        bool found = false;
        for (auto& w : have) {
            // House numbers match exactly ("7" is not "71"); words also by a prefix of 3 letters or more.
            if (w == want || (!is_number(want) && want.size() >= 3 && w.rfind(want, 0) == 0)) {
                found = true;
                break;
            }
        }
        if (!found) return false;
    }
    return true;
}

// GET /api/v1/venues: every venue, listed or not, as GeoJSON with `listed` in the properties;
// `q` (fuzzy name), `address`, `limit`. The management screens pick venues to place or lift here.
Response handle_venues(Service& service, const Request& r) {
    const Params params = validate(r, schemas::venues, service.time_zone());
    const auto as_of = params.date("as_of");
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = "application/geo+json";
    if (not_modified(r, etag_for(*snap, as_of.has_value()), resp)) return resp;
    const long long limit = *params.integer("limit");
    std::vector<const VenueView*> picked;
    const std::string q = params.text("q").value_or("");
    const std::string address_text = params.text("address").value_or("");
    const AddressQuery address(address_text);
    const bool by_address = !address_text.empty();
    if (!q.empty()) {
        for (auto& m : snap->names().search(q, 0.5, std::size_t(limit)))
            if (auto* v = snap->venue_by_id(m.venue_id); v && (!by_address || address.matches(*v))) picked.push_back(v);
    } else {
        for (auto& v : snap->venues())
            if ((!by_address || address.matches(v)) && (long long)picked.size() < limit) picked.push_back(&v);
    }
    resp.body = encode::list_geojson(*snap, picked, picked.size(), true);
    return resp;
}

// GET /api/v1/mission: what the page needs of the profile: its name, its zone (in which every
// as_of is a local date), its languages, in order, and the box the map opens on (the mission area,
// else the data's); before a profile is imported, UTC and no languages.
static json bbox_json(const std::optional<geo::Box>& b) {
    if (!b) return nullptr;
    return json::array({b->min_lon, b->min_lat, b->max_lon, b->max_lat});
}

Response handle_mission(Service& service, const Request& r) {
    validate(r, schemas::mission);
    auto snap = service.snapshot();
    const auto& m = snap->mission();
    // No ETag: the list version does not move when a profile is imported.
    Response resp;
    resp.headers.emplace_back("Cache-Control", "no-cache");
    resp.body = json{{"name", m.name.empty() ? json(nullptr) : json(m.name)},
                     {"time_zone", m.time_zone},
                     {"languages", m.languages},
                     {"today", snap->as_of().iso()},
                     {"bbox", bbox_json(m.area ? std::optional<geo::Box>(m.area->box) : snap->data_bounds())}}
                    .dump();
    return resp;
}

// GET /api/v1/token: who holds the bearer token and with which role (401 without a valid one),
// so the management screens show what the token may do before anything is written.
Response handle_token(Service& service, const Request& r) {
    validate(r, schemas::token);
    const auto holder = authenticate(service, r);
    Response resp = json_response(
        200, json{{"id", holder.id}, {"name", holder.name}, {"role", model::to_string(holder.role)}}.dump());
    resp.headers.emplace_back("Cache-Control", "no-store");
    return resp;
}

}  // namespace keepout::http
