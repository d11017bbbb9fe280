#include "store/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "geo/geodesic.hpp"
#include "geo/geos.hpp"
#include "text/utf8.hpp"

namespace keepout::store {

// ---- Bounds ----

GeometryBounds geometry_bounds(FeatureKind kind) {
    switch (kind) {
    // A venue is a bar, club, hotel or house: its footprint is a building or a compound, well
    // under a kilometre. 5 km across its bounding box (which also caps its area at 12.5 km²)
    // leaves room for the largest resort while a footprint drawn in the wrong units, a country
    // or a ring around the world is refused. 10 000 vertices draw any building outline to the
    // centimetre; a million would cost a gigabyte on its way through GDAL and GEOS.
    case FeatureKind::venue: return {10'000, 5'000.0, true};
    // A deployment site is a camp, a base or an HQ: the largest camps of a mission are a few
    // square kilometres (Camp Bondsteel in Kosovo, about 3.9 km², some 3 km across); 10 km across.
    case FeatureKind::site: return {10'000, 10'000.0, true};
    // A patrol sector is a district or a municipality: no extent bound, and administrative
    // boundaries at full detail run to tens of thousands of vertices.
    case FeatureKind::sector: return {200'000, 0.0, false};
    }
    return {0, 0, false};
}

const char* kind_name(FeatureKind kind) {
    switch (kind) {
    case FeatureKind::venue: return "venue";
    case FeatureKind::site: return "site";
    case FeatureKind::sector: return "sector";
    }
    return "feature";
}

namespace {
std::string hex_code_point(char32_t cp) {
    char b[16];
    std::snprintf(b, sizeof b, "U+%04X", unsigned(cp));
    return b;
}
}  // namespace

void check_text(std::string_view field, std::string_view text) {
    const std::string f(field);
    std::size_t i = 0, n = 0;
    while (i < text.size()) {
        const auto decoded = text::decode_next(text, i);
        if (!decoded) throw InvalidField(f, "text is not valid UTF-8");
        const char32_t cp = *decoded;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            throw InvalidField(f, "text holds the control character " + hex_code_point(cp) + " (" + text::quote(text, 40) + ")");
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            throw InvalidField(f, "text holds the bidirectional control " + hex_code_point(cp) +
                                      ", which makes it display as something else (" + text::quote(text, 40) + ")");
        ++n;
    }
    if (n > kMaxTextCodePoints)
        throw InvalidField(f, "text is " + std::to_string(n) + " characters long, at most " +
                                  std::to_string(kMaxTextCodePoints) + " (" + text::quote(text, 40) + ")");
}

void check_names(std::string_view field, const std::vector<std::string>& names) {
    const std::string f(field);
    if (names.size() > kMaxNames)
        throw InvalidField(f, std::to_string(names.size()) + " " + f + ", at most " + std::to_string(kMaxNames) +
                                  " per venue");
    for (std::size_t k = 0; k < names.size(); ++k) {
        try {
            check_text(field, names[k]);
        } catch (const InvalidField& e) {
            throw InvalidField(f, "entry " + std::to_string(k + 1) + ": " + e.what());
        }
    }
}

void check_vertex_count(std::size_t vertices, FeatureKind kind) {
    const auto bounds = geometry_bounds(kind);
    if (vertices > bounds.max_vertices)
        throw InvalidField("geometry", "the footprint has " + std::to_string(vertices) + " vertices, at most " +
                                           std::to_string(bounds.max_vertices) + " for a " + kind_name(kind) +
                                           " (simplify it)");
}

namespace {

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}
std::string km(double m) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f km", m / 1000.0);
    return b;
}

[[noreturn]] void refuse(const std::string& why) { throw InvalidField("geometry", why); }

// A bounds-checked reader of ISO WKB: counts are checked against the bytes left before anything
// is reserved, so a forged count cannot make it allocate or read past the end.
class WkbReader {
public:
    explicit WkbReader(std::string_view b) : b_(b) {}
    bool done() const { return at_ == b_.size(); }
    void byte_order() {
        need(1);
        const auto o = static_cast<unsigned char>(b_[at_++]);
        if (o > 1) refuse("the geometry is not WKB (byte order " + std::to_string(o) + ")");
        little_ = o == 1;
    }
    std::uint32_t u32() {
        need(4);
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const auto byte = std::uint32_t(static_cast<unsigned char>(b_[at_ + std::size_t(k)]));
            v |= little_ ? byte << (8 * k) : byte << (8 * (3 - k));
        }
        at_ += 4;
        return v;
    }
    double f64() {
        need(8);
        std::uint64_t v = 0;
        for (int k = 0; k < 8; ++k) {
            const auto byte = std::uint64_t(static_cast<unsigned char>(b_[at_ + std::size_t(k)]));
            v |= little_ ? byte << (8 * k) : byte << (8 * (7 - k));
        }
        at_ += 8;
        double d;
        std::memcpy(&d, &v, 8);
        return d;
    }
    // A count of items of at least `min_bytes` each that must fit in what is left.
    std::uint32_t count(std::size_t min_bytes) {
        const std::uint32_t n = u32();
        if (std::size_t(n) * min_bytes > b_.size() - at_) refuse("the geometry's WKB is truncated");
        return n;
    }

private:
    void need(std::size_t n) {
        if (b_.size() - at_ < n) refuse("the geometry's WKB is truncated");
    }
    std::string_view b_;
    std::size_t at_ = 0;
    bool little_ = true;
};

