// What the web page needs beyond the reads of api.cpp: the list as CSV and KML downloads, a
// search of venue addresses (there is no geocoder on a mission network), every venue for the
// management screens' picker, and who holds the token the page was given.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/names.hpp"
#include "http/handlers.hpp"
#include "io/validate.hpp"
#include "text/csv.hpp"
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

std::string number_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.7f", v);
    std::string s = b;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string wkt_of(const geo::Shape& shape) {
    if (shape.is_point) return "POINT (" + number_text(shape.point.lon) + " " + number_text(shape.point.lat) + ")";
    auto polygon_text = [](const geo::Polygon& p) {
        std::string t = "(";
        for (std::size_t r = 0; r < p.rings.size(); ++r) {
            t += r ? ",(" : "(";
            for (std::size_t i = 0; i < p.rings[r].size(); ++i)
                t += (i ? "," : "") + number_text(p.rings[r][i].lon) + " " + number_text(p.rings[r][i].lat);
            t += ")";
        }
        return t + ")";
    };
    if (shape.polygons.size() == 1) return "POLYGON " + polygon_text(shape.polygons[0]);
    std::string t = "MULTIPOLYGON (";
    for (std::size_t i = 0; i < shape.polygons.size(); ++i) t += (i ? "," : "") + polygon_text(shape.polygons[i]);
    return t + ")";
}

std::string csv_line(const std::vector<std::string>& cells) { return text::csv_row(cells) + "\r\n"; }

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string reasons_text(const std::vector<model::Reason>& rs, const char* sep) {
    std::vector<std::string> parts;
    for (auto r : rs) parts.emplace_back(model::to_string(r));
    return join(parts, sep);
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // Control characters other than tab and newlines are not allowed in XML 1.0.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
                out += c;
        }
    }
    return out;
}

std::string kml_coordinates(const geo::Ring& ring) {
    std::string t;
    for (auto& p : ring) t += (t.empty() ? "" : " ") + number_text(p.lon) + "," + number_text(p.lat);
    return t;
}

std::string kml_polygon(const geo::Polygon& p) {
    std::string t = "<Polygon>";
    for (std::size_t r = 0; r < p.rings.size(); ++r)
        t += std::string(r ? "<innerBoundaryIs>" : "<outerBoundaryIs>") + "<LinearRing><coordinates>" +
             kml_coordinates(p.rings[r]) + "</coordinates></LinearRing>" +
             (r ? "</innerBoundaryIs>" : "</outerBoundaryIs>");
    return t + "</Polygon>";
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

std::string offlimits_csv(const std::vector<const VenueView*>& venues) {
    std::string out = csv_line({"id", "external_id", "name", "aliases", "category", "address", "municipality",
                                "directive", "listed_since", "reasons", "wkt"});
    for (const VenueView* v : venues)
        out += csv_line({std::to_string(v->venue.id), v->venue.external_id, v->venue.name, join(v->venue.aliases, ";"),
                         std::string(model::to_string(v->venue.category)), v->venue.address, v->venue.municipality,
                         v->directive_ref, v->listed_since.iso(), reasons_text(v->reasons, ";"), wkt_of(v->shape)});
    return out;
}

std::string offlimits_kml(const analysis::Snapshot& snap, const std::vector<const VenueView*>& venues) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>"
        "<name>" + xml_escape("Off-Limits list as of " + snap.as_of().iso() + " (list version " +
                              std::to_string(snap.list_version()) + ")") + "</name>"
        "<Style id=\"offlimits\"><IconStyle><color>ff0000cc</color></IconStyle>"
        "<LineStyle><color>ff0000cc</color><width>2</width></LineStyle>"
        "<PolyStyle><color>660000cc</color></PolyStyle></Style>\n";
    for (const VenueView* v : venues) {
        const std::string description = std::string(model::to_string(v->venue.category)) + ", " + v->venue.address +
                                        ", " + v->venue.municipality + ". Off-limits by " + v->directive_ref +
                                        " since " + v->listed_since.iso() + "; reasons: " + reasons_text(v->reasons, ", ");
        out += "<Placemark id=\"venue-" + std::to_string(v->venue.id) + "\"><name>" + xml_escape(v->venue.name) +
               "</name><description>" + xml_escape(description) + "</description><styleUrl>#offlimits</styleUrl>";
        out += "<ExtendedData>";
        auto data = [&](const char* key, const std::string& value) {
            out += std::string("<Data name=\"") + key + "\"><value>" + xml_escape(value) + "</value></Data>";
        };
        data("external_id", v->venue.external_id);
        data("aliases", join(v->venue.aliases, "; "));
        data("category", std::string(model::to_string(v->venue.category)));
        data("address", v->venue.address);
        data("municipality", v->venue.municipality);
        data("directive", v->directive_ref);
        data("listed_since", v->listed_since.iso());
        data("reasons", reasons_text(v->reasons, ", "));
        out += "</ExtendedData>";
        if (v->shape.is_point) {
            out += "<Point><coordinates>" + number_text(v->shape.point.lon) + "," + number_text(v->shape.point.lat) +
                   "</coordinates></Point>";
        } else if (v->shape.polygons.size() == 1) {
            out += kml_polygon(v->shape.polygons[0]);
        } else {
            out += "<MultiGeometry>";
            for (auto& p : v->shape.polygons) out += kml_polygon(p);
            out += "</MultiGeometry>";
        }
        out += "</Placemark>\n";
    }
    return out + "</Document></kml>\n";
}

