#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include "encode/png.hpp"
#include "render/render.hpp"

using namespace keepout;

TEST_CASE("encode_png_xrgb32: a valid PNG of the pixels given") {
    // 5 × 3 pixels with padding at the end of each row (stride 24 bytes), 0xXXRRGGBB.
    const int w = 5, h = 3, stride = 24;
    std::vector<unsigned char> buf(std::size_t(stride) * h, 0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::uint32_t p = 0xff000000u | std::uint32_t(x * 50) << 16 | std::uint32_t(y * 100) << 8 | 0x7fu;
            std::memcpy(buf.data() + y * stride + x * 4, &p, 4);
        }
    const std::string png = encode::encode_png_xrgb32(buf.data(), w, h, stride);
    REQUIRE(png.size() > 8 + 25 + 12);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(render::png_size(png) == std::pair<int, int>{5, 3});  // Cairo (libpng) reads it back
    CHECK(render::compare_png(png, png).differing == 0);
    // The same pixels at another level give the same image.
    CHECK(render::compare_png(png, encode::encode_png_xrgb32(buf.data(), w, h, stride, 9), 0).differing == 0);
    CHECK_THROWS_AS(encode::encode_png_xrgb32(buf.data(), w, h, 8), encode::EncodeError);
    CHECK_THROWS_AS(encode::encode_png_xrgb32(nullptr, w, h, stride), encode::EncodeError);
}
