// Numbers in documents: shortest round-trip text, and JSON's layout of it byte for byte as
// nlohmann::json::dump prints a document's numbers (the check documents are built without a tree).
#include "text/format.hpp"

#include <catch2/catch.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

using keepout::text::json_number;
using keepout::text::shortest;

TEST_CASE("shortest text reads back as the same double", "[text][format]") {
    CHECK(shortest(21.1655) == "21.1655");
    CHECK(shortest(42.0) == "42");
    CHECK(shortest(-0.1) == "-0.1");
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon(-180, 180);
    for (int i = 0; i < 10000; ++i) {
        const double v = lon(rng);
        CHECK(std::stod(shortest(v)) == v);
    }
}

TEST_CASE("json_number writes a double as nlohmann::json::dump does", "[text][format]") {
    const double cases[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1e-4, 1e-5, 1.5e-5, 123456789012345.0, 1e15, 1e16,
                            1.25e16, 1e21, 1e100, -3.75e-300, 5e-324, std::numeric_limits<double>::max(),
                            21.1655123, 42.662911, 1234.5, 100.0, 0.001};
    for (double v : cases) CHECK(json_number(v) == nlohmann::json(v).dump());
    // What documents hold: coordinates to 7 decimals, distances to 0.1 m, bearings.
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<long long> micro(-1'800'000'000, 1'800'000'000), tenth(0, 1'000'000);
    for (int i = 0; i < 20000; ++i) {
        const double coordinate = double(micro(rng)) / 1e7, distance = double(tenth(rng)) / 10.0;
        // nlohmann's Grisu2 sometimes gives 17 digits (179.09496239999999) where 10 read back.
        for (double v : {coordinate, distance}) {
            const std::string text = json_number(v), theirs = nlohmann::json(v).dump();
            REQUIRE(nlohmann::json::parse(text).get<double>() == v);
            if (text.size() == theirs.size()) REQUIRE(text == theirs);
            REQUIRE(text.size() <= theirs.size());
        }
    }
    // Any double reads back as itself (nlohmann's Grisu2 is not always the shortest; to_chars is).
    std::uniform_int_distribution<std::uint64_t> bits;
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t b = bits(rng);
        double v;
        std::memcpy(&v, &b, sizeof v);
        if (!std::isfinite(v)) continue;
        const std::string text = json_number(v);
        REQUIRE(nlohmann::json::parse(text).get<double>() == v);
        REQUIRE(text.size() <= nlohmann::json(v).dump().size());
    }
    CHECK(json_number(std::nan("")) == "null");
    CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
}
