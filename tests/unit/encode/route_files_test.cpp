// GPX, KML and CSV of patrol routes: escaping, structure and inert CSV cells.
#include <catch2/catch.hpp>

#include "encode/route_files.hpp"

using namespace keepout;

namespace {
encode::RouteDocument sample_document() {
    encode::RouteDocument doc;
    doc.title = "Patrol from Camp <Test> & \"friends\"";
    doc.description = "2 listed venues";
    doc.time = "2026-06-01T08:00:00Z";
    encode::Route r;
    r.number = 1;
    r.name = "Patrol from Camp Test";
    r.length_km = 3.5;
    encode::RouteStop start;
    start.is_start = true;
    start.name = start.label = "Camp Test";
    start.mgrs = "34TEN0000000000";
    start.at = {21.0, 42.0};
    r.stops.push_back(start);
    encode::RouteStop a;
    a.order = 1;
    a.name = "=HYPERLINK(\"http://x\")";
    a.label = "01 " + a.name;
    a.description = "bar \xc2\xb7 Rr. <b>Dardania</b> 'A' \x01";
    a.mgrs = "34TEN0100000000";
    a.at = {21.01, 42.0};
    a.leg_km = 1.25;
    a.cumulative_km = 1.25;
    r.stops.push_back(a);
    encode::RouteStop back = start;
    back.order = 2;
    back.leg_km = 2.25;
    back.cumulative_km = 3.5;
    r.stops.push_back(back);
    doc.routes.push_back(r);
    return doc;
}
}  // namespace

TEST_CASE("GPX holds the waypoints once, the route closed at the start, text escaped", "[encode][patrol]") {
    const std::string gpx = encode::route_gpx(sample_document());
    CHECK(gpx.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0) == 0);
    CHECK(gpx.find("<gpx version=\"1.1\" creator=\"keepout\" xmlns=\"http://www.topografix.com/GPX/1/1\"") != std::string::npos);
    CHECK(gpx.find("Camp &lt;Test&gt; &amp; &quot;friends&quot;") != std::string::npos);
    CHECK(gpx.find("<b>") == std::string::npos);
    CHECK(gpx.find('\x01') == std::string::npos);
    auto count = [&](const std::string& what) {
        std::size_t n = 0;
        for (auto p = gpx.find(what); p != std::string::npos; p = gpx.find(what, p + 1)) ++n;
        return n;
    };
    CHECK(count("<wpt ") == 2);    // the start once, the venue
    CHECK(count("<rtept ") == 3);  // start, venue, start
    CHECK(count("<trk>") == 0);    // straight legs: no track
    CHECK(gpx.find("<wpt lat=\"42.0000000\" lon=\"21.0100000\">") != std::string::npos);
    CHECK(gpx.find("<bounds minlat=\"42.0000000\" minlon=\"21.0000000\" maxlat=\"42.0000000\" maxlon=\"21.0100000\"/>") !=
          std::string::npos);
}

TEST_CASE("KML has styles, a folder per patrol, the route line and the stops", "[encode][patrol]") {
    const std::string kml = encode::route_kml(sample_document());
    CHECK(kml.find("<kml xmlns=\"http://www.opengis.net/kml/2.2\">") != std::string::npos);
    CHECK(kml.find("<Style id=\"stop\">") != std::string::npos);
    CHECK(kml.find("<LineString><tessellate>1</tessellate><coordinates>21.0000000,42.0000000 21.0100000,42.0000000 "
                   "21.0000000,42.0000000</coordinates>") != std::string::npos);
    CHECK(kml.find("01 =HYPERLINK(&quot;http://x&quot;)") != std::string::npos);
}

TEST_CASE("patrol CSV has the columns and inert text cells", "[encode][patrol]") {
    const std::string csv = encode::route_csv(sample_document());
    CHECK(csv ==
          "order,name,mgrs,lat,lon,leg_km,cumulative_km,patrol\n"
          "0,Camp Test,34TEN0000000000,42.000000,21.000000,0.000,0.000,1\n"
          "1,\"'=HYPERLINK(\"\"http://x\"\")\",34TEN0100000000,42.000000,21.010000,1.250,1.250,1\n"
          "2,Camp Test,34TEN0000000000,42.000000,21.000000,2.250,3.500,1\n");
}
