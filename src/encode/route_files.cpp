#include "encode/route_files.hpp"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdio>

#include "geo/coordinates.hpp"
#include "model/types.hpp"
#include "text/csv.hpp"
#include "text/xml.hpp"

namespace keepout::encode {

using text::xml_escape;

namespace {

std::string coord(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.7f", v);
    return b;
}

std::string fixed(double v, int digits) {
    char b[48];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

std::string el(const char* tag, const std::string& text) {
    if (text.empty()) return {};
    return std::string("<") + tag + ">" + xml_escape(text) + "</" + tag + ">";
}

std::string latlon_attrs(geo::LonLat p) {
    double lon = p.lon;
    if (lon >= 180.0) lon -= 360.0;  // GPX longitudes are in [-180, 180)
    return "lat=\"" + coord(p.lat) + "\" lon=\"" + coord(lon) + "\"";
}

}  // namespace

std::string route_gpx(const RouteDocument& doc) {
    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<gpx version=\"1.1\" creator=\"keepout\" xmlns=\"http://www.topografix.com/GPX/1/1\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd\">\n";
    // Bounds of every stop and track point.
    bool any = false;
    double minlat = 0, minlon = 0, maxlat = 0, maxlon = 0;
    auto grow = [&](geo::LonLat p) {
        if (!any) {
            minlat = maxlat = p.lat;
            minlon = maxlon = p.lon;
            any = true;
        }
        minlat = std::min(minlat, p.lat);
        maxlat = std::max(maxlat, p.lat);
        minlon = std::min(minlon, p.lon);
        maxlon = std::max(maxlon, p.lon);
    };
    for (const auto& r : doc.routes) {
        for (const auto& s : r.stops) grow(s.at);
        for (const auto& p : r.track) grow(p);
    }
    o += "  <metadata>" + el("name", doc.title) + el("desc", doc.description) + el("time", doc.time);
    if (any)
        o += "<bounds minlat=\"" + coord(minlat) + "\" minlon=\"" + coord(minlon) + "\" maxlat=\"" + coord(maxlat) +
             "\" maxlon=\"" + coord(maxlon) + "\"/>";
    o += "</metadata>\n";

    // Named waypoints: the start once, then every venue of every route.
    bool start_written = false;
    for (const auto& r : doc.routes)
        for (const auto& s : r.stops) {
            if (s.is_start) {
                if (start_written) continue;
                start_written = true;
            }
            o += "  <wpt " + latlon_attrs(s.at) + ">" + el("name", s.label) + el("cmt", "MGRS " + s.mgrs) +
                 el("desc", s.description) + el("sym", s.is_start ? "Flag, Blue" : "Flag, Red") +
                 el("type", s.is_start ? "patrol start" : "off-limits venue") + "</wpt>\n";
        }
    for (const auto& r : doc.routes) {
        o += "  <rte>" + el("name", r.name) + el("desc", r.description) + "<number>" + std::to_string(r.number) +
             "</number>\n";
        for (const auto& s : r.stops)
            o += "    <rtept " + latlon_attrs(s.at) + ">" + el("name", s.label) + el("cmt", "MGRS " + s.mgrs) +
                 el("sym", s.is_start ? "Flag, Blue" : "Flag, Red") + "</rtept>\n";
        o += "  </rte>\n";
    }
    for (const auto& r : doc.routes) {
        if (r.track.size() < 2) continue;
        o += "  <trk>" + el("name", r.name + " (roads)") + "<number>" + std::to_string(r.number) + "</number><trkseg>\n";
        for (const auto& p : r.track) o += "    <trkpt " + latlon_attrs(p) + "/>\n";
        o += "  </trkseg></trk>\n";
    }
    o += "</gpx>\n";
    return o;
}

std::string route_kml(const RouteDocument& doc) {
    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n";
    o += el("name", doc.title) + "\n" + el("description", doc.description) + "\n";
    // Colours are aabbggrr.
    o += "<Style id=\"start\"><IconStyle><color>ff894e1d</color><scale>1.3</scale><Icon><href>"
         "http://maps.google.com/mapfiles/kml/paddle/blu-square.png</href></Icon></IconStyle>"
         "<LabelStyle><color>ff894e1d</color><scale>1.0</scale></LabelStyle></Style>\n";
    o += "<Style id=\"stop\"><IconStyle><color>ff1c19d7</color><scale>1.0</scale><Icon><href>"
         "http://maps.google.com/mapfiles/kml/paddle/red-circle.png</href></Icon></IconStyle>"
         "<LabelStyle><color>ff150fa5</color><scale>0.9</scale></LabelStyle></Style>\n";
    o += "<Style id=\"route\"><LineStyle><color>d01c19d7</color><width>3</width></LineStyle></Style>\n";
    auto text_point = [](geo::LonLat p) { return coord(p.lon) + "," + coord(p.lat); };
    if (!doc.routes.empty() && !doc.routes.front().stops.empty()) {
        const RouteStop& s = doc.routes.front().stops.front();
        o += "<Folder>" + el("name", "Start") + "\n<Placemark>" + el("name", s.label) +
             el("description", "MGRS " + s.mgrs + (s.description.empty() ? "" : "\n" + s.description)) +
             "<styleUrl>#start</styleUrl><Point><coordinates>" + text_point(s.at) +
             "</coordinates></Point></Placemark>\n</Folder>\n";
    }
    for (const auto& r : doc.routes) {
        o += "<Folder>" + el("name", r.name) + el("description", r.description) + "\n";
        o += "<Placemark>" + el("name", r.name + " route") +
             el("description", "Length " + fixed(r.length_km, 2) + " km, " +
                                   std::to_string(r.stops.size() >= 2 ? r.stops.size() - 2 : 0) + " stops") +
             "<styleUrl>#route</styleUrl><LineString><tessellate>1</tessellate><coordinates>";
        const auto& line = r.track;
        bool first = true;
        if (line.size() >= 2) {
            for (const auto& p : line) o += (first ? "" : " ") + text_point(p), first = false;
        } else {
            for (const auto& s : r.stops) o += (first ? "" : " ") + text_point(s.at), first = false;
        }
        o += "</coordinates></LineString></Placemark>\n";
        for (const auto& s : r.stops) {
            if (s.is_start) continue;
            o += "<Placemark>" + el("name", s.label) +
                 el("description", "MGRS " + s.mgrs + "\n" + s.description + "\nLeg " + fixed(s.leg_km, 2) +
                                       " km, cumulative " + fixed(s.cumulative_km, 2) + " km") +
                 "<styleUrl>#stop</styleUrl><ExtendedData>"
                 "<Data name=\"order\"><value>" + std::to_string(s.order) + "</value></Data>"
                 "<Data name=\"mgrs\"><value>" + xml_escape(s.mgrs) + "</value></Data>"
                 "<Data name=\"sector\"><value>" + xml_escape(s.sector) + "</value></Data>"
                 "<Data name=\"leg_km\"><value>" + fixed(s.leg_km, 3) + "</value></Data>"
                 "<Data name=\"cumulative_km\"><value>" + fixed(s.cumulative_km, 3) + "</value></Data>"
                 "</ExtendedData><Point><coordinates>" + text_point(s.at) + "</coordinates></Point></Placemark>\n";
        }
        o += "</Folder>\n";
    }
    o += "</Document>\n</kml>\n";
    return o;
}

std::string route_csv(const RouteDocument& doc) {
    std::string o = "order,name,mgrs,lat,lon,leg_km,cumulative_km,patrol\n";
    for (const auto& r : doc.routes)
        for (const auto& s : r.stops)
            o += std::to_string(s.order) + "," + text::csv_cell(s.name) + "," + text::csv_cell(s.mgrs) + "," + fixed(s.at.lat, 6) + "," +
                 fixed(s.at.lon, 6) + "," + fixed(s.leg_km, 3) + "," + fixed(s.cumulative_km, 3) + "," +
                 std::to_string(r.number) + "\n";
    return o;
}

RouteDocument patrol_document(const analysis::PatrolPlan& plan, const std::string& time) {
    RouteDocument doc;
    const std::string area = !plan.sector.empty() ? plan.sector
                             : plan.radius_m     ? "within " + std::to_string(std::lround(*plan.radius_m)) + " m"
                                                 : std::string();
    doc.title = "Off-Limits patrol from " + plan.from_name + (area.empty() ? "" : ", " + area);
    doc.description = std::to_string(plan.venues) + " listed venues as of " + plan.as_of.iso() + " (" + plan.time_zone + ", list version " +
                      std::to_string(plan.list_version) + ")" + (plan.unit.empty() ? "" : ", unit " + plan.unit) +
                      (plan.along_roads ? ", legs along roads" : ", straight legs (geodesic)");
    doc.time = time;
    const bool several = plan.patrols.size() > 1;
    RouteStop start;
    start.is_start = true;
    start.name = plan.from_name;
    start.label = plan.from_name;
    start.mgrs = geo::to_mgrs(plan.from);
    start.at = plan.from;
    if (plan.site)
        start.description = std::string(model::to_string(plan.site->site.kind)) +
                            (plan.site->site.contingent.empty() ? "" : " \xc2\xb7 " + plan.site->site.contingent);
    for (std::size_t pi = 0; pi < plan.patrols.size(); ++pi) {
        const analysis::Patrol& p = plan.patrols[pi];
        Route r;
        r.number = int(pi + 1);
        r.name = analysis::patrol_title(plan, pi) + " from " + plan.from_name;
        r.length_km = p.length_m / 1000.0;
        char len[32];
        std::snprintf(len, sizeof len, "%.2f km", r.length_km);
        r.description = std::to_string(p.stops.size()) + " stops, " + len + ", list as of " + plan.as_of.iso() + " (" + plan.time_zone + ")";
        RouteStop first = start;
        r.stops.push_back(first);
        for (std::size_t k = 0; k < p.stops.size(); ++k) {
            const analysis::PatrolStop& s = p.stops[k];
            const auto& v = s.venue->venue;
            RouteStop st;
            st.order = int(k + 1);
            st.name = v.name;
            const std::string num = (k + 1 < 10 ? "0" : "") + std::to_string(k + 1);
            st.label = (several ? "P" + std::to_string(pi + 1) + "-" : std::string()) + num + " " + v.name;
            std::string desc = std::string(model::to_string(v.category));
            if (!v.external_id.empty()) desc += " \xc2\xb7 " + v.external_id;
            if (!v.address.empty()) desc += " \xc2\xb7 " + v.address;
            if (!v.municipality.empty() && v.address.find(v.municipality) == std::string::npos)
                desc += (v.address.empty() ? " \xc2\xb7 " : ", ") + v.municipality;
            if (!s.sector.empty()) desc += " \xc2\xb7 " + s.sector;
            st.description = desc;
            st.mgrs = geo::to_mgrs(s.at);
            st.sector = s.sector;
            st.at = s.at;
            st.leg_km = s.leg_m / 1000.0;
            st.cumulative_km = s.cumulative_m / 1000.0;
            r.stops.push_back(std::move(st));
        }
        RouteStop back = start;
        back.order = int(p.stops.size() + 1);
        back.leg_km = p.return_leg_m / 1000.0;
        back.cumulative_km = p.length_m / 1000.0;
        r.stops.push_back(back);
        if (plan.along_roads)
            for (const auto& leg : p.legs)
                for (std::size_t k = 0; k < leg.size(); ++k)
                    if (!(k == 0 && !r.track.empty())) r.track.push_back(leg[k]);
        doc.routes.push_back(std::move(r));
    }
    return doc;
}

}  // namespace keepout::encode
