#pragma once
// The one table drawing of the printed products: the slide's and the atlas's venue tables and
// the patrol card's stops. A title, a bold header over a rule, rows with every other one shaded,
// a closing rule; rows split over the panel, further columns and continuation pages by the
// page composer. Internal to src/render (Cairo types).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "render/draw.hpp"
#include "render/layout.hpp"

namespace keepout::render {

struct TableColumn {
    std::string header;
    double width = 0;        // points; 0: as wide as its widest cell
    bool fill = false;       // takes the width the others leave (at most one column)
    bool right = false;      // right-aligned figures
    bool repeats = false;    // few distinct values (category, municipality): layouts reused
    bool mono = false;       // a reference read digit by digit (MGRS)
    bool tick = false;       // a box to tick by hand, no text
};

struct TableRow {
    std::vector<std::string> cells;
    bool emphasis = false;   // the patrol's start and return: bold name, in the start's colour
};

struct Table {
    std::string title;       // empty: none
    std::vector<TableColumn> columns;
    std::vector<TableRow> rows;
    double font_scale = 1;   // a card written on by hand has larger rows
    // A document in a right-to-left language: the first column at the right, each to the left of
    // the one before, every cell right-aligned.
    bool right_to_left = false;
    double row_spacing = 1.42;
    // Column widths for one table width, measured once.
    mutable std::vector<double> measured;
    mutable double measured_for = -1;
    mutable std::map<std::pair<std::size_t, std::string>, LayoutPtr> reused;
};

struct TableMetrics {
    double font = 0, title_h = 0, header_h = 0, row_h = 0;
};
TableMetrics table_metrics(const Table& t, double k);

// Rows that fit in `height` points under the title and the header.
std::size_t rows_fitting(const Table& t, double height, double k);

// Draws rows [from, to) of the table in r (title and header first); returns the height used.
double draw_table(cairo_t* cr, Text& text, const Table& t, std::size_t from, std::size_t to, const Rect& r, double k,
                  const std::string& font, bool continued);

}  // namespace keepout::render
