#pragma once
// The map style model, read from JSON files under styles/ or built from the mission profile: a
// style has layers; a layer has a source (the store's venues, sites or sectors as of the snapshot
// date, the mission's area or one of its reference layers, or any GDAL-readable file) and rules; a rule has a scale range, an attribute filter and symbolizers (Mapnik's
// style → rule → symbolizer, as data). No Cairo, Pango, PROJ or GDAL type appears here.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "geo/grid_index.hpp"
#include "model/features.hpp"
#include "model/mission.hpp"

namespace keepout::render {

// A style file that cannot be used. what() is "FILE: KEY: reason", KEY the path of the JSON key
// at fault (e.g. "layers[2].rules[0].symbolizers[1].width").
struct StyleError : std::runtime_error {
    StyleError(std::string file, std::string key, const std::string& reason);
    std::string file, key;
};

struct Color {
    double r = 0, g = 0, b = 0, a = 1;
};
// "#rgb", "#rrggbb", "#rrggbbaa" or a few names (black, white, red, …, none). Throws invalid_argument.
Color parse_color(const std::string& text);

// A value an attribute filter compares with: number or text.
using FilterValue = std::variant<double, std::string>;

struct Condition {
    enum class Op { eq, ne, lt, le, gt, ge, in, not_in, exists, missing };
    std::string field;
    Op op = Op::eq;
    std::vector<FilterValue> values;  // one for comparisons, several for in / not_in
};
// All conditions must hold; an empty filter matches every feature.
using Filter = std::vector<Condition>;

// A size in points, fixed or from a numeric attribute mapped from domain to range.
struct SizeSpec {
    double fixed = 6;
    std::string attribute;  // empty: fixed
    bool sqrt = true;       // area-true symbols: size grows with the square root of the value
    double domain[2] = {0, 1};
    double range[2] = {4, 12};
    double at(double value) const;
};

// A text template: literal pieces and {field} substitutions.
struct TextTemplate {
    std::string source;                // as written
    std::vector<std::string> literals; // literals.size() == fields.size() + 1
    std::vector<std::string> fields;
};
TextTemplate parse_template(const std::string& text);  // throws invalid_argument on an unclosed '{'

struct PolygonSymbolizer {
    Color fill{0.8, 0.8, 0.8, 1};
    double opacity = 1;
};

enum class LineCap { butt, round, square };
enum class LineJoin { miter, round, bevel };

struct LineSymbolizer {
    Color color{0, 0, 0, 1};
    double width = 0.5;         // points on paper
    std::vector<double> dash;   // points on, off, …
    double opacity = 1;
    LineCap cap = LineCap::butt;
    LineJoin join = LineJoin::round;
};

enum class MarkerShape { circle, square, triangle, diamond, star, cross, hexagon };

struct MarkerSymbolizer {
    MarkerShape shape = MarkerShape::circle;
    SizeSpec size;              // the symbol's width in points
    Color fill{0.8, 0, 0, 1};
    Color stroke{1, 1, 1, 1};
    double stroke_width = 0.5;
    double opacity = 1;
    bool obstacle = true;       // labels keep clear of it
};

enum class Placement { point, interior };

struct TextSymbolizer {
    TextTemplate text;
    bool markup = false;        // the template is Pango markup; substituted values are escaped
    std::string font = "Noto Sans";
    double size = 7;            // points
    bool bold = false;
    bool italic = false;
    Color color{0.1, 0.1, 0.1, 1};
    Color halo{1, 1, 1, 1};
    double halo_width = 1;      // points; 0 for none
    Placement placement = Placement::point;
    double offset = 2;          // gap between the anchor and the label, points
    int priority = 0;           // higher is placed first
    bool leader = false;        // may move further out, joined by a leader line
    std::string align = "left"; // left | center: multi-line alignment
    double clearance = 0;       // points kept clear around the label: two numbers never read as one
};

struct RingsSymbolizer {
    std::vector<double> radii_m{1000, 2000, 5000};
    Color color{0.75, 0, 0, 1};
    double width = 0.6;
    std::vector<double> dash;
    Color fill{0, 0, 0, 0};     // fill of the innermost disc, usually transparent
    double opacity = 1;
    bool labels = true;         // "1 km" at the top of each ring
    double label_size = 5;
};

using Symbolizer = std::variant<PolygonSymbolizer, LineSymbolizer, MarkerSymbolizer, TextSymbolizer, RingsSymbolizer>;

struct Rule {
    std::string title;          // the legend entry; empty: not in the legend
    double min_scale = 0;       // applies when min_scale <= denominator < max_scale
    double max_scale = std::numeric_limits<double>::infinity();
    Filter filter;
    bool else_rule = false;     // applies to features no other rule of the layer took
    std::vector<Symbolizer> symbolizers;
    bool applies_at(double denominator) const { return denominator >= min_scale && denominator < max_scale; }
};

struct FeatureData;  // decoded features of a file source (render/features.hpp)

enum class SourceKind { venues, sites, sectors, file, mission };

// The name of the mission area among the mission's layers ({"mission": "area"}); no reference
// layer may take it (source/mission_file.cpp refuses it).
inline constexpr const char* kMissionArea = "area";

struct Source {
    SourceKind kind = SourceKind::file;
    bool listed_only = true;    // venues: only those listed on the date (default)
    std::string path;           // file: as resolved against the style's folder
    std::string layer;          // file: layer name (default: the first); mission: "area" or a reference layer
    std::shared_ptr<const FeatureData> data;  // file, mission: read when the style is loaded
};

struct Layer {
    std::string name;
    Source source;
    std::vector<Rule> rules;
};

enum class PageSize { A4, A3 };

struct GridSpec {
    bool show = true;
    std::string kind = "mgrs";  // mgrs: UTM lines with MGRS 100 km square letters | utm
    double spacing_m = 0;       // 0: chosen from the scale
    Color color{0.15, 0.35, 0.65, 1};
    double width = 0.3;
};

struct PageTemplate {
    PageSize page = PageSize::A3;
    bool landscape = true;
    std::string title = "Off-Limits locations";
    std::string subtitle;
    std::string notice;         // a line for the reader, e.g. what the list means for them
    std::string marking = "UN \xe2\x80\x94 FOR OFFICIAL USE ONLY";
    Color marking_color{0.65, 0, 0, 1};
    std::string attribution;
    std::string font = "Noto Sans";
    GridSpec grid;
    bool legend = true;
    bool north_arrow = true;
    bool scale_bar = true;
    bool table = true;
    std::string table_title = "Off-Limits venues";
    // The inset locator: a file drawn small with the main frame outlined on it.
    std::string inset_path;
    std::shared_ptr<const FeatureData> inset_data;
    Color inset_fill{0.92, 0.92, 0.9, 1};
    Color inset_stroke{0.4, 0.4, 0.4, 1};
};

struct AtlasTemplate {
    double scale = 0;           // denominator of every atlas page; 0: fit the atlas radius
    double radius_m = 5000;     // the table lists listed venues within this distance
    std::optional<PageSize> page;         // default: the style's page
    std::optional<bool> landscape;
    std::string title = "{site}: Off-Limits venues within {radius}";
};

struct Style {
    std::uint64_t id = 0;       // distinct per parsed style (copies share it); keys render caches
    std::string path;           // the file, as given
    std::string name;
    std::string crs;            // empty: the UTM zone of the map centre
    std::optional<geo::Box> extent;   // lon/lat; else the bounds of extent_layer, else of every layer
    std::string extent_layer;
    double extent_margin = 0.03;      // fraction added on every side
    double scale = 0;           // fixed denominator; 0: the nicest that fits the extent
    Color background{1, 1, 1, 1};
    PageTemplate page;
    AtlasTemplate atlas;
    std::vector<Layer> layers;

