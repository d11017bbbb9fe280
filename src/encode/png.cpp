#include "encode/png.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <array>
#include <cstdint>

namespace keepout::encode {

namespace {

// CRC-32 of PNG chunks (ISO 3309, the table-driven form of the PNG specification's annex D).
std::uint32_t crc32(const unsigned char* p, std::size_t n, std::uint32_t crc = 0xffffffffu) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

void put32(std::string& out, std::uint32_t v) {
    out += char(v >> 24), out += char(v >> 16), out += char(v >> 8), out += char(v);
}

void chunk(std::string& out, const char* type, const char* data, std::size_t n) {
    put32(out, std::uint32_t(n));
    const std::size_t start = out.size();
    out.append(type, 4);
    out.append(data, n);
    put32(out, crc32(reinterpret_cast<const unsigned char*>(out.data() + start), n + 4) ^ 0xffffffffu);
}

}  // namespace

std::string encode_png_xrgb32(const unsigned char* pixels, int width, int height, int stride, int level) {
    if (!pixels || width <= 0 || height <= 0 || stride < width * 4)
        throw EncodeError("PNG: impossible image of " + std::to_string(width) + " x " + std::to_string(height) + " pixels");
    // Scanlines with filter type 2 (Up): each byte minus the one above it, so the large flat
    // areas of a map become runs of zeros.
    const std::size_t w = std::size_t(width), row = w * 3;
    std::string raw((row + 1) * std::size_t(height), '\0');
    for (std::size_t y = 0; y < std::size_t(height); ++y) {
        auto* o = reinterpret_cast<unsigned char*>(raw.data() + y * (row + 1));
        const auto* cur = reinterpret_cast<const std::uint32_t*>(pixels + std::ptrdiff_t(y) * stride);
        const auto* up = y ? reinterpret_cast<const std::uint32_t*>(pixels + std::ptrdiff_t(y - 1) * stride) : nullptr;
        o[0] = 2;
        for (std::size_t x = 0; x < w; ++x) {
            const std::uint32_t p = cur[x], q = up ? up[x] : 0;
            o[1 + 3 * x] = std::uint8_t((p >> 16) - (q >> 16));
            o[2 + 3 * x] = std::uint8_t((p >> 8) - (q >> 8));
            o[3 + 3 * x] = std::uint8_t(p - q);
        }
    }
    size_t packed = 0;
    void* z = CPLZLibDeflate(raw.data(), raw.size(), level, nullptr, 0, &packed);
    if (!z) throw EncodeError("PNG: cannot deflate the image");
    std::string out("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put32(ihdr, std::uint32_t(width));
    put32(ihdr, std::uint32_t(height));
    ihdr += char(8), ihdr += char(2), ihdr += char(0), ihdr += char(0), ihdr += char(0);  // 8-bit RGB
    chunk(out, "IHDR", ihdr.data(), ihdr.size());
    chunk(out, "IDAT", static_cast<const char*>(z), packed);
    VSIFree(z);
    chunk(out, "IEND", "", 0);
    return out;
}

}  // namespace keepout::encode
