#include <catch2/catch.hpp>

#include <cstring>

#include "source/features.hpp"
#include "with_data_dir.hpp"

using namespace keepout;

TEST_CASE("read_features: a GeoJSON file as WKB in lon/lat with typed values") {
    const source::FeatureTable t = source::read_features(test::sample("towns.geojson"));
    REQUIRE(t.rows.size() == 32);
    REQUIRE(t.fields.size() >= 4);
    int sq = -1, pop = -1;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
        if (t.fields[i] == "name_sq") sq = int(i);
        if (t.fields[i] == "population_approx") pop = int(i);
    }
    REQUIRE(sq >= 0);
    REQUIRE(pop >= 0);
    const auto& first = t.rows[0];
    CHECK(std::get<std::string>(first.values[std::size_t(sq)]) == "Prishtinë");
    CHECK(std::get<std::int64_t>(first.values[std::size_t(pop)]) == 200000);
    // ISO WKB point, little endian: 1 byte order + 4 type + 16 coordinates.
    REQUIRE(first.wkb.size() == 21);
    CHECK(first.wkb[0] == 1);
    CHECK(first.wkb[1] == 1);
}

TEST_CASE("read_features: a projected file is reprojected to EPSG:4326") {
    const source::FeatureTable t = source::read_features(test::with_data_dir("import/venues_utm.geojson"));
    REQUIRE_FALSE(t.rows.empty());
    double lon = 0, lat = 0;
    const std::string& w = t.rows[0].wkb;
    REQUIRE(w.size() >= 21);
    std::memcpy(&lon, w.data() + 5, 8);
    std::memcpy(&lat, w.data() + 13, 8);
    CHECK(lon > 19);
    CHECK(lon < 23);
    CHECK(lat > 41);
    CHECK(lat < 44);
}

TEST_CASE("read_features: a missing file or layer names the file") {
    CHECK_THROWS_WITH(source::read_features("/nonexistent/x.geojson"), Catch::Contains("/nonexistent/x.geojson"));
    CHECK_THROWS_WITH(source::read_features(test::sample("towns.geojson"), "nolayer"), Catch::Contains("nolayer"));
}
