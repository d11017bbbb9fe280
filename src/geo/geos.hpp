#pragma once
// Geometry operations through the GEOS C API. GEOS types stay in geos.cpp: callers pass and get
// ISO WKB, so no header outside src/geo needs geos_c.h.
#include <stdexcept>
#include <string>
#include <string_view>

namespace keepout::geo {

struct GeometryError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Empty when the geometry is valid by OGC rules; otherwise GEOS's reason, e.g.
// "Self-intersection[21.1 42.6]". Throws GeometryError when the WKB cannot be read.
std::string invalid_reason(std::string_view wkb);

// A valid version of the geometry (GEOS MakeValid), as WKB.
std::string make_valid(std::string_view wkb);

// "Point", "Polygon", … as GEOS names the type.
std::string geometry_type(std::string_view wkb);

}  // namespace keepout::geo
