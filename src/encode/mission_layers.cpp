#include "encode/mission_layers.hpp"

#include <cpl_string.h>

#include <nlohmann/json.hpp>

#include "encode/errors.hpp"
#include "gdal/handles.hpp"

namespace keepout::encode {

namespace {

using nlohmann::json;

gdal::Geometry from_wkb(const std::string& wkb) {
    OGRGeometryH g = nullptr;
    if (OGR_G_CreateFromWkb(wkb.data(), nullptr, &g, int(wkb.size())) != OGRERR_NONE || !g)
        throw EncodeError("a stored geometry of the mission cannot be decoded");
    return gdal::Geometry(g);
}

}  // namespace

std::string mission_layer_geojson(const std::string& name, const std::vector<model::ReferenceFeature>& features,
                                  double tolerance_deg) {
    gdal::ensure_registered();
    CPLStringList options;
    options.AddString("COORDINATE_PRECISION=5");
    json out{{"type", "FeatureCollection"}, {"name", name}, {"features", json::array()}};
    auto& list = out["features"];
    for (const auto& f : features) {
        gdal::Geometry g = from_wkb(f.wkb);
        const auto type = wkbFlatten(OGR_G_GetGeometryType(g.get()));
        if (tolerance_deg > 0 && type != wkbPoint && type != wkbMultiPoint) {
            if (OGRGeometryH s = OGR_G_SimplifyPreserveTopology(g.get(), tolerance_deg); s && !OGR_G_IsEmpty(s))
                g.reset(s);
            else if (s)
                OGR_G_DestroyGeometry(s);
        }
        std::unique_ptr<char, decltype(&CPLFree)> text(OGR_G_ExportToJsonEx(g.get(), options.List()), &CPLFree);
        if (!text) throw EncodeError("a geometry of mission layer " + name + " cannot be written as GeoJSON");
        json props = json::parse(f.properties_json, nullptr, false);
        if (!props.is_object()) props = json::object();
        list.push_back({{"type", "Feature"}, {"geometry", json::parse(text.get())}, {"properties", std::move(props)}});
    }
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string mission_layer_geometry(const std::vector<model::ReferenceFeature>& features) {
    gdal::ensure_registered();
    for (const auto& f : features) {
        if (f.wkb.empty()) continue;
        gdal::Geometry g = from_wkb(f.wkb);
        return OGRGeometryTypeToName(wkbFlatten(OGR_G_GetGeometryType(g.get())));
    }
    return {};
}

}  // namespace keepout::encode