struct Envelope {
    double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    void add(double x, double y) {
        min_x = std::min(min_x, x), max_x = std::max(max_x, x);
        min_y = std::min(min_y, y), max_y = std::max(max_y, y);
    }
    void add(const Envelope& e) {
        add(e.min_x, e.min_y);
        add(e.max_x, e.max_y);
    }
};

double across_m(const Envelope& e) {
    return geo::inverse({e.min_x, e.min_y}, {e.max_x, e.max_y}).distance_m;
}

struct GeometryScan {
    std::size_t vertices = 0;
    std::size_t max_vertices = 0;
};

// One coordinate pair: finite and in lon/lat range.
void check_coordinate(double x, double y) {
    if (!std::isfinite(x) || !std::isfinite(y)) refuse("coordinates are not finite numbers");
    if (x < -180 || x > 180 || y < -90 || y > 90)
        refuse("coordinates out of range (longitude " + num(x) + ", latitude " + num(y) +
               "): expected lon -180..180, lat -90..90");
}

// One ring: closed, 4 points or more, not across the antimeridian, not all on one line (a ring
// with no area at all; a bow-tie whose lobes cancel is GEOS's to call invalid, and --repair's).
Envelope read_ring(WkbReader& r, GeometryScan& scan, bool outer) {
    const std::uint32_t n = r.count(16);
    scan.vertices += n;
    if (scan.vertices > scan.max_vertices) return {};  // the caller reports the count
    if (n < 4) refuse("a polygon ring has " + std::to_string(n) + " points, at least 4 (a closed triangle)");
    Envelope e;
    double first_x = 0, first_y = 0, prev_x = 0, prev_y = 0;
    double dir_x = 0, dir_y = 0;  // from the first point to the first other point
    bool has_area = false;
    for (std::uint32_t k = 0; k < n; ++k) {
        const double x = r.f64(), y = r.f64();
        check_coordinate(x, y);
        if (k == 0) first_x = x, first_y = y;
        else {
            if (std::fabs(x - prev_x) > 180)
                refuse("the footprint crosses the antimeridian (an edge from longitude " + num(prev_x) + " to " +
                       num(x) + "): read as lon/lat it goes the long way round the world; keepout cannot "
                       "store a footprint across longitude 180");
            if (dir_x == 0 && dir_y == 0) dir_x = x - first_x, dir_y = y - first_y;
            else if (!has_area) has_area = dir_x * (y - first_y) - dir_y * (x - first_x) != 0;
        }
        prev_x = x, prev_y = y;
        e.add(x, y);
    }
    if (prev_x != first_x || prev_y != first_y) refuse("a polygon ring is not closed (its last point is not its first)");
    if (!has_area)
        refuse(std::string(outer ? "the footprint" : "a hole of the footprint") + " has no area (its points are on one line)");
    return e;
}

Envelope read_polygon_body(WkbReader& r, GeometryScan& scan) {
    const std::uint32_t rings = r.count(4);
    if (rings == 0) refuse("the polygon is empty");
    Envelope outer;
    for (std::uint32_t k = 0; k < rings; ++k) {
        Envelope e = read_ring(r, scan, k == 0);
        if (scan.vertices > scan.max_vertices) return {};
        if (k == 0) outer = e;
    }
    return outer;
}

