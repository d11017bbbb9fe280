// The other names docs/import.md gives for columns are read as it says: Shapefile-cut names, the
// latitude/longitude spellings, the WKT column names, and columns in any case.
#include <catch2/catch.hpp>

#include <fstream>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

std::string write(const TempDir& tmp, const std::string& name, const std::string& text) {
    const auto path = tmp.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

json exported(const std::string& db, const TempDir& tmp, const std::string& what) {
    const auto out = tmp.file(what + "-export.geojson");
    auto r = run_keepout(db, {"export", out, "--what", what});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(out);
    return json::parse(in);
}

}  // namespace

TEST_CASE("venue columns by their other names, and positions from each documented spelling", "[import][docs]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    const auto csv = write(tmp, "venues.csv",
                           "ext_id,NAME,Category,municipali,former_nam,latitude,lng\n"
                           "A-1,Kafe Bar Hëna,Private House,Prizren,Kafe Hëna,42.2139,20.7397\n");
    auto r = run_keepout(db, {"import", "venues", csv});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto fc = exported(db, tmp, "venues");
    REQUIRE(fc["features"].size() == 1);
    const auto& p = fc["features"][0]["properties"];
    CHECK(p["external_id"] == "A-1");
    CHECK(p["name"] == "Kafe Bar Hëna");
    CHECK(p["category"] == "private-house");
    CHECK(p["municipality"] == "Prizren");
    const auto& c = fc["features"][0]["geometry"]["coordinates"];
    CHECK(c[0].get<double>() == Approx(20.7397));
    CHECK(c[1].get<double>() == Approx(42.2139));

    // y/x, long, the_geom and geom, each alone.
    int n = 0;
    for (const std::string& columns : {std::string("name,y,x\nV,42.3,20.8\n"), std::string("name,lat,long\nV,42.3,20.8\n"),
                                       std::string("name,the_geom\nV,POINT (20.8 42.3)\n"),
                                       std::string("name,geom\nV,POINT (20.8 42.3)\n")}) {
        CAPTURE(columns);
        const auto db2 = tmp.file("p" + std::to_string(n) + ".sqlite");
        REQUIRE(run_keepout(db2, {"init"}).exit_code == 0);
        auto i = run_keepout(db2, {"import", "venues", write(tmp, "p" + std::to_string(n++) + ".csv", columns)});
        INFO(i.err);
        REQUIRE(i.exit_code == 0);
        const auto got = exported(db2, tmp, "venues")["features"][0]["geometry"]["coordinates"];
        CHECK(got[0].get<double>() == Approx(20.8));
        CHECK(got[1].get<double>() == Approx(42.3));
    }
}

TEST_CASE("site and sector columns by their other names", "[import][docs]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    auto sites = run_keepout(db, {"import", "sites",
                                  write(tmp, "sites.csv", "name,kind,contingent,strength,lat,lon\n"
                                                          "Camp Test,military,Unit A,120.0,42.3,20.8\n")});
    INFO(sites.err);
    REQUIRE(sites.exit_code == 0);
    const auto s = exported(db, tmp, "sites")["features"][0]["properties"];
    CHECK(s["personnel"] == 120);
    auto sectors = run_keepout(
        db, {"import", "sectors",
             write(tmp, "sectors.csv",
                   "shapeName,unit,WKT\nNorth,Unit B,\"POLYGON ((20.8 42.3,20.9 42.3,20.9 42.4,20.8 42.4,20.8 42.3))\"\n")});
    INFO(sectors.err);
    REQUIRE(sectors.exit_code == 0);
    const auto sec = exported(db, tmp, "sectors")["features"][0]["properties"];
    CHECK(sec["name"] == "North");
    CHECK(sec["unit"] == "Unit B");
}
