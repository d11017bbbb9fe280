// keepout patrol and keepout sectors, and GET /api/v1/patrol, on the Kosovo sample and on a
// hand-made road network; outputs checked with the tools a user has: xmllint against the GPX 1.1
// schema, GDAL reading GPX and KML back, GeographicLib's GeoConvert and GeodSolve, poppler.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "integration/run.hpp"
#include "integration/server.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// RFC 4180 rows (quoted cells with doubled quotes).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
            else if (c == '"') quoted = false;
            else cell += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(cell), cell.clear();
        } else if (c == '\n') {
            row.push_back(cell), cell.clear();
            rows.push_back(row), row.clear();
        } else if (c != '\r') {
            cell += c;
        }
    }
    if (!cell.empty() || !row.empty()) row.push_back(cell), rows.push_back(row);
    return rows;
}

struct Point {
    std::string name;
    double lon = 0, lat = 0;
};

// Every Point feature of one layer, read by GDAL (ogr2ogr to GeoJSON on stdout).
std::vector<Point> gdal_points(const std::string& file, const std::string& layer) {
    auto r = run_program({"ogr2ogr", "-f", "GeoJSON", "/vsistdout/", file, layer});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<Point> out;
    const auto doc = r.json();  // kept: a range-for over a temporary's member would dangle
    for (const auto& f : doc["features"]) {
        if (f["geometry"].is_null() || f["geometry"]["type"] != "Point") continue;
        const auto& c = f["geometry"]["coordinates"];
        const auto& props = f["properties"];  // GPX says "name", KML (LIBKML) "Name"
        const std::string name = props.contains("name") ? props.value("name", std::string()) : props.value("Name", std::string());
        out.push_back({name, c[0].get<double>(), c[1].get<double>()});
    }
    return out;
}

std::vector<std::string> gdal_layers(const std::string& file) {
    auto r = run_program({"ogrinfo", "-ro", "-q", file});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> out;
    // "1: Start" (LIBKML) or "1: Start (Point)" (KML)
    std::regex line("^\\s*[0-9]+: (.*?)( \\((Multi |3D )?[A-Za-z ]+\\))?\\s*$");
    std::istringstream in(r.out);
    std::string l;
    while (std::getline(in, l)) {
        std::smatch m;
        if (std::regex_match(l, m, line)) out.push_back(m[1]);
    }
    return out;
}

std::string geoconvert_mgrs(double lat, double lon) {
    char b[96];
    std::snprintf(b, sizeof b, "echo '%.12f %.12f' | GeoConvert -m -p 0", lat, lon);
    auto r = run_program({"sh", "-c", b});
    REQUIRE(r.exit_code == 0);
    std::string s = r.out;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

double geodsolve_m(double lat1, double lon1, double lat2, double lon2) {
    char b[128];
    std::snprintf(b, sizeof b, "echo '%.9f %.9f %.9f %.9f' | GeodSolve -i -p 6", lat1, lon1, lat2, lon2);
    auto r = run_program({"sh", "-c", b});
    REQUIRE(r.exit_code == 0);
    std::istringstream in(r.out);
    double azi1 = 0, azi2 = 0, s12 = 0;
    in >> azi1 >> azi2 >> s12;
    return s12;
}

const std::string kAsOf = "2026-06-01";

}  // namespace

