#pragma once
// The grid of every printed map in one place: which UTM lines a frame shows (true UTM lines of
// the zone at the map's centre, drawn in the map's own projection), their figures, the MGRS
// 100 km square letters, and where the figures go: in the band around the neatline (the slide,
// the atlas) or inside the frame (the patrol card). Every figure is placed through a
// LabelPlacer, so none covers another. Internal to src/render (Cairo types).
#include <string>
#include <vector>

#include "render/draw.hpp"
#include "render/labels.hpp"
#include "render/layout.hpp"
#include "geo/projection.hpp"

namespace keepout::render {

struct GridLabel {
    std::string markup;
    double value = 0;  // easting or northing, metres
    double pos = 0;    // page x (top/bottom) or y (left/right)
};
struct SquareLabel {
    std::string id;
    Rect box;
};
struct Grid {
    std::vector<std::vector<XY>> lines;
    std::vector<GridLine> eastings, northings;  // where the lines cross the bottom and left edges
    std::vector<GridLabel> bottom, top, left, right;
    std::vector<SquareLabel> squares;
    std::string zone;       // "34T"
    double spacing = 0;     // 0: no grid (the frame reaches beyond its UTM zone)
};

// The grid of a frame. `font_k` sizes the square letters.
Grid compute_grid(const Projection& proj, const MapView& view, const GridSpec& spec, double font_k);

// The lines (clipped to the frame) and the square letters.
void draw_grid_lines(cairo_t* cr, Text& text, const Grid& g, const GridSpec& spec, const Rect& frame, double k,
                     const std::string& font);

// Ticks and figures in the band between the neatline and the map area's edge.
void draw_grid_band(cairo_t* cr, Text& text, const Grid& g, const GridSpec& spec, const PageLayout& L, double k,
                    const std::string& font);

// Figures inside the frame, in the digits an MGRS reference uses ("20", "20.5"): each easting
// just right of its line along the top edge, each northing just above its line along the left
// edge. Requests for the map's LabelPlacer (fixed where they stand), with their layouts.
struct InnerGridLabel {
    LabelRequest request;
    LayoutPtr layout;
};
std::vector<InnerGridLabel> inner_grid_labels(Text& text, const Grid& g, const Rect& frame, const FontSpec& font,
                                              int priority);

}  // namespace keepout::render
