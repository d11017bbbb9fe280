#pragma once
// The bounds of a venue, site or sector, whatever way it arrives (a file import, the API, a
// command): checked by the store itself before a venue is written (store/operations.hpp) and by
// the readers of source/ on their own threads before they hand rows to store/import.hpp. Pure
// functions on plain data (text, WKB).
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "geo/box.hpp"
#include "model/types.hpp"

namespace keepout::store {

// ---- The bounds of one row. Every rule lives here, once. ----

// Names, aliases, former names, addresses, municipalities, external ids, units: at most this many
// Unicode code points. The longest real venue names are well under 100; 200 leaves room for a
// transliterated name with its suffixes while a megabyte name cannot reach the list.
inline constexpr std::size_t kMaxTextCodePoints = 200;
// Aliases per venue, and former names per venue (each list). A venue known by more than a few
// dozen names is a data error; every name is compared on every check by name.
inline constexpr std::size_t kMaxNames = 64;

// What a geometry may be, by the kind of row.
enum class FeatureKind { venue, site, sector };
struct GeometryBounds {
    std::size_t max_vertices;   // all rings of all parts
    double max_across_m;        // bounding box corner to corner, geodesic; 0 for no bound
    bool points_allowed;
};
// venue: 10 000 vertices, 5 km across; site: 10 000 vertices, 10 km across; sector: 200 000
// vertices, no extent bound (a patrol sector is a district). Reasons in store/validate.cpp.
GeometryBounds geometry_bounds(FeatureKind);
const char* kind_name(FeatureKind);

// A value that breaks a rule: the field at fault and why, in words for the user.
struct InvalidField : std::invalid_argument {
    InvalidField(std::string field_name, const std::string& reason)
        : std::invalid_argument(reason), field(std::move(field_name)) {}
    std::string field;
};

// One text field: well-formed UTF-8, at most kMaxTextCodePoints code points, no control
// characters (NUL, line breaks, C1) and no bidirectional overrides or isolates (U+202A–U+202E,
// U+2066–U+2069), which make a name display as something other than it is. Throws InvalidField.
void check_text(std::string_view field, std::string_view text);
// A list of names: at most kMaxNames, each a check_text. Throws InvalidField.
void check_names(std::string_view field, const std::vector<std::string>& names);

// The vertex bound alone, for a reader to check on the source geometry before it copies,
// transforms or exports it. Throws InvalidField("geometry", …).
void check_vertex_count(std::size_t vertices, FeatureKind);

// A geometry as stored: 2D ISO WKB (either byte order) in lon/lat, of an accepted type (Point
// where allowed, Polygon, MultiPolygon), not empty, every coordinate finite and in range, rings
// closed with at least 4 points and some area, not across the antimeridian, within the vertex
// and extent bounds of its kind. Validity by OGC rules (self-intersection) is GEOS's, apart.
// Returns the envelope. Throws InvalidField("geometry", …).
geo::Box check_geometry(std::string_view wkb, FeatureKind);

// Everything a venue must satisfy whatever way it arrives (file import, POST /api/v1/venues):
// name present, every text and name list within bounds, geometry as check_geometry and valid by
// OGC rules. Throws InvalidField naming the field.
void check_venue(const model::Venue&);

}  // namespace keepout::store
