#include "render/furniture.hpp"

#include <algorithm>
#include <cmath>

#include "render/format.hpp"
#include "render/palette.hpp"

namespace keepout::render {

double furniture_scale(PageSize size) { return size == PageSize::A3 ? 1.0 : 0.86; }

ScaleBar furniture_scale_bar(double denominator, double k_proj, double k) {
    return scale_bar(denominator, k_proj, kScaleBarMaxMm * kPtPerMm * k);
}

Rect draw_scale_bar(cairo_t* cr, Text& text, const ScaleBar& bar, double x, double y, const std::string& font, double k,
                    bool halo) {
    const FontSpec label{font, 6.5 * k, false, false};
    const double bh = 3.2 * k, seg = bar.length_pt / std::max(bar.segments, 1), label_y = y + bh + 1.5;
    const std::vector<std::string> figures = scale_bar_labels(bar);
    const std::size_t n = figures.size() - 1;  // the figures before the unit
    const double end_w = text.line_width(label, figures[n - 1]), unit_x = x + bar.length_pt + end_w / 2 + 2.5;
    const double unit_w = text.line_width(label, bar.unit);
    const double label_h = label.size * 1.4;
    const Rect box{x - text.line_width(label, figures[0]) / 2, y, unit_x + unit_w - (x - text.line_width(label, figures[0]) / 2),
                   bh + 1.5 + label_h};
    if (!cr) return box;
    if (halo) {
        cairo_rectangle(cr, box.x - 3, box.y - 3, box.w + 6, box.h + 4);
        set_color(cr, palette::halo);
        cairo_fill(cr);
    }
    for (int i = 0; i < bar.segments; ++i) {
        cairo_rectangle(cr, x + i * seg, y, seg, bh);
        set_color(cr, i % 2 ? palette::paper : palette::ink);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x, y, bar.length_pt, bh);
    set_color(cr, palette::ink);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    std::size_t figure = 0;
    for (std::size_t i = 0; i < 3 && figure < n; ++i) {
        if (i == 1 && bar.segments % 2) continue;
        const double at = x + bar.length_pt * scale_bar_label_m(bar, i) / bar.length_m;
        text.line(cr, label, figures[figure++], at, label_y, 0.5, 0, palette::ink);
    }
    text.line(cr, label, bar.unit, unit_x, label_y, 0, 0, palette::ink);
    return box;
}

NorthArrow draw_north_arrow(cairo_t* cr, Text& text, double x, double y, double h, double angle_deg,
                            const std::string& font, double k) {
    const double rad = angle_deg * M_PI / 180, tip = h * 0.45 + 1;
    const double w = h * 0.28, top = -h * 0.45, bottom = h * 0.35;
    const double cy = y + h * 0.55;
    const FontSpec n_font{font, 9 * k, true, false};
    const double n_h = n_font.size * 1.3;
    NorthArrow out;
    out.box = {x - h * 0.5, cy - tip - n_h, h, tip + n_h + bottom + 1};
    // Inside the dark half: a third of its width right of the spine, a little below the middle.
    const double px = w * 0.3, py = h * 0.1;
    out.ink = {x + px * std::cos(rad) - py * std::sin(rad), cy + px * std::sin(rad) + py * std::cos(rad)};
    if (!cr) return out;
    cairo_save(cr);
    cairo_translate(cr, x, cy);
    cairo_rotate(cr, rad);
    for (int side : {-1, 1}) {
        cairo_move_to(cr, 0, top);
        cairo_line_to(cr, side * w, bottom);
        cairo_line_to(cr, 0, bottom - h * 0.18);
        cairo_close_path(cr);
        set_color(cr, side < 0 ? palette::paper : palette::ink);
        cairo_fill_preserve(cr);
        set_color(cr, palette::ink);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    text.line(cr, n_font, "N", x + std::sin(rad) * tip, cy - std::cos(rad) * tip, 0.5, 1, palette::ink);
    return out;
}

void draw_markings(cairo_t* cr, Text& text, const PageMarkings& m, PageDims page, int page_no, int pages, double k) {
    const FontSpec mark{m.font, 9 * k, true, false}, small{m.font, 6.5 * k, false, false};
    const double margin = 10 * kPtPerMm, top_y = margin / 2, bottom_y = page.h - margin / 2;
    double mark_w = 0;
    if (!m.marking.empty()) {
        mark_w = text.line_width(mark, m.marking);
        text.line(cr, mark, m.marking, page.w / 2, top_y, 0.5, 0.5, m.marking_color);
        text.line(cr, mark, m.marking, page.w / 2, bottom_y, 0.5, 0.5, m.marking_color);
    }
    const std::string number = page_number_text(page_no, pages);
    const double clear = page.w / 2 - mark_w / 2 - 4 * kPtPerMm;  // room each side of the marking
    const bool fits = margin + text.line_width(small, m.footer) <= clear && margin + text.line_width(small, number) <= clear;
    const double y = fits || mark_w == 0 ? bottom_y : page.h - margin - 1.5 * kPtPerMm;
    text.line(cr, small, m.footer, margin, y, 0, 0.5, palette::grey);
    text.line(cr, small, number, page.w - margin, y, 1, 0.5, palette::grey);
}

TitleBlockDrawn draw_title_block(cairo_t* cr, Text& text, const TitleBlock& tb, const Rect& r, const std::string& font,
                                 double k) {
    TitleBlockDrawn out;
    double y = r.y;
    out.band = {r.x, y, r.w, 2.2 * k};
    if (cr) {
        cairo_rectangle(cr, out.band.x, out.band.y, out.band.w, out.band.h);
        set_color(cr, palette::un_blue);
        cairo_fill(cr);
    }
    y += 5;
    double right_w = 0;
    if (!tb.title_right.empty()) {
        auto rl = text.layout({font, 11 * k, true, false}, tb.title_right);
        double h = 0;
        Text::size(rl.get(), right_w, h);
        if (cr) Text::draw(cr, rl.get(), r.right() - right_w, y + 1, tb.title_right_color);
        right_w += 8;
    }
    auto put = [&](LayoutPtr l, const Color& col, double after) {
        double w = 0, h = 0;
        Text::size(l.get(), w, h);
        if (cr) Text::draw(cr, l.get(), r.x, y, col);
        y += h + after;
    };
    put(text.layout({font, 15 * k, true, false}, tb.title, false, r.w - right_w), palette::ink, 2);
    if (!tb.subtitle.empty()) put(text.layout({font, 8.5 * k, false, false}, tb.subtitle, false, r.w), palette::grey, 4);
    const FontSpec key{font, 6.8 * k, true, false}, value{font, 6.8 * k, false, false};
    const int cols = std::max(1, tb.fact_columns);
    const double col_w = (r.w - (cols - 1) * 8) / cols;
    double key_w = 0;
    for (auto& [kname, v] : tb.facts) key_w = std::max(key_w, text.line_width(key, kname) + 6);
    key_w = std::min(key_w, col_w * 0.3);
    const std::size_t per_col = (tb.facts.size() + std::size_t(cols) - 1) / std::size_t(cols);
    double bottom = y;
    for (std::size_t c = 0; c < std::size_t(cols); ++c) {
        double fy = y;
        const double x = r.x + double(c) * (col_w + 8);
        for (std::size_t i = c * per_col; i < std::min(tb.facts.size(), (c + 1) * per_col); ++i) {
            const auto& [kname, v] = tb.facts[i];
            auto kl = text.layout(key, kname, false, key_w - 4);
            auto vl = text.layout(value, v, tb.facts_markup, col_w - key_w);
            double kw = 0, kh = 0, vw = 0, vh = 0;
            Text::size(kl.get(), kw, kh);
            Text::size(vl.get(), vw, vh);
            if (cr) {
                Text::draw(cr, kl.get(), x, fy, palette::grey);
                Text::draw(cr, vl.get(), x + key_w, fy, palette::ink);
            }
            fy += std::max(kh, vh) + 1.2;
        }
        bottom = std::max(bottom, fy);
    }
    y = bottom;
    if (!tb.notice.empty()) {
        y += 2;
        put(text.layout({font, 6.8 * k, false, true}, tb.notice, false, r.w), palette::notice, 0);
    }
    y += 4;
    if (cr) {
        cairo_move_to(cr, r.x, y);
        cairo_line_to(cr, r.right(), y);
        set_color(cr, palette::rule);
        cairo_set_line_width(cr, 0.4);
        cairo_stroke(cr);
    }
    out.height = y - r.y + 5;
    return out;
}

double continuation_header_height(double k) { return 22 * k; }

Rect draw_continuation_header(cairo_t* cr, Text& text, PageDims page, const std::string& title, const std::string& right,
                              const std::string& font, double k) {
    const double margin = 10 * kPtPerMm;
    text.line(cr, {font, 10 * k, true, false}, title, margin, margin + 2, 0, 0, palette::ink);
    text.line(cr, {font, 7 * k, false, false}, right, page.w - margin, margin + 4, 1, 0, palette::grey);
    const Rect band{margin, margin + 15 * k, page.w - 2 * margin, 1.2};
    cairo_rectangle(cr, band.x, band.y, band.w, band.h);
    set_color(cr, palette::un_blue);
    cairo_fill(cr);
    return band;
}

}  // namespace keepout::render
