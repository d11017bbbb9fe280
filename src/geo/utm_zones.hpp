#pragma once
// The UTM zones (WGS 84, EPSG:326zz north and EPSG:327zz south) an area lies in: the coordinate
// systems a mission's maps, grids and OGC API offer, chosen from where the mission is.
#include <string_view>
#include <vector>

namespace keepout::geo {

// EPSG code of UTM zone `zone` (1–60) in the northern or southern hemisphere.
int utm_epsg(int zone, bool north);

// Every UTM zone, north and south, whose area the geometry (WKB, lon/lat) enters, by EPSG code in
// ascending order. Zones are the 6° strips by longitude; an area that only runs along a zone's
// edge or the equator does not count as entering the zone beyond it.
std::vector<int> utm_epsg_codes_touching(std::string_view area_wkb);

}  // namespace keepout::geo
