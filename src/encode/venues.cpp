#include "encode/venues.hpp"

#include "encode/reviews.hpp"

#include "encode/detail/json.hpp"
#include "encode/reports.hpp"
#include "text/csv.hpp"
#include "text/format.hpp"
#include "text/xml.hpp"

namespace keepout::encode {

using analysis::VenueView;
using nlohmann::json;

namespace {

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

std::string point_text(geo::LonLat p, const char* sep) { return text::shortest(p.lon) + sep + text::shortest(p.lat); }

std::string kml_coordinates(const geo::Ring& ring) {
    std::string t;
    for (auto& p : ring) t += (t.empty() ? "" : " ") + point_text(p, ",");
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

namespace detail {

json venue_properties(const VenueView& v, bool with_listed) {
    json props{{"id", v.venue.id},
               {"external_id", v.venue.external_id},
               {"name", v.venue.name},
               {"aliases", v.venue.aliases},
               {"former_names", v.venue.former_names},
               {"category", model::to_string(v.venue.category)},
               {"address", v.venue.address},
               {"municipality", v.venue.municipality},
               {"directive", v.listed ? json(v.directive_ref) : json(nullptr)},
               {"listed_since", v.listed ? json(v.listed_since.iso()) : json(nullptr)},
               {"until", v.listed && v.until ? json(v.until->iso()) : json(nullptr)},
               {"reasons", model::reason_codes(v.reasons)}};
    if (with_listed) props["listed"] = v.listed;
    return props;
}

json shape_geometry(const geo::Shape& shape) {
    if (shape.is_point) return {{"type", "Point"}, {"coordinates", {shape.point.lon, shape.point.lat}}};
    json polys = json::array();
    for (auto& poly : shape.polygons) {
        json rings = json::array();
        for (auto& ring : poly.rings) {
            json coords = json::array();
            for (auto& p : ring) coords.push_back({p.lon, p.lat});
            rings.push_back(std::move(coords));
        }
        polys.push_back(std::move(rings));
    }
    return polys.size() == 1 ? json{{"type", "Polygon"}, {"coordinates", polys[0]}}
                             : json{{"type", "MultiPolygon"}, {"coordinates", polys}};
}

json venue_feature(const VenueView& v, bool with_listed) {
    return {{"type", "Feature"},
            {"id", v.venue.id},
            {"geometry", shape_geometry(v.shape)},
            {"properties", venue_properties(v, with_listed)}};
}

}  // namespace detail

std::string venue_feature(const VenueView& v, bool with_listed) { return detail::venue_feature(v, with_listed).dump(); }

namespace {
json reviews_array(const std::vector<model::Review>& reviews) {
    json a = json::array();
    for (const auto& r : reviews) a.push_back(json::parse(review_json(r)));
    return a;
}
}  // namespace

std::string venue_document(const VenueView& v, model::Date as_of, std::string_view time_zone,
                           const model::ListHistory& history, const std::vector<model::Review>* reviews) {
    json j = detail::venue_feature(v, true);
    j["properties"]["as_of"] = as_of.iso();
    j["properties"]["time_zone"] = time_zone;
    j["history"] = detail::venue_history(history, v.venue.id, as_of);
    if (reviews) j["reviews"] = reviews_array(*reviews);
    return j.dump();
}

std::string list_geojson(const analysis::Snapshot& snap, const VenuePage& page, std::size_t matched, bool with_listed) {
    json features = json::array();
    for (const VenueView* v : page) features.push_back(detail::venue_feature(*v, with_listed));
    return json{{"type", "FeatureCollection"},
                {"as_of", snap.as_of().iso()},
                {"time_zone", snap.time_zone()},
                {"list_version", snap.list_version()},
                {"numberMatched", matched},
                {"numberReturned", page.size()},
                {"features", std::move(features)}}
        .dump();
}

std::string list_json(const analysis::Snapshot& snap, const VenuePage& page) {
    json venues = json::array();
    for (const VenueView* v : page) venues.push_back(detail::venue_properties(*v, false));
    return json{{"as_of", snap.as_of().iso()},
                {"time_zone", snap.time_zone()},
                {"list_version", snap.list_version()},
                {"count", page.size()},
                {"venues", std::move(venues)}}
        .dump(2);
}

std::string venue_history_document(const model::Venue& v, const model::ListHistory& h, model::Date as_of,
                                   std::string_view time_zone, const std::vector<model::Review>* reviews) {
    const auto state = h.venue_as_of(v.id, as_of);
    json doc{{"venue",
                 {{"id", v.id},
                  {"external_id", v.external_id},
                  {"name", v.name},
                  {"aliases", v.aliases},
                  {"former_names", v.former_names}}},
                {"as_of", as_of.iso()},
                {"time_zone", time_zone},
                {"listed", state.has_value()},
                {"listed_since", state ? json(state->listed_since.iso()) : json(nullptr)},
                {"history", detail::venue_history(h, v.id, as_of)}};
    if (reviews) doc["reviews"] = reviews_array(*reviews);
    return doc.dump(2);
}

std::string shape_wkt(const geo::Shape& shape) {
    if (shape.is_point) return "POINT (" + point_text(shape.point, " ") + ")";
    auto polygon_text = [](const geo::Polygon& p) {
        std::string t = "(";
        for (std::size_t r = 0; r < p.rings.size(); ++r) {
            t += r ? ",(" : "(";
            for (std::size_t i = 0; i < p.rings[r].size(); ++i) t += (i ? "," : "") + point_text(p.rings[r][i], " ");
            t += ")";
        }
        return t + ")";
    };
    if (shape.polygons.size() == 1) return "POLYGON " + polygon_text(shape.polygons[0]);
    std::string t = "MULTIPOLYGON (";
    for (std::size_t i = 0; i < shape.polygons.size(); ++i) t += (i ? "," : "") + polygon_text(shape.polygons[i]);
    return t + ")";
}

std::string list_csv(const VenuePage& venues) {
    std::string out = text::csv_row({"id", "external_id", "name", "aliases", "category", "address", "municipality",
                                     "directive", "listed_since", "reasons", "wkt"}) +
                      "\r\n";
    for (const VenueView* v : venues)
        out += text::csv_row({std::to_string(v->venue.id), v->venue.external_id, v->venue.name,
                              join(v->venue.aliases, ";"), std::string(model::to_string(v->venue.category)),
                              v->venue.address, v->venue.municipality, v->directive_ref, v->listed_since.iso(),
                              reasons_text(v->reasons, ";"), shape_wkt(v->shape)}) +
               "\r\n";
    return out;
}

std::string list_kml(const analysis::Snapshot& snap, const VenuePage& venues) {
    using text::xml_escape;
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>"
        "<name>" + xml_escape("Off-Limits list as of " + snap.as_of().iso() + " (" + snap.time_zone() + ", list version " +
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
            out += "<Point><coordinates>" + point_text(v->shape.point, ",") + "</coordinates></Point>";
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

namespace {
json directive_fields(const model::Directive& d) {
    json j{{"ref", d.ref},
           {"title", d.title},
           {"authority", d.authority},
           {"signed", d.signed_on.iso()},
           {"effective", d.effective_on.iso()},
           {"status", model::to_string(d.status)},
           {"emergency", d.emergency}};
    if (d.review_on) j["review"] = d.review_on->iso();
    if (d.ended_on) j["ended"] = d.ended_on->iso();
    if (!d.superseded_by.empty()) j["superseded_by"] = d.superseded_by;
    if (!d.drafted_by.empty()) j["drafted_by"] = d.drafted_by;
    if (!d.submitted_by.empty()) j["submitted_by"] = d.submitted_by;
    if (!d.issued_by.empty()) j["issued_by"] = d.issued_by;
    return j;
}
}  // namespace

std::string directive_json(const model::Directive& d, const std::vector<model::Listing>& listings,
                           const std::map<model::Id, model::Venue>* venues, std::optional<std::int64_t> list_version,
                           std::optional<std::int64_t> draft_revision) {
    json j = directive_fields(d);
    j["listing_count"] = listings.size();
    if (list_version) j["list_version"] = *list_version;
    if (draft_revision) j["draft_revision"] = *draft_revision;
    if (!venues) return j.dump();
    j["listings"] = json::array();
    for (auto& l : listings) {
        const auto found = venues->find(l.venue_id);
        const model::Venue none;
        const model::Venue& v = found == venues->end() ? none : found->second;
        json x{{"venue_id", l.venue_id},
               {"external_id", v.external_id},
               {"name", v.name},
               {"action", model::to_string(l.action)},
               {"reasons", model::reason_codes(l.reasons)},
               {"effective_from", l.effective_from.iso()}};
        if (l.until) x["until"] = l.until->iso();
        if (!l.added_by.empty()) x["added_by"] = l.added_by;
        j["listings"].push_back(std::move(x));
    }
    return j.dump();
}

std::string directives_json(const std::vector<std::pair<model::Directive, std::size_t>>& directives) {
    json a = json::array();
    for (auto& [d, count] : directives) {
        json j = directive_fields(d);
        j["listing_count"] = count;
        a.push_back(std::move(j));
    }
    return json{{"directives", std::move(a)}}.dump();
}

}  // namespace keepout::encode
