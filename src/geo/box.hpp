#pragma once

namespace keepout::geo {

// A bounding box in lon/lat degrees (no antimeridian crossing: min_lon <= max_lon).
struct Box {
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
    bool intersects(const Box& o) const {
        return min_lon <= o.max_lon && o.min_lon <= max_lon && min_lat <= o.max_lat && o.min_lat <= max_lat;
    }
};

}  // namespace keepout::geo
