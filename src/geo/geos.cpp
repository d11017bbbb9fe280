#include "geo/geos.hpp"

#include <geos_c.h>

#include <cstdarg>
#include <cstdio>
#include <memory>

#include "geo/shapes.hpp"

namespace keepout::geo {

namespace {

// One GEOS context per thread (GEOS's re-entrant API); its messages land in the context so an
// error can carry them.
struct Context {
    GEOSContextHandle_t handle;
    std::string last_error;

    Context() : handle(GEOS_init_r()) {
        GEOSContext_setErrorMessageHandler_r(handle, &Context::on_error, this);
    }
    ~Context() { GEOS_finish_r(handle); }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    static void on_error(const char* message, void* self) {
        static_cast<Context*>(self)->last_error = message ? message : "";
    }
};

Context& context() {
    thread_local Context ctx;
    return ctx;
}

struct GeometryDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context().handle, g); }
};
using GeometryPtr = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

struct ReaderDeleter {
    void operator()(GEOSWKBReader* r) const { GEOSWKBReader_destroy_r(context().handle, r); }
};
struct WriterDeleter {
    void operator()(GEOSWKBWriter* w) const { GEOSWKBWriter_destroy_r(context().handle, w); }
};
struct BufferDeleter {
    void operator()(void* p) const { GEOSFree_r(context().handle, p); }
};

GeometryPtr read(std::string_view wkb) {
    auto& ctx = context();
    std::unique_ptr<GEOSWKBReader, ReaderDeleter> reader(GEOSWKBReader_create_r(ctx.handle));
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx.handle, reader.get(),
                                           reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size());
    if (!g) throw GeometryError("unreadable geometry: " + ctx.last_error);
    return GeometryPtr(g);
}

std::string write(const GEOSGeometry* g) {
    auto& ctx = context();
    std::unique_ptr<GEOSWKBWriter, WriterDeleter> writer(GEOSWKBWriter_create_r(ctx.handle));
    GEOSWKBWriter_setByteOrder_r(ctx.handle, writer.get(), GEOS_WKB_NDR);
    std::size_t size = 0;
    std::unique_ptr<unsigned char, BufferDeleter> buf(GEOSWKBWriter_write_r(ctx.handle, writer.get(), g, &size));
    if (!buf) throw GeometryError("cannot write geometry: " + ctx.last_error);
    return std::string(reinterpret_cast<const char*>(buf.get()), size);
}

}  // namespace

std::string invalid_reason(std::string_view wkb) {
    auto& ctx = context();
    GeometryPtr g = read(wkb);
    char valid = GEOSisValid_r(ctx.handle, g.get());
    if (valid == 1) return {};
    if (valid == 2) throw GeometryError("validity check failed: " + ctx.last_error);
    std::unique_ptr<char, BufferDeleter> reason(GEOSisValidReason_r(ctx.handle, g.get()));
    return reason ? std::string(reason.get()) : std::string("invalid geometry");
}

std::string make_valid(std::string_view wkb) {
    auto& ctx = context();
    GeometryPtr g = read(wkb);
    GeometryPtr fixed(GEOSMakeValid_r(ctx.handle, g.get()));
    if (!fixed) throw GeometryError("cannot repair geometry: " + ctx.last_error);
    return write(fixed.get());
}

std::string geometry_type(std::string_view wkb) {
    auto& ctx = context();
    GeometryPtr g = read(wkb);
    std::unique_ptr<char, BufferDeleter> type(GEOSGeomType_r(ctx.handle, g.get()));
    return type ? std::string(type.get()) : std::string();
}

bool intersects_box(std::string_view wkb, double min_lon, double min_lat, double max_lon, double max_lat) {
    auto& ctx = context();
    GeometryPtr g = read(wkb);
    GeometryPtr box(GEOSGeom_createRectangle_r(ctx.handle, min_lon, min_lat, max_lon, max_lat));
    if (!box) throw GeometryError("cannot make a box: " + ctx.last_error);
    const char hit = GEOSIntersects_r(ctx.handle, g.get(), box.get());
    if (hit == 2) throw GeometryError("intersection test failed: " + ctx.last_error);
    return hit == 1;
}

