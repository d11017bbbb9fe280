#pragma once
// Query parameters, declared once per route: a table names each parameter, its kind, whether it
// is required, its default and its limits, and one validator turns a request's query into typed
// values or the 400 answer. A parameter that is not in the table is refused (naming the ones the
// route takes), so a typo never silently means "not given" (docs/contract.md, "4. HTTP"). The
// tables are in params.cpp.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/grid_index.hpp"
#include "http/types.hpp"
#include "model/date.hpp"

namespace keepout::http {

enum class ParamKind {
    integer,          // plain decimal digits (text::parse_int64), from min to max
    number,           // a finite decimal number (text::parse_double), from min (or above it) to max
    number_list,      // numbers as above, comma-separated, at most max_length of them
    date,             // YYYY-MM-DD
    local_date,       // YYYY-MM-DD, or an RFC 3339 instant read as the mission's local date
    date_or_instant,  // YYYY-MM-DD or an RFC 3339 instant, read as its date; an interval is refused
    choice,           // one of `choices`, exactly
    text,             // any text of at most max_length bytes
    position,         // text of at most max_length bytes, read by geo::parse_position in the handler
                      // (it needs the snapshot's grid zones); refused as geo::CoordinateError
    lonlat_box,       // minlon,minlat,maxlon,maxlat in lon/lat, in order, on the globe
};

struct ParamSpec {
    std::string_view name;
    ParamKind kind = ParamKind::text;
    std::string_view code = "bad-parameter";  // the error code of a value that does not fit
    std::string_view what = "";               // said in messages: "from is required: <what>"
    bool required = false;
    bool blank_is_absent = false;      // "as_of=" means "not given" rather than a bad value
    const char* fallback = nullptr;    // the value when not given, read like a given one
    double min = 0, max = 0;           // integer, number, number_list
    bool above_min = false;            // min itself is refused
    std::size_t max_length = 256;      // bytes of text and position; count of a number_list
    std::vector<std::string_view> choices{};
};

struct ParamSchema {
    std::string_view route;  // as in the metrics and the error messages
    std::vector<ParamSpec> params;
    bool any_query = false;  // the web page's files: a query (a cache buster) is ignored
};

// The typed values of one request. A getter for a parameter the schema does not name, or of
// another kind, is a programming error (std::logic_error, answered 500).
class Params {
public:
    using Value = std::variant<std::int64_t, double, std::vector<double>, model::Date, std::string, geo::Box>;

    bool given(std::string_view name) const;  // present in the request (not a default)
    std::optional<std::int64_t> integer(std::string_view name) const;
    std::optional<double> number(std::string_view name) const;
    std::vector<double> numbers(std::string_view name) const;  // empty when not given
    std::optional<model::Date> date(std::string_view name) const;
    std::optional<std::string> text(std::string_view name) const;  // text, position and choice
    std::optional<geo::Box> box(std::string_view name) const;

private:
    friend Params validate(const Request&, const ParamSchema&, std::string_view);
    const ParamSchema* schema_ = nullptr;
    std::map<std::string, Value, std::less<>> values_;
    std::vector<std::string> given_;
    // The value of a parameter the schema names with one of `kinds` (nullptr when absent).
    const Value* find(std::string_view name, std::initializer_list<ParamKind> kinds) const;
};

// The typed values, or HttpError 400: "unknown-parameter" naming the parameters the route takes,
// the parameter's own code for a value of the wrong type or out of its limits, "bad-parameter"
// for a required one that is missing. Instants given for a local_date are read in `time_zone`
// (the mission's, Service::time_zone()).
Params validate(const Request& request, const ParamSchema& schema, std::string_view time_zone = "UTC");

// What a value of the parameter looks like ("a whole number from 1 to 10000"), as the messages
// that refuse one say it; the OGC API definition describes its parameters with it.
std::string expected_value(const ParamSpec& p);

// lon/lat box from "minlon,minlat,maxlon,maxlat"; HttpError 400 bad-bbox when malformed, reversed
// or outside the globe.
geo::Box lonlat_box(std::string_view text);
// Comma-separated strict numbers ("" gives none); nullopt when one of them is not a number.
std::optional<std::vector<double>> number_list(std::string_view text);

// One table per route (params.cpp). Writes take no query parameters: their input is the body.
namespace schemas {
extern const ParamSchema health, metrics, offlimits, field, check, proximity, patrol, token, sites, venues, venue,
    create_venue, update_venue, directives, directive, create_directive, directive_action, mission, ogc_landing,
    ogc_conformance, ogc_api, ogc_collections, ogc_collection, ogc_items, ogc_item, ogc_queryables, map, tile, files, publications,
    publication, publication_key, mission_layers, mission_layer, create_publication, due, reviews;
// Every table above, for the tests that walk them.
const std::vector<const ParamSchema*>& all();
}  // namespace schemas

}  // namespace keepout::http
