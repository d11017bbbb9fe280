#pragma once
// The page composer of every printed product (the slide, the atlas, the patrol card): the pages
// of one output with the same furniture on each (marking, footer, page numbers), blocks stacked
// down a panel's columns, and a table run on to continuation pages under their header. The
// products say what goes on their pages; the composer says where and keeps the count.
// Internal to src/render (Cairo types).
#include <optional>
#include <string>
#include <vector>

#include "render/draw.hpp"
#include "render/furniture.hpp"
#include "render/table.hpp"

namespace keepout::render {

// Blocks stacked down columns: each block goes into the column the last one ended in when it
// fits there, else at the top of the next; a block taller than a whole column is cut off.
class ColumnFlow {
public:
    explicit ColumnFlow(std::vector<Rect> columns);
    // The width of the column the next block goes into.
    double width() const;
    // Where a block `h` points tall goes; none when the columns are full.
    std::optional<Rect> take(double h);
    // What is left below the last block (the next column when less than `min_h` is left); empty
    // when nothing is.
    Rect rest(double min_h) const;

private:
    std::vector<Rect> columns_;
    std::size_t col_ = 0;
    double y_ = 0;
};

// How the rows of a table fall on pages: `first` on its first page, then `per_page` on each
// continuation page.
struct TableSplit {
    std::size_t first = 0, per_page = 0;
    int pages = 1;  // the first page included
};
TableSplit split_table(const Table& t, std::size_t first, std::size_t per_page);

// What a continuation page of a product looks like.
struct ContinuationSpec {
    PageSize size = PageSize::A3;
    bool landscape = true;
    int columns = 0;                  // 0: as many as suit the page
    std::string title, right;         // the header's two ends
    std::string font;
    double k = 1;
};
std::vector<Rect> continuation_table_columns(const ContinuationSpec& spec);
std::size_t continuation_rows_per_page(const Table& t, const ContinuationSpec& spec);

class PageComposer {
public:
    PageComposer(Format format, double dpi, PageMarkings markings);
    Text& text() { return text_; }
    const PageMarkings& markings() const { return markings_; }
    // The pages of the whole product, for "Page n of N".
    void set_total_pages(int pages) { pages_ = pages; }
    // Page numbers left out of this output (pages not drawn keep their numbers).
    void skip_pages(int n) { page_no_ += n; }
    int page_number() const { return page_no_; }
    int pages_drawn() const { return drawn_; }

    // A new page on white paper.
    cairo_t* begin_page(PageDims page);
    // The marking, the footer and the page number at furniture scale `k`; the page is done.
    void end_page(double k);
    // Rows [from, to) of `t` on continuation pages, as many pages as they take; returns the
    // row after the last drawn.
    std::size_t continue_table(const Table& t, std::size_t from, const ContinuationSpec& spec);

    // PDF: one file with every page; PNG and SVG: one per page.
    std::vector<std::string> finish();

private:
    Output out_;
    Text text_;
    PageMarkings markings_;
    cairo_t* cr_ = nullptr;
    PageDims page_;
    int page_no_ = 0, pages_ = 0, drawn_ = 0;
};

}  // namespace keepout::render
