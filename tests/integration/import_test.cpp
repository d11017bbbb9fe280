// Imports through GDAL: each format, the CRS honoured, all-or-nothing, every bad row reported.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

std::string import_data(const std::string& name) { return with_data_dir("import/" + name); }

void init(const std::string& db) { REQUIRE(run_keepout(db, {"init"}).exit_code == 0); }

// Every venue, keyed by external_id, as `export --what venues` writes it to GeoJSON.
std::map<std::string, json> venues_of(const std::string& db, const TempDir& tmp) {
    static int n = 0;
    const auto out = tmp.file("venues-" + std::to_string(n++) + ".geojson");
    auto r = run_keepout(db, {"export", out, "--what", "venues"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(out);
    auto fc = json::parse(in);
    std::map<std::string, json> by_id;
    for (auto& f : fc["features"]) {
        f["properties"].erase("id");
        by_id[f["properties"]["external_id"].get<std::string>()] = f;
    }
    return by_id;
}

std::vector<double> coords_of(const json& geometry) {
    std::vector<double> out;
    std::function<void(const json&)> walk = [&](const json& j) {
        if (j.is_number()) out.push_back(j.get<double>());
        else if (j.is_array())
            for (auto& x : j) walk(x);
    };
    walk(geometry["coordinates"]);
    return out;
}

std::vector<std::pair<double, double>> vertices_of(const json& geometry) {
    auto c = coords_of(geometry);
    std::vector<std::pair<double, double>> v;
    for (std::size_t i = 0; i + 1 < c.size(); i += 2) v.emplace_back(c[i], c[i + 1]);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

void require_same_venues(const std::map<std::string, json>& a, const std::map<std::string, json>& b) {
    REQUIRE(a.size() == b.size());
    for (auto& [id, fa] : a) {
        INFO("venue " << id);
        REQUIRE(b.count(id) == 1);
        const json& fb = b.at(id);
        json pa = fa["properties"], pb = fb["properties"];
        if (!pa.contains("aliases") || pa["aliases"].is_null()) pa["aliases"] = json::array();
        if (!pb.contains("aliases") || pb["aliases"].is_null()) pb["aliases"] = json::array();
        CHECK(pa == pb);
        CHECK(fa["geometry"]["type"] == fb["geometry"]["type"]);
        // The same vertices: some formats (Shapefile) reverse ring orientation.
        auto ca = vertices_of(fa["geometry"]), cb = vertices_of(fb["geometry"]);
        REQUIRE(ca.size() == cb.size());
        for (std::size_t i = 0; i < ca.size(); ++i) {
            CHECK(ca[i].first == Approx(cb[i].first).margin(1e-9));
            CHECK(ca[i].second == Approx(cb[i].second).margin(1e-9));
        }
    }
}

}  // namespace

TEST_CASE("import venues from each format", "[import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);

    SECTION("GeoJSON with aliases as arrays") {
        auto r = run_keepout(db, {"import", "venues", import_data("venues_good.geojson")});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto v = venues_of(db, tmp);
        REQUIRE(v.size() == 2);
        CHECK(v["G-1"]["properties"]["aliases"] == json({"Bar Mesec", "Бар Месец"}));
        CHECK(v["G-2"]["geometry"]["type"] == "Polygon");
    }
    SECTION("CSV with lat/lon columns, ';'-separated and JSON aliases, any-case categories") {
        auto r = run_keepout(db, {"import", "venues", import_data("venues_latlon.csv")});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto v = venues_of(db, tmp);
        REQUIRE(v.size() == 3);
        CHECK(v["C-1"]["properties"]["aliases"] == json({"Ylli", "Star Bar"}));
        CHECK(v["C-2"]["properties"]["aliases"] == json({"Nocni klub Endrra"}));
        CHECK(v["C-3"]["properties"]["category"] == "motel");
        CHECK(coords_of(v["C-1"]["geometry"]) == std::vector<double>{21.1650847, 42.6632737});
    }
    SECTION("CSV with a WKT column") {
        auto r = run_keepout(db, {"import", "venues", import_data("venues_wkt.csv")});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto v = venues_of(db, tmp);
        CHECK(v["W-1"]["geometry"]["type"] == "Polygon");
        CHECK(v["W-2"]["geometry"]["type"] == "Point");
    }
    SECTION("KML placemarks with extended data") {
        auto r = run_keepout(db, {"import", "venues", import_data("venues.kml")});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto v = venues_of(db, tmp);
        REQUIRE(v.size() == 2);
        CHECK(v["K-1"]["properties"]["name"] == "Bar Kalaja");
        CHECK(v["K-2"]["geometry"]["type"] == "Polygon");
        CHECK(coords_of(v["K-1"]["geometry"]).size() == 2);  // flattened to 2D
    }
    SECTION("the source CRS is honoured: UTM 34N is transformed to lon/lat") {
        auto r = run_keepout(db, {"import", "venues", import_data("venues_utm.geojson")});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto c = coords_of(venues_of(db, tmp)["U-1"]["geometry"]);
        // Reference from GeographicLib's GeoConvert: 42.6632737 21.1650847 ↔ 34n 513529.03 4723436.23.
        CHECK(c[0] == Approx(21.1650847).margin(1e-6));
        CHECK(c[1] == Approx(42.6632737).margin(1e-6));
    }
    SECTION("GeoPackage and Shapefile written by ogr2ogr") {
        for (std::string ext : {"gpkg", "shp"}) {
            const auto file = tmp.file("src." + ext);
            auto conv = run_program({"ogr2ogr", "-f", ext == "gpkg" ? "GPKG" : "ESRI Shapefile", file,
                                     import_data("venues_latlon.csv"), "-oo", "X_POSSIBLE_NAMES=lon", "-oo",
                                     "Y_POSSIBLE_NAMES=lat", "-a_srs", "EPSG:4326", "-lco", "ENCODING=UTF-8"});
            INFO(conv.err);
            REQUIRE(conv.exit_code == 0);
            const auto db2 = tmp.file(ext + ".sqlite");
            init(db2);
            auto r = run_keepout(db2, {"import", "venues", file});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            auto v = venues_of(db2, tmp);
            REQUIRE(v.size() == 3);
            CHECK(v["C-2"]["properties"]["name"] == "Ноћни клуб Ëndrra");
            CHECK(v["C-2"]["properties"]["municipality"] == "Mitrovicë");
        }
    }
}

TEST_CASE("one bad row and nothing is written, and every bad row is reported", "[import][validation]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const auto before = venues_of(db, tmp);
    const auto version_before = run_keepout(db, {"list", "--format", "json"}).json()["list_version"];

    auto r = run_keepout(db, {"import", "venues", import_data("venues_bad.geojson")});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("row 2 [name]") != std::string::npos);
    CHECK(r.err.find("row 3 [category]: unknown category \"casino\"") != std::string::npos);
    CHECK(r.err.find("row 4 [geometry]: coordinates out of range") != std::string::npos);
    CHECK(r.err.find("row 5 [geometry]: invalid polygon") != std::string::npos);
    CHECK(r.err.find("row 6 [external_id]: duplicate external_id \"T-1\"") != std::string::npos);
    CHECK(r.err.find("row 1 ") == std::string::npos);
    CHECK(r.err.find("row 7 ") == std::string::npos);
    CHECK(r.err.find("nothing was written") != std::string::npos);

    // The database content is exactly what it was.
    require_same_venues(before, venues_of(db, tmp));
    CHECK(run_keepout(db, {"list", "--format", "json"}).json()["list_version"] == version_before);
    CHECK(run_keepout(db, {"audit", "verify"}).exit_code == 0);

    SECTION("--format json reports the rows too") {
        auto j = run_keepout(db, {"import", "venues", import_data("venues_bad.geojson"), "--format", "json"});
        CHECK(j.exit_code != 0);
        auto report = j.json();
        CHECK(report["committed"] == false);
        CHECK(report["errors"].size() == 5);
    }
    SECTION("--skip-invalid writes the good rows only") {
        auto s = run_keepout(db, {"import", "venues", import_data("venues_bad.geojson"), "--skip-invalid"});
        INFO(s.err);
        CHECK(s.exit_code == 0);
        auto after = venues_of(db, tmp);
        CHECK(after.size() == before.size() + 2);
        CHECK(after.count("T-1") == 1);
        CHECK(after.count("T-7") == 1);
        CHECK(after["T-1"]["properties"]["name"] == "Bar Hëna");  // the duplicate did not overwrite it
    }
    SECTION("--repair fixes the bow-tie with GEOS instead of rejecting it") {
        const auto db2 = tmp.file("repair.sqlite");
        init(db2);
        auto s = run_keepout(db2, {"import", "venues", import_data("venues_bad.geojson"), "--skip-invalid", "--repair"});
        INFO(s.err);
        CHECK(s.exit_code == 0);
        auto after = venues_of(db2, tmp);
        REQUIRE(after.count("T-5") == 1);
        CHECK(after["T-5"]["geometry"]["type"] == "MultiPolygon");
    }
    SECTION("importing the same file twice is refused: external ids are taken") {
        auto again = run_keepout(db, {"import", "venues", sample("venues.geojson")});
        CHECK(again.exit_code != 0);
        CHECK(again.err.find("already in the database") != std::string::npos);
        CHECK(venues_of(db, tmp).size() == before.size());
    }
}

TEST_CASE("invalid UTF-8 and malformed numbers in a CSV are row errors", "[import][validation]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    const auto csv = tmp.file("bad.csv");
    {
        std::ofstream out(csv, std::ios::binary);
        out << "external_id,name,category,lat,lon\n"
            << "B-1,Good Bar,bar,42.6,21.1\n"
            << "B-2,Bad \xC3\x28 Bar,bar,42.6,21.1\n"
            << "B-3,No Number,bar,forty-two,21.1\n"
            << "B-4,No Coordinates,bar,,\n";
    }
    auto r = run_keepout(db, {"import", "venues", csv});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("row 2 [name]: text is not valid UTF-8") != std::string::npos);
    CHECK(r.err.find("row 3 [lat]: \"forty-two\" is not a number") != std::string::npos);
    CHECK(r.err.find("row 4 [geometry]: missing coordinates") != std::string::npos);
    CHECK(venues_of(db, tmp).empty());
}

