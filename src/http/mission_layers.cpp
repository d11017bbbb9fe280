// The mission's area and reference layers for the web page's map: GET /api/v1/mission/layers
// lists them, GET /api/v1/mission/layers/{name} gives one as GeoJSON, simplified for the screen.
// Both are built once per revision of the mission profile, which is their ETag.
#include <nlohmann/json.hpp>

#include "encode/mission_layers.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "render/style.hpp"
#include "store/mission.hpp"

namespace keepout::http {

namespace {

using nlohmann::json;

// About 20 m: finer than a screen shows at the zooms the page draws layers at.
constexpr double kWebTolerance = 0.0002;

// A layer name as mission import allows it (lowercase letters, digits, - and _): anything else
// names no layer.
bool layer_name(const std::string& name) {
    if (name.empty() || name.size() > 40 || !(name[0] >= 'a' && name[0] <= 'z')) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

std::optional<model::MissionProfile> profile(Service& service) {
    return service.read([](store::Store& s) { return store::mission(s); });
}

Response cached(const Request& r, const std::string& revision, const std::string& body,
                const char* type) {
    Response resp;
    resp.content_type = type;
    if (not_modified(r, "\"mission-" + revision + "\"", resp)) return resp;
    resp.body = body;
    return resp;
}

}  // namespace

Response handle_mission_layers(Service& service, const Request& r) {
    validate(r, schemas::mission_layers);
    const std::string revision = mission_revision(service);
    const std::string body = service.caches().mission_documents.get(revision, "", [&] {
        json layers = json::array();
        if (const auto m = profile(service)) {
            auto entry = [](const std::string& name, const std::vector<model::ReferenceFeature>& features) {
                return json{{"name", name},
                            {"features", features.size()},
                            {"geometry", encode::mission_layer_geometry(features)},
                            {"href", "/api/v1/mission/layers/" + name}};
            };
            layers.push_back(entry(render::kMissionArea, {{m->area_wkb, "{}"}}));
            for (const auto& l : m->layers) layers.push_back(entry(l.name, l.features));
        }
        return json{{"layers", layers}}.dump();
    });
    return cached(r, revision, body, "application/json");
}

Response handle_mission_layer(Service& service, const Request& r, const std::string& name) {
    validate(r, schemas::mission_layer);
    if (!layer_name(name)) throw HttpError(404, "not-found", "no mission layer of that name");
    const std::string revision = mission_revision(service);
    if (revision.empty()) throw HttpError(404, "not-found", "no mission profile yet (keepout mission import)");
    const std::string body = service.caches().mission_documents.get(revision, "layer:" + name, [&]() -> std::string {
        const auto m = profile(service);
        if (!m) return {};
        if (name == render::kMissionArea) {
            json props{{"name", m->name}};
            if (!m->full_name.empty()) props["full_name"] = m->full_name;
            return encode::mission_layer_geojson(name, {{m->area_wkb, props.dump()}}, kWebTolerance);
        }
        for (const auto& l : m->layers)
            if (l.name == name) return encode::mission_layer_geojson(name, l.features, kWebTolerance);
        return {};  // kept as "none" for this revision
    });
    if (body.empty()) throw HttpError(404, "not-found", "the mission has no layer '" + name + "'");
    return cached(r, revision, body, "application/geo+json");
}

}  // namespace keepout::http
