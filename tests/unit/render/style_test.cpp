#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "render/features.hpp"
#include "render/style.hpp"
#include "with_data_dir.hpp"
#include "source/features.hpp"

using namespace keepout;
using namespace keepout::render;

namespace {

std::string source_dir() { return KEEPOUT_SOURCE_DIR; }

// Parses a style given as text, with relative paths resolved against data/kosovo.
Style parse(const std::string& text) {
    return parse_style(text, "test.json", (std::filesystem::path(source_dir()) / "data" / "kosovo").string(), keepout::source::read_features);
}

// The key a bad style is rejected with.
std::string rejected_key(const std::string& text) {
    try {
        parse(text);
    } catch (const StyleError& e) {
        CHECK(e.file == "test.json");
        CHECK(std::string(e.what()).rfind("test.json: ", 0) == 0);
        return e.key;
    }
    FAIL("style was accepted: " << text);
    return "";
}

std::string rejected_message(const std::string& text) {
    try {
        parse(text);
    } catch (const StyleError& e) {
        return e.what();
    }
    return "";
}

const char* kMinimal = R"({"layers": [{"name": "v", "source": {"store": "venues"},
    "rules": [{"symbolizers": [{"type": "marker"}]}]}]})";

}  // namespace

TEST_CASE("style: the Kosovo slide loads with its layers, rules and file sources") {
    const Style s = load_style(source_dir() + "/styles/kosovo-slide.json", keepout::source::read_features);
    CHECK(s.name == "kosovo-slide");
    CHECK(s.crs == "EPSG:32634");
    CHECK(s.page.page == PageSize::A3);
    CHECK(s.page.landscape);
    CHECK(s.page.marking.find("FOR OFFICIAL USE ONLY") != std::string::npos);
    REQUIRE(s.layers.size() >= 5);
    CHECK(s.layers[0].source.kind == SourceKind::file);
    REQUIRE(s.layers[0].source.data);
    CHECK(s.layers[0].source.data->features.size() == 38);  // municipalities
    CHECK(s.page.inset_data);
    CHECK(s.ring_radii() == std::vector<double>{1000, 2000, 5000});
    bool venues = false, sites = false;
    for (auto& l : s.layers) {
        venues = venues || l.source.kind == SourceKind::venues;
        sites = sites || l.source.kind == SourceKind::sites;
    }
    CHECK(venues);
    CHECK(sites);
}

TEST_CASE("style: a minimal style takes the defaults") {
    const Style s = parse(kMinimal);
    CHECK(s.crs.empty());
    CHECK(s.scale == 0);
    REQUIRE(s.layers.size() == 1);
    REQUIRE(s.layers[0].rules.size() == 1);
    const auto& r = s.layers[0].rules[0];
    CHECK(r.applies_at(1));
    CHECK(r.applies_at(1e9));
    CHECK(std::holds_alternative<MarkerSymbolizer>(r.symbolizers[0]));
}

