#include "source/mission_file.hpp"

#include <unicode/locid.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "geo/geos.hpp"
#include "geo/shapes.hpp"
#include "source/features.hpp"
#include "model/time_zone.hpp"
#include "text/utf8.hpp"

namespace keepout::source {

namespace {

namespace fs = std::filesystem;

// Limits that keep a hostile or mistaken file from filling memory or the database.
constexpr std::uintmax_t kMaxMissionFileBytes = 1 << 20;
constexpr std::uintmax_t kMaxLayerFileBytes = 64u << 20;
constexpr std::size_t kMaxLayers = 16, kMaxFeaturesPerLayer = 100000, kMaxLanguages = 12;

struct Reader {
    std::string path;
    fs::path dir;

    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw IoError(path + ": " + field + ": " + why);
    }

    std::string text(const nlohmann::json& j, const char* field, bool required, std::size_t max_bytes) const {
        if (!j.contains(field) || j[field].is_null()) {
            if (required) fail(field, "required");
            return {};
        }
        if (!j[field].is_string()) fail(field, "must be a string");
        const auto& s = j[field].get_ref<const std::string&>();
        if (required && s.empty()) fail(field, "must not be empty");
        if (s.size() > max_bytes) fail(field, "longer than " + std::to_string(max_bytes) + " bytes");
        if (!text::is_valid_utf8(s)) fail(field, "is not valid UTF-8");
        return s;
    }

