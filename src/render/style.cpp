#include "render/style.hpp"

#include <pango/pango.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "render/features.hpp"

namespace keepout::render {

StyleError::StyleError(std::string f, std::string k, const std::string& reason)
    : std::runtime_error(f + ": " + (k.empty() ? std::string() : k + ": ") + reason), file(std::move(f)),
      key(std::move(k)) {}

namespace {

using json = nlohmann::json;

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string type_name(const json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "\"" + j.get<std::string>() + "\"";
    if (j.is_array()) return "an array";
    return "an object";
}

// Walks the JSON document keeping the key path for messages.
class Node {
public:
    Node(const json& j, std::string file, std::string key) : j_(j), file_(std::move(file)), key_(std::move(key)) {}

    [[noreturn]] void fail(const std::string& reason) const { throw StyleError(file_, key_, reason); }
    const std::string& key() const { return key_; }
    const std::string& file() const { return file_; }
    const json& raw() const { return j_; }

    Node child(const std::string& name) const {
        return Node(j_.at(name), file_, key_.empty() ? name : key_ + "." + name);
    }
    Node item(std::size_t i) const { return Node(j_.at(i), file_, key_ + "[" + std::to_string(i) + "]"); }
    bool has(const std::string& name) const { return j_.is_object() && j_.contains(name); }

