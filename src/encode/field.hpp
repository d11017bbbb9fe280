#pragma once
// Documents for devices in the field: a KMZ for GPS units and Google Earth, and a TAK data package
// (ATAK, WinTAK, iTAK) whose footprints and check circles are geofences. Both are zip files, built
// in memory through GDAL's zip writer (CPLCreateZip), returned as bytes.
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"

namespace keepout::encode {

struct FieldOptions {
    // A circle of this radius (metres) around each listed venue given as a point: the radius a
    // point check uses. 0 leaves the circles out.
    double check_radius_m = 75.0;
    // Rings around each deployment site (metres), as the slide draws them; empty: none.
    std::vector<double> site_rings_m;
};

// KML 2.2 with styles, one folder each: "Off-Limits venues" (every listed venue as a point, a
// footprint's being a point on it, with its MGRS reference), "Off-Limits footprints" (polygons),
// "Check radius" (circles around point venues), "Deployment sites" and "Site rings".
std::string field_kml(const analysis::Snapshot&, const FieldOptions&);

// A zip with doc.kml (field_kml) as its first entry.
std::string field_kmz(const analysis::Snapshot&, const FieldOptions&);

// A TAK data package: MANIFEST/manifest.xml (MissionPackageManifest version 2), the KML overlay,
// and one Cursor-on-Target event per geofence: a freeform shape (u-d-f) per footprint polygon and
// a circle (u-d-c-c) of the check radius around each point venue, each with a __geofence detail
// that alerts on entry.
std::string tak_package(const analysis::Snapshot&, const FieldOptions&);

// The names of the package's entries, as the manifest lists them (for tests and messages).
std::vector<std::string> tak_package_entries(const analysis::Snapshot&, const FieldOptions&);

}  // namespace keepout::encode
