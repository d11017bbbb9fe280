#pragma once
// The military police patrol card: an A4 page per patrol plan, one page per patrol (more when the
// table runs on), with a map of the route and its numbered stops on the UTM grid, and a table of
// the stops with MGRS to 1 m, sector, leg and cumulative distance and a column to tick on patrol.
// Composed like the slide and the atlas (the same furniture, table and label placement).
// Bytes out; no Cairo or Pango type here.
#include <string>
#include <vector>

#include "analysis/patrol.hpp"
#include "render/render.hpp"
#include "render/style.hpp"

namespace keepout::render {

struct PatrolCardOptions {
    std::string produced_on;          // "printed" date; empty: today (UTC)
    const Style* backdrop = nullptr;  // when given, its file and mission layers (boundaries, towns) under the route
    Format format = Format::pdf;      // PNG: the first page only
    double dpi = 150;                 // PNG only
    double scale = 0;                 // the maps' denominator; 0: each fits its patrol
};

struct PatrolCardReport {
    int pages = 0;
    double scale_denominator = 0;     // of the first map
    std::string crs;
    // The first page, in page points:
    PageDims page;
    Rect frame;                       // the map's neatline
    std::vector<LabelRecord> labels;  // every label placed on the map (grid figures, stop numbers, the start's name, the backdrop's)
    double scale_bar_m = 0, scale_bar_pt = 0;
    std::vector<std::string> scale_bar_labels;
    Rect north_arrow;
    double north_arrow_ink_x = 0, north_arrow_ink_y = 0;  // a point inside its dark half
    Rect title_band;
};

// The style file whose backdrop layers a card uses: `given`, else $KEEPOUT_STYLE; empty when
// there is none (the card then takes the mission's default style, render::default_style).
std::string find_style_file(const std::string& given = "");

std::string render_patrol_card(const analysis::PatrolPlan&, const PatrolCardOptions& = {},
                               PatrolCardReport* report = nullptr);

}  // namespace keepout::render
