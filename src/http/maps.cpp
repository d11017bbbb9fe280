// Maps over HTTP: /map.pdf and /map.png from the print renderer, /tiles/{z}/{x}/{y}.png in Web
// Mercator, cached per list version so a busy map costs one render per tile and version.
#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <tuple>

#include "http/handlers.hpp"
#include "io/validate.hpp"
#include "render/render.hpp"

namespace keepout::http {

namespace {

struct StyleCache {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const render::Style>> styles;  // by file
};
StyleCache& style_cache() {
    static StyleCache cache;
    return cache;
}

// Styles are named, not given as paths: `style=kosovo-slide` reads styles/kosovo-slide.json next
// to the configured style (no file outside that folder can be asked for).
std::shared_ptr<const render::Style> style_for(Service& service, const Request& r) {
    std::filesystem::path configured = service.options().style_path;
    std::filesystem::path file = configured;
    if (auto name = r.param("style"); name && !name->empty()) {
        for (char c : *name)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                throw HttpError(400, "bad-parameter", "style must be a style name such as kosovo-slide");
        file = configured.parent_path() / (*name + ".json");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) throw HttpError(404, "not-found", "no style '" + *name + "'");
    }
    auto& cache = style_cache();
    std::lock_guard lock(cache.mutex);
    auto it = cache.styles.find(file.string());
    if (it != cache.styles.end()) return it->second;
    auto style = std::make_shared<const render::Style>(render::load_style(file.string()));
    cache.styles[file.string()] = style;
    return style;
}

struct TileCache {
    std::mutex mutex;
    std::int64_t version = -1;
    std::map<std::tuple<std::string, int, int, int>, std::string> tiles;  // (as_of, z, x, y) → PNG
    // Blocks being drawn, by (list version, as_of, z, block x, block y): a browser asks for a
    // dozen tiles of one block at once, and only the first request draws it.
    using Block = std::shared_ptr<const std::vector<render::Tile>>;
    std::map<std::tuple<std::int64_t, std::string, int, int, int>, std::shared_future<Block>> drawing;
    render::TileFeatures features;  // what the blocks draw, kept while the snapshot and style stay
};
TileCache& tile_cache() {
    static TileCache cache;
    return cache;
}

}  // namespace

Response handle_map(Service& service, const Request& r, const std::string& extension) {
    for (auto& [key, value] : r.query)
        if (key != "as_of" && key != "style" && key != "page" && key != "landscape" && key != "dpi" && key != "bbox")
            throw HttpError(400, "unknown-parameter", "unknown parameter '" + key + "'");
    const auto as_of = as_of_param(r);
    auto style = style_for(service, r);
    render::MapRequest req;
    req.format = extension == "pdf" ? render::Format::pdf : render::Format::png;
    if (auto page = r.param("page")) {
        if (*page == "A4" || *page == "a4") req.page = render::PageSize::A4;
        else if (*page == "A3" || *page == "a3") req.page = render::PageSize::A3;
        else throw HttpError(400, "bad-parameter", "page must be A4 or A3");
    }
    if (auto landscape = r.param("landscape")) {
        if (*landscape != "true" && *landscape != "false") throw HttpError(400, "bad-parameter", "landscape is true or false");
        req.landscape = *landscape == "true";
    }
    if (auto dpi = r.param("dpi")) {
        auto d = io::parse_number(*dpi);
        if (!d || *d < 30 || *d > 600) throw HttpError(400, "bad-parameter", "dpi must be from 30 to 600");
        req.dpi = *d;
    }
    std::shared_ptr<const render::Style> used = style;
    if (auto bbox = r.param("bbox")) {
        const geo::Box extent = bbox_param(*bbox);
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
    for (auto& [key, value] : r.query)
        if (key != "as_of") throw HttpError(400, "unknown-parameter", "unknown parameter '" + key + "'");
    const auto as_of = as_of_param(r);
    auto snap = service.snapshot(as_of);
    Response resp;
    resp.content_type = "image/png";
    if (not_modified(r, etag_for(*snap, as_of.has_value()), resp)) return resp;
    auto& cache = tile_cache();
    const auto key = std::make_tuple(snap->as_of().iso(), z, x, y);
    {
        std::lock_guard lock(cache.mutex);
        if (cache.version != snap->list_version()) {
            cache.tiles.clear();
            cache.version = snap->list_version();
        }
        if (auto it = cache.tiles.find(key); it != cache.tiles.end()) {
            resp.body = it->second;
            return resp;
        }
    }
    // The whole block of tiles around this one is drawn at once (labels continue across the
    // tiles' edges); its neighbours are kept for the requests that follow.
    const int side = render::metatile_side(z);
    const auto block_key = std::make_tuple(snap->list_version(), snap->as_of().iso(), z, x / side, y / side);
    std::shared_future<TileCache::Block> pending;
    std::promise<TileCache::Block> drawn;
    bool draw = false;
    {
        std::lock_guard lock(cache.mutex);
        if (auto it = cache.drawing.find(block_key); it != cache.drawing.end()) {
            pending = it->second;
        } else {
            pending = drawn.get_future().share();
            cache.drawing.emplace(block_key, pending);
            draw = true;
        }
    }
    if (draw) {
        try {
            auto style = style_for(service, Request{});
            auto block = std::make_shared<const std::vector<render::Tile>>(render::render_metatile(cache.features, *snap, *style, z, x, y));
            std::lock_guard lock(cache.mutex);
            if (cache.version == snap->list_version()) {
                if (cache.tiles.size() + block->size() > 4096) cache.tiles.clear();
                for (auto& t : *block) cache.tiles[std::make_tuple(snap->as_of().iso(), z, t.x, t.y)] = t.png;
            }
            cache.drawing.erase(block_key);
            drawn.set_value(std::move(block));
        } catch (...) {
            {
                std::lock_guard lock(cache.mutex);
                cache.drawing.erase(block_key);
            }
            drawn.set_exception(std::current_exception());
        }
    }
    for (auto& t : *pending.get())
        if (t.x == x && t.y == y) resp.body = t.png;
    return resp;
}

}  // namespace keepout::http
