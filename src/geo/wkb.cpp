#include "geo/wkb.hpp"

#include <bit>
#include <cstring>
#include <string>

namespace keepout::geo {

namespace {

constexpr int kMaxDepth = 32;  // a collection nested deeper is hostile, not data

class Reader {
public:
    Reader(std::string_view b, WkbSink& sink) : b_(b), sink_(sink) {}

    void geometry(int depth) {
        if (depth > kMaxDepth) throw GeometryError("WKB nests collections too deeply");
        const bool little = byte() == 1;
        std::uint32_t type = u32(little);
        // EWKB flags (Z, M, SRID), then ISO's thousands (1000 Z, 2000 M, 3000 ZM).
        int dims = 2;
        if (type & 0x80000000u) ++dims;
        if (type & 0x40000000u) ++dims;
        if (type & 0x20000000u) u32(little);  // SRID
        type &= 0x0fffffffu;
        if (type >= 3000) dims = 4, type -= 3000;
        else if (type >= 2000) dims = 3, type -= 2000;
        else if (type >= 1000) dims = 3, type -= 1000;
        const std::size_t position_bytes = 8 * std::size_t(dims);
        switch (type) {
        case 1:
            sink_.begin(WkbType::point, 0, depth);
            sink_.point(position(little, dims));
            return;
        case 2: {
            const std::uint32_t n = count(little, position_bytes);
            sink_.begin(WkbType::line_string, n, depth);
            sequence(little, dims, n);
            return;
        }
        case 3: {
            const std::uint32_t rings = count(little, 4);
            sink_.begin(WkbType::polygon, rings, depth);
            for (std::uint32_t i = 0; i < rings; ++i) sequence(little, dims, count(little, position_bytes));
            return;
        }
        case 4: case 5: case 6: case 7: {
            const std::uint32_t n = count(little, 5);  // each member has at least a byte order and a type
            sink_.begin(WkbType(type), n, depth);
            for (std::uint32_t i = 0; i < n; ++i) geometry(depth + 1);
            return;
        }
        default: throw GeometryError("unsupported WKB geometry type " + std::to_string(type));
        }
    }

    bool done() const { return pos_ == b_.size(); }

private:
    void need(std::size_t n) const {
        if (b_.size() - pos_ < n) throw GeometryError("truncated WKB");
    }
    std::uint8_t byte() {
        need(1);
        return std::uint8_t(b_[pos_++]);
    }
    std::uint32_t u32(bool little) {
        need(4);
        std::uint32_t v;
        std::memcpy(&v, b_.data() + pos_, 4);
        pos_ += 4;
        if (little != (std::endian::native == std::endian::little)) v = __builtin_bswap32(v);
        return v;
    }
    double f64(bool little) {
        std::uint64_t v;
        std::memcpy(&v, b_.data() + pos_, 8);
        pos_ += 8;
        if (little != (std::endian::native == std::endian::little)) v = __builtin_bswap64(v);
        return std::bit_cast<double>(v);
    }
    // A count of items of at least `item_bytes` each: one the remaining bytes cannot hold is refused
    // before anything is reserved for it.
    std::uint32_t count(bool little, std::size_t item_bytes) {
        const std::uint32_t n = u32(little);
        if (std::size_t(n) > (b_.size() - pos_) / item_bytes) throw GeometryError("WKB count exceeds its length");
        return n;
    }
    LonLat position(bool little, int dims) {
        need(8 * std::size_t(dims));
        const double x = f64(little), y = f64(little);
        pos_ += 8 * std::size_t(dims - 2);
        return {x, y};
    }
    void sequence(bool little, int dims, std::uint32_t n) {
        sink_.sequence(n);
        for (std::uint32_t i = 0; i < n; ++i) sink_.position(position(little, dims));
    }

    std::string_view b_;
    std::size_t pos_ = 0;
    WkbSink& sink_;
};

}  // namespace

void read_wkb(std::string_view wkb, WkbSink& sink) {
    Reader r(wkb, sink);
    r.geometry(0);
    if (!r.done()) throw GeometryError("WKB has trailing bytes");
}

}  // namespace keepout::geo
