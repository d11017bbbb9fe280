#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "geo/grid_index.hpp"

using keepout::geo::Box;
using keepout::geo::GridIndex;

TEST_CASE("grid index reports every intersecting box exactly once", "[geo][index]") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.8, 43.3), size(0.0, 0.01);
    std::vector<Box> boxes;
    for (int i = 0; i < 5000; ++i) {
        double x = lon(rng), y = lat(rng);
        double w = i % 4 == 0 ? size(rng) : 0.0;  // points and small footprints
        boxes.push_back({x, y, x + w, y + w * 0.7});
    }
    boxes.push_back({20.0, 41.8, 21.8, 43.3});  // one box spanning every cell
    GridIndex index(boxes);
    CHECK(index.size() == boxes.size());
    for (int q = 0; q < 500; ++q) {
        double x = lon(rng), y = lat(rng), w = size(rng) * 5;
        Box query{x, y, x + w, y + w};
        std::multiset<std::uint32_t> got;
        index.query(query, [&](std::uint32_t i) { got.insert(i); });
        std::multiset<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < boxes.size(); ++i)
            if (boxes[i].intersects(query)) expected.insert(i);
        REQUIRE(got == expected);
    }
}

TEST_CASE("grid index edge cases", "[geo][index]") {
    GridIndex empty;
    int calls = 0;
    empty.query({0, 0, 1, 1}, [&](std::uint32_t) { ++calls; });
    CHECK(calls == 0);

    GridIndex one({{21.0, 42.0, 21.0, 42.0}});
    one.query({21.0, 42.0, 21.0, 42.0}, [&](std::uint32_t i) { calls += int(i) + 1; });
    CHECK(calls == 1);
    one.query({21.1, 42.1, 21.2, 42.2}, [&](std::uint32_t) { ++calls; });
    CHECK(calls == 1);
    // A query far outside the extent visits nothing.
    one.query({-10, -10, -9, -9}, [&](std::uint32_t) { ++calls; });
    CHECK(calls == 1);
}
