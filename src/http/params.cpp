#include "http/params.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "geo/coordinates.hpp"
#include "model/time_zone.hpp"
#include "model/types.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

namespace {

// Limits as people write them: 100000, not 1e+05.
std::string limit_text(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

std::string join(const std::vector<std::string_view>& words, const char* sep) {
    std::string out;
    for (auto w : words) out += (out.empty() ? "" : sep) + std::string(w);
    return out;
}

std::string range_text(const ParamSpec& p) {
    return (p.above_min ? "above " + limit_text(p.min) + ", at most " : "from " + limit_text(p.min) + " to ") +
           limit_text(p.max);
}

}  // namespace

std::string expected_value(const ParamSpec& p) {
    switch (p.kind) {
        case ParamKind::integer:
            return "a whole number from " + limit_text(p.min) + " to " + limit_text(p.max);
        case ParamKind::number: return "a number " + range_text(p);
        case ParamKind::number_list:
            return "up to " + std::to_string(p.max_length) + " numbers " + range_text(p) + ", comma-separated";
        case ParamKind::date: return "YYYY-MM-DD";
        case ParamKind::local_date: return "YYYY-MM-DD or an RFC 3339 instant (2026-06-30T22:30:00Z)";
        case ParamKind::date_or_instant: return "YYYY-MM-DD or an RFC 3339 instant";
        case ParamKind::choice: return "one of " + join(p.choices, ", ");
        case ParamKind::text:
        case ParamKind::position:
            return (p.what.empty() ? std::string("text") : std::string(p.what)) + " of at most " +
                   std::to_string(p.max_length) + " bytes";
        case ParamKind::lonlat_box: return "four numbers: minlon,minlat,maxlon,maxlat";
    }
    return "";
}

namespace {

[[noreturn]] void refuse(const ParamSpec& p, std::string_view value) {
    throw HttpError(400, std::string(p.code),
                    "invalid " + std::string(p.name) + " " + text::quote(value, 40) + ": expected " + expected_value(p));
}

bool in_range(const ParamSpec& p, double v) { return (p.above_min ? v > p.min : v >= p.min) && v <= p.max; }

// A date as given, or the mission's local date at an instant; refused saying what was read and why
// it does not do, in the parser's words.
model::Date local_date_value(const ParamSpec& p, const std::string& value, std::string_view time_zone) {
    try {
        return model::parse_date_or_instant(value, time_zone);
    } catch (const model::DateError& e) {
        throw HttpError(400, std::string(p.code), "invalid " + std::string(p.name) + ": " + e.what());
    }
}

Params::Value read_value(const ParamSpec& p, const std::string& value, std::string_view time_zone) {
    switch (p.kind) {
        case ParamKind::integer: {
            const auto v = text::parse_int64(value);
            if (!v || double(*v) < p.min || double(*v) > p.max) refuse(p, value);
            return *v;
        }
        case ParamKind::number: {
            const auto v = text::parse_double(value);
            if (!v || !in_range(p, *v)) refuse(p, value);
            return *v;
        }
        case ParamKind::number_list: {
            const auto v = number_list(value);
            if (!v || v->empty() || v->size() > p.max_length) refuse(p, value);
            for (double x : *v)
                if (!in_range(p, x)) refuse(p, value);
            return *v;
        }
        case ParamKind::date: {
            const auto d = model::Date::try_parse(value);
            if (!d) refuse(p, value);
            return *d;
        }
        case ParamKind::local_date: return local_date_value(p, value, time_zone);
        case ParamKind::date_or_instant: {
            if (value.find('/') != std::string::npos)
                throw HttpError(400, std::string(p.code),
                                std::string(p.name) + " is read as the date of the list: give one date, not an interval");
            // An instant (OGC's date-time) is the mission's local date then, like every as_of.
            if (value.size() > 10) {
                if (value[10] != 'T' && value[10] != 't') refuse(p, value);
                return local_date_value(p, value, time_zone);
            }
            const auto d = model::Date::try_parse(value);
            if (!d) refuse(p, value);
            return *d;
        }
        case ParamKind::choice:
            if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) refuse(p, value);
            return value;
        case ParamKind::position:
            // Refused as the position parser refuses it, so the answer carries the examples of
            // positions that every bad-coordinate answer has (http/errors.cpp).
            if (value.size() > p.max_length)
                throw geo::CoordinateError(std::string(p.name) + " is longer than " + std::to_string(p.max_length) +
                                           " bytes: not a position");
            return value;
        case ParamKind::text:
            if (value.size() > p.max_length)
                throw HttpError(400, std::string(p.code),
                                std::string(p.name) + " is longer than " + std::to_string(p.max_length) + " bytes");
            return value;
        case ParamKind::lonlat_box: return lonlat_box(value);
    }
    throw std::logic_error("unknown parameter kind");
}

}  // namespace