TEST_CASE("export then import gives the same venues, in every format", "[import][export]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const auto original = venues_of(db, tmp);
    REQUIRE(original.size() == 180);
    for (std::string ext : {"geojson", "gpkg", "csv", "kml", "shp"}) {
        DYNAMIC_SECTION("round trip through " << ext) {
            const auto file = tmp.file("all." + ext);
            auto e = run_keepout(db, {"export", file, "--what", "venues"});
            INFO(e.err);
            REQUIRE(e.exit_code == 0);
            const auto db2 = tmp.file("copy-" + ext + ".sqlite");
            init(db2);
            std::vector<std::string> files{file};
            if (ext == "shp") files.push_back(tmp.file("all_footprints.shp"));  // points and footprints apart
            for (auto& f : files) {
                auto i = run_keepout(db2, {"import", "venues", f});
                INFO(i.err);
                REQUIRE(i.exit_code == 0);
            }
            require_same_venues(original, venues_of(db2, tmp));
        }
    }
}

TEST_CASE("export of the list, sites and sectors", "[export]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"export", tmp.file("list.gpkg"), "--as-of", "2026-06-01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("wrote 114 list features") != std::string::npos);
    auto info = run_program({"ogrinfo", "-so", "-al", tmp.file("list.gpkg")});
    CHECK(info.out.find("Feature Count: 114") != std::string::npos);
    CHECK(info.out.find("listed_since") != std::string::npos);
    CHECK(run_keepout(db, {"export", tmp.file("sites.geojson"), "--what", "sites"}).out.find("wrote 19") !=
          std::string::npos);
    CHECK(run_keepout(db, {"export", tmp.file("sectors.shp"), "--what", "sectors"}).out.find("wrote 7") !=
          std::string::npos);
    auto bad = run_keepout(db, {"export", tmp.file("list.xyz")});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find("cannot tell the output format") != std::string::npos);
}