// GET /api/v1/venues: every venue, listed or not, as GeoJSON with `listed` in the properties;
// `q` (fuzzy name), `address`, `limit`. The management screens pick venues to place or lift here.
Response handle_venues(Service& service, const Request& r) {
    for (auto& [key, value] : r.query)
        if (key != "q" && key != "address" && key != "as_of" && key != "limit")
            throw HttpError(400, "unknown-parameter", "unknown parameter '" + key + "'");
    const auto as_of = as_of_param(r);
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = "application/geo+json";
    if (not_modified(r, etag_for(*snap, as_of.has_value()), resp)) return resp;
    long long limit = 10000;
    if (auto l = r.param("limit")) {
        auto n = io::parse_integer(*l);
        if (!n || *n < 1 || *n > 10000) throw HttpError(400, "bad-parameter", "limit must be a whole number from 1 to 10000");
        limit = *n;
    }
    std::vector<const VenueView*> picked;
    const std::string q = r.param("q").value_or("");
    const AddressQuery address(r.param("address").value_or(""));
    const bool by_address = !r.param("address").value_or("").empty();
    if (!q.empty()) {
        for (auto& m : snap->names().search(q, 0.5, std::size_t(limit)))
            if (auto* v = snap->venue_by_id(m.venue_id); v && (!by_address || address.matches(*v))) picked.push_back(v);
    } else {
        for (auto& v : snap->venues())
            if ((!by_address || address.matches(v)) && (long long)picked.size() < limit) picked.push_back(&v);
    }
    std::string features;
    for (const VenueView* v : picked) {
        json f = json::parse(venue_feature(*v));
        f["properties"]["listed"] = v->listed;
        features += (features.empty() ? "" : ",") + f.dump();
    }
    resp.body = "{\"type\":\"FeatureCollection\",\"as_of\":\"" + snap->as_of().iso() +
                "\",\"list_version\":" + std::to_string(snap->list_version()) +
                ",\"numberMatched\":" + std::to_string(picked.size()) + ",\"features\":[" + features + "]}";
    return resp;
}

// GET /api/v1/token: who holds the bearer token and with which role (401 without a valid one),
// so the management screens show what the token may do before anything is written.
Response handle_token(Service& service, const Request& r) {
    const auto holder = authenticate(service, r);
    Response resp = json_response(
        200, json{{"id", holder.id}, {"name", holder.name}, {"role", model::to_string(holder.role)}}.dump());
    resp.headers.emplace_back("Cache-Control", "no-store");
    return resp;
}

}  // namespace keepout::http