TEST_CASE("patrol from Camp Bondsteel through sector Ferizaj writes GPX, KML, CSV, GeoJSON and the card", "[patrol]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    const std::string gpx = tmp.file("p.gpx"), kml = tmp.file("p.kml"), csv = tmp.file("p.csv"), pdf = tmp.file("p.pdf"),
                      geojson = tmp.file("p.geojson");
    auto r = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Ferizaj", "--as-of", kAsOf, "--out", gpx,
                              "--out", kml, "--out", csv, "--out", pdf, "--out", geojson});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Patrol from Camp Bondsteel, sector District of Ferizaj (unit MNB East MP Company)") !=
          std::string::npos);

    // How many venues the sector holds on that date, by the sectors report.
    auto sec = run_keepout(db, {"sectors", "--as-of", kAsOf, "--format", "json"});
    REQUIRE(sec.exit_code == 0);
    std::size_t in_sector = 0;
    const auto sectors = sec.json();
    for (const auto& s : sectors["sectors"])
        if (s["sector"] == "District of Ferizaj") in_sector = s["listed"];
    REQUIRE(in_sector >= 3);

    SECTION("every selected venue once, start and end at the site") {
        const auto rows = parse_csv(slurp(csv));
        REQUIRE(rows.size() == in_sector + 3);  // header, start, venues, return
        CHECK(rows[0] == std::vector<std::string>{"order", "name", "mgrs", "lat", "lon", "leg_km", "cumulative_km", "patrol"});
        CHECK(rows[1][0] == "0");
        CHECK(rows[1][1] == "Camp Bondsteel");
        CHECK(rows.back()[1] == "Camp Bondsteel");
        CHECK(rows.back()[0] == std::to_string(in_sector + 1));
        std::set<std::string> names;
        double cum = 0;
        for (std::size_t i = 2; i < rows.size(); ++i) {
            if (i + 1 < rows.size()) CHECK(names.insert(rows[i][1]).second);
            CHECK(rows[i][0] == std::to_string(i - 1));
            cum += std::stod(rows[i][5]);
            CHECK(std::stod(rows[i][6]) == Approx(cum).margin(0.0021));
        }
        CHECK(names.size() == in_sector);
    }

    SECTION("the improved route is never longer than nearest neighbour") {
        auto j = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Ferizaj", "--as-of",
                                  kAsOf, "--out", tmp.file("q.csv"), "--format", "json"});
        INFO(j.err);
        REQUIRE(j.exit_code == 0);
        const auto doc = j.json();
        CHECK(doc["venues"] == in_sector);
        CHECK(doc["improved_km"].get<double>() <= doc["nearest_neighbour_km"].get<double>());
        CHECK(doc["two_opt_or_opt_km"].get<double>() <= doc["nearest_neighbour_km"].get<double>());
        CHECK(doc["total_km"].get<double>() == Approx(doc["improved_km"].get<double>()).margin(0.002));
    }

    SECTION("the GPX is valid against the GPX 1.1 schema") {
        auto v = run_program({"xmllint", "--noout", "--schema", with_data_dir("schemas/gpx-1.1.xsd"), gpx});
        INFO(v.err);
        CHECK(v.exit_code == 0);
    }

    SECTION("GDAL reads the same points from the GPX, the KML and the CSV") {
        const auto rows = parse_csv(slurp(csv));
        const auto route = gdal_points(gpx, "route_points");
        REQUIRE(route.size() == rows.size() - 1);
        for (std::size_t i = 0; i < route.size(); ++i) {
            CHECK(route[i].lat == Approx(std::stod(rows[i + 1][3])).margin(1e-6));
            CHECK(route[i].lon == Approx(std::stod(rows[i + 1][4])).margin(1e-6));
        }
        const auto wpts = gdal_points(gpx, "waypoints");
        REQUIRE(wpts.size() == in_sector + 1);
        std::vector<Point> placemarks;
        for (const auto& layer : gdal_layers(kml)) {
            auto pts = gdal_points(kml, layer);
            placemarks.insert(placemarks.end(), pts.begin(), pts.end());
        }
        REQUIRE(placemarks.size() == wpts.size());
        for (std::size_t i = 0; i < wpts.size(); ++i) {
            CHECK(placemarks[i].name == wpts[i].name);
            CHECK(placemarks[i].lon == Approx(wpts[i].lon).margin(1e-9));
            CHECK(placemarks[i].lat == Approx(wpts[i].lat).margin(1e-9));
        }
        CHECK(wpts[0].name == "Camp Bondsteel");
        CHECK(wpts[1].name.rfind("01 ", 0) == 0);
    }

    SECTION("MGRS strings equal GeographicLib's GeoConvert") {
        const auto doc = nlohmann::json::parse(slurp(geojson));
        const auto rows = parse_csv(slurp(csv));
        std::size_t stops = 0;
        for (const auto& f : doc["features"]) {
            const auto& p = f["properties"];
            if (p["role"] == "route") continue;
            const double lon = f["geometry"]["coordinates"][0], lat = f["geometry"]["coordinates"][1];
            CHECK(p["mgrs"].get<std::string>() == geoconvert_mgrs(lat, lon));
            if (p["role"] == "stop") {
                ++stops;
                CHECK(rows.at(stops + 1)[2] == p["mgrs"].get<std::string>());
            }
        }
        CHECK(stops == in_sector);
    }

    SECTION("the patrol card is an A4 PDF with the route table") {
        auto info = run_program({"pdfinfo", pdf});
        REQUIRE(info.exit_code == 0);
        CHECK(info.out.find("(A4)") != std::string::npos);
        auto text = run_program({"pdftotext", "-layout", pdf, "-"});
        REQUIRE(text.exit_code == 0);
        CHECK(text.out.find("MILITARY POLICE PATROL CARD") != std::string::npos);
        CHECK(text.out.find("District of Ferizaj") != std::string::npos);
        CHECK(text.out.find("MNB East MP Company") != std::string::npos);
        CHECK(text.out.find(kAsOf) != std::string::npos);
        const auto rows = parse_csv(slurp(csv));
        CHECK(text.out.find(rows[2][2]) != std::string::npos);  // the first stop's MGRS
    }
}