TEST_CASE("import directives: unknown venues are reported and nothing is written", "[import][directives]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    REQUIRE(run_keepout(db, {"import", "venues", sample("venues.geojson")}).exit_code == 0);
    const auto file = tmp.file("d.json");
    {
        std::ofstream out(file);
        out << R"({"directives": [
          {"ref": "HOM/OL/2026/100", "title": "t", "authority": "Head of Mission", "signed": "2026-01-01",
           "effective": "2026-01-02", "status": "issued",
           "listings": [{"venue": "KV-026-0001", "action": "place", "reasons": ["trafficking"]},
                        {"venue": "NO-SUCH-VENUE", "action": "place", "reasons": ["trafficking"]}]},
          {"ref": "HOM/OL/2026/101", "title": "t", "signed": "2026-13-01", "effective": "2026-01-02",
           "status": "issued", "listings": []}]})";
    }
    auto r = run_keepout(db, {"import", "directives", file});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("row 3 [venue]") != std::string::npos);
    CHECK(r.err.find("NO-SUCH-VENUE") != std::string::npos);
    CHECK(r.err.find("[signed]") != std::string::npos);
    auto dl = run_keepout(db, {"directive", "list", "--format", "json"});
    CHECK(dl.json()["directives"].empty());
}

TEST_CASE("after a bulk import the spatial index is complete and SpatiaLite's triggers are back", "[import][store]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    // A failed import on top must leave the triggers too.
    CHECK(run_keepout(db, {"import", "venues", import_data("venues_bad.geojson")}).exit_code != 0);
    auto r = run_program({"sqlite3", db,
                          "SELECT load_extension('mod_spatialite');"
                          "SELECT CheckSpatialIndex('venues', 'geom');"
                          "SELECT count(*) FROM idx_venues_geom;"
                          "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"
                          " ('gii_venues_geom', 'ggi_venues_geom', 'tmi_venues_geom');"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "\n1\n180\n3\n");  // load_extension prints an empty line
}

TEST_CASE("the spatial index stays sound across a packed rebuild and small imports on top", "[import][store]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    // 2 rows (packed), then 180 (rebuild of the whole tree), then 3 (row by row).
    for (auto& f : {import_data("venues_good.geojson"), sample("venues.geojson"), import_data("venues_latlon.csv")}) {
        auto r = run_keepout(db, {"import", "venues", f});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto check = run_program({"sqlite3", db,
                                  "SELECT rtreecheck('idx_venues_geom');"
                                  "SELECT load_extension('mod_spatialite');"
                                  "SELECT CheckSpatialIndex('venues', 'geom');"});
        INFO(check.err);
        CHECK(check.out == "ok\n\n1\n");
    }
    // The index finds exactly what a scan of the table finds.
    const std::string box = "21.0, 42.5, 21.3, 42.8";
    auto indexed = run_program({"sqlite3", db, "SELECT count(*) FROM idx_venues_geom WHERE xmax >= 21.0 AND xmin <= 21.3"
                                               " AND ymax >= 42.5 AND ymin <= 42.8"});
    auto scanned = run_program({"sqlite3", "-cmd", "SELECT load_extension('mod_spatialite');", db,
                                "SELECT count(*) FROM venues WHERE MbrMaxX(geom) >= 21.0 AND MbrMinX(geom) <= 21.3"
                                " AND MbrMaxY(geom) >= 42.5 AND MbrMinY(geom) <= 42.8"});
    CHECK(indexed.out == scanned.out.substr(scanned.out.find_first_of("0123456789")));
    CHECK(std::stoi(indexed.out) > 10);
}

TEST_CASE("a bulk import deep enough for a three-level R-tree leaves a sound, complete index", "[import][store]") {
    // 5000 venues: about a hundred leaves under interior nodes under the root, so the packed
    // levels above the leaves are written and numbered too.
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    const auto file = tmp.file("many.geojson");
    {
        std::ofstream out(file);
        out << "{\"type\":\"FeatureCollection\",\"features\":[\n";
        std::uint64_t state = 12345;
        auto next = [&] {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            return double(state >> 11) / double(1ull << 53);
        };
        for (int i = 0; i < 5000; ++i) {
            const double lon = 20.0 + 1.8 * next(), lat = 41.85 + 1.4 * next();
            out << (i ? ",\n" : "") << "{\"type\":\"Feature\",\"properties\":{\"external_id\":\"T-" << i
                << "\",\"name\":\"Bar " << i << "\",\"category\":\"bar\"},\"geometry\":";
            char g[256];
            if (i % 5 == 0)
                std::snprintf(g, sizeof g,
                              "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}",
                              lon, lat, lon + 0.001, lat, lon + 0.001, lat + 0.001, lon, lat + 0.001, lon, lat);
            else
                std::snprintf(g, sizeof g, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", lon, lat);
            out << g << "}";
        }
        out << "]}\n";
    }
    auto r = run_keepout(db, {"import", "venues", file});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto check = run_program({"sqlite3", db,
                              "SELECT rtreecheck('idx_venues_geom');"
                              "SELECT rtreedepth(data) >= 2 FROM idx_venues_geom_node WHERE nodeno = 1;"
                              "SELECT count(*) FROM idx_venues_geom;"
                              "SELECT load_extension('mod_spatialite');"
                              "SELECT CheckSpatialIndex('venues', 'geom');"});
    INFO(check.err);
    CHECK(check.out == "ok\n1\n5000\n\n1\n");
    // Boxes across the extent: the index finds what a scan of the table finds.
    for (const char* box : {"20.1 41.9 20.4 42.2", "21.0 42.5 21.3 42.8", "21.5 43.0 21.8 43.25"}) {
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        std::sscanf(box, "%lf %lf %lf %lf", &x0, &y0, &x1, &y1);
        char where[256];
        std::snprintf(where, sizeof where, "xmax >= %g AND xmin <= %g AND ymax >= %g AND ymin <= %g", x0, x1, y0, y1);
        auto indexed = run_program({"sqlite3", db, std::string("SELECT count(*) FROM idx_venues_geom WHERE ") + where});
        std::snprintf(where, sizeof where,
                      "MbrMaxX(geom) >= %g AND MbrMinX(geom) <= %g AND MbrMaxY(geom) >= %g AND MbrMinY(geom) <= %g", x0,
                      x1, y0, y1);
        auto scanned = run_program({"sqlite3", "-cmd", "SELECT load_extension('mod_spatialite');", db,
                                    std::string("SELECT count(*) FROM venues WHERE ") + where});
        CAPTURE(box);
        CHECK(indexed.out == scanned.out.substr(scanned.out.find_first_of("0123456789")));
        CHECK(std::stoi(indexed.out) > 50);
    }
}

// ---- What an import file must not get past ----

namespace {

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// A FeatureCollection of one venue per geometry given (GeoJSON text), external ids X-1, X-2, …
std::string collection(const std::vector<std::string>& geometries, const std::string& top = "",
                       const std::string& extra_props = "") {
    std::string out = "{\"type\":\"FeatureCollection\"," + top + "\"features\":[";
    for (std::size_t i = 0; i < geometries.size(); ++i)
        out += std::string(i ? "," : "") + "{\"type\":\"Feature\",\"properties\":{\"external_id\":\"X-" +
               std::to_string(i + 1) + "\",\"name\":\"Bar " + std::to_string(i + 1) + "\",\"category\":\"bar\"" +
               extra_props + "},\"geometry\":" + geometries[i] + "}";
    return out + "]}\n";
}

std::string point(double lon, double lat) {
    char b[96];
    std::snprintf(b, sizeof b, "{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}", lon, lat);
    return b;
}

// A closed ring of n vertices (plus the closing one) round (lon, lat), radius r degrees.
std::string ring(double lon, double lat, double r, int n) {
    std::string out = "[";
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * (i % n) / n;
        char b[64];
        std::snprintf(b, sizeof b, "%s[%.9f,%.9f]", i ? "," : "", lon + r * std::cos(a), lat + r * std::sin(a));
        out += b;
    }
    return out + "]";
}
std::string polygon(double lon, double lat, double r, int n = 8) {
    return "{\"type\":\"Polygon\",\"coordinates\":[" + ring(lon, lat, r, n) + "]}";
}

struct Imported {
    RunResult run;
    std::size_t venues = 0;
};
Imported import_file(const TempDir& tmp, const std::string& file, std::vector<std::string> extra = {}) {
    static int n = 0;
    const auto db = tmp.file("bounds-" + std::to_string(n++) + ".sqlite");
    init(db);
    std::vector<std::string> args{"import", "venues", file};
    args.insert(args.end(), extra.begin(), extra.end());
    Imported out;
    out.run = run_keepout(db, args);
    out.venues = venues_of(db, tmp).size();
    return out;
}

bool has(const RunResult& r, const std::string& text) { return r.err.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("a CRS that PROJ does not know refuses the file, naming the CRS", "[import][crs]") {
    TempDir tmp;
    SECTION("GeoJSON with an unknown \"crs\": GDAL alone would read it as lon/lat") {
        const auto file = tmp.file("unknown-crs.geojson");
        write_file(file, collection({"{\"type\":\"Point\",\"coordinates\":[21.1,42.6]}"},
                                    R"("crs":{"type":"name","properties":{"name":"EPSG:999999"}},)"));
        auto r = import_file(tmp, file);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "EPSG:999999"));
        CHECK(has(r.run, "nothing was read"));
        CHECK(r.venues == 0);
    }
    // Shapefiles and GeoPackages from a CSV of lon/lat points, then their CRS spoiled.
    const auto csv = tmp.file("points.csv");
    write_file(csv, "external_id,name,category,lat,lon\nP-1,Bar One,bar,42.6,21.1\nP-2,Bar Two,bar,42.61,21.12\n");
    auto convert = [&](const std::string& out, const std::string& driver, std::vector<std::string> more) {
        std::vector<std::string> argv{"ogr2ogr", "-f", driver, out, csv, "-oo", "X_POSSIBLE_NAMES=lon",
                                      "-oo", "Y_POSSIBLE_NAMES=lat"};
        argv.insert(argv.end(), more.begin(), more.end());
        auto c = run_program(argv);
        INFO(c.err);
        REQUIRE(c.exit_code == 0);
    };
    SECTION("a shapefile whose .prj is junk") {
        const auto shp = tmp.file("junk.shp");
        convert(shp, "ESRI Shapefile", {"-a_srs", "EPSG:4326"});
        write_file(tmp.file("junk.prj"), "this is not a CRS");
        auto r = import_file(tmp, shp);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, ".prj holds a CRS that PROJ cannot read (\"this is not a CRS\")"));
        CHECK(r.venues == 0);
        // Not even when the user names a CRS: the file says something else that cannot be read.
        CHECK(import_file(tmp, shp, {"--assume-crs", "EPSG:4326"}).venues == 0);
    }
    SECTION("a GeoPackage whose srs is not in its own table, or not a CRS") {
        const auto gpkg = tmp.file("srs.gpkg");
        convert(gpkg, "GPKG", {"-a_srs", "EPSG:4326"});
        auto missing = run_program({"sqlite3", gpkg, "PRAGMA foreign_keys=off; UPDATE gpkg_geometry_columns SET srs_id = 999998;"
                                                     " UPDATE gpkg_contents SET srs_id = 999998;"});
        REQUIRE(missing.exit_code == 0);
        auto r = import_file(tmp, gpkg);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "999998"));
        CHECK(r.venues == 0);

        auto junk = run_program({"sqlite3", gpkg, "PRAGMA foreign_keys=off; INSERT INTO gpkg_spatial_ref_sys VALUES"
                                                  " ('junk', 999999, 'NONE', 999999, 'not a crs at all', NULL);"
                                                  " UPDATE gpkg_geometry_columns SET srs_id = 999999;"
                                                  " UPDATE gpkg_contents SET srs_id = 999999;"});
        REQUIRE(junk.exit_code == 0);
        r = import_file(tmp, gpkg);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "not a crs at all"));
        CHECK(r.venues == 0);
    }
    SECTION("a shapefile without .prj: refused, unless --assume-crs says lon/lat and they are") {
        const auto shp = tmp.file("noprj.shp");
        convert(shp, "ESRI Shapefile", {});
        REQUIRE_FALSE(std::ifstream(tmp.file("noprj.prj")).good());
        auto r = import_file(tmp, shp);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "declares no CRS"));
        CHECK(has(r.run, "--assume-crs EPSG:4326"));
        CHECK(r.venues == 0);

        auto assumed = import_file(tmp, shp, {"--assume-crs", "EPSG:4326"});
        INFO(assumed.run.err);
        CHECK(assumed.run.exit_code == 0);
        CHECK(assumed.venues == 2);

        // UTM metres in a shapefile without .prj: "lon/lat" is plainly wrong.
        const auto utm_csv = tmp.file("utm.csv");
        write_file(utm_csv, "external_id,name,category,y,x\nU-1,Bar Utm,bar,4723436.23,513529.03\n");
        const auto utm = tmp.file("utm.shp");
        auto c = run_program({"ogr2ogr", "-f", "ESRI Shapefile", utm, utm_csv, "-oo", "X_POSSIBLE_NAMES=x", "-oo",
                              "Y_POSSIBLE_NAMES=y"});
        REQUIRE(c.exit_code == 0);
        auto wrong = import_file(tmp, utm, {"--assume-crs", "EPSG:4326"});
        INFO(wrong.run.err);
        CHECK(wrong.run.exit_code != 0);
        CHECK(has(wrong.run, "they are in another CRS"));
        CHECK(wrong.venues == 0);
        // Told the right CRS, it is transformed like any declared one.
        auto right = import_file(tmp, utm, {"--assume-crs", "EPSG:32634"});
        INFO(right.run.err);
        CHECK(right.run.exit_code == 0);
        CHECK(right.venues == 1);
    }
    SECTION("--assume-crs that contradicts a declared CRS is refused") {
        auto r = import_file(tmp, import_data("venues_utm.geojson"), {"--assume-crs", "EPSG:4326"});
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "not the --assume-crs EPSG:4326"));
    }
}

