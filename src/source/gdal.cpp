#include "source/gdal_internal.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "source/validate.hpp"
#include "text/utf8.hpp"

namespace keepout::source::gdal {

namespace {

// The text of a shapefile's .prj beside it, when there is one (first bytes only).
std::optional<std::string> prj_beside(const std::string& path) {
    if (!ends_with_ci(path, ".shp")) return std::nullopt;
    for (const char* ext : {".prj", ".PRJ"}) {
        std::ifstream in(path.substr(0, path.size() - 4) + ext, std::ios::binary);
        if (!in) continue;
        std::string text(256, '\0');
        in.read(text.data(), std::streamsize(text.size()));
        text.resize(std::size_t(in.gcount()));
        return text;
    }
    return std::nullopt;
}

std::string crs_name(OGRSpatialReferenceH srs) {
    const char* name = OSRGetName(srs);
    const char* auth = OSRGetAuthorityName(srs, nullptr);
    const char* code = OSRGetAuthorityCode(srs, nullptr);
    if (auth && code) return std::string(auth) + ":" + code;
    return name ? name : "an unnamed CRS";
}

// GeoPackage writes "Undefined geographic SRS" / "Undefined Cartesian SRS" for srs_id 0 and -1:
// a declaration that the CRS is not known.
bool is_undefined(OGRSpatialReferenceH srs) {
    const char* name = OSRGetName(srs);
    return name && std::string_view(name).substr(0, 9) == "Undefined";
}

}  // namespace

LayerToWgs84::LayerToWgs84(GDALDatasetH ds, OGRLayerH layer, const std::string& path, const CrsOptions& options)
    : target_(wgs84()) {
    const std::string driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(layer);
    const std::string said = messages();  // what GDAL said while opening and reading the CRS
    if (src && is_undefined(src)) src = nullptr;
    if (!src) {
        if (auto prj = prj_beside(path))
            throw IoError(path + ": its .prj holds a CRS that PROJ cannot read (" + text::quote(trim(*prj), 40) +
                          "); nothing was read, as lon/lat would put every feature in the wrong place");
        const bool fixed_by_format = driver == "GeoJSON" || driver == "GeoJSONSeq" || driver == "KML" ||
                                     driver == "LIBKML" || driver == "CSV";
        if (options.assume.empty()) {
            if (fixed_by_format || options.undeclared_is_lonlat) return;  // lon/lat by the format's rule
            throw IoError(path + " declares no CRS" + (said.empty() ? "" : " that GDAL can read (" + said + ")") +
                          "; nothing was read. If its coordinates are WGS 84 longitude/latitude, say so with "
                          "--assume-crs EPSG:4326 (or give the CRS they are in)");
        }
        source_.reset(OSRNewSpatialReference(nullptr));
        if (OSRSetFromUserInput(source_.get(), options.assume.c_str()) != OGRERR_NONE)
            throw IoError("--assume-crs " + options.assume + " is not a CRS that PROJ knows");
        OSRSetAxisMappingStrategy(source_.get(), OAMS_TRADITIONAL_GIS_ORDER);
        if (OSRIsGeographic(source_.get())) {
            // Plainly lon/lat: the layer's extent, where the format keeps one, must be in range.
            OGREnvelope env;
            if (OGR_L_GetExtent(layer, &env, FALSE) == OGRERR_NONE &&
                (!(env.MinX >= -180 && env.MaxX <= 180 && env.MinY >= -90 && env.MaxY <= 90)))
                throw IoError(path + ": --assume-crs " + options.assume + " says longitude/latitude, but its " +
                              "coordinates reach x " + std::to_string(env.MinX) + ".." + std::to_string(env.MaxX) +
                              ", y " + std::to_string(env.MinY) + ".." + std::to_string(env.MaxY) +
                              ": they are in another CRS");
        }
    } else {
        source_.reset(OSRClone(src));
        OSRSetAxisMappingStrategy(source_.get(), OAMS_TRADITIONAL_GIS_ORDER);
        if (!options.assume.empty()) {
            Srs assumed(OSRNewSpatialReference(nullptr));
            if (OSRSetFromUserInput(assumed.get(), options.assume.c_str()) != OGRERR_NONE)
                throw IoError("--assume-crs " + options.assume + " is not a CRS that PROJ knows");
            if (!OSRIsSame(assumed.get(), source_.get()))
                throw IoError(path + " declares its CRS (" + crs_name(source_.get()) + "), not the --assume-crs " +
                              options.assume + "; leave --assume-crs out");
        }
    }
    if (OSRIsSame(source_.get(), target_.get())) return;
    transform_.reset(OCTNewCoordinateTransformation(source_.get(), target_.get()));
    if (!transform_)
        throw IoError("cannot transform " + path + " from its CRS (" + crs_name(source_.get()) + ") to EPSG:4326: " +
                      last_error());
}

bool LayerToWgs84::apply(OGRGeometryH g) const {
    if (transform_ && OGR_G_Transform(g, transform_.get()) != OGRERR_NONE) return false;
    OGR_G_FlattenTo2D(g);
    return true;
}

namespace {
// The top-level "crs" member of a GeoJSON file as text (its name or link), read with a SAX parser
// that keeps nothing else, to name the CRS in a refusal.
std::optional<std::string> geojson_crs_member(const std::string& path) {
    struct Sax : nlohmann::json_sax<nlohmann::json> {
        int depth = 0;
        bool in_crs = false;
        std::string last_key, found;
        bool null() override { return true; }
        bool boolean(bool) override { return true; }
        bool number_integer(number_integer_t) override { return true; }
        bool number_unsigned(number_unsigned_t) override { return true; }
        bool number_float(number_float_t, const string_t&) override { return true; }
        bool string(string_t& s) override {
            if (in_crs && (last_key == "name" || last_key == "href") && found.empty()) found = s;
            return true;
        }
        bool binary(binary_t&) override { return true; }
        bool start_object(std::size_t) override {
            if (depth == 1 && last_key == "crs") in_crs = true;
            return ++depth < 64;
        }
        bool end_object() override {
            --depth;
            if (in_crs && depth == 1) return false;  // done: stop reading the file
            return true;
        }
        bool start_array(std::size_t) override { return ++depth < 64; }
        bool end_array() override { return --depth, true; }
        bool key(string_t& k) override { return last_key = k, true; }
        bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
    } sax;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    nlohmann::json::sax_parse(in, &sax, nlohmann::json::input_format_t::json, false);
    if (sax.found.empty()) return std::nullopt;
    return sax.found;
}
}  // namespace

Dataset open_vector(const std::string& path, const std::vector<std::string>& open_options) {
    ensure_registered();
    clear_error();
    std::vector<const char*> opts;
    for (auto& o : open_options) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                 open_options.empty() ? nullptr : opts.data(), nullptr);
    if (!ds) {
        if (messages().find("too complex/large") != std::string::npos)
            throw IoError("cannot open " + path + ": a feature in it is larger than keepout reads (a venue or site "
                          "has at most " + std::to_string(store::geometry_bounds(store::FeatureKind::venue).max_vertices) +
                          " vertices and " + std::to_string(store::kMaxNames) + " aliases)");
        throw IoError("cannot open " + path + " as vector data: " + (messages().empty() ? last_error() : messages()));
    }
    Dataset out(ds);
    if (failed()) {
        std::string crs;
        const std::string driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
        if (driver == "GeoJSON") {
            if (auto name = geojson_crs_member(path)) crs = " (its \"crs\" is " + text::quote(*name, 40) + ")";
        }
        throw IoError("cannot use " + path + crs + ": GDAL reported while opening it: " + messages() +
                      "; nothing was read (a CRS GDAL cannot read would put every feature in the wrong place)");
    }
    return out;
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

namespace {
void scan(OGRGeometryH g, std::size_t limit, int depth, VertexScan& out) {
    if (out.vertices > limit || out.too_deep || !g) return;
    if (depth > 4) {
        out.too_deep = true;
        return;
    }
    const int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts && out.vertices <= limit; ++i) scan(OGR_G_GetGeometryRef(g, i), limit, depth + 1, out);
        return;
    }
    const int n = OGR_G_GetPointCount(g);
    out.vertices += std::size_t(std::max(n, 0));
    if (out.vertices > limit) return;
    const bool z = OGR_G_Is3D(g), m = OGR_G_IsMeasured(g);
    for (int i = 0; i < n && !out.non_finite; ++i) {
        double x = 0, y = 0, zv = 0, mv = 0;
        OGR_G_GetPointZM(g, i, &x, &y, &zv, &mv);
        out.non_finite = !std::isfinite(x) || !std::isfinite(y) || (z && !std::isfinite(zv)) || (m && !std::isfinite(mv));
    }
}
}  // namespace

