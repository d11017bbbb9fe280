#pragma once
// GDAL set up once for keepout: drivers registered, GDAL's messages kept per thread, and RAII
// handles for its C objects. Its own small layer because two layers use GDAL: source reads files
// through it and encode writes exports through it, and neither may include the other. Only the
// .cpp files of those layers include this header, so GDAL types never reach a public header.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace keepout::gdal {

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

}  // namespace keepout::gdal