TEST_CASE("geometries that cannot be a venue are refused row by row", "[import][geometry]") {
    TempDir tmp;
    const auto file = tmp.file("shapes.geojson");
    write_file(file, collection({
        point(21.1, 42.6),  // 1: good
        // 2: across the antimeridian: as lon/lat a polygon round the whole world
        R"({"type":"Polygon","coordinates":[[[-179.9,-16.8],[179.9,-16.8],[179.9,-16.7],[-179.9,-16.7],[-179.9,-16.8]]]})",
        polygon(21.1, 42.6, 0.3),  // 3: some 50 km across
        // 4: two small parts 100 km apart
        "{\"type\":\"MultiPolygon\",\"coordinates\":[[" + ring(21.1, 42.6, 0.0005, 6) + "],[" +
            ring(22.3, 42.6, 0.0005, 6) + "]]}",
        R"({"type":"Polygon","coordinates":[]})",                                                 // 5: empty
        R"({"type":"Polygon","coordinates":[[[21.1,42.6],[21.101,42.6],[21.102,42.6],[21.1,42.6]]]})",  // 6: no area
        R"({"type":"Point","coordinates":[21.1,42.6,1e999]})",                                    // 7: infinite Z
        R"({"type":"Point","coordinates":[21.1,1e999]})",                                         // 8: infinite Y
        R"({"type":"LineString","coordinates":[[21.1,42.6],[21.2,42.6]]})",                       // 9: not a venue
        polygon(21.1, 42.6, 0.0005),                                                              // 10: good
    }));
    auto r = import_file(tmp, file);
    INFO(r.run.err);
    CHECK(r.run.exit_code != 0);
    CHECK(r.venues == 0);
    CHECK(has(r.run, "row 2 [geometry]: the footprint crosses the antimeridian"));
    CHECK(has(r.run, "row 3 [geometry]: the footprint is 8"));  // 83 km corner to corner
    CHECK(has(r.run, "km across (bounding box corner to corner, geodesic), at most 5.0 km for a venue"));
    CHECK(has(r.run, "row 4 [geometry]: the parts of the footprint are 9"));  // 98 km
    CHECK(has(r.run, "row 5 [geometry]: missing or empty geometry"));
    CHECK(has(r.run, "row 6 [geometry]: the footprint has no area"));
    CHECK(has(r.run, "row 7 [geometry]: coordinates (or Z/M values) are not finite numbers"));
    CHECK(has(r.run, "row 8 [geometry]: coordinates (or Z/M values) are not finite numbers"));
    CHECK(has(r.run, "row 9 [geometry]: LINESTRING is not accepted here"));
    CHECK_FALSE(has(r.run, "row 1 "));
    CHECK_FALSE(has(r.run, "row 10 "));

    SECTION("--skip-invalid keeps the two good ones") {
        auto s = import_file(tmp, file, {"--skip-invalid"});
        INFO(s.run.err);
        CHECK(s.run.exit_code == 0);
        CHECK(s.venues == 2);
    }
}

