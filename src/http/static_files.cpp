// The web page's files, served from the web root (the repository's web/ folder by default).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/handlers.hpp"

namespace keepout::http {

namespace {
std::string content_type_of(const std::filesystem::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".geojson") return "application/geo+json";
    if (ext == ".webmanifest") return "application/manifest+json";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".png") return "image/png";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    return "application/octet-stream";
}
}  // namespace

Response handle_static(Service& service, const Request& r) {
    const std::string& root = service.options().web_root;
    if (root.empty()) throw HttpError(404, "not-found", "no web page is configured (keepout serve --web-root DIR)");
    std::string rel = r.path == "/" ? "index.html" : r.path.substr(1);
    // The page's libraries come from npm (`npm ci --prefix web`), never from a CDN:
    // /vendor/NAME/… is the dist/ folder of package NAME (Leaflet for the map, mgrs for grid
    // references read offline).
    for (const std::string package : {"leaflet", "mgrs"}) {
        const std::string prefix = "vendor/" + package + "/";
        if (rel.rfind(prefix, 0) == 0) rel = "node_modules/" + package + "/dist/" + rel.substr(prefix.size());
    }
    // Only plain relative paths inside the web root: no "..", no absolute paths, no hidden files,
    // no control characters (a NUL would end the name the kernel sees: "app.js%00.html" would
    // be app.js served as HTML).
    for (unsigned char c : rel)
        if (c < 0x20 || c == 0x7f || c == '\\') throw HttpError(404, "not-found", "no such file");
    const std::filesystem::path p(rel);
    for (auto& part : p)
        if (part == ".." || part.string().empty() || part.string()[0] == '.')
            throw HttpError(404, "not-found", "no such file: " + r.path);
    const std::filesystem::path full = std::filesystem::path(root) / p;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(full, ec)) throw HttpError(404, "not-found", "no such file: " + r.path);
    std::ifstream in(full, std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    Response resp;
    resp.content_type = content_type_of(full);
    resp.body = body.str();
    // The page's own files revalidate (they change with keepout); the pinned library may be kept.
    resp.headers.emplace_back("Cache-Control", rel.rfind("node_modules/", 0) == 0 ? "max-age=86400" : "no-cache");
    // nosniff, the Content-Security-Policy and the rest are set by the server on every answer.
    return resp;
}

}  // namespace keepout::http