std::optional<std::vector<double>> number_list(std::string_view text) {
    std::vector<double> out;
    if (text.empty()) return out;
    for (std::size_t start = 0;;) {
        const auto comma = text.find(',', start);
        const auto v = text::parse_double(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
        if (!v) return std::nullopt;
        out.push_back(*v);
        if (comma == std::string_view::npos) return out;
        start = comma + 1;
    }
}

geo::Box lonlat_box(std::string_view text) {
    const auto v = number_list(text);
    if (!v || v->size() != 4) throw HttpError(400, "bad-bbox", "bbox must be four numbers: minlon,minlat,maxlon,maxlat");
    const auto& b = *v;
    if (b[0] > b[2] || b[1] > b[3]) throw HttpError(400, "bad-bbox", "bbox is out of order: min must not exceed max");
    if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90)
        throw HttpError(400, "bad-bbox", "bbox is outside longitude -180..180, latitude -90..90");
    return {b[0], b[1], b[2], b[3]};
}

Params validate(const Request& r, const ParamSchema& schema, std::string_view time_zone) {
    Params out;
    out.schema_ = &schema;
    if (!schema.any_query)
        for (const auto& [key, value] : r.query) {
            const bool known = std::any_of(schema.params.begin(), schema.params.end(),
                                           [&](const ParamSpec& p) { return p.name == key; });
            if (known) continue;
            std::vector<std::string_view> names;
            for (const auto& p : schema.params) names.push_back(p.name);
            throw HttpError(400, "unknown-parameter",
                            "unknown parameter " + text::quote(key, 40) + " on " + std::string(schema.route) +
                                (names.empty() ? ", which takes none" : "; it takes " + join(names, ", ")));
        }
    for (const auto& p : schema.params) {
        auto given = r.param(std::string(p.name));
        if (given && given->empty() && p.blank_is_absent) given.reset();
        if (given) {
            out.values_.emplace(std::string(p.name), read_value(p, *given, time_zone));
            out.given_.emplace_back(p.name);
        } else if (p.required) {
            throw HttpError(400, "bad-parameter",
                            std::string(p.name) + " is required" + (p.what.empty() ? "" : ": " + std::string(p.what)));
        } else if (p.fallback) {
            out.values_.emplace(std::string(p.name), read_value(p, p.fallback, time_zone));
        }
    }
    return out;
}

bool Params::given(std::string_view name) const {
    return std::find(given_.begin(), given_.end(), name) != given_.end();
}

