#pragma once
// Export through GDAL/OGR: the list as of a date, all venues, sites or sectors, to any of
// GeoJSON, GeoPackage, Shapefile, CSV (WKT geometry) and KML.
#include <string>
#include <vector>

#include "model/date.hpp"
#include "store/repository.hpp"

namespace keepout::encode {

enum class ExportWhat { list, venues, sites, sectors };

struct ExportOptions {
    ExportWhat what = ExportWhat::list;
    model::Date as_of;
    std::string format;  // GDAL driver short name or geojson|gpkg|shp|csv|kml; empty: from the extension
};

struct ExportResult {
    std::vector<std::string> files;  // Shapefile splits points and footprints into two files
    std::int64_t features = 0;
};

ExportResult export_file(store::Store&, const std::string& path, const ExportOptions&);

// GDAL driver for a format name or, when the name is empty, for the file's extension.
std::string driver_for(const std::string& path, const std::string& format);

}  // namespace keepout::encode
