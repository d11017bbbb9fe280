#pragma once
// The one reader of ISO/OGC WKB in keepout: either byte order, every simple-feature type, ISO
// Z/M/ZM type codes and EWKB flags (the extra ordinates are read past, an EWKB SRID skipped). It
// hands what it reads to a sink as it goes, so each caller fills its own layout straight from the
// bytes (a snapshot's shapes from the SQLite blob, the renderer's parts) with no geometry in between.
#include <cstdint>
#include <string_view>

#include "geo/coordinates.hpp"
#include "geo/geos.hpp"  // GeometryError

namespace keepout::geo {

enum class WkbType : std::uint32_t {
    point = 1,
    line_string = 2,
    polygon = 3,
    multi_point = 4,
    multi_line_string = 5,
    multi_polygon = 6,
    collection = 7,
};

// Receives one geometry in reading order. For every geometry, nested members included, begin()
// comes first: `count` is the number of members of a multi-geometry or collection, of rings of a
// polygon, of positions of a line string (0 for a point). A point then gives point(); a line
// string and each ring of a polygon give sequence(n) followed by n calls to position().
class WkbSink {
public:
    virtual ~WkbSink() = default;
    virtual void begin(WkbType type, std::uint32_t count, int depth) = 0;
    virtual void point(LonLat p) = 0;  // NaN coordinates: POINT EMPTY
    virtual void sequence(std::uint32_t n) = 0;
    virtual void position(LonLat p) = 0;
};

// Reads exactly one geometry from `wkb` into `sink`. Throws GeometryError on truncated input, an
// unknown type, a count larger than the bytes left could hold, nesting deeper than 32, or bytes
// after the geometry.
void read_wkb(std::string_view wkb, WkbSink& sink);

}  // namespace keepout::geo
