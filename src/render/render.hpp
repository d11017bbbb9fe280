#pragma once
// Maps from a snapshot and a style: the print product (PDF with text kept as text, PNG at any
// dpi, SVG), the atlas of deployment sites, and Web Mercator tiles for the server. Returns file
// bytes; no Cairo, Pango or PROJ type appears here.
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"
#include "render/layout.hpp"
#include "render/style.hpp"

namespace keepout::render {

enum class Format { pdf, png, svg };

// From a file name's extension (.pdf, .png, .svg, any case); throws std::invalid_argument.
Format format_for_path(const std::string& path);
const char* mime_type(Format f);

struct MapRequest {
    Format format = Format::pdf;
    std::optional<PageSize> page;   // default: the style's template
    std::optional<bool> landscape;  // default: the style's template
    double dpi = 150;               // PNG only
    std::string produced_on;        // "printed on" date in the title block; empty: today (UTC)
    bool map_pages_only = false;    // leave out the pages that continue a long table
};

// What a render did, for tests and for the command line's report.
struct LabelRecord {
    std::string text;
    Rect box;                       // page points
    double anchor_x = 0, anchor_y = 0;  // the point labelled
    bool leader = false;                // joined to its anchor by a line
};
struct RenderReport {
    int pages = 0;                  // pages of the whole product
    int pages_written = 0;          // fewer with map_pages_only
    double scale_denominator = 0;
    PageDims page;                  // points
    Rect frame;                     // the map's neatline on page 1, points
    std::string crs;
    std::vector<LabelRecord> labels;          // every label placed on the first map page
    std::size_t labels_dropped = 0;
    std::vector<std::string> dropped_labels;  // their text
    std::vector<std::string> legend;          // legend entries drawn (rules that drew something)
    std::size_t venues_in_table = 0;
    double scale_bar_m = 0, scale_bar_pt = 0; // the bar as drawn
    std::vector<std::string> scale_bar_labels;  // its figures and unit: {"0", "10", "20", "km"}
    Rect north_arrow;                         // the arrow and its "N", page points
    double north_arrow_ink_x = 0, north_arrow_ink_y = 0;  // a point inside its dark half
    Rect title_band;                          // the blue band over the title block
    std::vector<GridLine> grid_eastings, grid_northings;
    double grid_spacing_m = 0;                // 0: no grid drawn
    // Venue numbers and site symbols on the map (page points); the detail insets, each with its
    // own; and the numbers of the table found neither on the map nor in an inset.
    std::vector<LabelRecord> venue_numbers;
    std::vector<Rect> site_symbols;
    struct Inset {
        std::string title;
        Rect frame;                           // on the page
        double scale_denominator = 0;
        std::vector<LabelRecord> venue_numbers;
        std::vector<Rect> site_symbols;
    };
    std::vector<Inset> insets;
    Rect inset_block;                         // where the insets' block is in the panel
    std::vector<std::string> venues_without_number;
};

struct RenderOutput {
    // PDF: one document holding every page. PNG and SVG: one file per page.
    std::vector<std::string> files;
    RenderReport report;
};

// Caps on the work one map may cost, so that no request can hold a worker for minutes or take
// gigabytes: the area a map covers, the pixels of a picture, the features drawn. (The grid keeps
// itself bounded: a wider spacing, or none beyond its UTM zone.)
inline constexpr double kMaxSpanDeg = 30;            // longitude and latitude a map may cover
inline constexpr double kMaxPixels = 80e6;            // a PNG page: A3 to about 640 dpi, A4 to 900
inline constexpr std::size_t kMaxFeatures = 250000;   // features one map draws, every layer together

// A map beyond the caps; an invalid argument, so a server answers 400 and a command line says why.
struct LimitError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};
// Throws LimitError when the request is beyond the caps; cheap, for a server before any work.
// render_document and render_atlas check again (with the extent from the data when the style
// has none).
void check_limits(const Style&, const MapRequest&);
// The same for a lon/lat extent alone.
void check_extent(const geo::Box&);

// The map product: the map page with its furniture, then the venue table continued on further pages.
RenderOutput render_document(const analysis::Snapshot&, const Style&, const MapRequest&);
// One page per deployment site at the atlas scale with its rings and a table of the listed
// venues within the atlas radius (`site` empty: every site, else that site by exact name).
RenderOutput render_atlas(const analysis::Snapshot&, const Style&, const MapRequest&, const std::string& site = "");

// The bytes of the document (PDF), or of its map page (PNG, SVG). Safe to call from several
// threads at once with the same style.
std::string render_map(const analysis::Snapshot&, const Style&, const MapRequest&);
// The features tiles draw from a snapshot, kept from one block of tiles to the next while the
// snapshot (address, list version, date) and the style stay the same. Owned by whoever serves the
// tiles (one per server); safe to share between threads.
class TileFeatures {
public:
    TileFeatures();
    ~TileFeatures();
    TileFeatures(const TileFeatures&) = delete;
    TileFeatures& operator=(const TileFeatures&) = delete;
    struct Impl;  // defined where tiles are drawn
    Impl& impl() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

// A 256 × 256 PNG tile in Web Mercator (EPSG:3857), XYZ numbering; map layers and labels only.
// Throws std::invalid_argument for a tile outside the zoom's grid (z in 0..22). Without a
// TileFeatures the features are built for this tile alone.
std::string render_tile(TileFeatures&, const analysis::Snapshot&, const Style&, int z, int x, int y);
std::string render_tile(const analysis::Snapshot&, const Style&, int z, int x, int y);

// Tiles are drawn in blocks of kMetatile × kMetatile (fewer at zooms 0–2) as one image, with a
// band around it, and cut: labels are placed once for the block, so one that crosses a tile's
// edge continues in the next tile instead of being cut, moved or drawn twice. Seams remain only
// at the blocks' edges. render_tile returns one tile of its block; a server keeps them all.
inline constexpr int kMetatile = 8;
// Tiles along one side of a block at zoom z: kMetatile, or the whole world's 2^z below that.
inline int metatile_side(int z) { return z < 3 ? 1 << z : kMetatile; }
struct Tile {
    int x = 0, y = 0;
    std::string png;
};
// Every tile of the block holding tile (x, y) of zoom z. With `labels`, also the labels placed
// over the block and its band, in pixels of zoom z's whole world (tile x's left edge is 256·x).
std::vector<Tile> render_metatile(TileFeatures&, const analysis::Snapshot&, const Style&, int z, int x, int y,
                                  std::vector<LabelRecord>* labels = nullptr);
std::vector<Tile> render_metatile(const analysis::Snapshot&, const Style&, int z, int x, int y);

// Compares two PNG images pixel by pixel (visual regression).
struct ImageDiff {
    bool same_size = false;
    int width = 0, height = 0;
    std::size_t differing = 0;   // pixels whose largest channel difference exceeds the threshold
    int max_delta = 0;           // largest channel difference seen, 0–255
};
ImageDiff compare_png(const std::string& png_a, const std::string& png_b, int threshold = 24);
// Width and height of a PNG image (throws std::invalid_argument when it cannot be read).
std::pair<int, int> png_size(const std::string& png);
// Red, green and blue (0–255) of one pixel of a PNG image.
std::array<int, 3> png_pixel(const std::string& png, int x, int y);

}  // namespace keepout::render
