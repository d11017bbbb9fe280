#pragma once
// Raster images out: PNG for the map renderer's pages. A 300 dpi A3 page is 17 million pixels;
// libpng's adaptive filters and zlib's default level took most of the time to write one, so
// the few lines of the PNG container are written here, each row filtered "Up", and deflated
// through GDAL (libdeflate on Debian) at a fast level.
#include <string>

#include "encode/errors.hpp"

namespace keepout::encode {

// PNG bytes (8-bit RGB) of an image of 32-bit pixels 0xXXRRGGBB in native byte order, as Cairo's
// RGB24 surfaces hold them: `stride` bytes from one row to the next, top to bottom. Level 1
// (fastest) to 9 (smallest). Throws EncodeError when the size is impossible or deflating fails.
std::string encode_png_xrgb32(const unsigned char* pixels, int width, int height, int stride, int level = 2);

}  // namespace keepout::encode
