#include "io/gdal_internal.hpp"

#include <cpl_error.h>
#include <cpl_string.h>

namespace keepout::io::gdal {

namespace {
thread_local std::string g_last_error;

void CPL_STDCALL collect_error(CPLErr level, CPLErrorNum, const char* message) {
    if (level >= CE_Failure) g_last_error = message ? message : "";
}
}  // namespace

void ensure_registered() {
    static const bool once = [] {
        GDALAllRegister();
        CPLSetErrorHandler(collect_error);
        return true;
    }();
    (void)once;
}

std::string last_error() { return g_last_error.empty() ? "unknown GDAL error" : g_last_error; }
void clear_error() { g_last_error.clear(); }

Srs wgs84() {
    Srs srs(OSRNewSpatialReference(nullptr));
    OSRImportFromEPSG(srs.get(), 4326);
    OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

LayerToWgs84::LayerToWgs84(OGRLayerH layer, const std::string& path) : target_(wgs84()) {
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    if (!src) return;  // no CRS declared: read as lon/lat
    source_.reset(OSRClone(src));
    OSRSetAxisMappingStrategy(source_.get(), OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSame(source_.get(), target_.get())) return;
    transform_.reset(OCTNewCoordinateTransformation(source_.get(), target_.get()));
    if (!transform_) throw IoError("cannot transform " + path + " from its CRS to EPSG:4326: " + last_error());
}

bool LayerToWgs84::apply(OGRGeometryH g) const {
    if (transform_ && OGR_G_Transform(g, transform_.get()) != OGRERR_NONE) return false;
    OGR_G_FlattenTo2D(g);
    return true;
}

Dataset open_vector(const std::string& path, const std::vector<std::string>& open_options) {
    ensure_registered();
    clear_error();
    std::vector<const char*> opts;
    for (auto& o : open_options) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                 open_options.empty() ? nullptr : opts.data(), nullptr);
    if (!ds) throw IoError("cannot open " + path + " as vector data: " + last_error());
    return Dataset(ds);
}

OGRLayerH pick_layer(GDALDatasetH ds, const std::string& path, const std::string& name) {
    const int count = GDALDatasetGetLayerCount(ds);
    if (count == 0) throw IoError(path + " has no vector layer");
    if (name.empty()) return GDALDatasetGetLayer(ds, 0);
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, name.c_str());
    if (layer) return layer;
    std::string names;
    for (int i = 0; i < count; ++i)
        names += std::string(i ? ", " : "") + OGR_L_GetName(GDALDatasetGetLayer(ds, i));
    throw IoError(path + " has no layer '" + name + "' (layers: " + names + ")");
}

std::string to_wkb(OGRGeometryH g) {
    const int size = OGR_G_WkbSize(g);
    std::string out(std::size_t(size), '\0');
    if (OGR_G_ExportToIsoWkb(g, wkbNDR, reinterpret_cast<unsigned char*>(out.data())) != OGRERR_NONE)
        throw IoError("cannot encode geometry as WKB");
    return out;
}

}  // namespace keepout::io::gdal

#include "io/geojson.hpp"

namespace keepout::io {

namespace {
gdal::Geometry from_wkb(std::string_view wkb) {
    gdal::ensure_registered();
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkb(wkb.data(), nullptr, &g, int(wkb.size())) != OGRERR_NONE || !g)
        throw IoError("stored geometry cannot be decoded");
    return gdal::Geometry(g);
}
}  // namespace

std::string wkb_to_geojson(std::string_view wkb) {
    gdal::Geometry g = from_wkb(wkb);
    char* json = OGR_G_ExportToJson(g.get());
    std::string out = json ? json : "null";
    CPLFree(json);
    return out;
}

std::string wkb_to_wkt(std::string_view wkb) {
    gdal::Geometry g = from_wkb(wkb);
    char* wkt = nullptr;
    OGR_G_ExportToIsoWkt(g.get(), &wkt);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

}  // namespace keepout::io

#include <cmath>
#include <stdexcept>

#include "geo/geos.hpp"

namespace keepout::io {

std::string geojson_to_wkb(const std::string& geometry_json) {
    gdal::ensure_registered();
    gdal::Geometry g(OGR_G_CreateGeometryFromJson(geometry_json.c_str()));
    if (!g) throw std::invalid_argument("not a GeoJSON geometry");
    OGR_G_FlattenTo2D(g.get());
    const auto type = wkbFlatten(OGR_G_GetGeometryType(g.get()));
    if (type != wkbPoint && type != wkbPolygon && type != wkbMultiPolygon)
        throw std::invalid_argument("a venue is a Point, Polygon or MultiPolygon");
    if (OGR_G_IsEmpty(g.get())) throw std::invalid_argument("the geometry is empty");
    OGREnvelope env;
    OGR_G_GetEnvelope(g.get(), &env);
    if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxY) || env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 ||
        env.MaxY > 90)
        throw std::invalid_argument("coordinates out of range: expected lon -180..180, lat -90..90");
    std::string wkb = gdal::to_wkb(g.get());
    if (type != wkbPoint) {
        const std::string why = geo::invalid_reason(wkb);
        if (!why.empty()) throw std::invalid_argument("invalid polygon: " + why);
    }
    return wkb;
}

}  // namespace keepout::io
