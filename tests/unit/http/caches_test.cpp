// The service's caches (http/caches.hpp): a block of tiles is drawn once however many requests
// ask for it at once, a new list version starts afresh, a failed drawing keeps nothing.
#include "http/caches.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>

using keepout::http::BackdropCache;
using keepout::http::StyleCache;
using keepout::http::TileCache;

namespace {

// A block of side × side tiles whose PNG names the tile and the drawing that made it.
TileCache::Draw drawing(std::atomic<int>& draws, int z, int bx, int by, int side) {
    return [&draws, z, bx, by, side] {
        const int n = ++draws;
        TileCache::Block block;
        for (int x = bx * side; x < (bx + 1) * side; ++x)
            for (int y = by * side; y < (by + 1) * side; ++y)
                block.push_back({x, y, std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y) + "#" + std::to_string(n)});
        return block;
    };
}

}  // namespace

TEST_CASE("tiles of one block are drawn once and kept for the list version", "[http][caches]") {
    TileCache cache;
    std::atomic<int> draws{0};
    CHECK(cache.tile({7, "2026-06-01", 5, 9, 10}, 8, drawing(draws, 5, 1, 1, 8)) == "5/9/10#1");
    CHECK(cache.tile({7, "2026-06-01", 5, 15, 8}, 8, drawing(draws, 5, 1, 1, 8)) == "5/15/8#1");
    CHECK(draws == 1);
    CHECK(cache.size() == 64);
    // Another date is another picture.
    CHECK(cache.tile({7, "2026-05-01", 5, 9, 10}, 8, drawing(draws, 5, 1, 1, 8)) == "5/9/10#2");
    // A new list version empties the cache.
    CHECK(cache.tile({8, "2026-06-01", 5, 9, 10}, 8, drawing(draws, 5, 1, 1, 8)) == "5/9/10#3");
    CHECK(cache.size() == 64);
}

TEST_CASE("requests for one block at once wait for one drawing", "[http][caches]") {
    TileCache cache;
    std::atomic<int> draws{0};
    std::atomic<bool> go{false};
    auto slow = [&] {
        while (!go) std::this_thread::yield();
        return drawing(draws, 6, 0, 0, 8)();
    };
    std::vector<std::string> got(16);
    std::vector<std::thread> threads;
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] { got[std::size_t(i)] = cache.tile({1, "d", 6, i % 8, i / 8}, 8, slow); });
    go = true;
    for (auto& t : threads) t.join();
    CHECK(draws == 1);
    for (int i = 0; i < 16; ++i) CHECK(got[std::size_t(i)] == "6/" + std::to_string(i % 8) + "/" + std::to_string(i / 8) + "#1");
}

TEST_CASE("a drawing that fails reaches its caller and is not kept", "[http][caches]") {
    TileCache cache;
    std::atomic<int> draws{0};
    CHECK_THROWS_AS(cache.tile({1, "d", 3, 0, 0}, 8, []() -> TileCache::Block { throw std::runtime_error("no style"); }),
                    std::runtime_error);
    CHECK(cache.size() == 0);
    CHECK(cache.tile({1, "d", 3, 0, 0}, 8, drawing(draws, 3, 0, 0, 8)) == "3/0/0#1");
}

TEST_CASE("styles: an unreadable file is an error for maps and no backdrop for cards", "[http][caches]") {
    StyleCache styles;
    CHECK_THROWS(styles.get("/nonexistent/style.json"));
    CHECK(styles.size() == 0);
    BackdropCache backdrops;
    CHECK(backdrops.get("") == nullptr);
    CHECK(backdrops.get("/nonexistent/style.json") == nullptr);
}

TEST_CASE("a style is read once and shared", "[http][caches]") {
    const std::string file = std::string(KEEPOUT_SOURCE_DIR) + "/styles/kosovo-slide.json";
    StyleCache styles;
    const auto a = styles.get(file);
    REQUIRE(a);
    CHECK(styles.get(file) == a);
    CHECK(styles.size() == 1);
    BackdropCache backdrops;
    const auto b = backdrops.get(file);
    REQUIRE(b);
    CHECK(backdrops.get(file) == b);
}