TEST_CASE("names, aliases and footprints are bounded, and a huge row is refused quickly", "[import][bounds]") {
    TempDir tmp;
    auto aliases = [](std::size_t n, const std::string& stem = "Alias ") {
        std::string out = ",\"aliases\":[";
        for (std::size_t i = 0; i < n; ++i) out += (i ? ",\"" : "\"") + stem + std::to_string(i) + "\"";
        return out + "]";
    };
    SECTION("64 aliases are fine, 65 are refused") {
        const auto ok = tmp.file("64.geojson"), bad = tmp.file("65.geojson");
        write_file(ok, collection({point(21.1, 42.6)}, "", aliases(64)));
        write_file(bad, collection({point(21.1, 42.6)}, "", aliases(65)));
        CHECK(import_file(tmp, ok).venues == 1);
        auto r = import_file(tmp, bad);
        INFO(r.run.err);
        CHECK(has(r.run, "row 1 [aliases]: 65 aliases given, at most 64 per venue"));
        CHECK(r.venues == 0);
    }
    SECTION("100 000 aliases of one venue: refused as a row") {
        const auto file = tmp.file("100k.geojson");
        write_file(file, collection({point(21.1, 42.6)}, "", aliases(100000)));
        auto r = import_file(tmp, file);
        INFO(r.run.err.substr(0, 2000));
        CHECK(has(r.run, "row 1 [aliases]: 100000 aliases given, at most 64 per venue"));
        CHECK(r.venues == 0);
    }
    SECTION("the same through a CSV of ';'-separated aliases") {
        std::string list;
        for (int i = 0; i < 100000; ++i) list += (i ? ";" : "") + std::string("Alias ") + std::to_string(i);
        const auto file = tmp.file("100k.csv");
        write_file(file, "external_id,name,category,lat,lon,aliases\nA-1,Bar Many,bar,42.6,21.1,\"" + list + "\"\n");
        auto r = import_file(tmp, file);
        CHECK(has(r.run, "row 1 [aliases]: 100000 aliases given"));
        CHECK(r.venues == 0);
    }
    SECTION("200 characters are counted in code points, not bytes") {
        std::string cyr200, cyr201;
        for (int i = 0; i < 200; ++i) cyr200 += "Б";  // two bytes each
        cyr201 = cyr200 + "Б";
        const auto ok = tmp.file("200.geojson"), bad = tmp.file("201.geojson");
        write_file(ok, collection({point(21.1, 42.6)}, "", ",\"address\":\"" + cyr200 + "\""));
        write_file(bad, collection({point(21.1, 42.6)}, "", ",\"address\":\"" + cyr201 + "\",\"aliases\":[\"" +
                                                                 cyr201 + "\"]"));
        auto good = import_file(tmp, ok);
        INFO(good.run.err);
        CHECK(good.venues == 1);
        auto r = import_file(tmp, bad);
        INFO(r.run.err);
        CHECK(has(r.run, "row 1 [address]: text is 201 characters long, at most 200"));
        CHECK(r.venues == 0);
    }
    SECTION("a 10 000-vertex footprint is fine, 10 001 is refused before it is copied") {
        const auto ok = tmp.file("10k.geojson"), bad = tmp.file("10k1.geojson");
        write_file(ok, collection({polygon(21.1, 42.6, 0.0005, 9999)}));   // 9 999 + the closing vertex
        write_file(bad, collection({polygon(21.1, 42.6, 0.0005, 10000)}));
        auto good = import_file(tmp, ok);
        INFO(good.run.err);
        CHECK(good.venues == 1);
        auto r = import_file(tmp, bad);
        INFO(r.run.err);
        CHECK(has(r.run, "row 1 [geometry]: the footprint has 10001 vertices, at most 10000 for a venue"));
        CHECK(r.venues == 0);
    }
    SECTION("a GeoJSON feature far beyond the bounds is refused before GDAL builds it") {
        const auto file = tmp.file("200k.geojson");
        write_file(file, collection({polygon(21.1, 42.6, 0.0005, 200000)}));
        auto r = import_file(tmp, file);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "larger than keepout reads"));
        CHECK(r.venues == 0);
    }
    SECTION("a GeoPackage footprint of 50 000 vertices is refused as a row") {
        const auto src = tmp.file("50k.geojson"), gpkg = tmp.file("50k.gpkg");
        write_file(src, collection({polygon(21.1, 42.6, 0.0005, 50000), point(21.1, 42.6)}));
        auto c = run_program({"ogr2ogr", "-f", "GPKG", gpkg, src});
        INFO(c.err);
        REQUIRE(c.exit_code == 0);
        auto r = import_file(tmp, gpkg, {"--skip-invalid"});
        INFO(r.run.err);
        CHECK(has(r.run, "row 1 [geometry]: the footprint has 50001 vertices, at most 10000"));
        CHECK(r.venues == 1);
    }
}

