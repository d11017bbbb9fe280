// Numbers in documents: shortest round-trip text, and JSON's layout of it byte for byte as
// nlohmann::json::dump prints a double (the check documents are written without a json tree).
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
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::uint64_t> bits;
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t b = bits(rng);
        double v;
        std::memcpy(&v, &b, sizeof v);
        if (!std::isfinite(v)) continue;
        REQUIRE(json_number(v) == nlohmann::json(v).dump());
    }
    CHECK(json_number(std::nan("")) == "null");
    CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
}
