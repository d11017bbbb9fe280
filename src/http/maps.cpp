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
#include "store/mission.hpp"

namespace keepout::http {

std::string mission_revision(Service& service) {
    return service.read([](store::Store& s) { return store::mission_revision(s); });
}

MissionReader mission_reader(Service& service) {
    return [&service] { return service.read([](store::Store& s) { return store::mission(s); }); };
}

namespace {

// Styles are named, not given as paths: `style=kosovo-slide` reads kosovo-slide.json from the
// folder of named styles (no file outside that folder can be asked for). Without a name, the
// configured style, else the mission's own map from its profile.
std::shared_ptr<const render::Style> style_for(Service& service, const std::optional<std::string>& name) {
    std::string file = service.options().style_path;
    if (name) {
        for (char c : *name)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                throw HttpError(400, "bad-parameter", "style must be the name of a style file: letters, digits, - and _");
        const std::string& dir = service.options().styles_dir;
        const std::filesystem::path named = std::filesystem::path(dir) / (*name + ".json");
        std::error_code ec;
        if (dir.empty() || name->empty() || !std::filesystem::is_regular_file(named, ec))
            throw HttpError(404, "not-found", "no style '" + *name + "'");
        file = named.string();
    }
    return service.caches().styles.get(file, mission_revision(service), mission_reader(service));
}

// A map's ETag: the list's, and the style it is drawn in (a new mission profile, a new style).
std::string style_etag(std::string etag, const render::Style& style) {
    etag.insert(etag.size() - 1, "~" + std::to_string(style.id));
    return etag;
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
    if (not_modified(r, style_etag(etag_for(*snap, as_of.has_value()), *style), resp)) return resp;
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
    // The style first (cheap once read): a new mission profile gives a new style, whose tiles are
    // kept apart from the old style's.
    auto style = style_for(service, std::nullopt);
    Response resp;
    resp.content_type = "image/png";
    if (not_modified(r, style_etag(etag_for(*snap, as_of.has_value()), *style), resp)) return resp;
    // The whole block of tiles around this one is drawn at once (labels continue across the
    // tiles' edges); its neighbours are kept for the requests that follow.
    resp.body = service.caches().tiles.tile({snap->list_version(), snap->as_of().iso() + "#" + std::to_string(style->id), z, x, y},
                                            render::metatile_side(z), [&] {
        return render::render_metatile(service.caches().tile_features, *snap, *style, z, x, y);
    });
    return resp;
}

}  // namespace keepout::http
