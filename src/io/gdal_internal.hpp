#pragma once
// GDAL/OGR handles for the io subsystem's own .cpp files only: nothing outside src/io includes
// this, so GDAL types never reach a public header.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/errors.hpp"

namespace keepout::io::gdal {

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

// WGS 84 with longitude first, the axis order of GeoJSON and of keepout's store.
Srs wgs84();

// A layer's coordinates taken to WGS 84 lon/lat (no transformation when it is already there).
class LayerToWgs84 {
public:
    // Throws IoError naming the file when GDAL has no transformation from the layer's CRS.
    LayerToWgs84(OGRLayerH layer, const std::string& path);
    // Transforms g in place and drops Z and M; false (with last_error()) when GDAL cannot.
    bool apply(OGRGeometryH g) const;

private:
    Srs source_, target_;
    Transform transform_;
};

// Opens a vector dataset read-only; throws IoError naming the file and GDAL's reason.
Dataset open_vector(const std::string& path, const std::vector<std::string>& open_options = {});

// Picks the named layer, or the only/first layer when no name is given.
OGRLayerH pick_layer(GDALDatasetH ds, const std::string& path, const std::string& layer_name);

// ISO WKB, little endian, 2D.
std::string to_wkb(OGRGeometryH g);

}  // namespace keepout::io::gdal
