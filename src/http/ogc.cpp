// OGC API – Features, Part 1 (core, GeoJSON, HTML, OpenAPI 3) and Part 2 (crs, bbox-crs for CRS84,
// EPSG:4326 and the EPSG codes of every UTM zone the mission area touches, transformed through
// PROJ), Part 3 queryables with their simple filters, over the collections `offlimits` (the list
// as of `datetime`), `offlimits-points`, `offlimits-footprints` and `sites`.
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <functional>

#include "analysis/names.hpp"
#include "geo/coordinates.hpp"
#include "geo/geos.hpp"
#include "geo/projection.hpp"
#include "geo/shapes.hpp"
#include "geo/utm_zones.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/mission.hpp"
#include "store/repository.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

using namespace keepout::model;
using analysis::Snapshot;
using nlohmann::json;

namespace {

const std::string kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const std::string kEpsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/";

// A coordinate system the API offers: CRS84 (epsg 0), EPSG:4326, or a UTM zone's EPSG code.
struct Crs {
    int epsg = 0;
    bool crs84() const { return epsg == 0; }
    std::string uri() const { return crs84() ? kCrs84 : kEpsgPrefix + std::to_string(epsg); }
};

// What the mission offers: CRS84, EPSG:4326 and the UTM zones of its area, or of the data's
// extent before a mission profile is imported; the area's box is the collections' fallback extent.
struct Offered {
    std::vector<Crs> crs;
    std::optional<geo::Box> area;
};

Offered offered(Service& service, const Snapshot& snap) {
    Offered o{{Crs{0}, Crs{4326}}, std::nullopt};
    const auto mission = service.read([](store::Store& s) { return store::mission_settings(s); });
    std::vector<int> zones;
    if (mission && !mission->area_wkb.empty()) {
        zones = geo::utm_epsg_codes_touching(mission->area_wkb);
        o.area = geo::shape_from_wkb(mission->area_wkb).box;
    } else if (snap.data_bounds()) {
        zones = geo::utm_epsg_codes_touching(*snap.data_bounds());
    }
    for (int code : zones) o.crs.push_back(Crs{code});
    return o;
}

json crs_uris(const Offered& o) {
    json out = json::array();
    for (const auto& c : o.crs) out.push_back(c.uri());
    return out;
}

// The CRS a parameter names, as a URI or as "EPSG:nnnn"; one the mission does not offer is a 400
// that lists those it does.
Crs crs_param(const Params& params, const char* name, const Offered& o) {
    const auto v = params.text(name);
    if (!v || *v == kCrs84 || *v == "CRS84" || *v == "OGC:CRS84") return Crs{0};
    std::string digits;
    if (v->rfind(kEpsgPrefix, 0) == 0) digits = v->substr(kEpsgPrefix.size());
    else if (v->rfind("EPSG:", 0) == 0) digits = v->substr(5);
    const auto code = text::parse_int64(digits);
    if (code && *code > 0)
        for (const auto& c : o.crs)
            if (c.epsg == *code) return c;
    std::string list;
    for (const auto& c : o.crs) list += (list.empty() ? "" : ", ") + c.uri();
    throw HttpError(400, "bad-crs", std::string(name) + " " + text::quote(*v, 100) + " is not offered here; offered: " + list);
}

// Coordinates as the requested CRS writes them: CRS84 lon,lat; EPSG:4326 lat,lon; UTM E,N in
// metres to the millimetre.
json position(geo::LonLat p, Crs c) {
    if (c.crs84()) return {p.lon, p.lat};
    if (c.epsg == 4326) return {p.lat, p.lon};
    const geo::XY en = geo::thread_projection("EPSG:" + std::to_string(c.epsg)).forward(p);
    return {std::round(en.x * 1000) / 1000, std::round(en.y * 1000) / 1000};
}

json reproject(const json& geometry, Crs c) {
    if (c.crs84()) return geometry;
    std::function<json(const json&)> walk = [&](const json& coords) -> json {
        if (coords.is_array() && !coords.empty() && coords[0].is_number())
            return position({coords[0].get<double>(), coords[1].get<double>()}, c);
        json out = json::array();
        for (auto& x : coords) out.push_back(walk(x));
        return out;
    };
    json g = geometry;
    g["coordinates"] = walk(geometry["coordinates"]);
    return g;
}

geo::Box bbox_in(const std::string& text, Crs c) {
    auto numbers = number_list(text);
    if (!numbers) throw HttpError(400, "bad-bbox", "bbox must be four numbers");
    std::vector<double> v = std::move(*numbers);
    if (v.size() == 6) v = {v[0], v[1], v[3], v[4]};  // drop the heights of a 3D box
    if (v.size() != 4) throw HttpError(400, "bad-bbox", "bbox must be four numbers (or six for 3D)");
    if (v[0] > v[2] || v[1] > v[3]) throw HttpError(400, "bad-bbox", "bbox is out of order: min must not exceed max");
    if (c.epsg == 4326) v = {v[1], v[0], v[3], v[2]};
    if (!c.crs84() && c.epsg != 4326) {
        // Beyond these a "UTM" box is not one (and the inverse projection does not converge).
        if (v[0] < 0 || v[2] > 1000000 || v[1] < 0 || v[3] > 10000000)
            throw HttpError(400, "bad-bbox", "a UTM bbox is easting 0..1000000, northing 0..10000000 (metres)");
        // The edges, not only the corners: a UTM box's sides are curves in lon/lat.
        std::vector<geo::XY> edge;
        constexpr int kSteps = 16;
        for (int i = 0; i <= kSteps; ++i) {
            const double t = double(i) / kSteps, x = v[0] + t * (v[2] - v[0]), y = v[1] + t * (v[3] - v[1]);
            edge.insert(edge.end(), {{x, v[1]}, {x, v[3]}, {v[0], y}, {v[2], y}});
        }
        geo::thread_projection("EPSG:" + std::to_string(c.epsg)).inverse(edge);
        geo::Box b{1e300, 1e300, -1e300, -1e300};
        for (const auto& q : edge) {
            if (!std::isfinite(q.x) || !std::isfinite(q.y))
                throw HttpError(400, "bad-bbox", "the bbox does not convert to longitude and latitude");
            b = {std::min(b.min_lon, q.x), std::min(b.min_lat, q.y), std::max(b.max_lon, q.x), std::max(b.max_lat, q.y)};
        }
        return b;
    }
    if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
        throw HttpError(400, "bad-bbox", "bbox is outside longitude -180..180, latitude -90..90");
    return {v[0], v[1], v[2], v[3]};
}

// `f` (json, geojson or html: every OGC table has it) before the Accept header.
bool wants_html(const Request& r, const Params& params) {
    if (auto f = params.text("f")) return *f == "html";
    const std::string accept = r.header("accept");
    return accept.find("text/html") != std::string::npos && accept.find("json") == std::string::npos;
}

// Links are absolute (OGC API asks for it) and name the host the client asked for, but only a
// Host that is a plain host name or address (the server refuses others; this checks again for
// callers that bypass it).
std::string base_url(const Request& r) {
    std::string host = r.header("host");
    if (!valid_host(host)) host = "127.0.0.1";
    return (r.scheme == "https" ? "https://" : "http://") + host + "/ogc";
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

Response html_page(const std::string& title, const std::string& body) {
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\"><title>" +
             html_escape(title) +
             "</title><link rel=\"stylesheet\" href=\"/ogc/style.css\"></head><body><h1>" +
             html_escape(title) + "</h1>" + body + "</body></html>";
    return r;
}

// The pages' stylesheet, a file of its own: the Content-Security-Policy allows no inline style.
Response stylesheet() {
    Response r;
    r.content_type = "text/css; charset=utf-8";
    r.body = "body{font-family:sans-serif;margin:1.5em;color:#111}table{border-collapse:collapse}"
             "td,th{border:1px solid #999;padding:.25em .5em;text-align:left}a{color:#0645ad}\n";
    r.headers.emplace_back("Cache-Control", "max-age=3600");
    return r;
}

Response json_doc(const json& j, const char* type = "application/json") {
    Response r = json_response(200, j.dump());
    r.content_type = type;
    return r;
}

json link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title = "") {
    json l{{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty()) l["title"] = title;
    return l;
}

// The collections. `offlimits` is the list as stored (points and footprints mixed, as before);
// `offlimits-points` has every listed venue as one point, so a client that types a layer by its
// geometry (QGIS, GDAL) sees them all; `offlimits-footprints` the listed venues with a footprint.
enum class Kind { offlimits, points, footprints, sites };
struct Collection {
    Kind kind;
    const char* id;
    const char* title;
    const char* description;
};
const Collection kCollections[] = {
    {Kind::offlimits, "offlimits", "Off-Limits locations",
     "Venues listed off-limits as of the request's datetime (default today), each with its stored geometry: a point "
     "or a footprint"},
    {Kind::points, "offlimits-points", "Off-Limits locations (points)",
     "Every listed venue as one point: its point, or a point on its footprint with a link to the footprint"},
    {Kind::footprints, "offlimits-footprints", "Off-Limits footprints",
     "The listed venues that have a footprint, as polygons"},
    {Kind::sites, "sites", "Deployment sites", "Troop, police and civilian deployment sites"},
};
const Collection* find_collection(std::string_view id) {
    for (const auto& c : kCollections)
        if (id == c.id) return &c;
    return nullptr;
}
bool is_venues(Kind k) { return k != Kind::sites; }
bool in_collection(Kind k, const analysis::VenueView& v) { return v.listed && (k != Kind::footprints || !v.shape.is_point); }

// The queryables of each collection: the property filters its items take (Part 3 simple filters).
struct Queryable {
    const char* name;
    const char* title;
    const char* description;
};
const Queryable kVenueQueryables[] = {
    {"category", "Category", "The venue's category code"},
    {"municipality", "Municipality", "The venue's municipality, matched without regard to case, script or diacritics"},
    {"directive", "Directive", "The reference of the directive the venue is listed by (HOM/OL/2026/014)"},
    {"external_id", "External id", "The venue's id in the mission's own records"},
};
const Queryable kSiteQueryables[] = {{"kind", "Kind", "The site's kind"}};
std::vector<Queryable> queryables_of(Kind k) {
    if (is_venues(k)) return {std::begin(kVenueQueryables), std::end(kVenueQueryables)};
    return {std::begin(kSiteQueryables), std::end(kSiteQueryables)};
}

// A filter the collection does not have is refused as any unknown parameter: OGC API – Features
// answers 400 to a parameter it does not know rather than ignoring it (Part 1, 7.15.2).
void refuse_foreign_filters(const Params& params, const Collection& c, const std::string& base) {
    const char* others[] = {"category", "municipality", "directive", "external_id", "kind"};
    const auto own = queryables_of(c.kind);
    for (const char* name : others) {
        const bool mine = std::any_of(own.begin(), own.end(), [&](const Queryable& q) { return std::string_view(q.name) == name; });
        if (mine || !params.given(name)) continue;
        std::string list;
        for (const auto& q : own) list += (list.empty() ? "" : ", ") + std::string(q.name);
        throw HttpError(400, "unknown-parameter",
                        std::string(name) + " is not a queryable of " + c.id + "; its queryables are " + list + " (" +
                            base + "/collections/" + c.id + "/queryables)");
    }
}

struct VenueFilter {
    std::optional<Category> category;
    std::string municipality;  // folded
    std::optional<std::string> directive;
    std::optional<std::string> external_id;
    bool matches(const analysis::VenueView& v) const {
        if (category && v.venue.category != *category) return false;
        if (directive && v.directive_ref != *directive) return false;
        if (external_id && v.venue.external_id != *external_id) return false;
        if (!municipality.empty() && analysis::fold_name(v.venue.municipality) != municipality) return false;
        return true;
    }
};
VenueFilter venue_filter(const Params& params) {
    VenueFilter f;
    if (auto c = params.text("category")) f.category = parse_category(*c);
    if (auto m = params.text("municipality")) f.municipality = analysis::fold_name(*m);
    f.directive = params.text("directive");
    f.external_id = params.text("external_id");
    return f;
}

// The first issued directive's effective date: where the list's history, and so the collection's
// temporal extent, begins. None before a directive is issued.
std::optional<Date> first_effective(Service& service) {
    return service.read([](store::Store& s) {
        std::optional<Date> first;
        for (const auto& d : s.directives())
            if (d.status != DirectiveStatus::draft && d.status != DirectiveStatus::submitted)
                if (!first || d.effective_on < *first) first = d.effective_on;
        return first;
    });
}

json point_geometry(geo::LonLat p) { return {{"type", "Point"}, {"coordinates", {p.lon, p.lat}}}; }

// A venue's feature as the collection gives it: the stored geometry, or (points) its
// representative point with a link to its footprint and its MGRS reference.
json venue_item(const analysis::VenueView& v, Kind k, const std::string& base) {
    json f = json::parse(venue_feature(v));
    if (k == Kind::points) {
        const geo::LonLat p = geo::representative_point(v.shape);
        f["geometry"] = point_geometry(p);
        f["properties"]["footprint"] =
            v.shape.is_point ? json(nullptr) : json(base + "/collections/offlimits-footprints/items/" + std::to_string(v.venue.id));
        f["properties"]["mgrs"] = geo::to_mgrs(p, 5);
    }
    return f;
}

// The extent is the data's; with no data, the mission area's; with neither, the collection has
// none. The venue collections' temporal extent runs from the first directive's effective date on.
json collection_json(Service& service, const std::string& base, const Collection& col, const Snapshot& s, const Offered& o) {
    geo::Box extent{};
    bool first = true;
    auto grow = [&](const geo::Box& b) {
        if (first) extent = b, first = false;
        extent.min_lon = std::min(extent.min_lon, b.min_lon);
        extent.min_lat = std::min(extent.min_lat, b.min_lat);
        extent.max_lon = std::max(extent.max_lon, b.max_lon);
        extent.max_lat = std::max(extent.max_lat, b.max_lat);
    };
    if (is_venues(col.kind)) {
        for (auto i : s.listed())
            if (in_collection(col.kind, s.venues()[i])) grow(s.venues()[i].shape.box);
    } else {
        for (auto& site : s.sites()) grow(site.shape.box);
    }
    if (first && o.area) extent = *o.area, first = false;
    const std::string url = base + "/collections/" + col.id;
    json c{{"id", col.id},
           {"title", col.title},
           {"description", col.description},
           {"itemType", "feature"},
           {"crs", crs_uris(o)},
           {"storageCrs", kCrs84},
           {"links",
            {link(url, "self", "application/json"), link(url + "?f=html", "alternate", "text/html"),
             link(url + "/items", "items", "application/geo+json", "Items"),
             link(url + "/items?f=html", "items", "text/html", "Items as HTML"),
             link(url + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json",
                  "Queryables")}}};
    if (!first)
        c["extent"] = {
            {"spatial", {{"bbox", {{extent.min_lon, extent.min_lat, extent.max_lon, extent.max_lat}}}, {"crs", kCrs84}}}};
    if (is_venues(col.kind))
        if (const auto since = first_effective(service))
            c["extent"]["temporal"] = {{"interval", json::array({json::array({since->iso() + "T00:00:00Z", nullptr})})},
                                       {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
    return c;
}

// /queryables: a JSON Schema (2020-12) of the properties the items can be filtered by.
json queryables_json(const std::string& base, const Collection& col) {
    json props = json::object();
    for (const auto& q : queryables_of(col.kind)) {
        json p{{"title", q.title}, {"description", q.description}, {"type", "string"}};
        if (std::string_view(q.name) == "category") {
            p["enum"] = json::array();
            for (auto code : all_category_codes()) p["enum"].push_back(std::string(code));
        }
        if (std::string_view(q.name) == "kind") p["enum"] = {"military", "police", "civilian", "hq", "other"};
        props[q.name] = p;
    }
    return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", base + "/collections/" + col.id + "/queryables"},
            {"type", "object"},
            {"title", col.title},
            {"properties", props},
            {"additionalProperties", false}};
}

// A query parameter as OpenAPI 3 describes it, from the route's table (http/params.cpp).
json openapi_param(const ParamSpec& p, const Offered& o) {
    json schema{{"type", p.kind == ParamKind::integer ? "integer" : "string"}};
    if (p.code == "bad-crs") schema["enum"] = crs_uris(o);
    if (p.kind == ParamKind::integer) {
        schema["minimum"] = static_cast<std::int64_t>(p.min);
        schema["maximum"] = static_cast<std::int64_t>(p.max);
    }
    if (p.kind == ParamKind::choice) schema["enum"] = p.choices;
    if (p.fallback)
        schema["default"] = p.kind == ParamKind::integer ? json(std::stoll(p.fallback)) : json(p.fallback);
    return {{"name", p.name}, {"in", "query"}, {"required", p.required}, {"description", expected_value(p)},
            {"schema", schema}};
}

std::string openapi(const std::string& base, const Offered& o) {
    auto path_param = [](const char* name, const char* description) {
        return json{{"name", name}, {"in", "path"}, {"required", true}, {"description", description},
                    {"schema", {{"type", "string"}}}};
    };
    const json collection_id =
        path_param("collectionId", "offlimits, offlimits-points, offlimits-footprints or sites");
    auto with_query = [&](json params, const ParamSchema& schema) {
        for (const auto& p : schema.params) params.push_back(openapi_param(p, o));
        return params;
    };
    const json f_only = with_query(json::array({collection_id}), schemas::ogc_collection);
    const json items_params = with_query(json::array({collection_id}), schemas::ogc_items);
    const json item_params = with_query(
        json::array({collection_id, path_param("featureId", "the venue's or site's id; for a venue also its external id "
                                                            "(an id made of digits is read as the id first)")}),
        schemas::ogc_item);
    json ok{{"200", {{"description", "OK"}}}, {"400", {{"description", "Bad request"}}}};
    return json{{"openapi", "3.0.3"},
                {"info", {{"title", "keepout OGC API – Features"}, {"version", "1.0.0"},
                          {"description", "The mission's Off-Limits locations and deployment sites"}}},
                {"servers", {{{"url", base}}}},
                {"paths",
                 {{"/", {{"get", {{"summary", "Landing page"}, {"responses", ok}}}}},
                  {"/conformance", {{"get", {{"summary", "Conformance classes"}, {"responses", ok}}}}},
                  {"/collections", {{"get", {{"summary", "Collections"}, {"responses", ok}}}}},
                  {"/collections/{collectionId}",
                   {{"get", {{"summary", "A collection"}, {"parameters", f_only}, {"responses", ok}}}}},
                  {"/collections/{collectionId}/queryables",
                   {{"get", {{"summary", "The properties items can be filtered by"}, {"parameters", f_only},
                             {"responses", ok}}}}},
                  {"/collections/{collectionId}/items",
                   {{"get", {{"summary", "Features"}, {"parameters", items_params}, {"responses", ok}}}}},
                  {"/collections/{collectionId}/items/{featureId}",
                   {{"get",
                     {{"summary", "One feature"}, {"parameters", item_params}, {"responses", ok}}}}}}}}
        .dump();
}

// The HTML of a feature's properties, every value escaped.
std::string properties_table(const json& properties) {
    std::string rows;
    for (auto& [key, value] : properties.items()) {
        std::string text = value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
        rows += "<tr><th>" + html_escape(key) + "</th><td>" + html_escape(text) + "</td></tr>";
    }
    return "<table>" + rows + "</table>";
}

Response items(Service& service, const Request& r, const std::string& base, const Collection& col) {
    const Params params = validate(r, schemas::ogc_items, service.time_zone());
    refuse_foreign_filters(params, col, base);
    const long long limit = *params.integer("limit");
    const long long offset = *params.integer("offset");
    const auto as_of = params.date("datetime");
    auto snap = service.snapshot(as_of);
    const Offered o = offered(service, *snap);
    const Crs crs = crs_param(params, "crs", o);
    std::optional<geo::Box> bbox;
    if (auto b = params.text("bbox")) bbox = bbox_in(*b, crs_param(params, "bbox-crs", o));

    // What matches, by index; only the page is written out. A point is inside the box when its
    // representative point is (computed only for the footprints whose box meets the box).
    std::vector<std::size_t> hits;
    if (is_venues(col.kind)) {
        const VenueFilter filter = venue_filter(params);
        for (auto i : snap->listed()) {
            const auto& v = snap->venues()[i];
            if (!in_collection(col.kind, v) || !filter.matches(v)) continue;
            if (bbox && !bbox->intersects(v.shape.box)) continue;
            if (bbox && col.kind == Kind::points && !v.shape.is_point) {
                const geo::LonLat p = geo::representative_point(v.shape);
                if (!bbox->intersects(geo::Box{p.lon, p.lat, p.lon, p.lat})) continue;
            }
            hits.push_back(i);
        }
    } else {
        std::optional<SiteKind> kind;
        if (auto k = params.text("kind")) kind = parse_site_kind(*k);
        for (std::size_t i = 0; i < snap->sites().size(); ++i) {
            if (kind && snap->sites()[i].site.kind != *kind) continue;
            if (!bbox || bbox->intersects(snap->sites()[i].shape.box)) hits.push_back(i);
        }
    }
    auto feature_of = [&](std::size_t i) {
        return is_venues(col.kind) ? venue_item(snap->venues()[i], col.kind, base) : json::parse(site_feature(snap->sites()[i]));
    };
    const long long matched = (long long)hits.size();
    json fc{{"type", "FeatureCollection"}, {"features", json::array()}};
    for (long long k = offset; k < matched && k < offset + limit; ++k) {
        json f = feature_of(hits[std::size_t(k)]);
        f["geometry"] = reproject(f["geometry"], crs);
        fc["features"].push_back(f);
    }
    fc["numberMatched"] = matched;
    fc["numberReturned"] = fc["features"].size();
    fc["timeStamp"] = model::utc_now_iso();

    // Links keep every parameter but the paging ones.
    std::string kept;
    for (auto& [key, value] : r.query)
        if (key != "offset" && key != "f") kept += "&" + url_encode(key) + "=" + url_encode(value);
    const std::string url = base + "/collections/" + col.id + "/items";
    auto page = [&](long long off, const char* f) {
        return url + "?offset=" + std::to_string(off) + kept + (std::string(f).empty() ? "" : std::string("&f=") + f);
    };
    fc["links"] = {link(page(offset, "json"), "self", "application/geo+json"),
                   link(page(offset, "html"), "alternate", "text/html"),
                   link(base + "/collections/" + col.id, "collection", "application/json")};
    if (offset + limit < matched) fc["links"].push_back(link(page(offset + limit, "json"), "next", "application/geo+json"));
    if (offset > 0) fc["links"].push_back(link(page(std::max(0LL, offset - limit), "json"), "prev", "application/geo+json"));

    Response resp;
    if (wants_html(r, params)) {
        std::string rows;
        for (auto& f : fc["features"]) {
            auto& p = f["properties"];
            const std::string item = url + "/" + std::to_string(p.value("id", 0LL)) + "?f=html";
            const std::string shown = p.value("external_id", std::string());
            rows += "<tr><td><a href=\"" + html_escape(item) + "\">" +
                    html_escape(shown.empty() ? std::to_string(p.value("id", 0LL)) : shown) + "</a></td><td>" +
                    html_escape(p.value("name", std::string())) + "</td><td>" +
                    html_escape(p.contains("category") ? p["category"].get<std::string>() : p.value("kind", std::string())) +
                    "</td><td>" + html_escape(p.value("municipality", p.value("contingent", std::string()))) + "</td></tr>";
        }
        std::string nav;
        for (auto& l : fc["links"])
            if (l["rel"] == "next" || l["rel"] == "prev")
                nav += " <a href=\"" + html_escape(std::string(l["href"]).replace(std::string(l["href"]).rfind("f=json"), 6, "f=html")) +
                       "\">" + std::string(l["rel"]) + "</a>";
        resp = html_page(std::string(col.title) + " as of " + snap->as_of().iso(),
                         "<p>" + std::to_string(matched) + " matched, " + std::to_string(fc["numberReturned"].get<long long>()) +
                             " shown." + nav + "</p><table><tr><th>id</th><th>name</th><th>category</th><th>where</th></tr>" +
                             rows + "</table>");
    } else {
        resp = json_doc(fc, "application/geo+json");
        resp.headers.emplace_back("Content-Crs", "<" + crs.uri() + ">");
    }
    not_modified(r, etag_for(*snap, as_of.has_value()), resp);
    return resp;
}

// Longest feature id read: ids and external ids are far shorter; a longer one names nothing.
constexpr std::size_t kMaxFeatureId = 200;

// A venue of the collection by its path key. Precedence: a key of plain digits that is a venue's
// id names that venue (the feature's own "id", which clients follow); any other key is matched
// against the venues' external ids, exactly. So an external id made of digits that is also
// another venue's id is reached by ?external_id= instead.
const analysis::VenueView* venue_by_key(const Snapshot& s, const std::string& key) {
    if (const auto id = text::parse_int64(key))
        if (const auto* v = s.venue_by_id(*id)) return v;
    for (const auto& v : s.venues())
        if (!v.venue.external_id.empty() && v.venue.external_id == key) return &v;
    return nullptr;
}

Response item(Service& service, const Request& r, const std::string& base, const Collection& col, const std::string& key) {
    const Params params = validate(r, schemas::ogc_item, service.time_zone());
    if (key.empty() || key.size() > kMaxFeatureId)
        throw HttpError(404, "not-found", "no feature " + text::quote(key, 40) + " in " + col.id);
    auto s = service.snapshot(params.date("datetime"));
    const Crs crs = crs_param(params, "crs", offered(service, *s));
    json f;
    std::string canonical;
    if (is_venues(col.kind)) {
        const auto* v = venue_by_key(*s, key);
        if (!v) throw HttpError(404, "not-found", "no venue " + text::quote(key, 40) + " (by id or external id)");
        if (!v->listed)
            throw HttpError(404, "not-found", "venue " + text::quote(key, 40) + " is not on the list as of " + s->as_of().iso());
        if (!in_collection(col.kind, *v))
            throw HttpError(404, "not-found", "venue " + text::quote(key, 40) + " has no footprint; it is in offlimits-points");
        f = venue_item(*v, col.kind, base);
        canonical = std::to_string(v->venue.id);
    } else {
        const auto fid = text::parse_int64(key);
        for (auto& site : s->sites())
            if (fid && site.site.id == *fid) f = json::parse(site_feature(site));
        if (f.is_null()) throw HttpError(404, "not-found", "no site " + text::quote(key, 40));
        canonical = key;
    }
    f["geometry"] = reproject(f["geometry"], crs);
    const std::string url = base + "/collections/" + col.id;
    f["links"] = {link(url + "/items/" + canonical, "self", "application/geo+json"),
                  link(url + "/items/" + canonical + "?f=html", "alternate", "text/html"),
                  link(url, "collection", "application/json")};
    if (col.kind == Kind::points && !f["properties"]["footprint"].is_null())
        f["links"].push_back(link(f["properties"]["footprint"].get<std::string>(), "related", "application/geo+json", "Footprint"));
    if (col.kind == Kind::footprints)
        f["links"].push_back(link(base + "/collections/offlimits-points/items/" + canonical, "related",
                                  "application/geo+json", "Point"));
    if (wants_html(r, params)) {
        std::string links;
        for (auto& l : f["links"])
            if (l["type"] != "text/html")
                links += "<li><a href=\"" + html_escape(l["href"].get<std::string>()) + "\">" +
                         html_escape(l.value("title", l["rel"].get<std::string>())) + "</a></li>";
        return html_page(f["properties"].value("name", std::string(col.title)),
                         properties_table(f["properties"]) + "<ul>" + links + "</ul>");
    }
    Response resp = json_doc(f, "application/geo+json");
    resp.headers.emplace_back("Content-Crs", "<" + crs.uri() + ">");
    return resp;
}

}  // namespace

Response handle_ogc(Service& service, const Request& r, const std::string& rest_in) {
    const std::string base = base_url(r);
    const std::string hbase = html_escape(base);  // for the HTML pages: every string printed is escaped
    std::string rest = rest_in;
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    auto routed = [](Response resp, const char* route) {
        resp.route = route;
        return resp;
    };
    if (rest.empty()) {
        const Params params = validate(r, schemas::ogc_landing);
        json landing{{"title", "keepout: Off-Limits locations"},
                     {"description", "The mission's Off-Limits list and deployment sites as OGC API – Features"},
                     {"links",
                      {link(base, "self", "application/json"), link(base + "?f=html", "alternate", "text/html"),
                       link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0"),
                       link(base + "/conformance", "conformance", "application/json"),
                       link(base + "/collections", "data", "application/json")}}};
        if (wants_html(r, params))
            return routed(html_page("keepout: Off-Limits locations",
                                    "<ul><li><a href=\"" + hbase + "/collections?f=html\">Collections</a></li><li><a href=\"" +
                                        hbase + "/conformance\">Conformance</a></li><li><a href=\"" + hbase +
                                        "/api\">API definition</a></li></ul>"),
                          "/ogc");
        return routed(json_doc(landing), "/ogc");
    }
    if (rest == "/conformance") {
        validate(r, schemas::ogc_conformance);
        return routed(json_doc({{"conformsTo",
                                 {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                                  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                                  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                                  "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                                  "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                                  "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                                  "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters"}}}),
                      "/ogc/conformance");
    }
    if (rest == "/style.css") {
        validate(r, schemas::files);
        return routed(stylesheet(), "/ogc/style.css");
    }
    if (rest == "/api") {
        validate(r, schemas::ogc_api);
        Response resp = json_response(200, openapi(base, offered(service, *service.snapshot())));
        resp.content_type = "application/vnd.oai.openapi+json;version=3.0";
        return routed(resp, "/ogc/api");
    }
    auto snap = service.snapshot();
    if (rest == "/collections") {
        const Params params = validate(r, schemas::ogc_collections);
        const Offered o = offered(service, *snap);
        json list = json::array();
        std::string html;
        for (const auto& c : kCollections) {
            list.push_back(collection_json(service, base, c, *snap, o));
            html += "<li><a href=\"" + hbase + "/collections/" + c.id + "/items?f=html\">" + html_escape(c.title) +
                    "</a> (<a href=\"" + hbase + "/collections/" + c.id + "?f=html\">" + c.id + "</a>)</li>";
        }
        json c{{"collections", list},
               {"links", {link(base + "/collections", "self", "application/json"),
                          link(base + "/collections?f=html", "alternate", "text/html")}}};
        if (wants_html(r, params)) return routed(html_page("Collections", "<ul>" + html + "</ul>"), "/ogc/collections");
        return routed(json_doc(c), "/ogc/collections");
    }
    const std::string prefix = "/collections/";
    if (rest.rfind(prefix, 0) != 0) throw HttpError(404, "not-found", "no such resource: " + text::quote("/ogc" + rest, 80));
    std::string tail = rest.substr(prefix.size());
    const auto slash = tail.find('/');
    const std::string id = tail.substr(0, slash);
    const Collection* col = find_collection(id);
    if (!col) {
        std::string list;
        for (const auto& c : kCollections) list += (list.empty() ? "" : ", ") + std::string(c.id);
        throw HttpError(404, "not-found", "no collection " + text::quote(id, 60) + "; the collections are " + list);
    }
    const std::string url = base + "/collections/" + col->id;
    const std::string hurl = html_escape(url);
    if (slash == std::string::npos) {
        if (wants_html(r, validate(r, schemas::ogc_collection))) {
            const json c = collection_json(service, base, *col, *snap, offered(service, *snap));
            std::string extent;
            if (c.contains("extent") && c["extent"].contains("temporal"))
                extent = "<p>Listings from " + html_escape(c["extent"]["temporal"]["interval"][0][0].get<std::string>()) +
                         " on (<code>datetime</code> gives the list as of a date).</p>";
            return routed(html_page(col->title, "<p>" + html_escape(col->description) + "</p>" + extent + "<p><a href=\"" +
                                                    hurl + "/items?f=html\">Items</a> · <a href=\"" + hurl +
                                                    "/queryables?f=html\">Queryables</a></p>"),
                          "/ogc/collections/{id}");
        }
        return routed(json_doc(collection_json(service, base, *col, *snap, offered(service, *snap))), "/ogc/collections/{id}");
    }
    tail = tail.substr(slash);
    if (tail == "/queryables") {
        const Params params = validate(r, schemas::ogc_queryables);
        const json q = queryables_json(base, *col);
        if (wants_html(r, params)) {
            std::string rows;
            for (auto& [name, p] : q["properties"].items())
                rows += "<tr><td><code>" + html_escape(name) + "</code></td><td>" + html_escape(p["description"].get<std::string>()) +
                        "</td></tr>";
            return routed(html_page("Queryables of " + std::string(col->title),
                                    "<p>Each is a query parameter of <a href=\"" + hurl + "/items?f=html\">the items</a>: "
                                    "<code>items?category=bar</code>.</p><table>" + rows + "</table>"),
                          "/ogc/collections/{id}/queryables");
        }
        return routed(json_doc(q, "application/schema+json"), "/ogc/collections/{id}/queryables");
    }
    if (tail == "/items") return routed(items(service, r, base, *col), "/ogc/collections/{id}/items");
    if (tail.rfind("/items/", 0) == 0) return routed(item(service, r, base, *col, tail.substr(7)), "/ogc/collections/{id}/items/{fid}");
    throw HttpError(404, "not-found", "no such resource: " + text::quote("/ogc" + rest, 80));
}

}  // namespace keepout::http