    void expect_object(std::initializer_list<const char*> allowed) const {
        if (!j_.is_object()) fail("expected an object, got " + type_name(j_));
        for (auto it = j_.begin(); it != j_.end(); ++it) {
            bool ok = false;
            for (const char* a : allowed) ok = ok || it.key() == a;
            if (!ok) {
                std::string list;
                for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                throw StyleError(file_, key_.empty() ? it.key() : key_ + "." + it.key(),
                                 "unknown key (expected one of " + list + ")");
            }
        }
    }
    std::size_t array_size() const {
        if (!j_.is_array()) fail("expected an array, got " + type_name(j_));
        return j_.size();
    }
    std::string str() const {
        if (!j_.is_string()) fail("expected text, got " + type_name(j_));
        return j_.get<std::string>();
    }
    double number(double lo = -std::numeric_limits<double>::infinity(),
                  double hi = std::numeric_limits<double>::infinity()) const {
        if (!j_.is_number()) fail("expected a number, got " + type_name(j_));
        const double v = j_.get<double>();
        if (!(v >= lo && v <= hi)) {
            std::ostringstream s;
            s << "must be between " << lo << " and " << hi << ", not " << v;
            fail(s.str());
        }
        return v;
    }
    bool boolean() const {
        if (!j_.is_boolean()) fail("expected true or false, got " + type_name(j_));
        return j_.get<bool>();
    }
    Color color() const {
        try {
            return parse_color(str());
        } catch (const std::invalid_argument& e) {
            fail(e.what());
        }
    }
    std::string one_of(std::initializer_list<const char*> options) const {
        std::string v = str(), list;
        for (const char* o : options) {
            if (v == o) return v;
            list += (list.empty() ? "" : ", ") + std::string(o);
        }
        fail("unknown value \"" + v + "\" (expected one of " + list + ")");
    }
    std::vector<double> numbers(double lo, double hi) const {
        std::vector<double> out;
        for (std::size_t i = 0, n = array_size(); i < n; ++i) out.push_back(item(i).number(lo, hi));
        return out;
    }

private:
    const json& j_;
    std::string file_, key_;
};

struct Fields {
    SourceKind kind;
    std::shared_ptr<const FeatureData> data;
    bool known(const std::string& f) const { return data ? data->field(f) >= 0 : is_store_field(kind, f); }
    std::string list(const std::vector<double>& rings) const {
        std::string out;
        for (auto& f : data ? data->fields : store_fields(kind, rings)) out += (out.empty() ? "" : ", ") + f;
        return out;
    }
};

void check_field(const Node& n, const Fields& fields, const std::string& f) {
    if (!fields.known(f)) n.fail("unknown field '" + f + "' (fields: " + fields.list({1000, 2000, 5000}) + ")");
}

SizeSpec parse_size(const Node& n, const Fields& fields) {
    SizeSpec s;
    if (n.raw().is_number()) {
        s.fixed = n.number(0.1, 200);
        return s;
    }
    n.expect_object({"attribute", "scale", "domain", "range"});
    s.attribute = n.child("attribute").str();
    check_field(n.child("attribute"), fields, s.attribute);
    if (n.has("scale")) s.sqrt = n.child("scale").one_of({"sqrt", "linear"}) == "sqrt";
    if (n.has("domain")) {
        auto d = n.child("domain").numbers(-1e15, 1e15);
        if (d.size() != 2 || !(d[1] > d[0])) n.child("domain").fail("expected [low, high] with low < high");
        s.domain[0] = d[0], s.domain[1] = d[1];
    }
    if (n.has("range")) {
        auto r = n.child("range").numbers(0.1, 200);
        if (r.size() != 2) n.child("range").fail("expected [smallest, largest] in points");
        s.range[0] = r[0], s.range[1] = r[1];
    }
    return s;
}

std::vector<double> parse_dash(const Node& n) {
    auto d = n.numbers(0, 100);
    if (!d.empty() && std::all_of(d.begin(), d.end(), [](double v) { return v == 0; }))
        n.fail("a dash pattern needs a length above 0");
    return d;
}

TextTemplate parse_text(const Node& n, const Fields& fields, bool markup) {
    TextTemplate t;
    try {
        t = parse_template(n.str());
    } catch (const std::invalid_argument& e) {
        n.fail(e.what());
    }
    for (auto& f : t.fields) check_field(n, fields, f);
    if (markup) {
        std::string probe;
        for (std::size_t i = 0; i < t.fields.size(); ++i) probe += t.literals[i] + "x";
        probe += t.literals.back();
        GError* err = nullptr;
        if (!pango_parse_markup(probe.c_str(), int(probe.size()), 0, nullptr, nullptr, nullptr, &err)) {
            std::string why = err ? err->message : "invalid markup";
            if (err) g_error_free(err);
            n.fail("invalid Pango markup: " + why);
        }
    }
    return t;
}

Symbolizer parse_symbolizer(const Node& n, const Fields& fields) {
    if (!n.raw().is_object()) n.fail("expected an object, got " + type_name(n.raw()));
    if (!n.has("type")) n.fail("missing key 'type' (polygon, line, marker, text or rings)");
    const std::string type = n.child("type").one_of({"polygon", "line", "marker", "text", "rings"});
    if (type == "polygon") {
        n.expect_object({"type", "fill", "opacity"});
        PolygonSymbolizer s;
        if (n.has("fill")) s.fill = n.child("fill").color();
        if (n.has("opacity")) s.opacity = n.child("opacity").number(0, 1);
        return s;
    }
    if (type == "line") {
        n.expect_object({"type", "color", "width", "dash", "opacity", "cap", "join"});
        LineSymbolizer s;
        if (n.has("color")) s.color = n.child("color").color();
        if (n.has("width")) s.width = n.child("width").number(0.01, 50);
        if (n.has("dash")) s.dash = parse_dash(n.child("dash"));
        if (n.has("opacity")) s.opacity = n.child("opacity").number(0, 1);
        if (n.has("cap")) {
            auto c = n.child("cap").one_of({"butt", "round", "square"});
            s.cap = c == "butt" ? LineCap::butt : c == "round" ? LineCap::round : LineCap::square;
        }
        if (n.has("join")) {
            auto c = n.child("join").one_of({"miter", "round", "bevel"});
            s.join = c == "miter" ? LineJoin::miter : c == "round" ? LineJoin::round : LineJoin::bevel;
        }
        return s;
    }
    if (type == "marker") {
        n.expect_object({"type", "shape", "size", "fill", "stroke", "stroke_width", "opacity", "obstacle"});
        MarkerSymbolizer s;
        if (n.has("shape")) {
            auto v = n.child("shape").one_of({"circle", "square", "triangle", "diamond", "star", "cross", "hexagon"});
            const std::pair<const char*, MarkerShape> shapes[] = {
                {"circle", MarkerShape::circle}, {"square", MarkerShape::square}, {"triangle", MarkerShape::triangle},
                {"diamond", MarkerShape::diamond}, {"star", MarkerShape::star}, {"cross", MarkerShape::cross},
                {"hexagon", MarkerShape::hexagon}};
            for (auto& [name, shape] : shapes)
                if (v == name) s.shape = shape;
        }
        if (n.has("size")) s.size = parse_size(n.child("size"), fields);
        if (n.has("fill")) s.fill = n.child("fill").color();
        if (n.has("stroke")) s.stroke = n.child("stroke").color();
        if (n.has("stroke_width")) s.stroke_width = n.child("stroke_width").number(0, 20);
        if (n.has("opacity")) s.opacity = n.child("opacity").number(0, 1);
        if (n.has("obstacle")) s.obstacle = n.child("obstacle").boolean();
        return s;
    }
    if (type == "text") {
        n.expect_object({"type", "text", "markup", "font", "size", "weight", "style", "color", "halo", "halo_width",
                         "placement", "offset", "priority", "leader", "align", "clearance"});
        TextSymbolizer s;
        if (n.has("markup")) s.markup = n.child("markup").boolean();
        if (!n.has("text")) n.fail("missing key 'text' (a template such as \"{name}\")");
        s.text = parse_text(n.child("text"), fields, s.markup);
        if (n.has("font")) s.font = n.child("font").str();
        if (n.has("size")) s.size = n.child("size").number(1, 100);
        if (n.has("weight")) s.bold = n.child("weight").one_of({"normal", "bold"}) == "bold";
        if (n.has("style")) s.italic = n.child("style").one_of({"normal", "italic"}) == "italic";
        if (n.has("color")) s.color = n.child("color").color();
        if (n.has("halo")) s.halo = n.child("halo").color();
        if (n.has("halo_width")) s.halo_width = n.child("halo_width").number(0, 10);
        if (n.has("placement"))
            s.placement = n.child("placement").one_of({"point", "interior"}) == "point" ? Placement::point
                                                                                       : Placement::interior;
        if (n.has("offset")) s.offset = n.child("offset").number(0, 100);
        if (n.has("priority")) s.priority = int(n.child("priority").number(-1000, 1000));
        if (n.has("leader")) s.leader = n.child("leader").boolean();
        if (n.has("align")) s.align = n.child("align").one_of({"left", "center"});
        if (n.has("clearance")) s.clearance = n.child("clearance").number(0, 50);
        return s;
    }
    n.expect_object({"type", "radii_m", "color", "width", "dash", "fill", "opacity", "labels", "label_size"});
    RingsSymbolizer s;
    if (n.has("radii_m")) {
        s.radii_m = n.child("radii_m").numbers(1, 1e6);
        if (s.radii_m.empty()) n.child("radii_m").fail("give at least one radius in metres");
        std::sort(s.radii_m.begin(), s.radii_m.end());
    }
    if (n.has("color")) s.color = n.child("color").color();
    if (n.has("width")) s.width = n.child("width").number(0.01, 50);
    if (n.has("dash")) s.dash = parse_dash(n.child("dash"));
    if (n.has("fill")) s.fill = n.child("fill").color();
    if (n.has("opacity")) s.opacity = n.child("opacity").number(0, 1);
    if (n.has("labels")) s.labels = n.child("labels").boolean();
    if (n.has("label_size")) s.label_size = n.child("label_size").number(1, 50);
    return s;
}

FilterValue filter_value(const Node& n) {
    if (n.raw().is_number()) return n.raw().get<double>();
    if (n.raw().is_string()) return n.raw().get<std::string>();
    if (n.raw().is_boolean()) return std::string(n.raw().get<bool>() ? "yes" : "no");
    n.fail("expected a number or text, got " + type_name(n.raw()));
}

Filter parse_filter(const Node& n, const Fields& fields) {
    if (!n.raw().is_object()) n.fail("expected an object of field: value, got " + type_name(n.raw()));
    Filter out;
    for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
        Node v = n.child(it.key());
        check_field(v, fields, it.key());
        Condition c;
        c.field = it.key();
        if (v.raw().is_array()) {
            c.op = Condition::Op::in;
            for (std::size_t i = 0, k = v.array_size(); i < k; ++i) c.values.push_back(filter_value(v.item(i)));
        } else if (v.raw().is_object()) {
            // {"op": value}: one condition per operator
            if (v.raw().empty()) v.fail("expected an operator such as {\">=\": 1000}");
            for (auto op = v.raw().begin(); op != v.raw().end(); ++op) {
                Node o = v.child(op.key());
                Condition oc;
                oc.field = c.field;
                const std::pair<const char*, Condition::Op> ops[] = {
                    {"=", Condition::Op::eq},  {"!=", Condition::Op::ne}, {"<", Condition::Op::lt},
                    {"<=", Condition::Op::le}, {">", Condition::Op::gt},  {">=", Condition::Op::ge},
                    {"in", Condition::Op::in}, {"not_in", Condition::Op::not_in}, {"exists", Condition::Op::exists}};
                bool found = false;
                for (auto& [name, code] : ops)
                    if (op.key() == name) oc.op = code, found = true;
                if (!found) o.fail("unknown operator (expected =, !=, <, <=, >, >=, in, not_in or exists)");
                if (oc.op == Condition::Op::exists) {
                    if (!o.boolean()) oc.op = Condition::Op::missing;
                } else if (oc.op == Condition::Op::in || oc.op == Condition::Op::not_in) {
                    for (std::size_t i = 0, k = o.array_size(); i < k; ++i) oc.values.push_back(filter_value(o.item(i)));
                } else {
                    oc.values.push_back(filter_value(o));
                    if ((oc.op == Condition::Op::lt || oc.op == Condition::Op::le || oc.op == Condition::Op::gt ||
                         oc.op == Condition::Op::ge) &&
                        !std::holds_alternative<double>(oc.values[0]))
                        o.fail("a comparison needs a number");
                }
                out.push_back(std::move(oc));
            }
            continue;
        } else {
            c.values.push_back(filter_value(v));
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string resolve(const std::string& base, const std::string& p) {
    std::filesystem::path path(p);
    if (path.is_relative() && !base.empty()) path = std::filesystem::path(base) / path;
    return path.lexically_normal().string();
}

std::shared_ptr<const FeatureData> read_source_file(const Node& n, const std::string& path, const std::string& layer,
                                                    const FeatureFileReader& read) {
    try {
        return load_file(path, layer, read);
    } catch (const std::runtime_error& e) {  // the file cannot be read (source::IoError) or a feature decoded
        n.fail(e.what());
    }
}

// A mission source's features: the area or a reference layer of the profile.
std::shared_ptr<const FeatureData> read_mission_source(const Node& n, const std::string& name,
                                                       const model::MissionProfile* mission) {
    if (!mission) n.fail("no mission profile to take '" + name + "' from (keepout mission import mission.json)");
    if (auto data = mission_features(*mission, name)) return data;
    std::string names = kMissionArea;
    for (const auto& l : mission->layers) names += ", " + l.name;
    n.fail("the mission has no layer '" + name + "' (it has: " + names + ")");
}

Source parse_source(const Node& n, const std::string& base, const FeatureFileReader& read,
                    const model::MissionProfile* mission) {
    n.expect_object({"store", "listed", "file", "layer", "mission"});
    Source s;
    if (int(n.has("store")) + int(n.has("file")) + int(n.has("mission")) != 1)
        n.fail("give exactly one of 'store' (venues, sites, sectors), 'mission' (area or a reference layer) or 'file'");
    if (n.has("store")) {
        auto v = n.child("store").one_of({"venues", "sites", "sectors"});
        s.kind = v == "venues" ? SourceKind::venues : v == "sites" ? SourceKind::sites : SourceKind::sectors;
        if (n.has("listed")) {
            if (s.kind != SourceKind::venues) n.child("listed").fail("only a venues source has 'listed'");
            s.listed_only = n.child("listed").boolean();
        }
        if (n.has("layer")) n.child("layer").fail("only a file source has a layer");
        return s;
    }
    if (n.has("listed")) n.child("listed").fail("only a venues source has 'listed'");
    if (n.has("mission")) {
        if (n.has("layer")) n.child("layer").fail("only a file source has a layer (a mission source names its layer)");
        s.kind = SourceKind::mission;
        s.layer = n.child("mission").str();
        s.path = "mission:" + s.layer;
        s.data = read_mission_source(n.child("mission"), s.layer, mission);
        return s;
    }
    s.kind = SourceKind::file;
    s.path = resolve(base, n.child("file").str());
    if (n.has("layer")) s.layer = n.child("layer").str();
    s.data = read_source_file(n.child("file"), s.path, s.layer, read);
    return s;
}

Rule parse_rule(const Node& n, const Fields& fields) {
    n.expect_object({"title", "min_scale", "max_scale", "filter", "else", "symbolizers"});
    Rule r;
    if (n.has("title")) r.title = n.child("title").str();
    if (n.has("min_scale")) r.min_scale = n.child("min_scale").number(0, 1e12);
    if (n.has("max_scale")) r.max_scale = n.child("max_scale").number(1, 1e12);
    if (!(r.min_scale < r.max_scale)) n.child("max_scale").fail("max_scale must be above min_scale");
    if (n.has("filter")) r.filter = parse_filter(n.child("filter"), fields);
    if (n.has("else")) r.else_rule = n.child("else").boolean();
    if (r.else_rule && !r.filter.empty()) n.child("else").fail("an else rule has no filter of its own");
    if (!n.has("symbolizers")) n.fail("missing key 'symbolizers'");
    Node syms = n.child("symbolizers");
    for (std::size_t i = 0, k = syms.array_size(); i < k; ++i) r.symbolizers.push_back(parse_symbolizer(syms.item(i), fields));
    if (r.symbolizers.empty()) syms.fail("a rule needs at least one symbolizer");
    return r;
}

PageSize parse_page(const Node& n) { return n.one_of({"A4", "A3"}) == "A4" ? PageSize::A4 : PageSize::A3; }

bool parse_orientation(const Node& n) { return n.one_of({"portrait", "landscape"}) == "landscape"; }

void parse_template_block(const Node& n, PageTemplate& t, const std::string& base, const FeatureFileReader& read,
                          const model::MissionProfile* mission) {
    n.expect_object({"page", "orientation", "title", "subtitle", "notice", "marking", "marking_color", "attribution", "font",
                     "grid", "legend", "north_arrow", "scale_bar", "table", "table_title", "inset"});
    if (n.has("page")) t.page = parse_page(n.child("page"));
    if (n.has("orientation")) t.landscape = parse_orientation(n.child("orientation"));
    if (n.has("title")) t.title = n.child("title").str();
    if (n.has("subtitle")) t.subtitle = n.child("subtitle").str();
    if (n.has("notice")) t.notice = n.child("notice").str();
    if (n.has("marking")) t.marking = n.child("marking").str();
    if (n.has("marking_color")) t.marking_color = n.child("marking_color").color();
    if (n.has("attribution")) t.attribution = n.child("attribution").str();
    if (n.has("font")) t.font = n.child("font").str();
    if (n.has("legend")) t.legend = n.child("legend").boolean();
    if (n.has("north_arrow")) t.north_arrow = n.child("north_arrow").boolean();
    if (n.has("scale_bar")) t.scale_bar = n.child("scale_bar").boolean();
    if (n.has("table")) t.table = n.child("table").boolean();
    if (n.has("table_title")) t.table_title = n.child("table_title").str();
    if (n.has("grid")) {
        Node g = n.child("grid");
        if (g.raw().is_boolean()) {
            t.grid.show = g.boolean();
        } else {
            g.expect_object({"show", "kind", "spacing_m", "color", "width"});
            if (g.has("show")) t.grid.show = g.child("show").boolean();
            if (g.has("kind")) t.grid.kind = g.child("kind").one_of({"mgrs", "utm"});
            if (g.has("spacing_m")) t.grid.spacing_m = g.child("spacing_m").number(100, 1e6);
            if (g.has("color")) t.grid.color = g.child("color").color();
            if (g.has("width")) t.grid.width = g.child("width").number(0.01, 10);
        }
    }
    if (n.has("inset")) {
        Node in = n.child("inset");
        in.expect_object({"file", "mission", "fill", "stroke"});
        if (in.has("file") == in.has("mission"))
            in.fail("give one of 'file' or 'mission' (the outline drawn in the locator map)");
        if (in.has("mission")) {
            const std::string name = in.child("mission").str();
            t.inset_path = "mission:" + name;
            t.inset_data = read_mission_source(in.child("mission"), name, mission);
        } else {
            t.inset_path = resolve(base, in.child("file").str());
            t.inset_data = read_source_file(in.child("file"), t.inset_path, "", read);
        }
        if (in.has("fill")) t.inset_fill = in.child("fill").color();
        if (in.has("stroke")) t.inset_stroke = in.child("stroke").color();
    }
}

}  // namespace

Color parse_color(const std::string& text) {
    static const std::pair<const char*, Color> names[] = {
        {"black", {0, 0, 0, 1}},       {"white", {1, 1, 1, 1}},      {"red", {1, 0, 0, 1}},
        {"green", {0, 0.5, 0, 1}},     {"blue", {0, 0, 1, 1}},       {"grey", {0.5, 0.5, 0.5, 1}},
        {"gray", {0.5, 0.5, 0.5, 1}},  {"none", {0, 0, 0, 0}},       {"transparent", {0, 0, 0, 0}}};
    for (auto& [name, c] : names)
        if (text == name) return c;
    const std::string bad = "invalid colour \"" + text + "\" (expected #rgb, #rrggbb, #rrggbbaa or a name)";
    if (text.size() < 2 || text[0] != '#') throw std::invalid_argument(bad);
    std::vector<int> d;
    for (std::size_t i = 1; i < text.size(); ++i) {
        const int h = hex(text[i]);
        if (h < 0) throw std::invalid_argument(bad);
        d.push_back(h);
    }
    Color c;
    if (d.size() == 3) {
        c = {d[0] / 15.0, d[1] / 15.0, d[2] / 15.0, 1};
    } else if (d.size() == 6 || d.size() == 8) {
        c = {(d[0] * 16 + d[1]) / 255.0, (d[2] * 16 + d[3]) / 255.0, (d[4] * 16 + d[5]) / 255.0, 1};
        if (d.size() == 8) c.a = (d[6] * 16 + d[7]) / 255.0;
    } else {
        throw std::invalid_argument(bad);
    }
    return c;
}

double SizeSpec::at(double v) const {
    if (attribute.empty()) return fixed;
    double t = (std::clamp(v, domain[0], domain[1]) - domain[0]) / (domain[1] - domain[0]);
    if (sqrt) t = std::sqrt(t);
    return range[0] + t * (range[1] - range[0]);
}

TextTemplate parse_template(const std::string& text) {
    TextTemplate t;
    t.source = text;
    std::string lit;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i);
            if (close == std::string::npos) throw std::invalid_argument("unclosed '{' in text template \"" + text + "\"");
            std::string field = text.substr(i + 1, close - i - 1);
            if (field.empty()) throw std::invalid_argument("empty {} in text template \"" + text + "\"");
            t.literals.push_back(lit);
            t.fields.push_back(field);
            lit.clear();
            i = close;
        } else {
            lit += text[i];
        }
    }
    t.literals.push_back(lit);
    return t;
}

