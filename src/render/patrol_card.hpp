#pragma once
// The military police patrol card: an A4 PDF per patrol plan, one page per patrol (more when the
// table runs on), with a map of the route and its numbered stops on the UTM grid, and a table of
// the stops with MGRS to 1 m, sector, leg and cumulative distance and a column to tick on patrol.
// Bytes out; no Cairo or Pango type here.
#include <string>

#include "analysis/patrol.hpp"
#include "render/style.hpp"

namespace keepout::render {

struct PatrolCardOptions {
    std::string produced_on;          // "printed" date; empty: today (UTC)
    const Style* backdrop = nullptr;  // when given, its file layers (boundaries, towns) under the route
};

struct PatrolCardReport {
    int pages = 0;
    double scale_denominator = 0;     // of the first map
    std::string crs;
};

// The style whose backdrop layers a card uses: `given`, else $KEEPOUT_STYLE, else
// styles/kosovo-slide.json here or in a folder above the program; empty when there is none.
std::string find_style_file(const std::string& given = "");

std::string render_patrol_card(const analysis::PatrolPlan&, const PatrolCardOptions& = {},
                               PatrolCardReport* report = nullptr);

}  // namespace keepout::render
