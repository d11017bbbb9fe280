#include "encode/field.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "encode/errors.hpp"
#include "encode/reports.hpp"
#include "gdal/handles.hpp"
#include "geo/coordinates.hpp"
#include "geo/geodesic.hpp"
#include "geo/geos.hpp"
#include "model/rules.hpp"
#include "text/format.hpp"
#include "text/xml.hpp"

namespace keepout::encode {

namespace {

using analysis::Snapshot;
using analysis::VenueView;
using text::xml_escape;

// A zip written into GDAL's in-memory file system and handed back as bytes.
class MemoryZip {
public:
    MemoryZip() {
        static std::atomic<unsigned long long> counter{0};
        path_ = "/vsimem/keepout-field-" + std::to_string(++counter) + ".zip";
        gdal::ensure_registered();
        gdal::clear_error();
        handle_ = CPLCreateZip(path_.c_str(), nullptr);
        if (!handle_) throw EncodeError("cannot start a zip file: " + gdal::last_error());
    }
    ~MemoryZip() {
        if (handle_) CPLCloseZip(handle_);
        VSIUnlink(path_.c_str());
    }
    MemoryZip(const MemoryZip&) = delete;
    MemoryZip& operator=(const MemoryZip&) = delete;

    void add(const std::string& name, const std::string& bytes) {
        if (bytes.size() > std::size_t(INT_MAX)) throw EncodeError("zip entry " + name + " is too large");
        if (CPLCreateFileInZip(handle_, name.c_str(), nullptr) != CE_None ||
            CPLWriteFileInZip(handle_, bytes.data(), int(bytes.size())) != CE_None ||
            CPLCloseFileInZip(handle_) != CE_None)
            throw EncodeError("cannot write " + name + " into the zip file: " + gdal::last_error());
    }