TEST_CASE("style: every symbolizer and filter form parses") {
    const Style s = parse(R"({
      "crs": "EPSG:32634", "extent": [20, 41.8, 21.8, 43.3], "scale": 250000, "background": "#eee",
      "template": {"page": "A4", "orientation": "portrait", "grid": {"kind": "utm", "spacing_m": 5000}},
      "layers": [
        {"name": "m", "source": {"file": "municipalities.geojson"}, "rules": [
          {"title": "Municipality", "min_scale": 100000, "max_scale": 2000000,
           "filter": {"shapeName": {"!=": "x"}},
           "symbolizers": [{"type": "polygon", "fill": "#f0f0f0", "opacity": 0.5},
                           {"type": "line", "color": "#999999", "width": 0.4, "dash": [2, 1], "cap": "round", "join": "bevel"}]}]},
        {"name": "t", "source": {"file": "towns.geojson"}, "rules": [
          {"filter": {"population_approx": {">=": 40000, "<": 1e6}},
           "symbolizers": [{"type": "text", "text": "<b>{name_sq}</b>\n{name_sr}", "markup": true, "size": 8,
                            "weight": "bold", "style": "italic", "halo": "#ffffffcc", "halo_width": 1,
                            "placement": "point", "priority": 5, "leader": true, "align": "center"}]}]},
        {"name": "s", "source": {"store": "sites"}, "rules": [
          {"filter": {"kind": ["military", "hq"]},
           "symbolizers": [{"type": "marker", "shape": "star",
                            "size": {"attribute": "personnel", "scale": "linear", "domain": [0, 5000], "range": [3, 20]}},
                           {"type": "rings", "radii_m": [5000, 1000], "dash": [1, 1], "labels": false},
                           {"type": "text", "text": "{name} {count_1000}"}]},
          {"else": true, "symbolizers": [{"type": "marker"}]}]}]})");
    CHECK(s.page.page == PageSize::A4);
    CHECK_FALSE(s.page.landscape);
    CHECK(s.page.grid.kind == "utm");
    CHECK(s.page.grid.spacing_m == 5000);
    CHECK(s.extent.has_value());
    const Rule& m = s.layers[0].rules[0];
    CHECK(m.applies_at(500000));
    CHECK_FALSE(m.applies_at(50000));
    CHECK_FALSE(m.applies_at(2000000));
    REQUIRE(s.layers[1].rules[0].filter.size() == 2);
    const auto& marker = std::get<MarkerSymbolizer>(s.layers[2].rules[0].symbolizers[0]);
    CHECK(marker.shape == MarkerShape::star);
    CHECK(marker.size.at(0) == Approx(3));
    CHECK(marker.size.at(5000) == Approx(20));
    CHECK(marker.size.at(2500) == Approx(11.5));
    CHECK(marker.size.at(1e9) == Approx(20));  // clamped
    const auto& rings = std::get<RingsSymbolizer>(s.layers[2].rules[0].symbolizers[1]);
    CHECK(rings.radii_m == std::vector<double>{1000, 5000});  // sorted
    CHECK(s.layers[2].rules[1].else_rule);
}

TEST_CASE("style: a bad style file is rejected with the key at fault and the file") {
    CHECK(rejected_key("{") == "");
    CHECK(rejected_message("{").find("not valid JSON") != std::string::npos);
    CHECK(rejected_key("{}") == "");
    CHECK(rejected_message("{}").find("missing key 'layers'") != std::string::npos);
    CHECK(rejected_key(R"({"titel": "x", "layers": []})") == "titel");
    CHECK(rejected_key(R"({"layers": []})") == "layers");
    CHECK(rejected_key(R"({"layers": {}})") == "layers");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "line", "width": "thin"}]}]}]})") == "layers[0].rules[0].symbolizers[0].width");
    CHECK(rejected_message(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "line", "width": "thin"}]}]}]})")
              .find("expected a number, got \"thin\"") != std::string::npos);
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "line", "width": -1}]}]}]})") == "layers[0].rules[0].symbolizers[0].width");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "polygon", "fill": "#12"}]}]}]})") == "layers[0].rules[0].symbolizers[0].fill");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "hatch"}]}]}]})") == "layers[0].rules[0].symbolizers[0].type");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "marker", "colour": "red"}]}]}]})") == "layers[0].rules[0].symbolizers[0].colour");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [{"symbolizers": [
        {"type": "marker", "shape": "blob"}]}]}]})") == "layers[0].rules[0].symbolizers[0].shape");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"filter": {"categry": "bar"}, "symbolizers": [{"type": "marker"}]}]}]})") == "layers[0].rules[0].filter.categry");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"filter": {"id": {"~": 3}}, "symbolizers": [{"type": "marker"}]}]}]})") == "layers[0].rules[0].filter.id.~");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"filter": {"name": {">": "b"}}, "symbolizers": [{"type": "marker"}]}]}]})") == "layers[0].rules[0].filter.name.>");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": [{"type": "text", "text": "{nmae}"}]}]}]})") == "layers[0].rules[0].symbolizers[0].text");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": [{"type": "text", "text": "{name"}]}]}]})") == "layers[0].rules[0].symbolizers[0].text");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": [{"type": "text", "text": "<b>{name}", "markup": true}]}]}]})") ==
          "layers[0].rules[0].symbolizers[0].text");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": [{"type": "text"}]}]}]})") == "layers[0].rules[0].symbolizers[0]");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": []}]}]})") == "layers[0].rules[0].symbolizers");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"min_scale": 5000, "max_scale": 1000, "symbolizers": [{"type": "marker"}]}]}]})") ==
          "layers[0].rules[0].max_scale");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": [
        {"symbolizers": [{"type": "rings", "radii_m": [0]}]}]}]})") == "layers[0].rules[0].symbolizers[0].radii_m[0]");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "pubs"}, "rules": []}]})") ==
          "layers[0].source.store");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"file": "nowhere.geojson"}, "rules": []}]})") ==
          "layers[0].source.file");
    CHECK(rejected_message(R"({"layers": [{"name": "v", "source": {"file": "nowhere.geojson"}, "rules": []}]})")
              .find("nowhere.geojson") != std::string::npos);
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"file": "towns.geojson"}, "rules": [
        {"symbolizers": [{"type": "text", "text": "{name}"}]}]}]})") == "layers[0].rules[0].symbolizers[0].text");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "sites", "listed": true}, "rules": []}]})") ==
          "layers[0].source.listed");
    CHECK(rejected_key(std::string(R"({"template": {"page": "A5"}, )") + std::string(kMinimal).substr(1)) == "template.page");
    CHECK(rejected_key(std::string(R"({"template": {"grid": {"kind": "gars"}}, )") + std::string(kMinimal).substr(1)) ==
          "template.grid.kind");
    CHECK(rejected_key(std::string(R"({"template": {"inset": {"file": "no.geojson"}}, )") + std::string(kMinimal).substr(1)) ==
          "template.inset.file");
    CHECK(rejected_key(std::string(R"({"extent": [21, 42], )") + std::string(kMinimal).substr(1)) == "extent");
    CHECK(rejected_key(std::string(R"({"extent": "nope", )") + std::string(kMinimal).substr(1)) == "extent");
    CHECK(rejected_key(R"({"layers": [{"name": "v", "source": {"store": "venues"}, "rules": []},
                                      {"name": "v", "source": {"store": "sites"}, "rules": []}]})") == "layers[1].name");
}

