// For devices in the field: the KMZ and the TAK data package from the command line and the API
// (unzip -t, xmllint, GDAL's KML reader sees every listed venue, the manifest lists every entry),
// and MGRS in every verdict, checked against GeographicLib's GeoConvert in three grid zones.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "integration/server.hpp"

using namespace keepout::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


RunResult must(const std::vector<std::string>& argv) {
    auto r = run_program(argv);
    INFO(argv[0] << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// Features GDAL reads in one layer of a KML inside a zip.
long kml_layer_count(const std::string& zip, const std::string& entry, const std::string& layer) {
    auto r = must({"ogrinfo", "-ro", "-so", "/vsizip/" + zip + "/" + entry, layer});
    const auto at = r.out.find("Feature Count: ");
    REQUIRE(at != std::string::npos);
    return std::stol(r.out.substr(at + 15));
}

std::string geoconvert_mgrs(double lat, double lon) {
    auto r = run_program({"sh", "-c", "echo \"$0 $1\" | GeoConvert -m -p 0", std::to_string(lat), std::to_string(lon)});
    REQUIRE(r.exit_code == 0);
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace

TEST_CASE("KMZ and TAK data package from the command line: valid zips, KML GDAL reads, a full manifest",
          "[cli][field]") {
    TempDir tmp;
    const auto db = tmp.file("kosovo.sqlite");
    load_mission(db, sample_dir("kosovo"));
    const json list = run_keepout(db, {"list", "--format", "geojson"}).json();
    long listed = long(list["features"].size()), footprints = 0, points = 0;
    for (const auto& f : list["features"]) (f["geometry"]["type"] == "Point" ? points : footprints)++;
    REQUIRE(footprints > 0);

    const auto kmz = tmp.file("offlimits.kmz");
    auto e = run_keepout(db, {"export", kmz, "--ring", "1000"});
    INFO(e.err);
    REQUIRE(e.exit_code == 0);
    must({"unzip", "-t", kmz});
    CHECK(must({"unzip", "-Z1", kmz}).out == "doc.kml\n");
    must({"sh", "-c", "unzip -p \"$0\" doc.kml | xmllint --noout -", kmz});
    CHECK(kml_layer_count(kmz, "doc.kml", "Off-Limits venues") == listed);
    CHECK(kml_layer_count(kmz, "doc.kml", "Off-Limits footprints") == footprints);
    CHECK(kml_layer_count(kmz, "doc.kml", "Check radius") == points);
    CHECK(kml_layer_count(kmz, "doc.kml", "Site rings") > 0);
    const std::string kml = must({"unzip", "-p", kmz, "doc.kml"}).out;
    CHECK(kml.find("<Style id=\"venue\"><IconStyle><color>ff0000ff</color>") != std::string::npos);  // red

    const auto tak = tmp.file("offlimits.tak.zip");
    auto t = run_keepout(db, {"export", tak, "--format", "tak"});
    INFO(t.err);
    REQUIRE(t.exit_code == 0);
    must({"unzip", "-t", tak});
    const std::string manifest = must({"unzip", "-p", tak, "MANIFEST/manifest.xml"}).out;
    must({"sh", "-c", "unzip -p \"$0\" MANIFEST/manifest.xml | xmllint --noout -", tak});
    // MissionPackageManifest version 2: uid and name, one Content per entry of the zip.
    auto xpath = [&](const std::string& expr) {
        std::string out = must({"sh", "-c", "unzip -p \"$0\" MANIFEST/manifest.xml | xmllint --xpath \"$1\" -", tak, expr}).out;
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return out;
    };
    CHECK(xpath("string(/MissionPackageManifest/@version)") == "2");
    CHECK_FALSE(xpath("string(//Configuration/Parameter[@name='uid']/@value)").empty());
    CHECK_FALSE(xpath("string(//Configuration/Parameter[@name='name']/@value)").empty());
    std::set<std::string> in_zip;
    {
        std::istringstream names(must({"unzip", "-Z1", tak}).out);
        std::string n;
        while (std::getline(names, n)) in_zip.insert(n);
    }
    const long contents = std::stol(xpath("count(//Contents/Content)"));
    CHECK(contents == long(in_zip.size()) - 1);  // every entry but the manifest itself
    for (const auto& name : in_zip)
        if (name != "MANIFEST/manifest.xml") CHECK(manifest.find("zipEntry=\"" + name + "\"") != std::string::npos);
    CHECK(kml_layer_count(tak, "offlimits.kml", "Off-Limits venues") == listed);
    // A geofence per point venue (its check circle) and at least one per footprint.
    long circles = 0, shapes = 0;
    for (const auto& name : in_zip) {
        if (name.rfind("geofences/", 0) != 0) continue;
        const std::string cot = must({"unzip", "-p", tak, name}).out;
        must({"sh", "-c", "unzip -p \"$0\" \"$1\" | xmllint --noout -", tak, name});
        CHECK(cot.find("<__geofence ") != std::string::npos);
        CHECK(cot.find("trigger=\"Entry\"") != std::string::npos);
        if (cot.find("type=\"u-d-c-c\"") != std::string::npos) {
            ++circles;
            CHECK(cot.find("<ellipse major=\"75\" minor=\"75\"") != std::string::npos);
        }
        if (cot.find("type=\"u-d-f\"") != std::string::npos) ++shapes;
    }
    CHECK(circles == points);
    CHECK(shapes >= footprints);
}

TEST_CASE("KMZ and TAK package from the API, as of a date, the same list as the command line", "[server][field]") {
    TempDir tmp;
    const auto db = tmp.file("lebanon.sqlite");
    load_mission(db, sample_dir("lebanon"));
    ServerProcess server(db);
    const std::string kmz = tmp.file("api.kmz"), tak = tmp.file("api.tak.zip");
    auto k = run_program({"curl", "-sS", "-f", "-o", kmz, server.url("/api/v1/offlimits.kmz")});
    INFO(k.err);
    REQUIRE(k.exit_code == 0);
    must({"unzip", "-t", kmz});
    const long listed = long(run_keepout(db, {"list", "--format", "json"}).json()["venues"].size());
    CHECK(kml_layer_count(kmz, "doc.kml", "Off-Limits venues") == listed);
    auto t = get(server.url("/api/v1/offlimits.tak.zip"));
    REQUIRE(t.status == 200);
    CHECK(t.header("content-type") == "application/zip");
    CHECK(t.header("content-disposition").find(".tak.zip") != std::string::npos);
    std::ofstream(tak, std::ios::binary) << t.body;
    must({"unzip", "-t", tak});

    // as_of: before the first directive, nothing is listed; the package says so.
    const std::string early = tmp.file("early.kmz");
    REQUIRE(run_program({"curl", "-sS", "-f", "-o", early, server.url("/api/v1/offlimits.kmz?as_of=1990-01-01")}).exit_code == 0);
    CHECK(kml_layer_count(early, "doc.kml", "Off-Limits venues") == 0);
    CHECK(must({"unzip", "-p", early, "doc.kml"}).out.find("as of 1990-01-01") != std::string::npos);
    CHECK(get(server.url("/api/v1/offlimits.kmz?radius=-1")).status == 400);
    CHECK(get(server.url("/api/v1/offlimits.kmz?ring=abc")).status == 400);
    CHECK(get(server.url("/api/v1/offlimits.tak.zip?colour=red")).status == 400);
}

TEST_CASE("MGRS in every verdict, as GeoConvert writes it, north and south of the equator", "[cli][server][mgrs]") {
    for (const std::string mission : {"kosovo", "lebanon", "kivu"}) {
        DYNAMIC_SECTION(mission) {
            TempDir tmp;
            const auto db = tmp.file(mission + ".sqlite");
            load_mission(db, mission == "kivu" ? (fs::path(KEEPOUT_TEST_DATA) / "kivu").string() : sample_dir(mission));
            const json list = run_keepout(db, {"list", "--format", "geojson"}).json();
            const json* point = nullptr;
            for (const auto& f : list["features"])
                if (f["geometry"]["type"] == "Point") {
                    point = &f;
                    break;
                }
            REQUIRE(point);
            const double lon = (*point)["geometry"]["coordinates"][0], lat = (*point)["geometry"]["coordinates"][1];
            const std::string want = geoconvert_mgrs(lat, lon);
            UNSCOPED_INFO(mission << ": " << lat << "," << lon << " GeoConvert " << want);
            if (mission == "kivu") CHECK(lat < 0);

            // The query point and the venue (checked at the venue itself) both carry GeoConvert's MGRS.
            const std::string at = std::to_string(lat) + "," + std::to_string(lon);
            const json c = run_keepout(db, {"check", "--at", at, "--format", "json"}).json();
            REQUIRE(c["verdict"] == "off-limits");
            CHECK(c["query"]["mgrs"] == geoconvert_mgrs(std::stod(std::to_string(lat)), std::stod(std::to_string(lon))));
            bool found = false;
            for (const auto& m : c["matches"])
                if (m["external_id"] == (*point)["properties"]["external_id"]) {
                    found = true;
                    CHECK(m["mgrs"] == want);
                }
            CHECK(found);

            // The same over HTTP, and in a name check.
            ServerProcess server(db);
            const json api = get(server.url("/api/v1/check?at=" + at)).json();
            CHECK(api["query"]["mgrs"] == c["query"]["mgrs"]);
            CHECK(api["matches"][0]["mgrs"].get<std::string>().size() == 15);
            const std::string name = (*point)["properties"]["name"];
            const json byname = run_keepout(db, {"check", "--name", name, "--format", "json"}).json();
            for (const auto& m : byname["matches"])
                if (m["external_id"] == (*point)["properties"]["external_id"]) CHECK(m["mgrs"] == want);
            // The table says it too.
            CHECK(run_keepout(db, {"check", "--at", at}).out.find("MGRS " + want) != std::string::npos);

            // A footprint's MGRS is a point on it: checked there, the venue is at 0 m.
            for (const auto& f : list["features"]) {
                if (f["geometry"]["type"] == "Point") continue;
                const json fc = run_keepout(db, {"check", "--name", f["properties"]["name"], "--format", "json"}).json();
                std::string mgrs;
                for (const auto& m : fc["matches"])
                    if (m["external_id"] == f["properties"]["external_id"]) mgrs = m["mgrs"];
                if (mgrs.empty()) continue;  // the name is ambiguous in this sample: try the next one
                const json there = run_keepout(db, {"check", "--at", mgrs, "--radius", "0", "--format", "json"}).json();
                bool inside = false;
                for (const auto& m : there["matches"])
                    inside = inside || (m["external_id"] == f["properties"]["external_id"] && m["distance_m"] == 0.0);
                CHECK(inside);
                break;
            }
        }
    }
}
