#include "render/composer.hpp"

#include <algorithm>

namespace keepout::render {

ColumnFlow::ColumnFlow(std::vector<Rect> columns) : columns_(std::move(columns)) {
    if (!columns_.empty()) y_ = columns_[0].y;
}

double ColumnFlow::width() const { return columns_.empty() ? 0 : columns_[std::min(col_, columns_.size() - 1)].w; }

std::optional<Rect> ColumnFlow::take(double h) {
    while (col_ < columns_.size()) {
        const Rect& c = columns_[col_];
        if (y_ + h <= c.bottom() + 0.01 || y_ == c.y) {
            const Rect r{c.x, y_, c.w, h};
            y_ += h;
            return r;
        }
        ++col_;
        if (col_ < columns_.size()) y_ = columns_[col_].y;
    }
    return std::nullopt;
}

Rect ColumnFlow::rest(double min_h) const {
    if (col_ >= columns_.size()) return {};
    const Rect& c = columns_[col_];
    Rect rest{c.x, y_, c.w, c.bottom() - y_};
    if (rest.h < min_h && col_ + 1 < columns_.size()) rest = columns_[col_ + 1];
    return rest.h > 0 ? rest : Rect{};
}

TableSplit split_table(const Table& t, std::size_t first, std::size_t per_page) {
    TableSplit s;
    s.first = std::min(first, t.rows.size());
    s.per_page = per_page;
    const std::size_t left = t.rows.size() - s.first;
    s.pages = 1 + int(per_page ? (left + per_page - 1) / per_page : 0);
    return s;
}

std::vector<Rect> continuation_table_columns(const ContinuationSpec& spec) {
    return continuation_columns(spec.size, spec.landscape, continuation_header_height(spec.k), spec.columns);
}

std::size_t continuation_rows_per_page(const Table& t, const ContinuationSpec& spec) {
    const auto cols = continuation_table_columns(spec);
    return cols.empty() ? 0 : rows_fitting(t, cols[0].h, spec.k) * cols.size();
}

PageComposer::PageComposer(Format format, double dpi, PageMarkings markings)
    : out_(format, dpi), markings_(std::move(markings)) {}

cairo_t* PageComposer::begin_page(PageDims page) {
    page_ = page;
    cr_ = out_.begin_page(page);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
    return cr_;
}

void PageComposer::end_page(double k) {
    ++page_no_;
    ++drawn_;
    draw_markings(cr_, text_, markings_, page_, page_no_, std::max(pages_, page_no_), k);
    out_.end_page();
    cr_ = nullptr;
}

std::size_t PageComposer::continue_table(const Table& t, std::size_t from, const ContinuationSpec& spec) {
    const PageDims page = page_dims(spec.size, spec.landscape);
    const std::size_t per_column = [&] {
        const auto cols = continuation_table_columns(spec);
        return cols.empty() ? std::size_t(0) : rows_fitting(t, cols[0].h, spec.k);
    }();
    std::size_t next = from;
    while (next < t.rows.size() && per_column > 0) {
        cairo_t* c = begin_page(page);
        draw_continuation_header(c, text_, page, spec.title, spec.right, spec.font, spec.k);
        for (const Rect& col : continuation_table_columns(spec)) {
            if (next >= t.rows.size()) break;
            const std::size_t n = std::min(t.rows.size() - next, per_column);
            draw_table(c, text_, t, next, next + n, col, spec.k, spec.font, true);
            next += n;
        }
        end_page(spec.k);
    }
    return next;
}

std::vector<std::string> PageComposer::finish() { return out_.finish(); }

}  // namespace keepout::render
