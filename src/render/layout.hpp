#pragma once
// Print layout arithmetic, free of any drawing library so it can be tested alone: page sizes,
// the frames of a page, map scale, scale bar and grid positions. Page units are PostScript
// points (1/72 in), origin at the top left, y down.
#include <string>
#include <vector>

#include "geo/projection.hpp"
#include "render/style.hpp"

namespace keepout::render {

// Maps are drawn in geo's projections (PROJ lives there).
using geo::Projection;
using geo::ProjectionError;
using geo::thread_projection;
using geo::XY;

inline constexpr double kPtPerMm = 72.0 / 25.4;
inline constexpr double kPtPerMetre = 72.0 / 0.0254;  // points in one metre of paper

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    double right() const { return x + w; }
    double bottom() const { return y + h; }
    double cx() const { return x + w / 2; }
    double cy() const { return y + h / 2; }
    bool overlaps(const Rect& o) const { return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom(); }
    bool contains(const Rect& o) const { return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom(); }
    Rect inset(double d) const { return {x + d, y + d, w - 2 * d, h - 2 * d}; }
};

struct PageDims {
    double w = 0, h = 0;  // points
};
// ISO 216: A4 210 × 297 mm, A3 297 × 420 mm.
PageDims page_dims(PageSize size, bool landscape);
const char* page_name(PageSize size);

// Where things go on the first page of a map.
struct PageLayout {
    PageDims page;
    Rect top_margin, bottom_margin;  // the handling marking is centred in each
    Rect map_area;                   // neatline plus the band for grid labels
    Rect frame;                      // the neatline: the map itself
    std::vector<Rect> panel;         // columns for title block, legend, scale, inset and table
};
PageLayout layout_page(PageSize size, bool landscape);

// Columns of a continuation page (the rest of a long table) below a header of `header_h` points;
// `cols` of them, or 0 for as many as suit the page (2 to 4).
std::vector<Rect> continuation_columns(PageSize size, bool landscape, double header_h, int cols = 0);

// The smallest "nice" denominator at least `d` (a multiple of a quarter of its power of ten:
// 1:25 000, 1:50 000, 1:625 000, …).
double nice_scale(double d);

// 625000 → "625 000": a whole number grouped by thousands with a space, as printed on maps.
std::string grouped(double v);

// The denominator that fits a projected extent of `w_m` × `h_m` metres into a frame of
// `frame_w` × `frame_h` points, before rounding.
double fit_scale(double w_m, double h_m, double frame_w, double frame_h);

struct ScaleBar {
    double length_m = 0;      // true ground distance the whole bar stands for
    int segments = 0;         // alternating black and white segments
    double length_pt = 0;     // on paper
    std::string unit;         // "km" or "m"
    double unit_m = 1000;     // metres per unit
};
// A bar of 1, 2 or 5 × 10^n metres no longer than max_pt, drawn true on paper: a map at
// 1:`denominator` in a projection with point scale `k` (projected per true metre) shows
// L true metres as L·k/denominator metres of paper.
ScaleBar scale_bar(double denominator, double k, double max_pt);
// The figures under a bar: the start, the middle (when the segments split evenly) and the end,
// in the bar's unit, then the unit: {"0", "10", "20", "km"}. Every product labels its bar so.
std::vector<std::string> scale_bar_labels(const ScaleBar& bar);
// The ground distance one of those figures stands for, from the start of the bar.
double scale_bar_label_m(const ScaleBar& bar, std::size_t i);

// Grid spacing so that lines fall 15–40 mm apart on paper: 1, 2, 5, 10, 20, 50 or 100 km.
double grid_spacing(double denominator);
// Multiples of `spacing` inside [lo, hi].
std::vector<double> grid_values(double lo, double hi, double spacing);

// The figures printed for a grid line at `metres` (an easting or northing, a multiple of
// `spacing_m`): the hundreds of kilometres, and the kilometres within them as two digits with as
// many decimals as the spacing needs, none on a whole kilometre. 4 620 500 m at 500 m spacing:
// {46, "20.5"}; 4 620 000 m: {46, "20"}. The kilometres are cut, never rounded: the 20.5 km line is not labelled 21.
struct GridFigures {
    long hundreds = 0;
    std::string digits;
};
GridFigures grid_figures(double metres, double spacing_m);

// Projected x/y ↔ page points for a frame at a scale, centred on a projected point.
class MapView {
public:
    MapView() = default;
    MapView(Rect frame, XY centre, double denominator)
        : frame_(frame), centre_(centre), denominator_(denominator), s_(kPtPerMetre / denominator) {}
    XY to_page(XY p) const { return {frame_.cx() + (p.x - centre_.x) * s_, frame_.cy() - (p.y - centre_.y) * s_}; }
    XY to_crs(XY q) const { return {centre_.x + (q.x - frame_.cx()) / s_, centre_.y - (q.y - frame_.cy()) / s_}; }
    const Rect& frame() const { return frame_; }
    XY centre() const { return centre_; }
    double denominator() const { return denominator_; }
    double pt_per_unit() const { return s_; }

private:
    Rect frame_;
    XY centre_;
    double denominator_ = 1;
    double s_ = 1;
};

// Where the grid lines of a frame fall on the page, for a map in a UTM CRS: x positions of
// easting lines and y positions of northing lines, each with its value in metres.
struct GridLine {
    double value = 0;  // easting or northing, metres
    double pos = 0;    // page x (eastings) or y (northings), points
};
struct GridLines {
    std::vector<GridLine> eastings, northings;
};
GridLines grid_lines(const MapView& view, double spacing_m);

}  // namespace keepout::render
