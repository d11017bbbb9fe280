#pragma once
// The readers' GDAL helpers, for source's own .cpp files only (the handles and GDAL's messages
// are gdal/handles.hpp, shared with encode's exports): nothing outside src/source includes this,
// so GDAL types never reach a public header.
#include "gdal/handles.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "source/errors.hpp"

namespace keepout::source::gdal {

using namespace keepout::gdal;

// How a reader treats a layer whose CRS is missing.
struct CrsOptions {
    // The CRS of a layer that declares none, as the user gave it (--assume-crs), e.g. "EPSG:4326".
    std::string assume;
    // Read a layer without CRS as lon/lat whatever its format (map layers drawn, not stored).
    bool undeclared_is_lonlat = false;
};

// A layer's coordinates taken to WGS 84 lon/lat (no transformation when it is already there).
// The layer's CRS must be known: a declared CRS that PROJ cannot read (a junk .prj, an unknown
// GeoPackage srs) is refused, and so is a layer without any, except where the format fixes it
// (GeoJSON: lon/lat by RFC 7946; KML: WGS 84; CSV: lon/lat columns) or options.assume says it.
class LayerToWgs84 {
public:
    // Throws IoError naming the file and the CRS when it cannot be used.
    LayerToWgs84(GDALDatasetH ds, OGRLayerH layer, const std::string& path, const CrsOptions& options = {});
    // Transforms g in place and drops Z and M; false (with last_error()) when GDAL cannot.
    bool apply(OGRGeometryH g) const;

private:
    Srs source_, target_;
    Transform transform_;
};

// Opens a vector dataset read-only; throws IoError naming the file and GDAL's reason, also when
// GDAL reported a failure while opening it (e.g. a GeoJSON "crs" PROJ does not know, which GDAL
// would otherwise read as lon/lat).
Dataset open_vector(const std::string& path, const std::vector<std::string>& open_options = {});

// Picks the named layer, or the only/first layer when no name is given.
OGRLayerH pick_layer(GDALDatasetH ds, const std::string& path, const std::string& layer_name);

// ISO WKB, little endian, 2D.
std::string to_wkb(OGRGeometryH g);

// The vertices of a geometry and all its parts, counted on OGR's own structure before anything
// copies it. Counting stops once past `limit`; coordinates (X, Y, Z, M) are checked finite only
// within the limit.
struct VertexScan {
    std::size_t vertices = 0;
    bool too_deep = false;    // collections nested more than a few levels
    bool non_finite = false;  // a NaN or infinite X, Y, Z or M
};
VertexScan scan_vertices(OGRGeometryH g, std::size_t limit);

// Whether a file name ends with `suffix` (lower case), whatever the case of the name: the
// importers choose GDAL's options by extension.
inline bool ends_with_ci(const std::string& s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        char c = s[s.size() - suffix.size() + i];
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

}  // namespace keepout::source::gdal