// The geometry type code, refusing Z, M and EWKB flags: the store keeps 2D lon/lat only.
std::uint32_t read_type(WkbReader& r) {
    r.byte_order();
    const std::uint32_t t = r.u32();
    if (t & 0xE0000000u) refuse("the geometry is EWKB with Z, M or an SRID: expected 2D ISO WKB");
    if (t >= 1000) refuse("the geometry has Z or M coordinates: expected 2D lon/lat");
    return t;
}

const char* type_name(std::uint32_t t) {
    switch (t) {
    case 1: return "Point";
    case 2: return "LineString";
    case 3: return "Polygon";
    case 4: return "MultiPoint";
    case 5: return "MultiLineString";
    case 6: return "MultiPolygon";
    case 7: return "GeometryCollection";
    default: return "an unknown geometry type";
    }
}

}  // namespace

geo::Box check_geometry(std::string_view wkb, FeatureKind kind) {
    const GeometryBounds bounds = geometry_bounds(kind);
    WkbReader r(wkb);
    GeometryScan scan;
    scan.max_vertices = bounds.max_vertices;
    const std::uint32_t type = read_type(r);
    const std::string expected = bounds.points_allowed ? "Point, Polygon or MultiPolygon" : "Polygon or MultiPolygon";
    Envelope all;
    std::vector<Envelope> parts;
    if (type == 1 && bounds.points_allowed) {
        const double x = r.f64(), y = r.f64();
        if (std::isnan(x) && std::isnan(y)) refuse("the geometry is empty");
        check_coordinate(x, y);
        all.add(x, y);
    } else if (type == 3) {
        all = read_polygon_body(r, scan);
    } else if (type == 6) {
        const std::uint32_t count = r.count(9);
        if (count == 0) refuse("the multipolygon is empty");
        for (std::uint32_t k = 0; k < count && scan.vertices <= scan.max_vertices; ++k) {
            if (read_type(r) != 3) refuse("a part of the multipolygon is not a polygon");
            parts.push_back(read_polygon_body(r, scan));
            all.add(parts.back());
        }
    } else {
        refuse(std::string(type_name(type)) + " is not accepted here (expected " + expected + ")");
    }
    check_vertex_count(scan.vertices, kind);
    if (!r.done()) refuse("the geometry's WKB has bytes after its end");
    if (all.max_x - all.min_x > 180)
        refuse("the footprint spans longitudes " + num(all.min_x) + " to " + num(all.max_x) +
               ": across the antimeridian or round the world, which keepout cannot store");
    if (type != 1 && bounds.max_across_m > 0) {
        const double d = across_m(all);
        if (d > bounds.max_across_m) {
            // Say whether the parts are far apart or the footprint itself is too big.
            bool one_too_big = parts.size() < 2;
            for (auto& e : parts) one_too_big = one_too_big || across_m(e) > bounds.max_across_m;
            if (!one_too_big)
                refuse("the parts of the footprint are " + km(d) + " apart (bounding box corner to corner), at most " +
                       km(bounds.max_across_m) + " for one " + kind_name(kind) + ": are they one place?");
            refuse("the footprint is " + km(d) + " across (bounding box corner to corner, geodesic), at most " +
                   km(bounds.max_across_m) + " for a " + kind_name(kind) + ": is it in the right units and place?");
        }
    }
    return {all.min_x, all.min_y, all.max_x, all.max_y};
}

void check_venue(const model::Venue& v) {
    if (v.name.find_first_not_of(" \t\r\n\f\v") == std::string::npos) throw InvalidField("name", "name is missing");
    check_text("name", v.name);
    check_text("external_id", v.external_id);
    check_text("address", v.address);
    check_text("municipality", v.municipality);
    check_names("aliases", v.aliases);
    check_names("former_names", v.former_names);
    if (v.geometry.empty()) throw InvalidField("geometry", "a venue needs a geometry");
    check_geometry(v.geometry, FeatureKind::venue);
    std::string why;
    try {
        why = geo::invalid_reason(v.geometry);
    } catch (const geo::GeometryError& e) {
        throw InvalidField("geometry", e.what());
    }
    if (!why.empty()) throw InvalidField("geometry", "invalid polygon: " + why);
}

}  // namespace keepout::store