const Params::Value* Params::find(std::string_view name, std::initializer_list<ParamKind> kinds) const {
    if (!schema_) throw std::logic_error("parameters read before validation");
    const auto spec = std::find_if(schema_->params.begin(), schema_->params.end(),
                                   [&](const ParamSpec& p) { return p.name == name; });
    if (spec == schema_->params.end())
        throw std::logic_error("parameter '" + std::string(name) + "' is not in the table of " + std::string(schema_->route));
    if (std::find(kinds.begin(), kinds.end(), spec->kind) == kinds.end())
        throw std::logic_error("parameter '" + std::string(name) + "' is read as another kind than its table says");
    const auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> Params::integer(std::string_view name) const {
    const Value* v = find(name, {ParamKind::integer});
    return v ? std::optional(std::get<std::int64_t>(*v)) : std::nullopt;
}

std::optional<double> Params::number(std::string_view name) const {
    const Value* v = find(name, {ParamKind::number});
    return v ? std::optional(std::get<double>(*v)) : std::nullopt;
}

std::vector<double> Params::numbers(std::string_view name) const {
    const Value* v = find(name, {ParamKind::number_list});
    return v ? std::get<std::vector<double>>(*v) : std::vector<double>{};
}

std::optional<model::Date> Params::date(std::string_view name) const {
    const Value* v = find(name, {ParamKind::date, ParamKind::local_date, ParamKind::date_or_instant});
    return v ? std::optional(std::get<model::Date>(*v)) : std::nullopt;
}

std::optional<std::string> Params::text(std::string_view name) const {
    const Value* v = find(name, {ParamKind::text, ParamKind::position, ParamKind::choice});
    return v ? std::optional(std::get<std::string>(*v)) : std::nullopt;
}

std::optional<geo::Box> Params::box(std::string_view name) const {
    const Value* v = find(name, {ParamKind::lonlat_box});
    return v ? std::optional(std::get<geo::Box>(*v)) : std::nullopt;
}

// --- the tables ------------------------------------------------------------------------------
//
// Bounds on the work one read may ask for are refused with 400 before the work starts (README,
// "Limits"): the list is small, and these keep a hostile request from making it large.

namespace schemas {

namespace {

using K = ParamKind;
constexpr double kMaxOffset = 1000000000;  // paging past this is not paging; offset + limit cannot overflow

ParamSpec as_of() { return {.name = "as_of", .kind = K::local_date, .code = "bad-date", .blank_is_absent = true}; }
ParamSpec text_param(std::string_view name, std::string_view what = "") {
    return {.name = name, .kind = K::text, .what = what};
}
std::vector<std::string_view> category_codes() {
    std::vector<std::string_view> out;
    for (auto c : model::all_category_codes()) out.push_back(c);
    return out;
}

ParamSpec ogc_f() { return {.name = "f", .kind = K::choice, .choices = {"json", "geojson", "html"}}; }
ParamSpec ogc_datetime() {
    return {.name = "datetime", .kind = K::date_or_instant, .code = "bad-datetime", .blank_is_absent = true};
}
// Which CRS a mission offers depends on its area (its UTM zones): http/ogc.cpp checks the name
// against that list; here only its length is bounded.
ParamSpec ogc_crs(std::string_view name) {
    return {.name = name, .kind = K::text, .code = "bad-crs", .what = "a CRS URI", .max_length = 100};
}

}  // namespace

const ParamSchema health{"/healthz", {}};
const ParamSchema metrics{"/metrics", {}};
// The web page's files are not the API: a link with a query (a cache buster) still opens them.
const ParamSchema files{"/static", {}, true};

const ParamSchema offlimits{
    "/api/v1/offlimits",
    {as_of(),
     {.name = "bbox", .kind = K::lonlat_box, .code = "bad-bbox"},
     text_param("q", "a name"),
     text_param("address", "an address"),
     {.name = "category", .kind = K::choice, .blank_is_absent = true, .choices = category_codes()},
     text_param("municipality", "a municipality"),
     {.name = "limit", .kind = K::integer, .fallback = "10000", .min = 1, .max = 10000},
     {.name = "offset", .kind = K::integer, .fallback = "0", .min = 0, .max = kMaxOffset},
     {.name = "f", .kind = K::choice, .fallback = "geojson", .choices = {"geojson", "json", "csv", "kml"}}}};

// The KMZ and the TAK data package (encode/field.hpp): the check radius drawn around point venues
// (0: none) and rings around the sites.
const ParamSchema field{
    "/api/v1/offlimits.kmz",
    {as_of(),
     {.name = "radius", .kind = K::number, .fallback = "75", .min = 0, .max = 100000},
     {.name = "ring", .kind = K::number_list, .min = 0, .max = 100000, .above_min = true, .max_length = 10}}};

// One of at, name or q (the handler says so when none or two are given); radius defaults to
// analysis::kDefaultCheckRadius. A name check is cheap, so a name may be as long as the server's
// header limit lets a target be.
constexpr std::size_t kMaxCheckName = 16 * 1024;
const ParamSchema check{
    "/api/v1/check",
    {{.name = "at", .kind = K::position, .code = "bad-coordinate", .what = "a position", .max_length = geo::kMaxPositionBytes},
     {.name = "name", .kind = K::text, .what = "a name", .max_length = kMaxCheckName},
     {.name = "q", .kind = K::text, .what = "a position or a name", .max_length = kMaxCheckName},
     {.name = "radius", .kind = K::number, .min = 0, .max = 100000},
     as_of()}};

// radius: metres, each ring; by default the rings of analysis::kDefaultRings.
const ParamSchema proximity{
    "/api/v1/proximity",
    {{.name = "radius", .kind = K::number_list, .min = 0, .max = 100000, .above_min = true, .max_length = 10},
     text_param("site", "a site name"),
     as_of(),
     {.name = "f", .kind = K::choice, .fallback = "json", .choices = {"json", "geojson", "csv"}}}};

const ParamSchema patrol{
    "/api/v1/patrol",
    {{.name = "from", .kind = K::text, .what = "a site name or a position", .required = true, .blank_is_absent = true},
     text_param("sector", "a sector name"),
     {.name = "radius", .kind = K::number, .min = 0, .max = 500000, .above_min = true},
     as_of(),
     // The planner keeps a distance matrix of n² entries: one request plans at most 1000 stops.
     {.name = "max_stops", .kind = K::integer, .min = 1, .max = 1000},
     {.name = "max_km", .kind = K::number, .min = 0, .max = 100000, .above_min = true},
     {.name = "f", .kind = K::choice, .fallback = "geojson", .choices = {"geojson", "json", "gpx", "kml", "csv", "pdf"}}}};

const ParamSchema token{"/api/v1/token", {}};
const ParamSchema sites{"/api/v1/sites", {}};
const ParamSchema venues{"/api/v1/venues",
                         {text_param("q", "a name"),
                          text_param("address", "an address"),
                          as_of(),
                          {.name = "limit", .kind = K::integer, .fallback = "10000", .min = 1, .max = 10000}}};
const ParamSchema venue{"/api/v1/venues/{id}", {as_of()}};
const ParamSchema create_venue{"/api/v1/venues", {}};
const ParamSchema update_venue{"/api/v1/venues/{id}", {}};
const ParamSchema directives{
    "/api/v1/directives",
    {{.name = "status",
      .kind = K::choice,
      .blank_is_absent = true,
      .choices = {"draft", "submitted", "issued", "revoked", "superseded"}}}};
const ParamSchema directive{"/api/v1/directives/{ref}", {}};
const ParamSchema create_directive{"/api/v1/directives", {}};
const ParamSchema directive_action{"/api/v1/directives/{ref}/{action}", {}};

const ParamSchema ogc_landing{"/ogc", {ogc_f()}};
const ParamSchema ogc_conformance{"/ogc/conformance", {ogc_f()}};
const ParamSchema ogc_api{"/ogc/api", {ogc_f()}};
const ParamSchema ogc_collections{"/ogc/collections", {ogc_f()}};
const ParamSchema ogc_collection{"/ogc/collections/{id}", {ogc_f()}};
const ParamSchema ogc_items{
    "/ogc/collections/{id}/items",
    {{.name = "limit", .kind = K::integer, .code = "bad-limit", .fallback = "100", .min = 1, .max = 10000},
     {.name = "offset", .kind = K::integer, .code = "bad-offset", .fallback = "0", .min = 0, .max = kMaxOffset},
     // In bbox-crs, so read by the handler: four numbers (six for a 3D box).
     {.name = "bbox", .kind = K::text, .code = "bad-bbox", .what = "a box"},
     ogc_crs("bbox-crs"),
     ogc_crs("crs"),
     ogc_datetime(),
     ogc_f(),
     // The queryables (OGC API – Features Part 3 simple filters): category, municipality,
     // directive and external_id of the venue collections, kind of the sites; http/ogc.cpp refuses
     // one a collection does not have, as any unknown parameter.
     {.name = "category", .kind = K::choice, .blank_is_absent = true, .choices = category_codes()},
     text_param("municipality", "a municipality"),
     {.name = "directive", .kind = K::text, .what = "a directive reference", .max_length = 100},
     {.name = "external_id", .kind = K::text, .what = "an external id", .max_length = 100},
     {.name = "kind", .kind = K::choice, .blank_is_absent = true, .choices = {"military", "police", "civilian", "hq", "other"}}}};
const ParamSchema ogc_queryables{"/ogc/collections/{id}/queryables", {ogc_f()}};
const ParamSchema ogc_item{"/ogc/collections/{id}/items/{fid}", {ogc_crs("crs"), ogc_datetime(), ogc_f()}};

// Styles are named, not given as paths (maps.cpp checks the name's letters and finds the file).
const ParamSchema map{"/map",
                      {as_of(),
                       {.name = "style", .kind = K::text, .what = "a style name", .blank_is_absent = true, .max_length = 64},
                       {.name = "page", .kind = K::choice, .choices = {"A4", "a4", "A3", "a3"}},
                       {.name = "landscape", .kind = K::choice, .choices = {"true", "false"}},
                       {.name = "dpi", .kind = K::number, .min = 30, .max = 600},
                       {.name = "bbox", .kind = K::lonlat_box, .code = "bad-bbox"}}};
const ParamSchema tile{"/tiles/{z}/{x}/{y}.png", {as_of()}};
const ParamSchema mission{"/api/v1/mission", {}};
const ParamSchema mission_layers{"/api/v1/mission/layers", {}};
const ParamSchema mission_layer{"/api/v1/mission/layers/{name}", {}};
const ParamSchema publications{"/api/v1/publications", {}};
const ParamSchema create_publication{"/api/v1/publications", {}};
// lang: the language of a PDF document ({n}.pdf, {n}/card.pdf); the mission's first by default.
const ParamSchema publication{"/api/v1/publications/{n}", {{.name = "lang", .kind = K::text, .what = "a language code", .blank_is_absent = true, .max_length = 16}}};
const ParamSchema due{"/api/v1/due", {as_of()}};
const ParamSchema reviews{"/api/v1/reviews", {}};
// Without a fingerprint: the key of the latest publication.
const ParamSchema publication_key{"/api/v1/publication-key.pem",
                                  {{.name = "fingerprint", .kind = K::text, .max_length = 64}}};

const std::vector<const ParamSchema*>& all() {
    static const std::vector<const ParamSchema*> tables{
        &health,        &metrics,         &files,           &offlimits, &field,       &check,       &proximity,
        &patrol,        &token,           &sites,           &venues,           &venue,       &create_venue,
        &update_venue,  &directives,      &directive,       &create_directive, &directive_action,
        &ogc_landing,   &ogc_conformance, &ogc_api,         &ogc_collections,  &ogc_collection,
        &ogc_items,     &ogc_item,   &ogc_queryables,        &map,             &tile,             &mission, &publications, &publication,
        &publication_key, &mission_layers, &mission_layer, &create_publication, &due, &reviews};
    return tables;
}

}  // namespace schemas

}  // namespace keepout::http
