#include "geo/projection.hpp"

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/geodesic.hpp"

namespace keepout::geo {

namespace {
struct ContextDeleter {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};
using Context = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using Pj = std::unique_ptr<PJ, PjDeleter>;

std::string proj_error(PJ_CONTEXT* ctx) {
    const int code = proj_context_errno(ctx);
    const char* msg = code ? proj_context_errno_string(ctx, code) : nullptr;
    return msg ? msg : "unknown PROJ error";
}
}  // namespace

struct Projection::Impl {
    Context ctx;
    Pj pj;
};

Projection::Projection(const std::string& crs) : impl_(std::make_unique<Impl>()), crs_(crs) {
    impl_->ctx.reset(proj_context_create());
    proj_log_level(impl_->ctx.get(), PJ_LOG_NONE);
    Pj target(proj_create(impl_->ctx.get(), crs.c_str()));
    if (!target) throw ProjectionError("unknown CRS '" + crs + "': " + proj_error(impl_->ctx.get()));
    const PJ_TYPE type = proj_get_type(target.get());
    if (type != PJ_TYPE_PROJECTED_CRS)
        throw ProjectionError("CRS '" + crs + "' is not a projected CRS (a map needs x/y in metres)");
    Pj cs(proj_crs_get_coordinate_system(impl_->ctx.get(), target.get()));
    const char* unit = nullptr;
    if (cs && proj_cs_get_axis_info(impl_->ctx.get(), cs.get(), 0, nullptr, nullptr, nullptr, nullptr, &unit, nullptr,
                                    nullptr) &&
        unit && std::string(unit) != "metre")
        throw ProjectionError("CRS '" + crs + "' is in " + unit + ", not metres");
    Pj raw(proj_create_crs_to_crs(impl_->ctx.get(), "EPSG:4326", crs.c_str(), nullptr));
    if (!raw) throw ProjectionError("no transformation from EPSG:4326 to '" + crs + "': " + proj_error(impl_->ctx.get()));
    impl_->pj.reset(proj_normalize_for_visualization(impl_->ctx.get(), raw.get()));
    if (!impl_->pj) throw ProjectionError("cannot normalise the axis order of '" + crs + "'");
}

Projection::~Projection() = default;

XY Projection::forward(LonLat p) const {
    PJ_COORD c = proj_coord(p.lon, p.lat, 0, 0);
    c = proj_trans(impl_->pj.get(), PJ_FWD, c);
    return {c.xy.x, c.xy.y};
}

LonLat Projection::inverse(XY p) const {
    PJ_COORD c = proj_coord(p.x, p.y, 0, 0);
    c = proj_trans(impl_->pj.get(), PJ_INV, c);
    return {c.lp.lam, c.lp.phi};
}

void Projection::forward(std::vector<XY>& pts) const {
    if (pts.empty()) return;
    proj_trans_generic(impl_->pj.get(), PJ_FWD, &pts[0].x, sizeof(XY), pts.size(), &pts[0].y, sizeof(XY), pts.size(),
                       nullptr, 0, 0, nullptr, 0, 0);
}

void Projection::inverse(std::vector<XY>& pts) const {
    if (pts.empty()) return;
    proj_trans_generic(impl_->pj.get(), PJ_INV, &pts[0].x, sizeof(XY), pts.size(), &pts[0].y, sizeof(XY), pts.size(),
                       nullptr, 0, 0, nullptr, 0, 0);
}

double Projection::scale_factor(LonLat p) const {
    // Measured rather than asked of proj_factors so it holds for any CRS: 1 km true, east and north.
    const double d = 1000.0;
    const XY o = forward(p), e = forward(direct(p, 90, d)), n = forward(direct(p, 0, d));
    const double ke = std::hypot(e.x - o.x, e.y - o.y) / d, kn = std::hypot(n.x - o.x, n.y - o.y) / d;
    return (ke + kn) / 2;
}

double Projection::north_angle(LonLat p) const {
    const XY o = forward(p), n = forward(direct(p, 0, 1000.0));
    return std::atan2(n.x - o.x, n.y - o.y) * 180.0 / M_PI;
}

const Projection& thread_projection(const std::string& crs) {
    thread_local std::map<std::string, std::unique_ptr<Projection>> cache;
    auto& p = cache[crs];
    if (!p) p = std::make_unique<Projection>(crs);
    return *p;
}

}  // namespace keepout::geo
