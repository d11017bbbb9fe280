#pragma once
// GDAL/OGR handles for the io subsystem's own .cpp files only: nothing outside src/io includes
// this, so GDAL types never reach a public header.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/errors.hpp"

namespace keepout::source::gdal {

struct DatasetDeleter {
    void operator()(GDALDatasetH h) const { GDALClose(h); }
};
struct FeatureDeleter {
    void operator()(OGRFeatureH h) const { OGR_F_Destroy(h); }
};
struct GeometryDeleter {
    void operator()(OGRGeometryH h) const { OGR_G_DestroyGeometry(h); }
};
struct SrsDeleter {
    void operator()(OGRSpatialReferenceH h) const { OSRRelease(h); }
};
struct TransformDeleter {
    void operator()(OGRCoordinateTransformationH h) const { OCTDestroyCoordinateTransformation(h); }
};
using Dataset = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DatasetDeleter>;
using Feature = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDeleter>;
using Geometry = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDeleter>;
using Srs = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDeleter>;
using Transform = std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformDeleter>;

// Registers drivers once (function-local static) and routes GDAL's messages to a per-thread
// buffer, so failures can be reported with GDAL's own words.
void ensure_registered();
std::string last_error();
void clear_error();
// Whether a failure (CE_Failure or worse) was reported on this thread since clear_error().
bool failed();
// Every failure and warning since clear_error() (the first few), joined with "; ".
std::string messages();

// A configuration option for this thread only, restored when it goes out of scope.
class ThreadConfig {
public:
    ThreadConfig(const char* key, const std::string& value);
    ~ThreadConfig();
    ThreadConfig(const ThreadConfig&) = delete;
    ThreadConfig& operator=(const ThreadConfig&) = delete;

private:
    const char* key_;
    std::optional<std::string> previous_;
};

// WGS 84 with longitude first, the axis order of GeoJSON and of keepout's store.
Srs wgs84();

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
