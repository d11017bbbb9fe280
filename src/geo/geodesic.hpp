#pragma once
// Geodesics on the WGS 84 ellipsoid through GeographicLib (Karney's algorithms).
#include "geo/coordinates.hpp"

namespace keepout::geo {

struct GeodesicResult {
    double distance_m = 0;
    double azimuth_deg = 0;  // initial azimuth at the first point, clockwise from true north, in [0, 360)
    double final_azimuth_deg = 0;  // azimuth at the second point, going on away from the first, in [0, 360)
};

// The inverse problem: shortest distance and initial azimuth from a to b.
GeodesicResult inverse(LonLat a, LonLat b);

// The direct problem: the point at `distance_m` from a along `azimuth_deg`.
LonLat direct(LonLat a, double azimuth_deg, double distance_m);

// The point of the geodesic from a to b nearest to p, and its distance from p: found on the
// ellipsoid by walking along the edge to where the geodesic from p meets it at a right angle,
// starting at the fraction `start` of the way (a guess from a plane), or at an end.
struct EdgeFoot {
    LonLat at;
    double distance_m = 0;
};
EdgeFoot nearest_on_geodesic(LonLat a, LonLat b, LonLat p, double start = 0.5);

}  // namespace keepout::geo
