#include "encode/export.hpp"

#include <cpl_string.h>

#include <algorithm>

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "encode/errors.hpp"
#include "gdal/handles.hpp"
#include "text/csv.hpp"

namespace keepout::encode {

using namespace keepout::model;
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

// One output row: ordered (name, value) properties and a geometry.
struct Row {
    std::vector<std::pair<std::string, std::string>> text;
    std::vector<std::string> aliases;  // written as a string list where the format has one
    bool has_aliases = false;
    std::string wkb;
};

nlohmann::json json_list(const std::vector<std::string>& v) { return nlohmann::json(v); }

std::vector<Row> rows_for(store::Store& store, const ExportOptions& opts, std::vector<std::string>& columns) {
    std::vector<Row> rows;
    auto venue_row = [](const Venue& v) {
        Row r;
        r.text = {{"id", std::to_string(v.id)},      {"external_id", v.external_id},
                  {"name", v.name},                  {"category", std::string(to_string(v.category))},
                  {"address", v.address},            {"municipality", v.municipality},
                  {"former_names", v.former_names.empty() ? "" : json_list(v.former_names).dump()}};
        r.aliases = v.aliases;
        r.has_aliases = true;
        r.wkb = v.geometry;
        return r;
    };
    switch (opts.what) {
        case ExportWhat::list: {
            columns = {"id", "external_id", "name", "category", "address", "municipality", "former_names",
                       "aliases", "directive", "listed_since", "reasons"};
            for (auto& e : store.list_as_of(opts.as_of)) {
                Row r = venue_row(e.venue);
                nlohmann::json reasons = nlohmann::json::array();
                for (Reason x : e.listing.reasons) reasons.push_back(std::string(to_string(x)));
                r.text.push_back({"directive", e.directive_ref});
                r.text.push_back({"listed_since", e.listing.listed_since.iso()});
                r.text.push_back({"reasons", reasons.dump()});
                rows.push_back(std::move(r));
            }
            break;
        }
        case ExportWhat::venues:
            columns = {"id", "external_id", "name", "category", "address", "municipality", "former_names", "aliases"};
            for (auto& v : store.venues()) rows.push_back(venue_row(v));
            break;
        case ExportWhat::sites:
            columns = {"id", "name", "kind", "contingent", "personnel"};
            for (auto& s : store.sites())
                rows.push_back({{{"id", std::to_string(s.id)},
                                 {"name", s.name},
                                 {"kind", std::string(to_string(s.kind))},
                                 {"contingent", s.contingent},
                                 {"personnel", std::to_string(s.personnel)}},
                                {}, false, s.geometry});
            break;
        case ExportWhat::sectors:
            columns = {"id", "name", "unit"};
            for (auto& s : store.sectors())
                rows.push_back({{{"id", std::to_string(s.id)}, {"name", s.name}, {"unit", s.unit}}, {}, false,
                                s.geometry});
            break;
    }
    return rows;
}

bool is_point(const std::string& wkb) {
    // ISO WKB: byte order, then a uint32 type; 1 is Point.
    if (wkb.size() < 5) return false;
    unsigned type = wkb[0] == 1 ? unsigned(std::uint8_t(wkb[1])) | unsigned(std::uint8_t(wkb[2])) << 8
                                : unsigned(std::uint8_t(wkb[4])) | unsigned(std::uint8_t(wkb[3])) << 8;
    return type == 1;
}

std::int64_t write_layer(GDALDriverH driver, const std::string& driver_name, const std::string& path,
                         const std::string& layer_name, const std::vector<std::string>& columns,
                         const std::vector<const Row*>& rows, OGRwkbGeometryType geom_type) {
    if (fs::exists(path)) {
        if (GDALDeleteDataset(driver, path.c_str()) != CE_None) fs::remove(path);
    }
    gdal::clear_error();
    gdal::Dataset ds(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw EncodeError("cannot create " + path + " with " + driver_name + ": " + gdal::last_error());
    std::vector<std::string> lco;
    const bool csv = driver_name == "CSV";
    if (csv) lco = {"GEOMETRY=AS_WKT", "CREATE_CSVT=NO"};
    if (driver_name == "ESRI Shapefile") lco = {"ENCODING=UTF-8"};
    std::vector<const char*> lco_c;
    for (auto& o : lco) lco_c.push_back(o.c_str());
    lco_c.push_back(nullptr);
    gdal::Srs srs = gdal::wgs84();
    OGRLayerH layer = GDALDatasetCreateLayer(ds.get(), layer_name.c_str(), srs.get(), geom_type, lco_c.data());
    if (!layer) throw EncodeError("cannot create layer in " + path + ": " + gdal::last_error());
    const bool native_lists = driver_name == "GeoJSON";
    for (auto& c : columns) {
        OGRFieldType type = OFTString;
        if (c == "id" || c == "personnel") type = OFTInteger64;
        if (c == "aliases" && native_lists) type = OFTStringList;
        OGRFieldDefnH f = OGR_Fld_Create(c.c_str(), type);
        OGR_L_CreateField(layer, f, TRUE);
        OGR_Fld_Destroy(f);
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    GDALDatasetStartTransaction(ds.get(), FALSE);
    std::int64_t written = 0;
    for (const Row* r : rows) {
        gdal::Feature feat(OGR_F_Create(defn));
        // Fields by position: drivers may rename them (Shapefile cuts names to 10 characters).
        auto index_of = [&](const std::string& name) {
            auto it = std::find(columns.begin(), columns.end(), name);
            return it == columns.end() ? -1 : int(it - columns.begin());
        };
        for (auto& [name, value] : r->text) {
            const int i = index_of(name);
            if (i < 0 || value.empty()) continue;
            OGR_F_SetFieldString(feat.get(), i, csv ? text::make_csv_cell_inert(value).c_str() : value.c_str());
        }
        if (const int i = index_of("aliases"); r->has_aliases && i >= 0) {
            if (native_lists) {
                CPLStringList list;
                for (auto& a : r->aliases) list.AddString(a.c_str());
                OGR_F_SetFieldStringList(feat.get(), i, list.List());
            } else if (!r->aliases.empty()) {
                std::string v = json_list(r->aliases).dump();
                OGR_F_SetFieldString(feat.get(), i, v.c_str());
            }
        }
        OGRGeometryH g = nullptr;
        if (OGR_G_CreateFromWkb(r->wkb.data(), nullptr, &g, int(r->wkb.size())) != OGRERR_NONE)
            throw EncodeError("stored geometry cannot be decoded");
        OGR_F_SetGeometryDirectly(feat.get(), g);
        if (OGR_L_CreateFeature(layer, feat.get()) != OGRERR_NONE)
            throw EncodeError("cannot write a feature to " + path + ": " + gdal::last_error());
        ++written;
    }
    GDALDatasetCommitTransaction(ds.get());
    return written;
}

}  // namespace

std::string driver_for(const std::string& path, const std::string& format) {
    static const std::map<std::string, std::string> by_name{
        {"geojson", "GeoJSON"}, {"json", "GeoJSON"}, {"gpkg", "GPKG"}, {"geopackage", "GPKG"},
        {"shp", "ESRI Shapefile"}, {"shapefile", "ESRI Shapefile"}, {"csv", "CSV"}, {"kml", "LIBKML"}};
    std::string key = lower(format.empty() ? fs::path(path).extension().string() : format);
    if (!key.empty() && key[0] == '.') key.erase(0, 1);
    auto it = by_name.find(key);
    std::string name = it != by_name.end() ? it->second : format;
    gdal::ensure_registered();
    if (name == "LIBKML" && !GDALGetDriverByName("LIBKML")) name = "KML";
    if (name.empty() || !GDALGetDriverByName(name.c_str()))
        throw EncodeError("cannot tell the output format of " + path +
                      ": use a .geojson, .gpkg, .shp, .csv or .kml name, or --format");
    return name;
}

ExportResult export_file(store::Store& store, const std::string& path, const ExportOptions& opts) {
    const std::string driver_name = driver_for(path, opts.format);
    GDALDriverH driver = GDALGetDriverByName(driver_name.c_str());
    std::vector<std::string> columns;
    std::vector<Row> rows = rows_for(store, opts, columns);
    const std::string layer_name = fs::path(path).stem().string();
    ExportResult result;
    if (driver_name == "ESRI Shapefile") {
        // A shapefile holds one geometry type: points here, footprints beside it.
        std::vector<const Row*> points, areas;
        for (auto& r : rows) (is_point(r.wkb) ? points : areas).push_back(&r);
        if (!points.empty() || areas.empty()) {
            result.features += write_layer(driver, driver_name, path, layer_name, columns, points, wkbPoint);
            result.files.push_back(path);
        }
        if (!areas.empty()) {
            fs::path p(path);
            std::string area_path = (p.parent_path() / (p.stem().string() + "_footprints.shp")).string();
            result.features += write_layer(driver, driver_name, area_path, layer_name + "_footprints", columns,
                                           areas, wkbPolygon);
            result.files.push_back(area_path);
        }
        return result;
    }
    std::vector<const Row*> all;
    for (auto& r : rows) all.push_back(&r);
    result.features = write_layer(driver, driver_name, path, layer_name, columns, all, wkbUnknown);
    result.files.push_back(path);
    return result;
}

}  // namespace keepout::encode
