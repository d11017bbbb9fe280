#pragma once
// Page furniture shared by every printed product (the slide, the atlas sheets, the patrol card):
// the title block, the scale bar, the north arrow, the handling marking with the footer, and the
// header of a continuation page. One drawing of each, sized by the page's furniture scale, in
// the palette's colours. Internal to src/render (Cairo types).
#include <string>
#include <utility>
#include <vector>

#include "render/draw.hpp"
#include "render/layout.hpp"

namespace keepout::render {

// Text and furniture on an A4 page are this much smaller than on A3.
double furniture_scale(PageSize size);

// The longest a scale bar may be on paper, before the furniture scale.
inline constexpr double kScaleBarMaxMm = 50;
// The bar for a map at 1:`denominator` whose projection has point scale `k_proj` at its centre,
// on a page of furniture scale `k`.
ScaleBar furniture_scale_bar(double denominator, double k_proj, double k);

// Draws the bar with its figures with its top left at (x, y); with cr null only measures.
// `halo` paints a pale box behind it (a bar drawn over the map). Returns the box it takes.
Rect draw_scale_bar(cairo_t* cr, Text& text, const ScaleBar& bar, double x, double y, const std::string& font, double k,
                    bool halo);

struct NorthArrow {
    Rect box;   // the arrow and its "N"
    XY ink;     // a point inside the arrow's dark half (where a picture shows palette::ink)
};
// The arrow `h` points tall centred on x with its top at y, turned by `angle_deg` (grid to true
// north, clockwise), an "N" beyond its tip; with cr null only measures.
NorthArrow draw_north_arrow(cairo_t* cr, Text& text, double x, double y, double h, double angle_deg,
                            const std::string& font, double k);

// The handling marking above and below the page, the footer at the lower left and the page
// number at the lower right: on the marking's line when they clear it, else on a line above.
struct PageMarkings {
    std::string font = "Noto Sans";
    std::string marking;              // empty: none
    Color marking_color;
    std::string footer;
};
void draw_markings(cairo_t* cr, Text& text, const PageMarkings& m, PageDims page, int page_no, int pages, double k);

// The title block at the head of a panel or a page: the UN blue band, the title (and a second
// title at the right, in its own colour), a subtitle, facts as key and value (in one or two
// columns), a notice, a closing rule.
struct TitleBlock {
    std::string title, title_right, subtitle, notice;
    Color title_right_color;
    std::vector<std::pair<std::string, std::string>> facts;
    int fact_columns = 1;
    bool facts_markup = false;        // values are Pango markup (blanks to fill in by hand)
};
struct TitleBlockDrawn {
    double height = 0;
    Rect band;                        // the blue band
};
TitleBlockDrawn draw_title_block(cairo_t* cr, Text& text, const TitleBlock& tb, const Rect& r, const std::string& font,
                                 double k);

// The head of a page that continues a table: the title at the left, `right` at the right, the
// blue band under them. Its height is continuation_header_height(k).
double continuation_header_height(double k);
Rect draw_continuation_header(cairo_t* cr, Text& text, PageDims page, const std::string& title, const std::string& right,
                              const std::string& font, double k);

}  // namespace keepout::render