VertexScan scan_vertices(OGRGeometryH g, std::size_t limit) {
    VertexScan out;
    scan(g, limit, 0, out);
    return out;
}

std::string to_wkb(OGRGeometryH g) {
    const int size = OGR_G_WkbSize(g);
    std::string out(std::size_t(size), '\0');
    if (OGR_G_ExportToIsoWkb(g, wkbNDR, reinterpret_cast<unsigned char*>(out.data())) != OGRERR_NONE)
        throw IoError("cannot encode geometry as WKB");
    return out;
}

}  // namespace keepout::source::gdal

#include "source/geojson.hpp"

namespace keepout::source {

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

}  // namespace keepout::source

#include <cmath>
#include <stdexcept>

#include "geo/geos.hpp"
#include "source/validate.hpp"

namespace keepout::source {

// The bounds of a row are the store's (store/validate.hpp); a reader checks them before it hands rows over.
using store::check_geometry;
using store::check_text;
using store::check_vertex_count;
using store::FeatureKind;
using store::geometry_bounds;
using store::InvalidField;
using store::kind_name;
using store::kMaxNames;

std::string geojson_to_wkb(const std::string& geometry_json) {
    gdal::ensure_registered();
    gdal::Geometry g(OGR_G_CreateGeometryFromJson(geometry_json.c_str()));
    if (!g) throw std::invalid_argument("not a GeoJSON geometry");
    // The bounds of a venue, on OGR's geometry before it is flattened, exported or given to GEOS.
    const auto scan = gdal::scan_vertices(g.get(), geometry_bounds(FeatureKind::venue).max_vertices);
    if (scan.too_deep) throw InvalidField("geometry", "the geometry is nested too deep");
    check_vertex_count(scan.vertices, FeatureKind::venue);
    if (scan.non_finite) throw InvalidField("geometry", "coordinates (or Z/M values) are not finite numbers");
    OGR_G_FlattenTo2D(g.get());
    if (OGR_G_IsEmpty(g.get())) throw InvalidField("geometry", "the geometry is empty");
    const std::string wkb = gdal::to_wkb(g.get());
    check_geometry(wkb, FeatureKind::venue);
    const std::string why = geo::invalid_reason(wkb);
    if (!why.empty()) throw InvalidField("geometry", "invalid polygon: " + why);
    return wkb;
}

}  // namespace keepout::source