    std::string finish() {
        const CPLErr closed = CPLCloseZip(handle_);
        handle_ = nullptr;
        if (closed != CE_None) throw EncodeError("cannot finish the zip file: " + gdal::last_error());
        vsi_l_offset size = 0;
        GByte* data = VSIGetMemFileBuffer(path_.c_str(), &size, FALSE);
        if (!data) throw EncodeError("the zip file vanished from memory");
        return std::string(reinterpret_cast<const char*>(data), std::size_t(size));
    }

private:
    std::string path_;
    void* handle_ = nullptr;
};

std::string coord(geo::LonLat p) { return text::shortest(p.lon) + "," + text::shortest(p.lat); }

std::string ring_text(const geo::Ring& ring) {
    std::string t;
    for (auto& p : ring) t += (t.empty() ? "" : " ") + coord(p);
    if (!ring.empty() && (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat))
        t += " " + coord(ring.front());
    return t;
}

std::string kml_polygon(const geo::Polygon& p) {
    std::string t = "<Polygon><outerBoundaryIs><LinearRing><coordinates>" + ring_text(p.rings[0]) +
                    "</coordinates></LinearRing></outerBoundaryIs>";
    for (std::size_t i = 1; i < p.rings.size(); ++i)
        t += "<innerBoundaryIs><LinearRing><coordinates>" + ring_text(p.rings[i]) +
             "</coordinates></LinearRing></innerBoundaryIs>";
    return t + "</Polygon>";
}

std::string kml_shape(const geo::Shape& s) {
    if (s.is_point) return "<Point><coordinates>" + coord(s.point) + "</coordinates></Point>";
    if (s.polygons.size() == 1) return kml_polygon(s.polygons[0]);
    std::string t = "<MultiGeometry>";
    for (auto& p : s.polygons) t += kml_polygon(p);
    return t + "</MultiGeometry>";
}

// A geodesic circle as a closed ring of 72 positions.
geo::Ring circle(geo::LonLat centre, double radius_m) {
    geo::Ring ring;
    constexpr int kSteps = 72;
    for (int i = 0; i <= kSteps; ++i) ring.push_back(geo::direct(centre, 360.0 * (i % kSteps) / kSteps, radius_m));
    return ring;
}

std::string reason_list(const std::vector<model::Reason>& rs) {
    std::string out;
    for (auto r : rs) out += (out.empty() ? "" : ", ") + std::string(model::to_string(r));
    return out;
}

std::string metres(double m) { return text::shortest(std::round(m * 10) / 10); }

std::string data(const char* key, const std::string& value) {
    return std::string("<Data name=\"") + key + "\"><value>" + xml_escape(value) + "</value></Data>";
}

std::string venue_description(const VenueView& v) {
    return std::string(model::to_string(v.venue.category)) + (v.venue.address.empty() ? "" : ", " + v.venue.address) +
           (v.venue.municipality.empty() ? "" : ", " + v.venue.municipality) + ". Off-limits by " + v.directive_ref +
           " since " + v.listed_since.iso() + "; reasons: " + reason_list(v.reasons) + ". MGRS " + venue_mgrs(v);
}

std::string title(const Snapshot& s) {
    return (s.mission().name.empty() ? std::string() : s.mission().name + ": ") + "Off-Limits list as of " +
           s.as_of().iso() + " (" + s.time_zone() + ", list version " + std::to_string(s.list_version()) + ")";
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char b[32];
    std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return b;
}

// One geofence: a Cursor-on-Target drawing that alerts whoever enters it.
struct Geofence {
    std::string uid;
    std::string file;
    std::string xml;
};

std::string cot_event(const std::string& uid, const char* type, geo::LonLat at, const std::string& detail) {
    const auto now = std::chrono::system_clock::now();
    const std::string time = iso_utc(now);
    // Drawings stay until the next package replaces them: a year, well past any list's life.
    const std::string stale = iso_utc(now + std::chrono::hours(24 * 365));
    char point[160];
    std::snprintf(point, sizeof point, "<point lat=\"%.8f\" lon=\"%.8f\" hae=\"9999999.0\" ce=\"9999999.0\" le=\"9999999.0\"/>",
                  at.lat, at.lon);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<event version=\"2.0\" uid=\"" + xml_escape(uid) +
           "\" type=\"" + type + "\" how=\"h-g-i-g-o\" time=\"" + time + "\" start=\"" + time + "\" stale=\"" + stale +
           "\" access=\"Undefined\">" + point + "<detail>" + detail + "</detail></event>\n";
}

// Red outline, translucent red fill (ARGB as signed 32-bit integers, as ATAK writes colours).
const char* kStroke = "<strokeColor value=\"-65536\"/><strokeWeight value=\"3.0\"/><fillColor value=\"1728004096\"/>";
const char* kGeofence =
    "<__geofence elevationMonitored=\"false\" minElevation=\"NaN\" monitor=\"All\" trigger=\"Entry\" tracking=\"true\" "
    "maxElevation=\"NaN\" boundingSphere=\"5000.0\"/>";

std::string cot_common(const VenueView& v, const std::string& what) {
    return "<contact callsign=\"" + xml_escape(v.venue.name + (v.venue.external_id.empty() ? "" : " [" + v.venue.external_id + "]")) +
           "\"/><remarks>" + xml_escape("OFF-LIMITS (" + what + "): " + venue_description(v)) + "</remarks>" + kStroke +
           "<labels_on value=\"true\"/>" + kGeofence + "<archive/>";
}

std::vector<Geofence> geofences(const Snapshot& s, const FieldOptions& o) {
    std::vector<Geofence> out;
    for (auto i : s.listed()) {
        const VenueView& v = s.venues()[i];
        const std::string id = std::to_string(v.venue.id);
        if (v.shape.is_point) {
            if (o.check_radius_m <= 0) continue;
            const std::string uid = "keepout-venue-" + id + "-radius";
            const std::string r = metres(o.check_radius_m);
            out.push_back({uid, "geofences/venue-" + id + "-radius.cot",
                           cot_event(uid, "u-d-c-c", v.shape.point,
                                     "<shape><ellipse major=\"" + r + "\" minor=\"" + r + "\" angle=\"360\"/></shape>" +
                                         cot_common(v, r + " m check radius"))});
            continue;
        }
        for (std::size_t k = 0; k < v.shape.polygons.size(); ++k) {
            const auto& ring = v.shape.polygons[k].rings.front();
            std::string links;
            for (auto& p : ring) {
                char b[80];
                std::snprintf(b, sizeof b, "<link point=\"%.8f,%.8f\"/>", p.lat, p.lon);
                links += b;
            }
            if (!ring.empty() && (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat)) {
                char b[80];
                std::snprintf(b, sizeof b, "<link point=\"%.8f,%.8f\"/>", ring.front().lat, ring.front().lon);
                links += b;
            }
            const std::string suffix = v.shape.polygons.size() == 1 ? "" : "-" + std::to_string(k + 1);
            const std::string uid = "keepout-venue-" + id + "-footprint" + suffix;
            out.push_back({uid, "geofences/venue-" + id + "-footprint" + suffix + ".cot",
                           cot_event(uid, "u-d-f", geo::representative_point(v.shape), links + cot_common(v, "footprint"))});
        }
    }
    return out;
}

}  // namespace

std::string field_kml(const Snapshot& s, const FieldOptions& o) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>" +
        xml_escape(title(s)) + "</name><open>1</open>"
        "<Style id=\"venue\"><IconStyle><color>ff0000ff</color><scale>1.1</scale></IconStyle>"
        "<LabelStyle><color>ff0000ff</color></LabelStyle></Style>"
        "<Style id=\"footprint\"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle>"
        "<PolyStyle><color>660000ff</color></PolyStyle></Style>"
        "<Style id=\"radius\"><LineStyle><color>cc0000ff</color><width>1</width></LineStyle>"
        "<PolyStyle><color>330000ff</color></PolyStyle></Style>"
        "<Style id=\"site\"><IconStyle><color>ffff6600</color></IconStyle>"
        "<LineStyle><color>ffff6600</color><width>2</width></LineStyle><PolyStyle><color>44ff6600</color></PolyStyle></Style>"
        "<Style id=\"ring\"><LineStyle><color>ff00a5ff</color><width>1.5</width></LineStyle>"
        "<PolyStyle><fill>0</fill></PolyStyle></Style>\n";

