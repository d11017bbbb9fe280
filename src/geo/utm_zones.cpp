#include "geo/utm_zones.hpp"

#include <GeographicLib/UTMUPS.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "geo/geos.hpp"
#include "geo/shapes.hpp"

namespace keepout::geo {

int utm_epsg(int zone, bool north) {
    if (zone < 1 || zone > 60) throw std::invalid_argument("UTM zones are numbered 1 to 60");
    return (north ? 32600 : 32700) + zone;
}

int utm_zone_of(LonLat p) {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lat < -90 || p.lat > 90)
        throw CoordinateError("no UTM zone for a position that is not one");
    // UTMUPS::UTM asks for a UTM zone even where the standard one would be UPS.
    return GeographicLib::UTMUPS::StandardZone(p.lat, p.lon, GeographicLib::UTMUPS::UTM);
}

int utm_epsg_of(LonLat p) { return utm_epsg(utm_zone_of(p), p.lat >= 0); }

std::string utm_crs_of(LonLat p) { return "EPSG:" + std::to_string(utm_epsg_of(p)); }

std::vector<int> utm_epsg_codes_touching(std::string_view area_wkb) {
    const Box box = shape_from_wkb(area_wkb).box;
    // Strips are shrunk by a hair so that an edge lying on a zone boundary (a mission area cut
    // along a meridian, or a coast on the equator) does not pull in the neighbouring zone.
    constexpr double kHair = 1e-9;
    auto zone_of = [](double lon) { return std::clamp(int(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60); };
    std::vector<int> codes;
    for (int zone = zone_of(box.min_lon); zone <= zone_of(box.max_lon); ++zone) {
        const double west = -180.0 + 6.0 * (zone - 1) + kHair, east = west + 6.0 - 2 * kHair;
        if (box.max_lat > 0 && intersects_box(area_wkb, west, kHair, east, 84.0))
            codes.push_back(utm_epsg(zone, true));
        if (box.min_lat < 0 && intersects_box(area_wkb, west, -80.0, east, -kHair))
            codes.push_back(utm_epsg(zone, false));
    }
    std::sort(codes.begin(), codes.end());
    return codes;
}

std::vector<int> utm_epsg_codes_touching(const Box& box) {
    constexpr double kHair = 1e-9;
    auto zone_of = [](double lon) { return std::clamp(int(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60); };
    std::vector<int> codes;
    for (int zone = zone_of(box.min_lon + kHair); zone <= zone_of(box.max_lon - kHair); ++zone) {
        if (box.max_lat > 0) codes.push_back(utm_epsg(zone, true));
        if (box.min_lat < 0) codes.push_back(utm_epsg(zone, false));
    }
    // A box of one point on the equator is still somewhere.
    if (codes.empty()) codes.push_back(utm_epsg(zone_of(box.min_lon), true));
    std::sort(codes.begin(), codes.end());
    return codes;
}

}  // namespace keepout::geo
