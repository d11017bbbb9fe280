#pragma once
// The UTM zones (WGS 84, EPSG:326zz north and EPSG:327zz south) an area lies in: the coordinate
// systems a mission's maps, grids and OGC API offer, chosen from where the mission is.
#include <string>
#include <string_view>
#include <vector>

#include "geo/box.hpp"
#include "geo/coordinates.hpp"

namespace keepout::geo {

// EPSG code of UTM zone `zone` (1–60) in the northern or southern hemisphere.
int utm_epsg(int zone, bool north);

// The UTM zone a position lies in, with the Norway and Svalbard exceptions (32V, 31X–37X);
// nearer the poles than UTM reaches, the zone by longitude all the same (a map must have a grid).
int utm_zone_of(LonLat p);
// The EPSG code of that zone in the position's hemisphere (the equator is north), and the CRS name
// PROJ reads ("EPSG:32736").
int utm_epsg_of(LonLat p);
std::string utm_crs_of(LonLat p);

// Every UTM zone, north and south, whose area the geometry (WKB, lon/lat) enters, by EPSG code in
// ascending order. Zones are the 6° strips by longitude; an area that only runs along a zone's
// edge or the equator does not count as entering the zone beyond it.
std::vector<int> utm_epsg_codes_touching(std::string_view area_wkb);
// The same for a lon/lat box (the data's extent when there is no mission area).
std::vector<int> utm_epsg_codes_touching(const Box& box);

}  // namespace keepout::geo