TEST_CASE("text that would be cut, hidden or garbled is refused", "[import][text]") {
    TempDir tmp;
    SECTION("a NUL in a GeoJSON name would cut it short: the file is refused") {
        const auto file = tmp.file("nul.geojson");
        write_file(file, collection({point(21.1, 42.6)}, "", R"(,"aliases":["Bar\u0000Hidden"])"));
        auto r = import_file(tmp, file);
        INFO(r.run.err);
        CHECK(r.run.exit_code != 0);
        CHECK(has(r.run, "\\u0000"));
        CHECK(r.venues == 0);
        // An escaped backslash before "u0000" is plain text, not a NUL.
        write_file(file, collection({point(21.1, 42.6)}, "", R"(,"address":"C:\\u0000")"));
        auto fine = import_file(tmp, file);
        INFO(fine.run.err);
        CHECK(fine.venues == 1);
    }
    SECTION("control characters and bidirectional overrides in names are row errors") {
        const auto file = tmp.file("controls.geojson");
        write_file(file, "{\"type\":\"FeatureCollection\",\"features\":["
                         "{\"type\":\"Feature\",\"properties\":{\"name\":\"Bar\\u202Eeman\"},\"geometry\":" + point(21.1, 42.6) + "},"
                         "{\"type\":\"Feature\",\"properties\":{\"name\":\"Bar\\nTwo lines\"},\"geometry\":" + point(21.1, 42.6) + "},"
                         "{\"type\":\"Feature\",\"properties\":{\"name\":\"Bar Fine\"},\"geometry\":" + point(21.1, 42.6) + "}]}");
        auto r = import_file(tmp, file);
        INFO(r.run.err);
        CHECK(has(r.run, "row 1 [name]: text holds the bidirectional control U+202E"));
        CHECK(has(r.run, "row 2 [name]: text holds the control character U+000A"));
        CHECK_FALSE(has(r.run, "row 3 "));
        CHECK(r.venues == 0);
    }
    SECTION("a huge unknown category is quoted short") {
        const auto file = tmp.file("cat.csv");
        write_file(file, "name,category,lat,lon\nBar,\"" + std::string(100000, 'x') + "\",42.6,21.1\n");
        auto r = import_file(tmp, file);
        CHECK(has(r.run, "row 1 [category]: unknown category \"xxxx"));
        CHECK(r.run.err.size() < 2000);
    }
}