TEST_CASE("patrol split by stops and by length", "[patrol]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--radius", "20000", "--as-of", kAsOf, "--max-stops",
                              "4", "--out", tmp.file("s.csv"), "--out", tmp.file("s.gpx"), "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto doc = r.json();
    const std::size_t venues = doc["venues"];
    REQUIRE(venues > 4);
    CHECK(doc["patrols"].size() == (venues + 3) / 4);
    for (const auto& p : doc["patrols"]) CHECK(p["stops"].get<std::size_t>() <= 4);
    const auto rows = parse_csv(slurp(tmp.file("s.csv")));
    std::set<std::string> names;
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i][1] != "Camp Bondsteel") CHECK(names.insert(rows[i][1]).second);
    CHECK(names.size() == venues);
    auto v = run_program({"xmllint", "--noout", "--schema", with_data_dir("schemas/gpx-1.1.xsd"), tmp.file("s.gpx")});
    CHECK(v.exit_code == 0);

    auto k = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--radius", "20000", "--as-of", kAsOf, "--max-km",
                              "60", "--out", tmp.file("k.csv"), "--format", "json"});
    INFO(k.err);
    REQUIRE(k.exit_code == 0);
    const auto kj = k.json();
    for (const auto& p : kj["patrols"]) CHECK(p["length_km"].get<double>() <= 60.0);
}

TEST_CASE("patrol along a hand-made road network follows the known shortest paths", "[patrol][roads]") {
    TempDir tmp;
    const std::string db = tmp.file("r.sqlite");
    for (auto args : std::vector<std::vector<std::string>>{
             {"init"},
             {"directive", "create", "HOM/OL/T/1", "--title", "Test", "--signed", "2026-01-01", "--effective", "2026-01-02"},
             {"import", "venues", with_data_dir("patrol/venues.geojson"), "--directive", "HOM/OL/T/1", "--reason",
              "trafficking"},
             {"import", "sites", with_data_dir("patrol/sites.geojson")},
             {"directive", "submit", "HOM/OL/T/1"}}) {
        auto r = run_keepout(db, args);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/T/1"}, "approver").exit_code == 0);
    const std::string csv = tmp.file("r.csv"), gpx = tmp.file("r.gpx");
    auto r = run_keepout(db, {"patrol", "--from", "Test Camp", "--radius", "2500", "--as-of", kAsOf, "--roads",
                              with_data_dir("patrol/roads.geojson"), "--out", csv, "--out", gpx, "--out", tmp.file("r.pdf")});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("2 connected part(s)") != std::string::npos);
    // Start S; V2 (snapped to N5) is nearer by road than V1, so nearest neighbour goes there first:
    // S–N1–N2–N5, then N5–N2–V1, then V1–N2–N1–S.
    const double s_n1 = geodsolve_m(42.00, 21.00, 42.01, 21.00), n1_n2 = geodsolve_m(42.01, 21.00, 42.01, 21.01),
                 n2_n5 = geodsolve_m(42.01, 21.01, 42.01, 21.02), n2_v1 = geodsolve_m(42.01, 21.01, 42.00, 21.01);
    const auto rows = parse_csv(slurp(csv));
    REQUIRE(rows.size() == 5);
    CHECK(rows[2][1] == "Club <Vee> & \"Two\"");
    CHECK(rows[3][1] == "Bar Vee One");
    CHECK(std::stod(rows[2][5]) == Approx((s_n1 + n1_n2 + n2_n5) / 1000).margin(0.0006));
    CHECK(std::stod(rows[3][5]) == Approx((n2_n5 + n2_v1) / 1000).margin(0.0006));
    CHECK(std::stod(rows[4][5]) == Approx((n2_v1 + n1_n2 + s_n1) / 1000).margin(0.0006));
    CHECK(std::stod(rows[4][6]) == Approx((2 * s_n1 + 2 * n1_n2 + 2 * n2_n5 + 2 * n2_v1) / 1000).margin(0.0012));
    // The track along the roads is in the GPX, and the file is still valid with escaped names.
    auto v = run_program({"xmllint", "--noout", "--schema", with_data_dir("schemas/gpx-1.1.xsd"), gpx});
    INFO(v.err);
    CHECK(v.exit_code == 0);
    const auto track = gdal_points(gpx, "track_points");
    CHECK(track.size() == 9);  // S N1 N2 N5, then N2 V1, then N2 N1 S (legs share their ends)
    const auto wpts = gdal_points(gpx, "waypoints");
    REQUIRE(wpts.size() == 3);
    CHECK(wpts[1].name == "01 Club <Vee> & \"Two\"");
}