    out += "<Folder><name>Off-Limits venues</name>\n";
    for (auto i : s.listed()) {
        const VenueView& v = s.venues()[i];
        out += "<Placemark id=\"venue-" + std::to_string(v.venue.id) + "\"><name>" + xml_escape(v.venue.name) +
               "</name><description>" + xml_escape(venue_description(v)) + "</description><styleUrl>#venue</styleUrl>"
               "<ExtendedData>" + data("id", std::to_string(v.venue.id)) + data("external_id", v.venue.external_id) +
               data("category", std::string(model::to_string(v.venue.category))) + data("address", v.venue.address) +
               data("municipality", v.venue.municipality) + data("directive", v.directive_ref) +
               data("listed_since", v.listed_since.iso()) + data("reasons", reason_list(v.reasons)) +
               data("mgrs", venue_mgrs(v)) + data("footprint", v.shape.is_point ? "no" : "yes") +
               "</ExtendedData><Point><coordinates>" + coord(geo::representative_point(v.shape)) +
               "</coordinates></Point></Placemark>\n";
    }
    out += "</Folder>\n<Folder><name>Off-Limits footprints</name>\n";
    for (auto i : s.listed()) {
        const VenueView& v = s.venues()[i];
        if (v.shape.is_point) continue;
        out += "<Placemark id=\"footprint-" + std::to_string(v.venue.id) + "\"><name>" + xml_escape(v.venue.name) +
               "</name><description>" + xml_escape(venue_description(v)) + "</description><styleUrl>#footprint</styleUrl>"
               "<ExtendedData>" + data("id", std::to_string(v.venue.id)) + data("external_id", v.venue.external_id) +
               "</ExtendedData>" + kml_shape(v.shape) + "</Placemark>\n";
    }
    out += "</Folder>\n";
    if (o.check_radius_m > 0) {
        out += "<Folder><name>Check radius</name><description>" +
               xml_escape("A point check is off-limits within " + metres(o.check_radius_m) + " m of a listed venue") +
               "</description>\n";
        for (auto i : s.listed()) {
            const VenueView& v = s.venues()[i];
            if (!v.shape.is_point) continue;
            out += "<Placemark><name>" + xml_escape(v.venue.name + " (" + metres(o.check_radius_m) + " m)") +
                   "</name><styleUrl>#radius</styleUrl>" + kml_polygon(geo::Polygon{{circle(v.shape.point, o.check_radius_m)}}) +
                   "</Placemark>\n";
        }
        out += "</Folder>\n";
    }
    out += "<Folder><name>Deployment sites</name>\n";
    for (const auto& site : s.sites()) {
        out += "<Placemark id=\"site-" + std::to_string(site.site.id) + "\"><name>" + xml_escape(site.site.name) +
               "</name><description>" +
               xml_escape(std::string(model::to_string(site.site.kind)) +
                          (site.site.contingent.empty() ? "" : ", " + site.site.contingent)) +
               "</description><styleUrl>#site</styleUrl><ExtendedData>" + data("id", std::to_string(site.site.id)) +
               data("kind", std::string(model::to_string(site.site.kind))) + data("contingent", site.site.contingent) +
               "</ExtendedData>" + kml_shape(site.shape) + "</Placemark>\n";
    }
    out += "</Folder>\n";
    if (!o.site_rings_m.empty()) {
        out += "<Folder><name>Site rings</name>\n";
        for (const auto& site : s.sites()) {
            const geo::LonLat centre = geo::representative_point(site.shape);
            for (double r : o.site_rings_m) {
                std::string line;
                for (auto& p : circle(centre, r)) line += (line.empty() ? "" : " ") + coord(p);
                out += "<Placemark><name>" + xml_escape(site.site.name + " " + metres(r) + " m") +
                       "</name><styleUrl>#ring</styleUrl><LineString><tessellate>1</tessellate><coordinates>" + line +
                       "</coordinates></LineString></Placemark>\n";
            }
        }
        out += "</Folder>\n";
    }
    return out + "</Document></kml>\n";
}

