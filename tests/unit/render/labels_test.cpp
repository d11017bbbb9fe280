#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "render/labels.hpp"

using namespace keepout::render;

namespace {
bool no_overlaps(const std::vector<LabelPlacement>& placed) {
    for (std::size_t i = 0; i < placed.size(); ++i)
        for (std::size_t j = i + 1; j < placed.size(); ++j)
            if (placed[i].box.overlaps(placed[j].box)) return false;
    return true;
}
}  // namespace

TEST_CASE("labels: the preferred position is upper right of the symbol") {
    LabelPlacer p({0, 0, 500, 500});
    LabelRequest r{100, 100, 40, 10, 2, 3};
    auto placed = p.place({r});
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].box.x > 100);
    CHECK(placed[0].box.bottom() < 100);
    CHECK_FALSE(placed[0].leader);
}

TEST_CASE("labels: higher priority is placed first and takes the best position") {
    LabelPlacer p({0, 0, 500, 500});
    LabelRequest low{100, 100, 40, 10, 2, 0, 1};
    LabelRequest high{100, 100, 40, 10, 2, 0, 9};
    auto placed = p.place({low, high});
    REQUIRE(placed.size() == 2);
    CHECK(placed[0].request == 1);  // the high one first
    const auto best = LabelPlacer::candidates(high, false)[0];
    CHECK(placed[0].box.x == best.x);
    CHECK(placed[0].box.y == best.y);
    CHECK_FALSE(placed[1].box.overlaps(placed[0].box));
}

TEST_CASE("labels: each label tries several positions, then is dropped when nothing fits") {
    LabelPlacer p({0, 0, 200, 200});
    std::vector<LabelRequest> same(12, LabelRequest{100, 100, 30, 8, 1, 2});
    auto placed = p.place(same);
    // The four diagonal positions; right, left, above and below each overlap two of them.
    CHECK(placed.size() == 4);
    CHECK(p.dropped() == 8);
    CHECK(no_overlaps(placed));
    LabelPlacer q({0, 0, 200, 200});
    CHECK(q.place({LabelRequest{100, 100, 30, 8, 1, 2}, LabelRequest{100, 100, 30, 8, 1, 2}}).size() == 2);
}

TEST_CASE("labels: obstacles and the bounds are respected") {
    LabelPlacer p({0, 0, 100, 100});
    p.add_obstacle({50, 0, 50, 100});  // the right half is taken
    auto placed = p.place({LabelRequest{50, 50, 30, 10, 2, 0}, LabelRequest{5, 5, 30, 10, 2, 0}});
    REQUIRE(placed.size() == 2);
    for (auto& pl : placed) {
        CHECK(pl.box.right() <= 50);
        CHECK(pl.box.x >= 0);
        CHECK(pl.box.y >= 0);
    }
    LabelPlacer tight({0, 0, 20, 20});
    CHECK(tight.place({LabelRequest{10, 10, 40, 10, 2, 0}}).empty());  // wider than the bounds
}

TEST_CASE("labels: with leaders a crowded label moves further out, its line crossing no label") {
    LabelPlacer p({0, 0, 400, 400});
    // Thirty venues within a few points of each other, as a town's cluster is at small scale.
    std::vector<LabelRequest> crowd;
    for (int i = 0; i < 30; ++i)
        crowd.push_back({200 + 6 * std::cos(i * 0.7), 200 + 6 * std::sin(i * 0.7), 12, 7, 1, 2, 0, false, true});
    for (auto& r : crowd) p.add_obstacle({r.x - 2, r.y - 2, 4, 4});
    auto placed = p.place(crowd);
    CHECK(placed.size() >= 15);
    CHECK(no_overlaps(placed));
    std::size_t leaders = 0;
    for (auto& pl : placed) {
        if (!pl.leader) continue;
        ++leaders;
        const double mx = (pl.lx0 + pl.lx1) / 2, my = (pl.ly0 + pl.ly1) / 2;
        for (auto& other : placed) {
            if (&other == &pl) continue;
            // The leader runs through no other label.
            const Rect& o = other.box;
            CHECK_FALSE((mx > o.x && mx < o.right() && my > o.y && my < o.bottom()));
        }
    }
    CHECK(leaders > 0);
    CHECK(leaders + 8 >= placed.size());
}

TEST_CASE("labels: a polygon label is centred, a ring label only ever exactly on its anchor") {
    LabelRequest poly{100, 100, 40, 10, 0, 0, 0, true};
    CHECK(LabelPlacer::candidates(poly, false)[0].x == Approx(80));
    LabelRequest fixed{100, 100, 20, 6, 0, 0, 0, true, false, true};
    CHECK(LabelPlacer::candidates(fixed, true).size() == 1);
}

TEST_CASE("labels: thousands of random labels, nothing overlaps") {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> pos(0, 1000), w(8, 60);
    std::vector<LabelRequest> reqs;
    for (int i = 0; i < 5000; ++i)
        reqs.push_back({pos(rng), pos(rng), w(rng), 8, 1.5, 2, int(rng() % 5), i % 7 == 0, i % 3 == 0});
    LabelPlacer p({0, 0, 1000, 1000});
    p.add_obstacle({400, 400, 200, 200});
    auto placed = p.place(reqs);
    CHECK(placed.size() + p.dropped() == reqs.size());
    CHECK(placed.size() > 500);
    for (auto& pl : placed) {
        CHECK_FALSE(pl.box.overlaps({400, 400, 200, 200}));
        CHECK(Rect{0, 0, 1000, 1000}.contains(pl.box));
    }
    // Pairwise, through a sort on x to keep it quick.
    auto sorted = placed;
    std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.box.x < b.box.x; });
    std::size_t overlaps = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i)
        for (std::size_t j = i + 1; j < sorted.size() && sorted[j].box.x < sorted[i].box.right(); ++j)
            overlaps += sorted[i].box.overlaps(sorted[j].box);
    CHECK(overlaps == 0);
}

TEST_CASE("labels: a clearance keeps everything else that far from the label") {
    LabelPlacer placer({0, 0, 200, 200});
    std::vector<LabelRequest> reqs;
    // A row of number labels on anchors 4 points apart: too close for them all with a 1.5 pt clearance.
    for (int i = 0; i < 12; ++i) {
        LabelRequest r;
        r.x = 60 + 4 * i, r.y = 100, r.w = 6, r.h = 7, r.gap = 0.8, r.leader = true, r.clearance = 1.5;
        reqs.push_back(r);
    }
    const auto placed = placer.place(reqs);
    REQUIRE(placed.size() >= 3);
    for (std::size_t i = 0; i < placed.size(); ++i)
        for (std::size_t j = i + 1; j < placed.size(); ++j) {
            const Rect &a = placed[i].box, &b = placed[j].box;
            const double dx = std::max(a.x, b.x) - std::min(a.right(), b.right());
            const double dy = std::max(a.y, b.y) - std::min(a.bottom(), b.bottom());
            CHECK(std::max(dx, dy) >= 3 - 1e-9);
        }
}
