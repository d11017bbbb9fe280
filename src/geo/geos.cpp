#include "geo/geos.hpp"

#include <geos_c.h>

#include <cstdarg>
#include <cstdio>
#include <memory>

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

}  // namespace keepout::geo
