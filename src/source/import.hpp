#pragma once
// Imports through GDAL/OGR: any vector format GDAL reads (GeoJSON, GeoPackage, Shapefile, CSV
// with lat/lon or WKT columns, KML, …), reprojected to EPSG:4326. Every row is read and checked
// here and handed to the store's bulk import (store/import.hpp), which writes it: by default one
// bad row means nothing is written and every bad row is reported.
#include <string>
#include <vector>

#include "source/errors.hpp"
#include "model/types.hpp"
#include "store/import.hpp"

namespace keepout::source {

struct ImportOptions {
    std::string layer;                  // default: the first layer
    std::string directive_ref;          // venues only: place each imported venue on this draft
    std::vector<model::Reason> reasons; // required with directive_ref
    bool skip_invalid = false;          // write the good rows, report the bad ones
    bool repair = false;                // repair invalid polygons with GEOS instead of rejecting them
    std::string assume_crs;             // the CRS of a layer that declares none (e.g. "EPSG:4326")
    bool keep_accepted_rows = false;    // list the good rows in ImportReport::accepted (a full row report)
    bool duplicate_ok = false;          // venues: write rows like a venue within 25 m (store/duplicates.hpp)
};

store::ImportReport import_venues(store::Store&, const std::string& path, const ImportOptions&);
store::ImportReport import_sites(store::Store&, const std::string& path, const ImportOptions&);
store::ImportReport import_sectors(store::Store&, const std::string& path, const ImportOptions&);

// The directives.json shape: {"directives": [{"ref", "title", "authority", "signed", "effective",
// "status", "emergency"?, "review"?, "listings": [{"venue", "action", "reasons"}]}]}.
// All-or-nothing; venues are named by external_id (or id / exact name).
store::ImportReport import_directives(store::Store&, const std::string& path);

}  // namespace keepout::source
