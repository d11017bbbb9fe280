// GET /api/v1/patrol: a patrol route from a site through the listed venues of a sector or radius,
// as GeoJSON (default), GPX, KML, CSV or the PDF patrol card (f=).
#include <memory>

#include "analysis/errors.hpp"
#include "analysis/patrol.hpp"
#include "geo/coordinates.hpp"
#include "http/caches.hpp"
#include "http/handlers.hpp"
#include "encode/patrol_json.hpp"
#include "encode/route_files.hpp"
#include "http/params.hpp"
#include "model/date.hpp"
#include "render/patrol_card.hpp"

namespace keepout::http {

namespace {

// "Camp Bondsteel" → "patrol-camp-bondsteel"
std::string file_stem(const analysis::PatrolPlan& plan) {
    std::string out = "patrol";
    bool dash = true;
    for (unsigned char c : plan.from_name) {
        if (std::isalnum(c)) {
            if (dash) out += '-';
            out += char(std::tolower(c));
            dash = false;
        } else {
            dash = true;
        }
    }
    return out;
}

// One patrol request plans a tour through at most this many venues: the planner keeps a distance
// matrix of n² entries and improves the tour in O(n²) passes (README, "Limits"). max_stops has the
// same bound (http/params.cpp).
constexpr std::size_t kMaxPatrolVenues = 1000;

std::string ascii_lower(std::string s) {
    for (auto& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

// An upper bound on the venues the plan would visit, from boxes and the spatial index (no
// distance measured): where the patrol starts as plan_patrol finds it, the sector's box, the
// radius around the start. Unknown names give 0 (plan_patrol explains them).
std::size_t venues_bound(const analysis::Snapshot& snap, const analysis::PatrolRequest& req) {
    std::optional<geo::Box> from;
    for (const auto& s : snap.sites())
        if (s.site.name == req.from) from = s.shape.box;
    if (!from)
        for (const auto& s : snap.sites())
            if (ascii_lower(s.site.name) == ascii_lower(req.from)) from = s.shape.box;
    if (!from) {
        try {
            const geo::LonLat p = geo::parse_coordinate(req.from);
            from = geo::Box{p.lon, p.lat, p.lon, p.lat};
        } catch (const geo::CoordinateError&) {
            return 0;
        }
    }
    std::optional<geo::Box> sector;
    if (!req.sector.empty()) sector = analysis::find_sector(snap, req.sector).shape.box;
    std::size_t n = 0;
    if (req.radius_m)
        snap.listed_near(*from, *req.radius_m, [&](std::uint32_t i) {
            if (!sector || sector->intersects(snap.venues()[i].shape.box)) ++n;
        });
    else if (sector)
        snap.listed_near(*sector, 0, [&](std::uint32_t) { ++n; });
    return n;
}

}  // namespace

Response handle_patrol(Service& service, const Request& r) {
    const Params params = validate(r, schemas::patrol, service.time_zone());
    analysis::PatrolRequest req;
    req.from = *params.text("from");
    req.sector = params.text("sector").value_or("");
    req.radius_m = params.number("radius");
    if (req.sector.empty() && !req.radius_m) throw HttpError(400, "bad-parameter", "give sector or radius (or both)");
    if (auto ms = params.integer("max_stops")) req.max_stops = std::size_t(*ms);
    req.max_km = params.number("max_km").value_or(0);
    const std::string f = *params.text("f");

    auto snap = service.snapshot(params.date("as_of"));
    analysis::PatrolPlan plan;
    try {
        if (const std::size_t bound = venues_bound(*snap, req); bound > kMaxPatrolVenues)
            throw HttpError(400, "too-much-work",
                            "up to " + std::to_string(bound) + " listed venues for one patrol; the limit over HTTP is " +
                                std::to_string(kMaxPatrolVenues) + ": choose a smaller radius or a sector (or use keepout patrol)");
        plan = analysis::plan_patrol(*snap, req);
    } catch (const analysis::UnknownReference& e) {
        throw HttpError(404, "not-found", e.what());
    } catch (const std::invalid_argument& e) {
        throw HttpError(400, "bad-parameter", e.what());
    }

    Response resp;
    const std::string stem = file_stem(plan);
    auto attach = [&](const char* type, const std::string& ext) {
        resp.content_type = type;
        resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stem + ext + "\"");
    };
    if (f == "geojson" || f == "json") {
        resp.content_type = "application/geo+json";
        resp.body = encode::patrol_geojson(plan);
    } else if (f == "gpx") {
        attach("application/gpx+xml", ".gpx");
        resp.body = encode::route_gpx(encode::patrol_document(plan, model::utc_now_iso()));
    } else if (f == "kml") {
        attach("application/vnd.google-earth.kml+xml", ".kml");
        resp.body = encode::route_kml(encode::patrol_document(plan));
    } else if (f == "csv") {
        attach("text/csv; charset=utf-8", ".csv");
        resp.body = encode::route_csv(encode::patrol_document(plan));
    } else {
        // The configured style's boundaries and towns, else the mission's area and layers.
        auto style = service.caches().backdrops.get(render::find_style_file(service.options().style_path),
                                                    mission_revision(service), mission_reader(service));
        render::PatrolCardOptions opt;
        opt.backdrop = style.get();
        attach("application/pdf", ".pdf");
        resp.body = render::render_patrol_card(plan, opt);
    }
    resp.headers.emplace_back("Cache-Control", "no-cache");
    return resp;
}

}  // namespace keepout::http