TEST_CASE("a GeoJSON nested too deep is refused, not a crash", "[import][text]") {
    TempDir tmp;
    const auto file = tmp.file("deep.geojson");
    const int depth = 200000;
    write_file(file, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"Deep\","
                     "\"aliases\":" + std::string(depth, '[') + std::string(depth, ']') + "},\"geometry\":" +
                     point(21.1, 42.6) + "}]}");
    auto r = import_file(tmp, file);
    INFO(r.run.err.substr(0, 500));
    CHECK(r.run.exit_code == 1);
    CHECK(r.venues == 0);
}

TEST_CASE("a directives.json nested too deep or too large is refused, not a crash", "[import][directives]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    init(db);
    const auto file = tmp.file("deep.json");
    const int depth = 1000000;  // crashed the import (stack overflow) before
    write_file(file, R"({"directives":[{"ref":"HOM/OL/2026/900","title":"t","signed":"2026-01-01","effective":"2026-01-02",)"
                     R"("status":"draft","listings":[{"venue":"X","action":"place","reasons":[)" +
                         std::string(depth, '[') + std::string(depth, ']') + "]}]}]}");
    auto r = run_keepout(db, {"import", "directives", file});
    INFO(r.err.substr(0, 500));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("nested deeper than") != std::string::npos);

    const auto big = tmp.file("big.json");
    {
        std::ofstream out(big, std::ios::binary);
        out << R"({"directives":[{"ref":"HOM/OL/2026/901","title":")" << std::string(17u << 20, 'x') << R"("}]})";
    }
    auto b = run_keepout(db, {"import", "directives", big});
    CHECK(b.exit_code == 1);
    CHECK(b.err.find("more than a directives file holds") != std::string::npos);
    CHECK(run_keepout(db, {"directive", "list", "--format", "json"}).json()["directives"].empty());
}