std::vector<double> Style::ring_radii() const {
    std::set<double> r;
    for (auto& l : layers)
        for (auto& rule : l.rules)
            for (auto& s : rule.symbolizers)
                if (auto* rings = std::get_if<RingsSymbolizer>(&s)) r.insert(rings->radii_m.begin(), rings->radii_m.end());
    return {r.begin(), r.end()};
}

Style parse_style(const std::string& text, const std::string& file, const std::string& base_dir,
                  const FeatureFileReader& read, const model::MissionProfile* mission) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond double range
        throw StyleError(file, "", std::string("not valid JSON: ") + e.what());
    }
    Node root(doc, file, "");
    root.expect_object({"name", "crs", "extent", "extent_margin", "scale", "background", "template", "atlas", "layers"});
    Style s;
    static std::atomic<std::uint64_t> next_id{1};
    s.id = next_id++;
    s.path = file;
    if (root.has("name")) s.name = root.child("name").str();
    if (root.has("crs")) {
        s.crs = root.child("crs").str();
        if (s.crs.empty()) root.child("crs").fail("give a projected CRS such as EPSG:3857, or leave the key out (the UTM zone of the map centre)");
    }
    if (root.has("extent")) {
        Node e = root.child("extent");
        if (e.raw().is_string()) {
            s.extent_layer = e.str();
        } else {
            auto v = e.numbers(-180, 180);
            if (v.size() != 4 || !(v[0] < v[2]) || !(v[1] < v[3]) || v[1] < -90 || v[3] > 90)
                e.fail("expected [min_lon, min_lat, max_lon, max_lat] or a layer name");
            s.extent = geo::Box{v[0], v[1], v[2], v[3]};
        }
    }
    if (root.has("extent_margin")) s.extent_margin = root.child("extent_margin").number(0, 1);
    if (root.has("scale")) s.scale = root.child("scale").number(100, 1e9);
    if (root.has("background")) s.background = root.child("background").color();
    if (root.has("template")) parse_template_block(root.child("template"), s.page, base_dir, read, mission);
    if (root.has("atlas")) {
        Node a = root.child("atlas");
        a.expect_object({"scale", "radius_m", "page", "orientation", "title"});
        if (a.has("scale")) s.atlas.scale = a.child("scale").number(0, 1e8);
        if (a.has("radius_m")) s.atlas.radius_m = a.child("radius_m").number(1, 1e6);
        if (a.has("page")) s.atlas.page = parse_page(a.child("page"));
        if (a.has("orientation")) s.atlas.landscape = parse_orientation(a.child("orientation"));
        if (a.has("title")) s.atlas.title = a.child("title").str();
    }
    if (!root.has("layers")) root.fail("missing key 'layers'");
    Node layers = root.child("layers");
    std::set<std::string> names;
    for (std::size_t i = 0, n = layers.array_size(); i < n; ++i) {
        Node ln = layers.item(i);
        ln.expect_object({"name", "source", "rules"});
        Layer l;
        if (!ln.has("name")) ln.fail("missing key 'name'");
        l.name = ln.child("name").str();
        if (!names.insert(l.name).second) ln.child("name").fail("another layer is already named '" + l.name + "'");
        if (!ln.has("source")) ln.fail("missing key 'source'");
        l.source = parse_source(ln.child("source"), base_dir, read, mission);
        if (!ln.has("rules")) ln.fail("missing key 'rules'");
        Node rules = ln.child("rules");
        Fields fields{l.source.kind, l.source.data};
        for (std::size_t k = 0, m = rules.array_size(); k < m; ++k) l.rules.push_back(parse_rule(rules.item(k), fields));
        s.layers.push_back(std::move(l));
    }
    if (s.layers.empty()) layers.fail("a style needs at least one layer");
    if (!s.extent_layer.empty() && !names.count(s.extent_layer))
        root.child("extent").fail("no layer is named '" + s.extent_layer + "'");
    return s;
}

Style load_style(const std::string& path, const FeatureFileReader& read, const model::MissionProfile* mission) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StyleError(path, "", "cannot read the style file");
    std::stringstream text;
    text << in.rdbuf();
    return parse_style(text.str(), path, std::filesystem::path(path).parent_path().string(), read, mission);
}

}  // namespace keepout::render
