#pragma once
// The venue documents, each written once for the command line and the API alike: a venue's
// GeoJSON feature, the list as GeoJSON, CSV and KML, and a directive with its listings. Text out,
// so nlohmann stays out of this header. Coordinates are the shortest text that reads back as the
// stored double (text/format), in every one of them.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/snapshot.hpp"
#include "model/review.hpp"
#include "model/rules.hpp"
#include "model/types.hpp"

namespace keepout::encode {

using VenuePage = std::vector<const analysis::VenueView*>;

// {"type": "Feature", "id", "geometry", "properties": {id, external_id, name, aliases,
// former_names, category, address, municipality, directive, listed_since, until, reasons}};
// directive, listed_since and until are null for a venue not listed on the date. `with_listed`
// adds "listed" (the venue picker shows venues of either state).
std::string venue_feature(const analysis::VenueView&, bool with_listed = false);

// One venue with its acts: the feature with "listed" and "as_of" in the properties and
// "history" (venue_history_json) beside them; with `reviews`, also "reviews": the review
// decisions on the venue and its directives (encode/reviews.hpp review_json), the first first.
std::string venue_document(const analysis::VenueView&, model::Date as_of, std::string_view time_zone,
                           const model::ListHistory&, const std::vector<model::Review>* reviews = nullptr);

// {"type": "FeatureCollection", "as_of", "list_version", "numberMatched", "numberReturned",
//  "features"}: a page of `matched` venues.
std::string list_geojson(const analysis::Snapshot&, const VenuePage&, std::size_t matched, bool with_listed = false);

// {"as_of", "list_version", "count", "venues": [the properties of venue_feature, …]}, indented.
std::string list_json(const analysis::Snapshot&, const VenuePage&);

// id,external_id,name,aliases,category,address,municipality,directive,listed_since,reasons,wkt:
// RFC 4180 (CRLF after every row), cells made inert (text/csv), aliases and reasons ';'-joined.
std::string list_csv(const VenuePage&);

// KML 2.2: one styled Placemark per venue with its fields as ExtendedData.
std::string list_kml(const analysis::Snapshot&, const VenuePage&);

// Well-known text of a shape: POINT (lon lat), POLYGON ((…)) or MULTIPOLYGON (((…))).
std::string shape_wkt(const geo::Shape&);

// A directive's fields (ref, title, authority, signed, effective, status, emergency, and review,
// ended, superseded_by, drafted_by, submitted_by, issued_by when set) with "listing_count"; with
// `venues` (every listed venue by id) also "listings": venue_id, external_id, name, action,
// reasons, effective_from, and until and added_by when set.
// After a change of state, "list_version" too; for a draft or submission, its "draft_revision".
std::string directive_json(const model::Directive&, const std::vector<model::Listing>& listings,
                           const std::map<model::Id, model::Venue>* venues = nullptr,
                           std::optional<std::int64_t> list_version = std::nullopt,
                           std::optional<std::int64_t> draft_revision = std::nullopt);
// {"venue": {id, external_id, name, aliases, former_names}, "as_of", "listed", "listed_since",
//  "history": venue_history_json, "reviews" (with `reviews`, as venue_document)}, indented.
std::string venue_history_document(const model::Venue&, const model::ListHistory&, model::Date as_of,
                                   std::string_view time_zone, const std::vector<model::Review>* reviews = nullptr);

// {"directives": [directive_json without listings, …]}
std::string directives_json(const std::vector<std::pair<model::Directive, std::size_t>>& directives_with_counts);

}  // namespace keepout::encode