    // Every radius of every rings symbolizer, ascending (the proximity rings of the sites).
    std::vector<double> ring_radii() const;
};

// How the renderer gets the features of a file a style names (a file source, the inset): the
// front end hands it a reader (source::read_features), so that render reads no file format
// itself. A reader throws a std::runtime_error naming the file (source::IoError) when it cannot.
using FeatureFileReader = std::function<model::FeatureTable(const std::string& path, const std::string& layer)>;

// Reads and checks a style file; its file sources are read through `read`, relative to the
// style's folder, and its mission sources from `mission` (a style that names one without a
// profile is refused).
Style load_style(const std::string& path, const FeatureFileReader& read, const model::MissionProfile* mission = nullptr);
// The same from text; `file` names the style in errors, `base_dir` resolves relative paths.
Style parse_style(const std::string& json_text, const std::string& file, const std::string& base_dir,
                  const FeatureFileReader& read, const model::MissionProfile* mission = nullptr);

// The map of a mission that has no style file of its own, built from its profile: the mission
// area (its extent, outline and locator inset), every reference layer (polygons outlined, lines
// drawn, points marked, places labelled in the mission's languages), the deployment sites with
// their 1, 2 and 5 km rings and counts, and the listed venues by category. Without a profile
// (nullptr), the venues, sites and rings alone.
Style default_style(const model::MissionProfile* mission);

// The fields every mission layer has besides its own properties: the names of a feature in the
// mission's languages, in order, each name once. `label` is the first name, then on a second
// line the others joined by " / "; `label_first` and `label_rest` are its two lines
// (`label_rest` missing when there is one name). A language's name is the property
// name_<tag> (name_sr_latn for sr-Latn), else name_<language> (name_sr), else name:<tag>; a
// feature with none of them is named by its `name`, else by a property whose name ends in "name"
// (shapeName).
inline constexpr const char* kLabelField = "label";
inline constexpr const char* kLabelFirstField = "label_first";
inline constexpr const char* kLabelRestField = "label_rest";
// The names of a feature in that order, from its properties (a JSON object as text).
std::vector<std::string> place_names(const std::string& properties_json, const std::vector<std::string>& languages);

}  // namespace keepout::render