TEST_CASE("patrol CSV cells are inert against formula injection", "[patrol]") {
    TempDir tmp;
    const std::string db = tmp.file("c.sqlite");
    for (auto args : std::vector<std::vector<std::string>>{
             {"init"},
             {"directive", "create", "HOM/OL/T/1", "--title", "Test", "--signed", "2026-01-01", "--effective", "2026-01-02"},
             {"import", "venues", with_data_dir("patrol/venues.geojson"), "--directive", "HOM/OL/T/1", "--reason",
              "trafficking"},
             {"import", "sites", with_data_dir("patrol/sites.geojson")},
             {"directive", "submit", "HOM/OL/T/1"}}) {
        auto r = run_keepout(db, args);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(run_keepout(db, {"directive", "issue", "HOM/OL/T/1"}, "approver").exit_code == 0);
    auto r = run_keepout(db, {"patrol", "--from", "Test Camp", "--radius", "50000", "--as-of", kAsOf, "--out",
                              tmp.file("c.csv")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string text = slurp(tmp.file("c.csv"));
    CHECK(text.find("\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\"") != std::string::npos);
    for (const auto& row : parse_csv(text))
        for (const auto& cell : row) CHECK(std::string("=+-@").find(cell.empty() ? ' ' : cell.front()) == std::string::npos);
}

TEST_CASE("patrol errors are reported with a non-zero exit", "[patrol]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    auto unknown = run_keepout(db, {"patrol", "--from", "Camp Nowhere", "--sector", "Ferizaj", "--out", tmp.file("x.gpx")});
    CHECK(unknown.exit_code != 0);
    CHECK(unknown.err.find("unknown site 'Camp Nowhere'") != std::string::npos);
    auto no_area = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--out", tmp.file("x.gpx")});
    CHECK(no_area.exit_code != 0);
    CHECK(no_area.err.find("--sector") != std::string::npos);
    auto bad_sector = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Atlantis", "--out", tmp.file("x.gpx")});
    CHECK(bad_sector.exit_code != 0);
    CHECK(bad_sector.err.find("District of Ferizaj") != std::string::npos);
    auto bad_ext = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Ferizaj", "--out", tmp.file("x.docx")});
    CHECK(bad_ext.exit_code != 0);
    auto far = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Mitrovica", "--max-km", "10", "--out",
                                tmp.file("x.gpx")});
    CHECK(far.exit_code != 0);
    CHECK(far.err.find("round trip") != std::string::npos);
    auto roads = run_keepout(db, {"patrol", "--from", "Camp Bondsteel", "--sector", "Ferizaj", "--roads",
                                  with_data_dir("patrol/sites.geojson"), "--out", tmp.file("x.gpx")});
    CHECK(roads.exit_code != 0);
    CHECK(roads.err.find("no line features") != std::string::npos);
    CHECK_FALSE(std::ifstream(tmp.file("x.gpx")).good());
}

TEST_CASE("sectors reports listed venues per sector and per unit", "[patrol]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    auto r = run_keepout(db, {"sectors", "--as-of", kAsOf, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = r.json();
    CHECK(j["sectors"].size() == 7);
    std::size_t sum = 0;
    for (const auto& s : j["sectors"]) {
        CHECK_FALSE(s["unit"].get<std::string>().empty());
        sum += s["listed"].get<std::size_t>();
    }
    auto list = run_keepout(db, {"list", "--as-of", kAsOf, "--format", "json"});
    REQUIRE(list.exit_code == 0);
    const auto lj = list.json();
    const std::size_t listed = lj.is_array() ? lj.size() : lj["venues"].size();
    CHECK(j["listed"] == listed);
    CHECK(sum + j["outside"].get<std::size_t>() == listed);
    std::map<std::string, std::size_t> units;
    for (const auto& u : j["units"]) units[u["unit"]] = u["sectors"].size();
    CHECK(units.size() == 5);
    CHECK(units["MNB East MP Company"] == 2);
    CHECK(units["MNB West MP Company"] == 2);
    auto t = run_keepout(db, {"sectors", "--as-of", kAsOf});
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("Per responsible unit") != std::string::npos);
    CHECK(t.out.find("Camp Bondsteel") != std::string::npos);
}

