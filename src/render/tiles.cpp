// Web Mercator tiles: a block of tiles drawn as one image over a band for label placement, then
// cut. The features the tiles draw come from a TileFeatures the caller keeps.
#include <cmath>
#include <mutex>

#include "encode/png.hpp"
#include "render/draw.hpp"
#include "render/map.hpp"
#include "render/render.hpp"
#include "render/sources.hpp"

namespace keepout::render {

namespace {
// The OGC standardised rendering pixel is 0.28 mm: tiles are drawn at 25.4 / 0.28 dpi.
constexpr double kTileDpi = 25.4 / 0.28;
constexpr int kTileBuffer = 128;  // pixels drawn around a block of tiles: symbols and lines across its edge
// A phone's reader takes a label for the nearest symbol's: on tiles a leader may carry a label
// only one small label height past its near positions (about 9 px); one that needs more room
// is dropped, and shows when the reader zooms in.
constexpr double kTileMaxLeader = 7;
}  // namespace

// Store-derived features of the latest snapshot, kept for the tiles that follow. Keyed by the
// snapshot's address, version and date and the style's id; the features hold copies of the
// values they draw, not references into the snapshot.
struct TileFeatures::Impl {
    std::mutex m;
    const analysis::Snapshot* snap = nullptr;
    std::int64_t version = -1;
    model::Date as_of;
    std::uint64_t style = 0;
    std::shared_ptr<Sources> sources;
    std::vector<std::shared_ptr<const FeatureData>> files;  // keeps the style's file data alive

    std::shared_ptr<const Sources> for_snapshot(const analysis::Snapshot& snapshot, const Style& st) {
        std::lock_guard lock(m);
        if (snap != &snapshot || version != snapshot.list_version() || as_of != snapshot.as_of() || style != st.id) {
            auto s = std::make_shared<Sources>();
            s->report = analysis::proximity(snapshot, proximity_rings(st, 0));
            build_sources(*s, snapshot, st, {});
            files.clear();
            for (auto& l : st.layers)
                if (l.source.data) files.push_back(l.source.data);
            snap = &snapshot, version = snapshot.list_version(), as_of = snapshot.as_of(), style = st.id, sources = s;
        }
        return sources;
    }
};

TileFeatures::TileFeatures() : impl_(std::make_unique<Impl>()) {}
TileFeatures::~TileFeatures() = default;

std::vector<Tile> render_metatile(TileFeatures& features, const analysis::Snapshot& snap, const Style& style, int z, int x,
                                  int y, std::vector<LabelRecord>* labels) {
    if (z < 0 || z > 22) throw std::invalid_argument("zoom must be between 0 and 22");
    const long n = 1L << z;
    if (x < 0 || y < 0 || x >= n || y >= n) throw std::invalid_argument("tile x and y must be in [0, 2^z)");
    const std::shared_ptr<const Sources> src = features.impl().for_snapshot(snap, style);
    const int block = metatile_side(z);
    const long bx = x / block * block, by = y / block * block;
    const double world = 20037508.342789244, size_m = 2 * world / double(n);
    const double D = size_m / (256 * 0.00028);
    // The block and a band of kTileBuffer pixels on each side, where the symbols and rings of
    // features beyond the edge are drawn and keep labels off.
    const int side_px = block * 256 + 2 * kTileBuffer;
    const double side_pt = side_px * 72 / kTileDpi;
    const MapView view({0, 0, side_pt, side_pt},
                       {-world + (double(bx) + block / 2.0) * size_m, world - (double(by) + block / 2.0) * size_m}, D);
    const Projection& merc = thread_projection("EPSG:3857");
    SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side_px, side_px));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot create the tile image");
    {
        CairoPtr cr(cairo_create(surface.get()));
        cairo_scale(cr.get(), kTileDpi / 72, kTileDpi / 72);
        set_color(cr.get(), style.background);
        cairo_paint(cr.get());
        Text text;
        MapDrawOptions opt;
        // Each label lies wholly in the block that holds its feature: a label out in the buffer
        // band was drawn by no tile (the block beside it placed its own labels, maybe not that
        // one), and one across the seam was cut in half.
        opt.label_margin = kTileBuffer * 72 / kTileDpi;
        opt.labels_own_anchor_only = true;
        opt.max_leader = kTileMaxLeader;
        MapDrawResult drawn = draw_map(cr.get(), text, merc, view, style, src->per_layer, opt);
        if (labels) {
            // Page points of the block's image to pixels of the world at zoom z.
            const double k = kTileDpi / 72, ox = double(bx) * 256 - kTileBuffer, oy = double(by) * 256 - kTileBuffer;
            for (auto& l : drawn.labels) {
                l.box = {ox + l.box.x * k, oy + l.box.y * k, l.box.w * k, l.box.h * k};
                l.anchor_x = ox + l.anchor_x * k, l.anchor_y = oy + l.anchor_y * k;
                labels->push_back(std::move(l));
            }
        }
    }
    cairo_surface_flush(surface.get());
    const int stride = cairo_image_surface_get_stride(surface.get());
    const unsigned char* data = cairo_image_surface_get_data(surface.get());
    std::vector<Tile> tiles;
    for (int j = 0; j < block; ++j)
        for (int i = 0; i < block; ++i) {
            const unsigned char* corner =
                data + std::size_t(kTileBuffer + j * 256) * std::size_t(stride) + std::size_t(kTileBuffer + i * 256) * 4;
            tiles.push_back({int(bx) + i, int(by) + j, encode::encode_png_xrgb32(corner, 256, 256, stride)});
        }
    return tiles;
}

std::vector<Tile> render_metatile(const analysis::Snapshot& snap, const Style& style, int z, int x, int y) {
    TileFeatures once;
    return render_metatile(once, snap, style, z, x, y);
}

std::string render_tile(TileFeatures& features, const analysis::Snapshot& snap, const Style& style, int z, int x, int y) {
    for (auto& t : render_metatile(features, snap, style, z, x, y))
        if (t.x == x && t.y == y) return std::move(t.png);
    throw std::logic_error("render_tile: the block does not hold its own tile");
}

std::string render_tile(const analysis::Snapshot& snap, const Style& style, int z, int x, int y) {
    TileFeatures once;
    return render_tile(once, snap, style, z, x, y);
}

}  // namespace keepout::render
