#include "source/features.hpp"

#include "source/gdal_internal.hpp"

namespace keepout::source {

FeatureTable read_features(const std::string& path, const std::string& layer_name) {
    gdal::Dataset ds = gdal::open_vector(path);
    OGRLayerH layer = gdal::pick_layer(ds.get(), path, layer_name);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);

    FeatureTable out;
    out.source = path;
    const int nfields = OGR_FD_GetFieldCount(defn);
    std::vector<OGRFieldType> types;
    for (int i = 0; i < nfields; ++i) {
        OGRFieldDefnH f = OGR_FD_GetFieldDefn(defn, i);
        out.fields.emplace_back(OGR_Fld_GetNameRef(f));
        types.push_back(OGR_Fld_GetType(f));
    }

    // Map layers are drawn, not stored: one without a CRS is read as lon/lat, as before; a CRS
    // that PROJ cannot read is refused all the same.
    const gdal::LayerToWgs84 to_wgs84(ds.get(), layer, path, {"", true});

    OGR_L_ResetReading(layer);
    for (gdal::Feature f(OGR_L_GetNextFeature(layer)); f; f.reset(OGR_L_GetNextFeature(layer))) {
        FeatureRecord row;
        row.values.reserve(std::size_t(nfields));
        for (int i = 0; i < nfields; ++i) {
            if (!OGR_F_IsFieldSetAndNotNull(f.get(), i)) {
                row.values.emplace_back(std::monostate{});
                continue;
            }
            switch (types[std::size_t(i)]) {
            case OFTInteger:
            case OFTInteger64: row.values.emplace_back(std::int64_t(OGR_F_GetFieldAsInteger64(f.get(), i))); break;
            case OFTReal: row.values.emplace_back(OGR_F_GetFieldAsDouble(f.get(), i)); break;
            default: row.values.emplace_back(std::string(OGR_F_GetFieldAsString(f.get(), i))); break;
            }
        }
        if (OGRGeometryH g = OGR_F_GetGeometryRef(f.get()); g && !OGR_G_IsEmpty(g)) {
            gdal::Geometry copy(OGR_G_Clone(g));
            if (!to_wgs84.apply(copy.get()))
                throw IoError("cannot transform a feature of " + path + " to EPSG:4326: " + gdal::last_error());
            row.wkb = gdal::to_wkb(copy.get());
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

}  // namespace keepout::source