TEST_CASE("GET /api/v1/patrol answers GeoJSON, GPX, KML, CSV and the PDF card", "[patrol][http]") {
    TempDir tmp;
    const std::string db = tmp.file("k.sqlite");
    load_sample(db);
    ServerProcess server(db);
    const std::string base = "/api/v1/patrol?from=Camp%20Bondsteel&sector=Ferizaj&as_of=" + kAsOf;
    auto g = get(server.url(base));
    INFO(g.body);
    REQUIRE(g.status == 200);
    CHECK(g.header("content-type").find("application/geo+json") == 0);
    const auto j = g.json();
    CHECK(j["type"] == "FeatureCollection");
    CHECK(j["unit"] == "MNB East MP Company");
    std::size_t stops = 0;
    for (const auto& f : j["features"])
        if (f["properties"]["role"] == "stop") ++stops;
    CHECK(stops == j["venues"].get<std::size_t>());
    CHECK(stops > 0);

    auto gpx = get(server.url(base + "&f=gpx"));
    REQUIRE(gpx.status == 200);
    CHECK(gpx.header("content-type") == "application/gpx+xml");
    CHECK(gpx.header("content-disposition").find("patrol-camp-bondsteel.gpx") != std::string::npos);
    std::ofstream(tmp.file("h.gpx")) << gpx.body;
    CHECK(run_program({"xmllint", "--noout", "--schema", with_data_dir("schemas/gpx-1.1.xsd"), tmp.file("h.gpx")}).exit_code == 0);

    auto kml = get(server.url(base + "&f=kml"));
    REQUIRE(kml.status == 200);
    CHECK(kml.body.find("<kml xmlns=\"http://www.opengis.net/kml/2.2\">") != std::string::npos);
    auto csv = get(server.url(base + "&f=csv"));
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind("order,name,mgrs,lat,lon,leg_km,cumulative_km,patrol\n", 0) == 0);
    auto pdf = get(server.url(base + "&f=pdf"));
    REQUIRE(pdf.status == 200);
    CHECK(pdf.header("content-type") == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);

    CHECK(get(server.url("/api/v1/patrol?from=Camp%20Nowhere&sector=Ferizaj")).status == 404);
    CHECK(get(server.url("/api/v1/patrol?from=Camp%20Bondsteel")).status == 400);
    CHECK(get(server.url("/api/v1/patrol?sector=Ferizaj")).status == 400);
    CHECK(get(server.url(base + "&f=docx")).status == 400);
    CHECK(get(server.url(base + "&colour=red")).status == 400);
    CHECK(curl("POST", server.url(base)).status == 405);
}
