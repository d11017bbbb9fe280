// Visual regression: two PNG images compared pixel by pixel (Mapnik's test/visual does the same).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "render/draw.hpp"
#include "render/render.hpp"

namespace keepout::render {

namespace {

struct Reader {
    const std::string& bytes;
    std::size_t pos = 0;
};

cairo_status_t read(void* closure, unsigned char* data, unsigned int length) {
    auto* r = static_cast<Reader*>(closure);
    if (r->bytes.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, r->bytes.data() + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

// Decoded into ARGB32 whatever the file's colour type.
SurfacePtr decode(const std::string& png) {
    Reader r{png};
    SurfacePtr s(cairo_image_surface_create_from_png_stream(read, &r));
    if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) throw std::invalid_argument("not a readable PNG image");
    SurfacePtr out(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(s.get()),
                                              cairo_image_surface_get_height(s.get())));
    CairoPtr cr(cairo_create(out.get()));
    cairo_set_source_surface(cr.get(), s.get(), 0, 0);
    cairo_set_operator(cr.get(), CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr.get());
    cairo_surface_flush(out.get());
    return out;
}

}  // namespace

std::pair<int, int> png_size(const std::string& png) {
    SurfacePtr s = decode(png);
    return {cairo_image_surface_get_width(s.get()), cairo_image_surface_get_height(s.get())};
}

ImageDiff compare_png(const std::string& a, const std::string& b, int threshold) {
    SurfacePtr sa = decode(a), sb = decode(b);
    ImageDiff d;
    d.width = cairo_image_surface_get_width(sa.get());
    d.height = cairo_image_surface_get_height(sa.get());
    d.same_size = d.width == cairo_image_surface_get_width(sb.get()) && d.height == cairo_image_surface_get_height(sb.get());
    if (!d.same_size) return d;
    const int stride_a = cairo_image_surface_get_stride(sa.get()), stride_b = cairo_image_surface_get_stride(sb.get());
    const unsigned char* pa = cairo_image_surface_get_data(sa.get());
    const unsigned char* pb = cairo_image_surface_get_data(sb.get());
    for (int y = 0; y < d.height; ++y) {
        const auto* ra = reinterpret_cast<const std::uint32_t*>(pa + std::ptrdiff_t(y) * stride_a);
        const auto* rb = reinterpret_cast<const std::uint32_t*>(pb + std::ptrdiff_t(y) * stride_b);
        for (int x = 0; x < d.width; ++x) {
            int worst = 0;
            for (int shift = 0; shift < 32; shift += 8)
                worst = std::max(worst, std::abs(int((ra[x] >> shift) & 0xff) - int((rb[x] >> shift) & 0xff)));
            d.max_delta = std::max(d.max_delta, worst);
            if (worst > threshold) ++d.differing;
        }
    }
    return d;
}

std::array<int, 3> png_pixel(const std::string& png, int x, int y) {
    SurfacePtr s = decode(png);
    const int w = cairo_image_surface_get_width(s.get()), h = cairo_image_surface_get_height(s.get());
    if (x < 0 || y < 0 || x >= w || y >= h) throw std::invalid_argument("the pixel lies outside the image");
    const unsigned char* p = cairo_image_surface_get_data(s.get()) + std::size_t(y) * std::size_t(cairo_image_surface_get_stride(s.get())) +
                             std::size_t(x) * 4;
    // ARGB32: one native 32-bit word per pixel, alpha in the top byte.
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return {int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)};
}

}  // namespace keepout::render
