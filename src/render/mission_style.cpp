// The map of a mission with no style file of its own, built from its profile, and the features of
// the profile's area and reference layers as a style's mission sources.
#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "render/features.hpp"
#include "render/style.hpp"

namespace keepout::render {

namespace {

using json = nlohmann::json;

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The text of a property whose key is `key` in any case; empty when there is none.
std::string property(const json& props, const std::string& key) {
    for (auto it = props.begin(); it != props.end(); ++it)
        if (lower(it.key()) == key && it->is_string()) {
            std::string v = trimmed(it->get<std::string>());
            if (!v.empty()) return v;
        }
    return {};
}

std::vector<std::string> names_of(const json& props, const std::vector<std::string>& languages) {
    std::vector<std::string> out;
    auto add = [&](const std::string& v) {
        if (!v.empty() && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    };
    if (!props.is_object()) return out;
    for (const auto& tag : languages) {
        const std::string t = lower(tag), primary = t.substr(0, t.find('-'));
        std::string under = t;
        std::replace(under.begin(), under.end(), '-', '_');
        for (const std::string& key : {"name_" + under, "name:" + t, "name_" + primary, "name:" + primary}) {
            const std::string v = property(props, key);
            if (!v.empty()) {
                add(v);
                break;
            }
        }
    }
    if (!out.empty()) return out;
    // No name in any of the mission's languages: the feature's name as the file gives it.
    add(property(props, "name"));
    if (!out.empty()) return out;
    for (auto it = props.begin(); it != props.end(); ++it) {
        const std::string k = lower(it.key());
        if (k.size() > 4 && k.compare(k.size() - 4, 4, "name") == 0 && it->is_string()) {
            add(trimmed(it->get<std::string>()));
            if (!out.empty()) break;
        }
    }
    return out;
}

Value value_of(const json& v) {
    if (v.is_null()) return std::monostate{};
    if (v.is_number()) return v.get<double>();
    if (v.is_boolean()) return std::string(v.get<bool>() ? "yes" : "no");
    if (v.is_string()) return v.get<std::string>();
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The label fields of a feature named `names`, appended to its values.
void add_labels(std::vector<Value>& values, const std::vector<std::string>& names) {
    std::string rest;
    for (std::size_t i = 1; i < names.size(); ++i) rest += (i > 1 ? " / " : "") + names[i];
    if (names.empty()) {
        values.insert(values.end(), 3, std::monostate{});
        return;
    }
    values.emplace_back(rest.empty() ? names[0] : names[0] + "\n" + rest);
    values.emplace_back(names[0]);
    values.emplace_back(rest.empty() ? Value() : Value(rest));
}

const std::vector<std::string> kLabelFields{kLabelField, kLabelFirstField, kLabelRestField};

}  // namespace

std::vector<std::string> place_names(const std::string& properties_json, const std::vector<std::string>& languages) {
    return names_of(json::parse(properties_json, nullptr, false), languages);
}

std::shared_ptr<const FeatureData> mission_features(const model::MissionProfile& m, const std::string& name) {
    auto out = std::make_shared<FeatureData>();
    out->source = "mission:" + name;
    if (name == kMissionArea) {
        out->fields = {"name", "full_name"};
        out->fields.insert(out->fields.end(), kLabelFields.begin(), kLabelFields.end());
        if (!m.area_wkb.empty()) {
            Feature f;
            f.geom = geom_from_wkb(m.area_wkb);
            f.values = {m.name, m.full_name.empty() ? Value() : Value(m.full_name)};
            add_labels(f.values, {m.name});
            out->features.push_back(std::move(f));
        }
        out->compute_bounds();
        return out;
    }
    const auto layer = std::find_if(m.layers.begin(), m.layers.end(), [&](const auto& l) { return l.name == name; });
    if (layer == m.layers.end()) return nullptr;
    // The fields are every property any feature has, in the order first seen, then the labels
    // (which take the place of properties of the same names).
    std::vector<json> props;
    props.reserve(layer->features.size());
    std::set<std::string> seen(kLabelFields.begin(), kLabelFields.end());
    for (const auto& rf : layer->features) {
        props.push_back(json::parse(rf.properties_json, nullptr, false));
        if (!props.back().is_object()) props.back() = json::object();
        for (auto it = props.back().begin(); it != props.back().end(); ++it)
            if (seen.insert(it.key()).second) out->fields.push_back(it.key());
    }
    const std::size_t own = out->fields.size();
    out->fields.insert(out->fields.end(), kLabelFields.begin(), kLabelFields.end());
    out->features.reserve(layer->features.size());
    for (std::size_t i = 0; i < layer->features.size(); ++i) {
        Feature f;
        try {
            f.geom = geom_from_wkb(layer->features[i].wkb);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("mission layer " + name + ": feature " + std::to_string(i + 1) + ": " + e.what());
        }
        f.values.reserve(out->fields.size());
        for (std::size_t k = 0; k < own; ++k) {
            auto it = props[i].find(out->fields[k]);
            f.values.push_back(it == props[i].end() ? Value() : value_of(*it));
        }
        add_labels(f.values, names_of(props[i], m.languages));
        out->features.push_back(std::move(f));
    }
    out->compute_bounds();
    return out;
}

namespace {

// A listed venue's name beside it at street level (scales [min, max)), with its address below
// when `address` and the venue has one; only where the map carries no table numbers.
json street_name(double min_scale, double max_scale, bool address, bool has_address = false) {
    json filter{{"number", {{"exists", false}}}};
    if (address) filter["address"] = {{"exists", has_address}};
    address = address && has_address;
    json text{{"type", "text"}, {"text", address ? "<b>{name}</b>\n{address}" : "<b>{name}</b>"}, {"markup", true},
              {"size", 7}, {"color", "#8b0000"}, {"halo", "#ffffffe6"}, {"halo_width", 1.2}, {"priority", 90},
              {"offset", 1.2}, {"align", "center"}};
    json rule{{"filter", filter}, {"max_scale", max_scale}, {"symbolizers", {text}}};
    if (min_scale > 0) rule["min_scale"] = min_scale;
    return rule;
}

// The symbolizers of the listed venues, the sites and their rings: the proximity map's.
json venue_layer() {
    auto marker = [](const char* shape, double size, const char* fill, const char* stroke, double sw) {
        return json{{"type", "marker"}, {"shape", shape}, {"size", size}, {"fill", fill}, {"stroke", stroke}, {"stroke_width", sw}};
    };
    json rules = json::array({
        {{"title", "Listed: bar"}, {"filter", {{"category", "bar"}}}, {"symbolizers", {marker("circle", 5, "#d7191c", "#ffffff", 0.5)}}},
        {{"title", "Listed: night club"}, {"filter", {{"category", "nightclub"}}}, {"symbolizers", {marker("star", 6, "#d7191c", "#ffffff", 0.4)}}},
        {{"title", "Listed: brothel"}, {"filter", {{"category", "brothel"}}}, {"symbolizers", {marker("diamond", 5.5, "#8b0000", "#ffffff", 0.5)}}},
        {{"title", "Listed: hotel or motel"}, {"filter", {{"category", {"hotel", "motel"}}}}, {"symbolizers", {marker("square", 4.8, "#d7191c", "#ffffff", 0.5)}}},
        {{"title", "Listed: massage parlour"}, {"filter", {{"category", "massage"}}}, {"symbolizers", {marker("triangle", 5, "#d7191c", "#ffffff", 0.5)}}},
        {{"title", "Listed: caf\xc3\xa9 or restaurant"}, {"filter", {{"category", {"cafe", "restaurant"}}}}, {"symbolizers", {marker("circle", 4, "#f46d43", "#b2182b", 0.6)}}},
        {{"title", "Listed: other"}, {"else", true}, {"symbolizers", {marker("cross", 5, "#d7191c", "#ffffff", 0.4)}}},
        {{"title", "Footprint of a listed venue"}, {"max_scale", 100000}, {"symbolizers", {
            {{"type", "polygon"}, {"fill", "#d7191c"}, {"opacity", 0.35}},
            {{"type", "line"}, {"color", "#a50f15"}, {"width", 0.5}}}}},
        {{"symbolizers", {{{"type", "text"}, {"text", "{number}"}, {"size", 5.2}, {"weight", "bold"}, {"color", "#a50f15"},
                           {"halo", "#ffffff"}, {"halo_width", 0.9}, {"priority", 95}, {"leader", true}, {"offset", 0.8},
                           {"clearance", 1.5}}}}},
        // Where no table numbers the venues (the tiles), streets and blocks have their names to
        // read instead, and closer in their addresses.
        street_name(12000, 30000, false),
        street_name(0, 12000, true, true),
        street_name(0, 12000, true, false),
    });
    return {{"name", "venues"}, {"source", {{"store", "venues"}}}, {"rules", rules}};
}

json rings_layer() {
    auto ring = [](double r, double width, json dash, const char* fill) {
        json s{{"type", "rings"}, {"radii_m", {r}}, {"color", "#1d4e89"}, {"width", width}, {"label_size", 4.8}};
        if (!dash.is_null()) s["dash"] = dash;
        if (fill) s["fill"] = fill;
        return s;
    };
    return {{"name", "rings"},
            {"source", {{"store", "sites"}}},
            {"rules", {{{"title", "1, 2 and 5 km from a site (true distance)"},
                        {"symbolizers", {ring(1000, 0.7, nullptr, "#1d4e891a"), ring(2000, 0.55, {3, 1.5}, nullptr),
                                         ring(5000, 0.5, {1.2, 1.5}, nullptr)}}}}}};
}

json sites_layer() {
    auto marker = [](const char* shape, const char* fill) {
        return json{{"type", "marker"}, {"shape", shape}, {"fill", fill}, {"stroke", "#ffffff"}, {"stroke_width", 0.8},
                    {"size", {{"attribute", "personnel"}, {"scale", "sqrt"}, {"domain", {0, 4000}}, {"range", {4, 15}}}}};
    };
    json rules = json::array({
        {{"title", "Military camp"}, {"filter", {{"kind", "military"}}}, {"symbolizers", {marker("square", "#1d4e89")}}},
        {{"title", "Headquarters"}, {"filter", {{"kind", "hq"}}}, {"symbolizers", {marker("hexagon", "#1d4e89")}}},
        {{"title", "Police"}, {"filter", {{"kind", "police"}}}, {"symbolizers", {marker("triangle", "#1d4e89")}}},
        {{"title", "Civilian office"}, {"else", true}, {"symbolizers", {marker("circle", "#4f86c6")}}},
        {{"title", "Site: listed venues within 1 \xc2\xb7 2 \xc2\xb7 5 km"},
         {"symbolizers", {{{"type", "text"}, {"text", "<b>{name}</b>\n{count_1000} \xc2\xb7 {count_2000} \xc2\xb7 {count_5000}"},
                           {"markup", true}, {"size", 6.8}, {"color", "#12355b"}, {"halo", "#ffffffe6"}, {"halo_width", 1.3},
                           {"priority", 100}, {"offset", 1.5}, {"leader", true}}}}},
    });
    return {{"name", "sites"}, {"source", {{"store", "sites"}}}, {"rules", rules}};
}

std::string title_case(std::string s) {
    std::replace(s.begin(), s.end(), '_', ' ');
    std::replace(s.begin(), s.end(), '-', ' ');
    if (!s.empty()) s[0] = char(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

// A numeric property that says how big a place is (population, pop_2020, …), if the layer has one.
std::string size_field(const FeatureData& d) {
    for (std::size_t i = 0; i < d.fields.size(); ++i) {
        if (lower(d.fields[i]).rfind("pop", 0) != 0) continue;
        bool numeric = false;
        for (const auto& f : d.features) {
            double x = 0;
            if (i < f.values.size() && value_number(f.values[i], x)) numeric = true;
        }
        if (numeric) return d.fields[i];
    }
    return {};
}

// Points: a dot and the names, the larger places (the largest quarter by size, when the layer
// says how big each is) bolder, bigger and placed first. The very largest (the top sixteenth, at
// least one) are placed even before the sites: a reader finds a site by the city it is beside, so
// at a small scale the city's name matters more than one more site's.
json point_layer(const std::string& name, const FeatureData& d, const std::string& languages) {
    const std::string size = size_field(d);
    std::optional<double> threshold, top;
    if (!size.empty()) {
        std::vector<double> v;
        const int k = d.field(size);
        for (const auto& f : d.features) {
            double x = 0;
            if (value_number(f.values[std::size_t(k)], x)) v.push_back(x);
        }
        std::sort(v.begin(), v.end());
        if (v.size() >= 4 && v.front() < v.back()) {
            threshold = v[v.size() * 3 / 4];
            top = v[v.size() - std::max<std::size_t>(1, v.size() / 16)];
        }
    }
    const std::string title = title_case(name) + (languages.empty() ? "" : " (names in " + languages + ")");
    auto marker = [](double s, const char* fill, double sw) {
        return json{{"type", "marker"}, {"shape", "circle"}, {"size", s}, {"fill", fill}, {"stroke", "#ffffff"}, {"stroke_width", sw}};
    };
    auto text = [](bool major, bool two_lines, int priority) {
        const std::string first = major ? "<b>{label_first}</b>" : "{label_first}";
        return json{{"type", "text"}, {"text", two_lines ? first + "\n<i>{label_rest}</i>" : first}, {"markup", true},
                    {"size", major ? 8 : 6.3}, {"color", major ? "#262626" : "#3a3a3a"}, {"halo", "#ffffffdd"},
                    {"halo_width", major ? 1.2 : 1}, {"priority", priority}, {"offset", 1.5}, {"leader", major},
                    {"align", "center"}};
    };
    json rules = json::array();
    json big = threshold ? json{{size, {{">=", *threshold}}}} : json::object();
    json small = threshold ? json{{size, {{"<", *threshold}}}} : json::object();
    auto with = [](json filter, const char* key, bool exists) {
        filter[key] = {{"exists", exists}};
        return filter;
    };
    if (threshold) {
        rules.push_back({{"title", title}, {"filter", big}, {"symbolizers", {marker(4, "#3a3a3a", 0.6)}}});
        rules.push_back({{"title", title}, {"else", true}, {"symbolizers", {marker(2.8, "#5a5a5a", 0.5)}}});
        // Sizes are numbers, so "at least top" and "below top" split the large places in two.
        json largest = json{{size, {{">=", *top}}}}, large = json{{size, {{">=", *threshold}, {"<", *top}}}};
        for (const auto& [f, priority] : {std::pair{largest, 101}, std::pair{large, 97}}) {
            rules.push_back({{"filter", with(f, kLabelRestField, true)}, {"symbolizers", {text(true, true, priority)}}});
            rules.push_back({{"filter", with(f, kLabelRestField, false)}, {"symbolizers", {text(true, false, priority)}}});
        }
        // Places whose size is not given count among the smaller ones.
        json unsized = json{{size, {{"exists", false}}}};
        for (const json& f : {small, unsized}) {
            rules.push_back({{"filter", with(f, kLabelRestField, true)}, {"symbolizers", {text(false, true, 40)}}});
            rules.push_back({{"filter", with(f, kLabelRestField, false)}, {"symbolizers", {text(false, false, 40)}}});
        }
    } else {
        rules.push_back({{"title", title}, {"symbolizers", {marker(3.2, "#3a3a3a", 0.5)}}});
        rules.push_back({{"filter", with(json::object(), kLabelRestField, true)}, {"symbolizers", {text(true, true, 97)}}});
        rules.push_back({{"filter", with(json::object(), kLabelRestField, false)}, {"symbolizers", {text(true, false, 97)}}});
    }
    return {{"name", "mission:" + name}, {"source", {{"mission", name}}}, {"rules", rules}};
}

GeomKind kind_of(const FeatureData& d) {
    for (const auto& f : d.features)
        if (f.geom.kind != GeomKind::none) return f.geom.kind;
    return GeomKind::none;
}

}  // namespace

Style default_style(const model::MissionProfile* m) {
    json layers = json::array();
    json page{{"page", "A3"},
              {"orientation", "landscape"},
              {"title", "Off-Limits Locations around Deployment Sites"},
              {"subtitle", "Listed venues in red by category; troop, police and civilian sites sized by personnel, with 1, 2 "
                           "and 5 km rings and the count of listed venues within each ring."},
              {"notice", "Every member of the mission is prohibited from entering a listed location. Visiting one is misconduct."},
              {"marking_color", "#a50f15"},
              {"grid", {{"kind", "mgrs"}, {"color", "#2f5f98"}, {"width", 0.3}}},
              {"table_title", "Off-Limits venues"}};
    json style{{"name", "mission"}, {"background", "#e4e4df"}, {"extent_margin", 0.02},
               {"atlas", {{"page", "A3"}, {"orientation", "landscape"}, {"radius_m", 5000},
                          {"title", "{site}: Off-Limits venues within {radius}"}}}};
    json points = json::array();
    if (m) {
        std::string languages;
        for (const auto& l : m->languages) languages += (languages.empty() ? "" : " \xc2\xb7 ") + l;
        page["title"] = page["title"].get<std::string>() + " \xe2\x80\x94 " + m->name;
        page["attribution"] = "Mission area and reference layers: the " + m->name + " mission profile" +
                              (m->layers.empty() ? std::string() : " (" + std::to_string(m->layers.size()) + " layers)") +
                              (languages.empty() ? std::string() : ". Place names in " + languages) + ".";
        style["name"] = m->name;
        const bool area = !m->area_wkb.empty();
        if (area) {
            style["extent"] = "area";
            page["inset"] = {{"mission", kMissionArea}, {"fill", "#f1efe8"}, {"stroke", "#555555"}};
            layers.push_back({{"name", "ground"}, {"source", {{"mission", kMissionArea}}},
                              {"rules", {{{"symbolizers", {{{"type", "polygon"}, {"fill", "#fbfaf5"}}}}}}}});
        }
        // Polygons from the finest (most features) to the coarsest, each coarser one drawn over
        // the finer with a heavier line; lines; then the area's outline; points come after the
        // rings so that no ring covers a town.
        struct Ref {
            std::string name;
            std::shared_ptr<const FeatureData> data;
            GeomKind kind;
        };
        std::vector<Ref> polygons, lines;
        for (const auto& l : m->layers) {
            auto d = mission_features(*m, l.name);
            const GeomKind k = kind_of(*d);
            if (k == GeomKind::polygon) polygons.push_back({l.name, d, k});
            else if (k == GeomKind::line) lines.push_back({l.name, d, k});
            else if (k == GeomKind::point) points.push_back(point_layer(l.name, *d, languages));
        }
        std::stable_sort(polygons.begin(), polygons.end(),
                         [](const Ref& a, const Ref& b) { return a.data->features.size() > b.data->features.size(); });
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            const bool finest = i == 0 && polygons.size() > 1;
            json line{{"type", "line"}, {"color", finest ? "#a9a493" : "#8f8a78"}, {"width", finest ? 0.45 : 0.7}};
            if (finest || polygons.size() == 1) line["dash"] = {2.5, 1.2};
            const json label{{"type", "text"}, {"text", "{label}"}, {"placement", "interior"}, {"size", finest ? 5.6 : 6.4},
                             {"style", "italic"}, {"color", "#6b6656"}, {"halo", "#fbfaf5cc"}, {"halo_width", 1},
                             {"priority", int(10 + i)}, {"align", "center"}};
            layers.push_back({{"name", "mission:" + polygons[i].name},
                              {"source", {{"mission", polygons[i].name}}},
                              {"rules", {{{"title", title_case(polygons[i].name)}, {"symbolizers", {line}}},
                                         {{"symbolizers", {label}}}}}});
        }
        for (const auto& l : lines)
            layers.push_back({{"name", "mission:" + l.name}, {"source", {{"mission", l.name}}},
                              {"rules", {{{"title", title_case(l.name)},
                                          {"symbolizers", {{{"type", "line"}, {"color", "#9a8f7a"}, {"width", 0.6}}}}}}}});
        if (area)
            layers.push_back({{"name", "area"}, {"source", {{"mission", kMissionArea}}},
                              {"rules", {{{"title", "Mission area"},
                                          {"symbolizers", {{{"type", "line"}, {"color", "#cfc6ad"}, {"width", 3.2}, {"opacity", 0.8}},
                                                           {{"type", "line"}, {"color", "#4a4a4a"}, {"width", 0.9}}}}}}}});
    }
    layers.push_back(rings_layer());
    for (auto& p : points) layers.push_back(std::move(p));
    layers.push_back(venue_layer());
    layers.push_back(sites_layer());
    style["template"] = page;
    style["layers"] = layers;
    const FeatureFileReader no_files = [](const std::string& path, const std::string&) -> model::FeatureTable {
        throw std::runtime_error(path + ": the default style reads no file");
    };
    return parse_style(style.dump(), m ? "default style of " + m->name : "default style", "", no_files, m);
}

}  // namespace keepout::render