std::string field_kmz(const Snapshot& s, const FieldOptions& o) {
    MemoryZip zip;
    zip.add("doc.kml", field_kml(s, o));
    return zip.finish();
}

std::vector<std::string> tak_package_entries(const Snapshot& s, const FieldOptions& o) {
    std::vector<std::string> out{"MANIFEST/manifest.xml", "offlimits.kml"};
    for (auto& g : geofences(s, o)) out.push_back(g.file);
    return out;
}

std::string tak_package(const Snapshot& s, const FieldOptions& o) {
    const auto fences = geofences(s, o);
    // The package's uid names the list it carries: a newer list is a new package beside the old.
    const std::string uid = "keepout-offlimits-" + s.as_of().iso() + "-v" + std::to_string(s.list_version());
    std::string manifest =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MissionPackageManifest version=\"2\">\n<Configuration>\n"
        "<Parameter name=\"uid\" value=\"" + xml_escape(uid) + "\"/>\n<Parameter name=\"name\" value=\"" +
        xml_escape(title(s)) + "\"/>\n<Parameter name=\"onReceiveImport\" value=\"true\"/>\n"
        "<Parameter name=\"onReceiveDelete\" value=\"false\"/>\n</Configuration>\n<Contents>\n"
        "<Content ignore=\"false\" zipEntry=\"offlimits.kml\"/>\n";
    for (auto& g : fences)
        manifest += "<Content ignore=\"false\" zipEntry=\"" + xml_escape(g.file) + "\"><Parameter name=\"uid\" value=\"" +
                    xml_escape(g.uid) + "\"/></Content>\n";
    manifest += "</Contents>\n</MissionPackageManifest>\n";
    MemoryZip zip;
    zip.add("MANIFEST/manifest.xml", manifest);
    zip.add("offlimits.kml", field_kml(s, o));
    for (auto& g : fences) zip.add(g.file, g.xml);
    return zip.finish();
}

}  // namespace keepout::encode