    // A path named by the file, relative to its folder unless absolute, that must exist.
    std::string file(const std::string& field, const std::string& name) const {
        if (name.empty()) fail(field, "names no file");
        fs::path p = fs::path(name).is_absolute() ? fs::path(name) : dir / name;
        std::error_code ec;
        if (!fs::exists(p, ec)) fail(field, "no such file: " + p.string());
        if (fs::is_regular_file(p, ec) && fs::file_size(p, ec) > kMaxLayerFileBytes)
            fail(field, p.string() + " is larger than " + std::to_string(kMaxLayerFileBytes >> 20) + " MiB");
        return p.string();
    }
};

std::string properties_json(const FeatureTable& t, const FeatureRecord& row) {
    nlohmann::json props = nlohmann::json::object();
    for (std::size_t i = 0; i < t.fields.size() && i < row.values.size(); ++i) {
        const auto& v = row.values[i];
        if (std::holds_alternative<std::int64_t>(v)) props[t.fields[i]] = std::get<std::int64_t>(v);
        else if (std::holds_alternative<double>(v)) props[t.fields[i]] = std::get<double>(v);
        else if (std::holds_alternative<std::string>(v)) props[t.fields[i]] = text::to_valid_utf8(std::get<std::string>(v));
        else props[t.fields[i]] = nullptr;
    }
    return props.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every feature of the area file, which must all be polygons, united into one area.
std::string read_area(const Reader& r, const std::string& file) {
    const FeatureTable t = read_features(file);
    std::vector<std::string> parts;
    for (const auto& row : t.rows) {
        if (row.wkb.empty()) continue;
        const std::string type = geo::geometry_type(row.wkb);
        if (type != "Polygon" && type != "MultiPolygon")
            r.fail("area", file + " holds a " + type + "; the mission area must be polygons");
        parts.push_back(row.wkb);
    }
    if (parts.empty()) r.fail("area", file + " holds no polygon");
    std::string area = geo::union_of(parts);
    if (const std::string why = geo::invalid_reason(area); !why.empty()) area = geo::make_valid(area);
    const std::string type = geo::geometry_type(area);
    if (type != "Polygon" && type != "MultiPolygon") r.fail("area", file + " does not make one area (" + type + ")");
    const geo::Box b = geo::shape_from_wkb(area).box;
    if (b.min_lon < -180 || b.max_lon > 180 || b.min_lat < -90 || b.max_lat > 90)
        r.fail("area", file + " is not in longitude/latitude range");
    return area;
}

}  // namespace

model::MissionProfile read_mission_file(const std::string& path) {
    Reader r{path, fs::path(path).parent_path()};
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw IoError(path + ": no such file");
    if (fs::file_size(path, ec) > kMaxMissionFileBytes) throw IoError(path + ": larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(buf.str());
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path + ": not JSON: " + e.what());
    }
    if (!j.is_object()) throw IoError(path + ": must be a JSON object");
    static const std::set<std::string> known{"name", "full_name", "time_zone", "languages", "head_of_mission",
                                             "area", "layers", "default_radius_m", "review_interval_days"};
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known.count(it.key())) r.fail(it.key(), "unknown field (known: name, full_name, head_of_mission, "
                                                     "time_zone, languages, default_radius_m, review_interval_days, area, layers)");

    model::MissionProfile m;
    m.name = r.text(j, "name", true, 40);
    m.full_name = r.text(j, "full_name", false, 200);
    m.head_of_mission = r.text(j, "head_of_mission", false, 200);
    if (m.head_of_mission.empty()) m.head_of_mission = "Head of Mission";
    m.time_zone = r.text(j, "time_zone", true, 64);
    if (!model::is_iana_time_zone(m.time_zone))
        r.fail("time_zone", "\"" + m.time_zone + "\" is not an IANA time zone (e.g. Europe/Belgrade, Asia/Beirut)");

    if (!j.contains("languages") || !j["languages"].is_array() || j["languages"].empty())
        r.fail("languages", "required: a list of BCP 47 language tags, e.g. [\"ar\", \"fr\", \"en\"]");
    if (j["languages"].size() > kMaxLanguages) r.fail("languages", "more than " + std::to_string(kMaxLanguages));
    for (const auto& tag : j["languages"]) {
        if (!tag.is_string() || tag.get_ref<const std::string&>().empty() || tag.get_ref<const std::string&>().size() > 35)
            r.fail("languages", "each must be a BCP 47 tag such as \"sr-Latn\"");
        const auto& s = tag.get_ref<const std::string&>();
        UErrorCode status = U_ZERO_ERROR;
        const icu::Locale locale = icu::Locale::forLanguageTag(s, status);
        if (U_FAILURE(status) || locale.isBogus() || std::string(locale.getLanguage()).empty())
            r.fail("languages", "\"" + s + "\" is not a BCP 47 language tag");
        m.languages.push_back(s);
    }

    if (j.contains("default_radius_m")) {
        const auto& v = j["default_radius_m"];
        if (!v.is_number() || !(v.get<double>() > 0) || v.get<double>() > 5000)
            r.fail("default_radius_m", "must be a number of metres in (0, 5000]");
        m.default_radius_m = v.get<double>();
    }

    if (j.contains("review_interval_days") && !j["review_interval_days"].is_null()) {
        const auto& v = j["review_interval_days"];
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > 3650)
            r.fail("review_interval_days", "must be a whole number of days from 1 to 3650 (e.g. 180)");
        m.review_interval_days = int(v.get<std::int64_t>());
    }

    m.area_wkb = read_area(r, r.file("area", r.text(j, "area", true, 4096)));

    if (j.contains("layers")) {
        if (!j["layers"].is_object()) r.fail("layers", "must be an object: layer name → file");
        if (j["layers"].size() > kMaxLayers) r.fail("layers", "more than " + std::to_string(kMaxLayers));
        static const std::regex name_rule("[a-z][a-z0-9_-]{0,39}");
        for (auto it = j["layers"].begin(); it != j["layers"].end(); ++it) {
            const std::string field = "layers." + it.key();
            if (!std::regex_match(it.key(), name_rule))
                r.fail(field, "layer names are lowercase letters, digits, - and _ (at most 40)");
            // Maps and the API name the mission area "area" beside the reference layers.
            if (it.key() == "area") r.fail(field, "\"area\" names the mission area; give the layer another name");
            if (!it->is_string()) r.fail(field, "must name a file");
            const FeatureTable t = read_features(r.file(field, it->get<std::string>()));
            if (t.rows.size() > kMaxFeaturesPerLayer)
                r.fail(field, "more than " + std::to_string(kMaxFeaturesPerLayer) + " features");
            model::ReferenceLayer layer{it.key(), {}};
            for (const auto& row : t.rows)
                if (!row.wkb.empty()) layer.features.push_back({row.wkb, properties_json(t, row)});
            m.layers.push_back(std::move(layer));
        }
    }
    return m;
}

}  // namespace keepout::source
