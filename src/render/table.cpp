#include "render/table.hpp"

#include <algorithm>

#include "render/palette.hpp"

namespace keepout::render {

namespace {

const std::string kMonoFont = "DejaVu Sans Mono";

FontSpec cell_font(const Table& t, std::size_t c, const FontSpec& body) {
    if (c < t.columns.size() && t.columns[c].mono) return {kMonoFont, body.size * 0.97, body.bold, false};
    return body;
}

// Column widths in points: fixed columns as given, the others as wide as their widest cell
// (header included, the first few hundred rows measured), the fill column taking what is left;
// squeezed evenly when even that does not fit.
std::vector<double> column_widths(Text& text, const Table& t, const FontSpec& head, const FontSpec& body, double total) {
    const std::size_t n = t.columns.size();
    std::vector<double> w(n, 0);
    std::size_t fill = n;
    for (std::size_t c = 0; c < n; ++c) {
        if (t.columns[c].fill && fill == n) fill = c;
        w[c] = t.columns[c].width > 0 ? t.columns[c].width : text.line_width(head, t.columns[c].header) + 4;
    }
    const std::size_t sample = std::min<std::size_t>(t.rows.size(), 300);
    for (std::size_t i = 0; i < sample; ++i)
        for (std::size_t c = 0; c < n && c < t.rows[i].cells.size(); ++c)
            if (c != fill && t.columns[c].width <= 0)
                w[c] = std::max(w[c], text.line_width(cell_font(t, c, body), t.rows[i].cells[c]) + 4);
    double fixed = 0;
    for (std::size_t c = 0; c < n; ++c)
        if (c != fill) fixed += w[c];
    const double fill_min = fill < n ? total * 0.3 : 0;
    if (fixed + fill_min > total && fixed > 0) {
        const double f = (total - fill_min) / fixed;
        for (std::size_t c = 0; c < n; ++c)
            if (c != fill) w[c] *= f;
        fixed = total - fill_min;
    }
    if (fill < n) w[fill] = total - fixed;
    return w;
}

}  // namespace

TableMetrics table_metrics(const Table& t, double k) {
    const double font = 6.4 * k * t.font_scale;
    return {font, t.title.empty() ? 0 : font * 2.0, font * std::max(1.9, t.row_spacing + 0.3), font * t.row_spacing};
}

std::size_t rows_fitting(const Table& t, double height, double k) {
    const TableMetrics m = table_metrics(t, k);
    const double h = height - m.title_h - m.header_h;
    return h <= 0 ? 0 : std::size_t(h / m.row_h);
}

double draw_table(cairo_t* cr, Text& text, const Table& t, std::size_t from, std::size_t to, const Rect& r, double k,
                  const std::string& font, bool continued) {
    const TableMetrics m = table_metrics(t, k);
    double y = r.y;
    if (!t.title.empty()) {
        auto tl = text.layout({font, m.font * 1.3, true, false}, t.title + (continued ? " (continued)" : ""), false, r.w, true);
        Text::draw(cr, tl.get(), r.x, y, palette::ink);
        y += m.title_h;
    }
    const FontSpec head{font, m.font, true, false}, body{font, m.font, false, false};
    if (t.measured_for != r.w) t.measured = column_widths(text, t, head, body, r.w), t.measured_for = r.w;
    const std::vector<double>& widths = t.measured;
    const bool rtl = t.right_to_left;
    auto cells = [&](const std::vector<std::string>& values, bool header, bool emphasis, double top) {
        double next = rtl ? r.right() : r.x;
        for (std::size_t c = 0; c < t.columns.size() && c < widths.size(); ++c) {
            const TableColumn& col = t.columns[c];
            const double w = widths[c];
            // The column's left edge: from the left going right, or from the right going left.
            const double x = rtl ? next - w : next;
            next = rtl ? next - w : next + w;
            const bool right = rtl || col.right;
            if (col.tick && !header) {
                cairo_rectangle(cr, x + 2, top + 1.5, w - 4, m.row_h - 3);
                set_color(cr, palette::rule);
                cairo_set_line_width(cr, 0.4);
                cairo_stroke(cr);
            } else if (c < values.size() && !values[c].empty()) {
                FontSpec f = header ? head : cell_font(t, c, body);
                if (emphasis && c < 2) f.bold = true;
                const bool reuse = !header && !emphasis && col.repeats;
                LayoutPtr fresh;
                PangoLayout* l = nullptr;
                const PangoAlignment align = right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
                if (reuse) {
                    auto& slot = t.reused[{c, values[c]}];
                    if (!slot) slot = text.layout(f, values[c], false, w - 3, true, align);
                    l = slot.get();
                } else {
                    fresh = text.layout(f, values[c], false, w - 3, true, align);
                    l = fresh.get();
                }
                double lw = 0, lh = 0;
                Text::size(l, lw, lh);
                // Text::draw puts the logical box at x, so a right-aligned figure is placed here (in
                // a right-to-left table the gap between columns is at the cell's left).
                const double at = rtl ? x + w - lw : col.right ? x + w - 3 - lw : x;
                Text::draw(cr, l, at, top + (m.row_h - lh) / 2, emphasis ? palette::site_blue : palette::ink);
            }
        }
    };
    std::vector<std::string> headers;
    for (auto& c : t.columns) headers.push_back(c.header);
    cells(headers, true, false, y);
    y += m.header_h;
    set_color(cr, palette::ink);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, r.x, y - (m.header_h - m.row_h) / 2);
    cairo_line_to(cr, r.right(), y - (m.header_h - m.row_h) / 2);
    cairo_stroke(cr);
    for (std::size_t i = from; i < to && i < t.rows.size(); ++i) {
        if (i % 2 == 1) {
            cairo_rectangle(cr, r.x, y, r.w, m.row_h);
            set_color(cr, palette::zebra);
            cairo_fill(cr);
        }
        cells(t.rows[i].cells, false, t.rows[i].emphasis, y);
        y += m.row_h;
    }
    cairo_move_to(cr, r.x, y);
    cairo_line_to(cr, r.right(), y);
    set_color(cr, palette::rule);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    return y - r.y + 1;
}

}  // namespace keepout::render