std::string union_of(const std::vector<std::string>& wkbs) {
    auto& ctx = context();
    if (wkbs.empty()) throw GeometryError("no geometry to unite");
    if (wkbs.size() == 1) return write(read(wkbs.front()).get());
    // The collection takes ownership of its members only once it exists: hold them until then.
    std::vector<GeometryPtr> owned;
    owned.reserve(wkbs.size());
    for (const auto& w : wkbs) owned.push_back(read(w));
    std::vector<GEOSGeometry*> raw;
    raw.reserve(owned.size());
    for (auto& g : owned) raw.push_back(g.get());
    GEOSGeometry* collection =
        GEOSGeom_createCollection_r(ctx.handle, GEOS_GEOMETRYCOLLECTION, raw.data(), unsigned(raw.size()));
    if (!collection) throw GeometryError("cannot collect geometries: " + ctx.last_error);
    for (auto& g : owned) (void)g.release();
    GeometryPtr all(collection);
    GeometryPtr united(GEOSUnaryUnion_r(ctx.handle, all.get()));
    if (!united) throw GeometryError("union failed: " + ctx.last_error);
    return write(united.get());
}

namespace {

struct SequenceDeleter {
    void operator()(GEOSCoordSequence* s) const { GEOSCoordSeq_destroy_r(context().handle, s); }
};

// A ring as a GEOS linear ring (closed if the data left it open).
GeometryPtr ring_geometry(const Ring& ring) {
    auto& ctx = context();
    const bool closed = !ring.empty() && ring.front().lon == ring.back().lon && ring.front().lat == ring.back().lat;
    const std::size_t n = ring.size() + (closed ? 0 : 1);
    if (ring.size() < 3) throw GeometryError("a ring needs at least three positions");
    std::unique_ptr<GEOSCoordSequence, SequenceDeleter> seq(GEOSCoordSeq_create_r(ctx.handle, unsigned(n), 2));
    if (!seq) throw GeometryError("cannot build a ring: " + ctx.last_error);
    for (std::size_t i = 0; i < n; ++i) {
        const LonLat& p = ring[i % ring.size()];
        GEOSCoordSeq_setXY_r(ctx.handle, seq.get(), unsigned(i), p.lon, p.lat);
    }
    GEOSGeometry* g = GEOSGeom_createLinearRing_r(ctx.handle, seq.get());
    if (!g) throw GeometryError("cannot build a ring: " + ctx.last_error);
    seq.release();  // owned by the ring now
    return GeometryPtr(g);
}

GeometryPtr polygon_geometry(const Polygon& polygon) {
    auto& ctx = context();
    if (polygon.rings.empty()) throw GeometryError("a polygon without rings");
    GeometryPtr shell = ring_geometry(polygon.rings[0]);
    std::vector<GeometryPtr> holes;
    for (std::size_t i = 1; i < polygon.rings.size(); ++i) holes.push_back(ring_geometry(polygon.rings[i]));
    std::vector<GEOSGeometry*> raw;
    for (auto& h : holes) raw.push_back(h.get());
    GEOSGeometry* g = GEOSGeom_createPolygon_r(ctx.handle, shell.get(), raw.data(), unsigned(raw.size()));
    if (!g) throw GeometryError("cannot build a polygon: " + ctx.last_error);
    shell.release();
    for (auto& h : holes) h.release();
    return GeometryPtr(g);
}

}  // namespace

LonLat representative_point(const Shape& shape) {
    if (shape.is_point || shape.polygons.empty()) return shape.point;
    auto& ctx = context();
    // The largest polygon: a venue's main building rather than its annex.
    double best_area = -1;
    GeometryPtr best_geometry;
    for (const Polygon& p : shape.polygons) {
        GeometryPtr g = polygon_geometry(p);
        double area = 0;
        if (!GEOSArea_r(ctx.handle, g.get(), &area)) throw GeometryError("cannot measure a polygon: " + ctx.last_error);
        if (area > best_area) best_area = area, best_geometry = std::move(g);
    }
    GeometryPtr point(GEOSPointOnSurface_r(ctx.handle, best_geometry.get()));
    if (!point) throw GeometryError("no point on the footprint: " + ctx.last_error);
    double x = 0, y = 0;
    if (!GEOSGeomGetX_r(ctx.handle, point.get(), &x) || !GEOSGeomGetY_r(ctx.handle, point.get(), &y))
        return shape.point;  // an empty result (a degenerate footprint): its vertex
    return {x, y};
}

}  // namespace keepout::geo
