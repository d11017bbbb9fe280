#pragma once
// Patrol routes for GPS devices and spreadsheets: GPX 1.1 (named waypoints, one route per patrol,
// a track when the legs follow roads), KML 2.2 (styled placemarks and the route line) and CSV.
// Written by hand as XML with every text escaped, so the GPX is exactly the 1.1 schema. Plain
// data in, text out: no GDAL here.
#include <string>
#include <string_view>
#include <vector>

#include "analysis/patrol.hpp"
#include "geo/coordinates.hpp"

namespace keepout::encode {

struct RouteStop {
    int order = 0;              // 0 the start, 1… the venues, last the return to the start
    bool is_start = false;      // the site (first and last stop of a route)
    std::string name;           // venue or site name
    std::string label;          // waypoint name on a device, e.g. "P1-03 Bar Feneri"
    std::string description;    // one line: category, reference, address
    std::string mgrs;           // to 1 m
    std::string sector;
    geo::LonLat at;
    double leg_km = 0;          // from the previous stop
    double cumulative_km = 0;   // from the start of the route
};

struct Route {
    int number = 1;
    std::string name;                  // "Patrol 1 from Camp Bondsteel"
    std::string description;
    std::vector<RouteStop> stops;      // start, venues in order, start again
    std::vector<geo::LonLat> track;    // the way along the roads; empty when legs are straight
    double length_km = 0;
};

struct RouteDocument {
    std::string title;
    std::string description;
    std::string time;          // ISO 8601 UTC for the GPX metadata ("2026-11-29T10:00:00Z"); empty: none
    std::vector<Route> routes;
};

std::string route_gpx(const RouteDocument&);
std::string route_kml(const RouteDocument&);
// order,name,mgrs,lat,lon,leg_km,cumulative_km,patrol — one row per stop, the start at order 0
// and the return to it last; text cells a spreadsheet would run as formulas are made inert.
std::string route_csv(const RouteDocument&);

// A patrol plan as routes for the GPX, KML and CSV writers; `time` (ISO 8601 UTC) stamps the GPX.
RouteDocument patrol_document(const analysis::PatrolPlan&, const std::string& time = "");

}  // namespace keepout::encode
