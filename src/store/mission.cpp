#include "store/mission.hpp"

#include <nlohmann/json.hpp>

#include "store/audit.hpp"

namespace keepout::store {

namespace {

// What the audit log keeps of a profile: the settings, a digest of the area and the layer sizes
// (the geometries themselves would make one row of megabytes).
std::string audit_json(const model::MissionProfile& m) {
    nlohmann::json layers = nlohmann::json::object();
    for (const auto& l : m.layers) layers[l.name] = l.features.size();
    return nlohmann::json{{"name", m.name},
                          {"full_name", m.full_name},
                          {"head_of_mission", m.head_of_mission},
                          {"time_zone", m.time_zone},
                          {"languages", m.languages},
                          {"default_radius_m", m.default_radius_m},
                          {"review_interval_days", m.review_interval_days ? nlohmann::json(m.review_interval_days)
                                                                          : nlohmann::json(nullptr)},
                          {"area_sha256", sha256_hex(m.area_wkb)},
                          {"layers", layers}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::optional<model::MissionProfile> mission_settings(Store& s) {
    auto st = s.db().prepare(
        "SELECT name, full_name, head_of_mission, time_zone, languages, default_radius_m, area, "
        "coalesce(review_interval_days, 0) FROM mission WHERE id = 1");
    if (!st.step()) return std::nullopt;
    model::MissionProfile m;
    m.name = st.text(0);
    m.full_name = st.text(1);
    m.head_of_mission = st.text(2);
    m.time_zone = st.text(3);
    for (const auto& tag : nlohmann::json::parse(st.text(4))) m.languages.push_back(tag.get<std::string>());
    m.default_radius_m = st.real(5);
    m.area_wkb = st.blob(6);
    m.review_interval_days = int(st.integer(7));
    return m;
}

std::string mission_revision(Store& s) {
    auto st = s.db().prepare("SELECT updated_at FROM mission WHERE id = 1");
    return st.step() ? st.text(0) : std::string();
}

std::optional<model::MissionProfile> mission(Store& s) {
    auto m = mission_settings(s);
    if (!m) return m;
    auto st = s.db().prepare("SELECT layer, properties, geom FROM mission_layers ORDER BY layer, seq");
    while (st.step()) {
        const std::string layer = st.text(0);
        if (m->layers.empty() || m->layers.back().name != layer) m->layers.push_back({layer, {}});
        m->layers.back().features.push_back({st.blob(2), st.text(1)});
    }
    return m;
}

void set_mission(Store& s, const model::MissionProfile& m) {
    Transaction tx(s.db());
    const auto before = mission(s);
    s.db().exec("DELETE FROM mission_layers; DELETE FROM mission;");
    auto put = s.db().prepare(
        "INSERT INTO mission (id, name, full_name, head_of_mission, time_zone, languages, default_radius_m, area, "
        "updated_at, review_interval_days) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    put.bind(1, m.name)
        .bind(2, m.full_name)
        .bind(3, m.head_of_mission)
        .bind(4, m.time_zone)
        .bind(5, nlohmann::json(m.languages).dump())
        .bind(6, m.default_radius_m)
        .bind_blob(7, m.area_wkb)
        .bind(8, utc_timestamp());
    if (m.review_interval_days > 0)
        put.bind(9, std::int64_t{m.review_interval_days});
    else
        put.bind(9, std::nullopt);
    put.run();
    auto feature = s.db().prepare("INSERT INTO mission_layers (layer, seq, properties, geom) VALUES (?, ?, ?, ?)");
    for (const auto& layer : m.layers) {
        std::int64_t seq = 0;
        for (const auto& f : layer.features) {
            feature.bind(1, layer.name).bind(2, ++seq).bind(3, f.properties_json).bind_blob(4, f.wkb);
            feature.run();
        }
    }
    s.record(before ? "mission.update" : "mission.import", "mission", m.name,
             before ? std::optional<std::string>(audit_json(*before)) : std::nullopt, audit_json(m));
    tx.commit();
}

}  // namespace keepout::store