TEST_CASE("style: a missing style file is named in the error") {
    try {
        load_style("/nonexistent/style.json", keepout::source::read_features);
        FAIL("loaded a missing file");
    } catch (const StyleError& e) {
        CHECK(e.file == "/nonexistent/style.json");
        CHECK(std::string(e.what()).find("/nonexistent/style.json") != std::string::npos);
    }
}

TEST_CASE("style: colours and text templates") {
    auto c = parse_color("#ff8000");
    CHECK(c.r == Approx(1));
    CHECK(c.g == Approx(128 / 255.0));
    CHECK(c.b == Approx(0));
    CHECK(c.a == Approx(1));
    CHECK(parse_color("#fff").g == Approx(1));
    CHECK(parse_color("#00000080").a == Approx(128 / 255.0));
    CHECK(parse_color("none").a == 0);
    CHECK_THROWS_AS(parse_color("#ggg"), std::invalid_argument);
    CHECK_THROWS_AS(parse_color("ff0000"), std::invalid_argument);
    CHECK_THROWS_AS(parse_color("#12345"), std::invalid_argument);

    auto t = parse_template("{name} ({count_1000})");
    CHECK(t.fields == std::vector<std::string>{"name", "count_1000"});
    CHECK(t.literals == std::vector<std::string>{"", " (", ")"});
    CHECK(parse_template("plain").fields.empty());
    CHECK_THROWS_AS(parse_template("{oops"), std::invalid_argument);
    CHECK_THROWS_AS(parse_template("{}"), std::invalid_argument);
}

TEST_CASE("style: filters compare numbers as numbers and text as text") {
    const Style s = parse(R"({"layers": [{"name": "t", "source": {"file": "towns.geojson"}, "rules": [
        {"filter": {"population_approx": {">=": 50000}}, "symbolizers": [{"type": "marker"}]},
        {"filter": {"name_sq": ["Prizren", "Pejë"]}, "symbolizers": [{"type": "marker"}]},
        {"filter": {"name_sr": {"exists": true}, "name_sq": {"not_in": ["Prishtinë"]}}, "symbolizers": [{"type": "marker"}]}]}]})");
    const FeatureData& d = *s.layers[0].source.data;
    auto count = [&](std::size_t rule) {
        std::size_t n = 0;
        for (auto& f : d.features) n += matches(s.layers[0].rules[rule].filter, d, f);
        return n;
    };
    CHECK(count(0) == 5);   // Prishtinë, Prizren, Pejë, Mitrovicë, Gjilan
    CHECK(count(1) == 2);
    CHECK(count(2) == d.features.size() - 1);
    // A template filled from a town, escaped for markup.
    const TextTemplate t = parse_template("{name_sq} / {name_sr}");
    for (auto& f : d.features)
        if (fill_template(t, d, f, false).rfind("Prishtinë", 0) == 0) CHECK(fill_template(t, d, f, false) == "Prishtinë / Приштина");
}
