#include "source/roads.hpp"

#include "source/gdal_internal.hpp"

namespace keepout::source {

namespace {

bool is_line_type(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: return true;
    default: return false;
    }
}

// Appends the lines of g (any nesting of collections; curves linearised). Returns whether any was found.
bool collect(OGRGeometryH g, std::vector<std::vector<geo::LonLat>>& out) {
    if (!g || OGR_G_IsEmpty(g)) return false;
    const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbLineString || t == wkbLinearRing) {
        const int n = OGR_G_GetPointCount(g);
        std::vector<geo::LonLat> line;
        line.reserve(std::size_t(n));
        for (int i = 0; i < n; ++i) {
            const geo::LonLat p{OGR_G_GetX(g, i), OGR_G_GetY(g, i)};
            if (!line.empty() && line.back().lon == p.lon && line.back().lat == p.lat) continue;
            line.push_back(p);
        }
        if (line.size() < 2) return false;
        out.push_back(std::move(line));
        return true;
    }
    if (t == wkbCircularString || t == wkbCompoundCurve || t == wkbMultiCurve) {
        gdal::Geometry linear(OGR_G_GetLinearGeometry(g, 0, nullptr));
        return linear && collect(linear.get(), out);
    }
    if (t == wkbMultiLineString || t == wkbGeometryCollection) {
        bool any = false;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) any = collect(OGR_G_GetGeometryRef(g, i), out) || any;
        return any;
    }
    return false;  // points and areas are not roads
}

}  // namespace

RoadLines read_road_lines(const std::string& path, const std::string& layer_name) {
    gdal::Dataset ds = gdal::open_vector(path);
    OGRLayerH layer = nullptr;
    if (layer_name.empty()) {
        // The first layer declared to hold lines (e.g. "lines" of an OSM file), else the first.
        for (int i = 0; i < GDALDatasetGetLayerCount(ds.get()) && !layer; ++i)
            if (is_line_type(OGR_L_GetGeomType(GDALDatasetGetLayer(ds.get(), i)))) layer = GDALDatasetGetLayer(ds.get(), i);
    }
    if (!layer) layer = gdal::pick_layer(ds.get(), path, layer_name);

    RoadLines out;
    out.source = path;
    out.layer = OGR_L_GetName(layer);

    const gdal::LayerToWgs84 to_wgs84(ds.get(), layer, path);

    OGR_L_ResetReading(layer);
    for (gdal::Feature f(OGR_L_GetNextFeature(layer)); f; f.reset(OGR_L_GetNextFeature(layer))) {
        ++out.features;
        OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
        if (!g || OGR_G_IsEmpty(g)) {
            ++out.skipped;
            continue;
        }
        gdal::Geometry copy(OGR_G_Clone(g));
        if (!to_wgs84.apply(copy.get()))
            throw IoError("cannot transform a feature of " + path + " to EPSG:4326: " + gdal::last_error());
        if (!collect(copy.get(), out.lines)) ++out.skipped;
    }
    if (out.lines.empty())
        throw IoError(path + ": layer '" + out.layer + "' has no line features (" + std::to_string(out.features) +
                      " features read): give a road layer of LineStrings");
    return out;
}

}  // namespace keepout::source
