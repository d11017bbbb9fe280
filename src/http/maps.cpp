// Maps over HTTP: /map.pdf and /map.png from the print renderer, /tiles/{z}/{x}/{y}.png in Web
// Mercator, cached per list version (http/caches.hpp) so a busy map costs one render per block of
// tiles and version.
#include <algorithm>
#include <filesystem>
#include <optional>

#include "http/caches.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "render/render.hpp"

namespace keepout::http {

namespace {

// Styles are named, not given as paths: `style=kosovo-slide` reads styles/kosovo-slide.json next
// to the configured style (no file outside that folder can be asked for).
std::shared_ptr<const render::Style> style_for(Service& service, const std::optional<std::string>& name) {
    std::filesystem::path configured = service.options().style_path;
    std::filesystem::path file = configured;
    if (name) {
        for (char c : *name)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                throw HttpError(400, "bad-parameter", "style must be a style name such as kosovo-slide");
        file = configured.parent_path() / (*name + ".json");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) throw HttpError(404, "not-found", "no style '" + *name + "'");
    }
    return service.caches().styles.get(file.string());
}

}  // namespace

Response handle_map(Service& service, const Request& r, const std::string& extension) {
    const Params params = validate(r, schemas::map, service.time_zone());
    const auto as_of = params.date("as_of");
    auto style = style_for(service, params.text("style"));
    render::MapRequest req;
    req.format = extension == "pdf" ? render::Format::pdf : render::Format::png;
    if (auto page = params.text("page")) req.page = *page == "A3" || *page == "a3" ? render::PageSize::A3 : render::PageSize::A4;
    if (auto landscape = params.text("landscape")) req.landscape = *landscape == "true";
    if (auto dpi = params.number("dpi")) req.dpi = *dpi;
    std::shared_ptr<const render::Style> used = style;
    if (auto bbox = params.box("bbox")) {
        const geo::Box extent = *bbox;
        // A map needs an area, not a line or a point.
        if (extent.min_lon == extent.max_lon || extent.min_lat == extent.max_lat)
            throw HttpError(400, "bad-bbox", "bbox is out of order: min must be below max");
        auto copy = std::make_shared<render::Style>(*style);
        copy->extent = extent;
        copy->extent_margin = 0;
        used = copy;
    }
    // Refused before any work when the area or the picture is beyond the renderer's caps.
    try {
        render::check_limits(*used, req);
    } catch (const render::LimitError& e) {
        throw HttpError(400, "too-large", e.what());
    }
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = render::mime_type(req.format);
    if (not_modified(r, etag_for(*snap, as_of.has_value()), resp)) return resp;
    try {
        resp.body = render::render_map(*snap, *used, req);
    } catch (const render::LimitError& e) {
        throw HttpError(400, "too-large", e.what());
    }
    resp.headers.emplace_back("Content-Disposition", "inline; filename=\"offlimits-" + snap->as_of().iso() + "." + extension + "\"");
    return resp;
}

Response handle_tile(Service& service, const Request& r, const std::string& zxy) {
    // Exactly "Z/X/Y.png" with plain digits: sscanf would take "47.png.png" or "+1" too.
    auto whole_number = [](std::string_view t, int& out) {
        if (t.empty() || t.size() > 7) return false;
        out = 0;
        for (char c : t) {
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        return true;
    };
    int z = 0, x = 0, y = 0;
    const std::string_view path(zxy);
    const auto s1 = path.find('/'), s2 = s1 == std::string_view::npos ? s1 : path.find('/', s1 + 1);
    const bool shaped = s2 != std::string_view::npos && path.size() > s2 + 5 &&
                        path.substr(path.size() - 4) == ".png" && whole_number(path.substr(0, s1), z) &&
                        whole_number(path.substr(s1 + 1, s2 - s1 - 1), x) &&
                        whole_number(path.substr(s2 + 1, path.size() - 4 - s2 - 1), y);
    if (!shaped) throw HttpError(404, "not-found", "tiles are /tiles/{z}/{x}/{y}.png");
    if (z < 0 || z > 20 || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
        throw HttpError(404, "not-found", "no such tile");
    const auto as_of = validate(r, schemas::tile, service.time_zone()).date("as_of");
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = "image/png";
    if (not_modified(r, etag_for(*snap, as_of.has_value()), resp)) return resp;
    // The whole block of tiles around this one is drawn at once (labels continue across the
    // tiles' edges); its neighbours are kept for the requests that follow.
    resp.body = service.caches().tiles.tile({snap->list_version(), snap->as_of().iso(), z, x, y}, render::metatile_side(z), [&] {
        auto style = style_for(service, std::nullopt);
        return render::render_metatile(service.caches().tile_features, *snap, *style, z, x, y);
    });
    return resp;
}

}  // namespace keepout::http
