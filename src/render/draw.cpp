#include "render/draw.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "encode/png.hpp"

namespace keepout::render {

namespace {
cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t s, const char* what) {
    if (s != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string(what) + ": " + cairo_status_to_string(s));
}
}  // namespace

Output::Output(Format format, double dpi) : format_(format), dpi_(dpi) {
    if (format == Format::png && !(dpi >= 10 && dpi <= 2400)) throw std::invalid_argument("dpi must be between 10 and 2400");
}

Output::~Output() = default;

cairo_t* Output::begin_page(PageDims page) {
    page_ = page;
    switch (format_) {
    case Format::pdf:
        if (!surface_) {
            surface_.reset(cairo_pdf_surface_create_for_stream(append, &pdf_, page.w, page.h));
            check(cairo_surface_status(surface_.get()), "cannot create the PDF");
            cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "keepout");
        } else {
            cairo_pdf_surface_set_size(surface_.get(), page.w, page.h);
        }
        if (!cr_) cr_.reset(cairo_create(surface_.get()));
        break;
    case Format::svg:
        pdf_.clear();
        surface_.reset(cairo_svg_surface_create_for_stream(append, &pdf_, page.w, page.h));
        check(cairo_surface_status(surface_.get()), "cannot create the SVG");
        cairo_svg_surface_set_document_unit(surface_.get(), CAIRO_SVG_UNIT_PT);
        cr_.reset(cairo_create(surface_.get()));
        break;
    case Format::png: {
        const int w = int(std::lround(page.w / 72.0 * dpi_)), h = int(std::lround(page.h / 72.0 * dpi_));
        surface_.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
        check(cairo_surface_status(surface_.get()), "cannot create the image (too large for this dpi?)");
        cr_.reset(cairo_create(surface_.get()));
        cairo_scale(cr_.get(), double(w) / page.w, double(h) / page.h);
        break;
    }
    }
    cairo_save(cr_.get());
    return cr_.get();
}

void Output::end_page() {
    cairo_restore(cr_.get());
    switch (format_) {
    case Format::pdf: cairo_show_page(cr_.get()); break;
    case Format::svg:
        cr_.reset();
        cairo_surface_finish(surface_.get());
        check(cairo_surface_status(surface_.get()), "cannot write the SVG");
        surface_.reset();
        files_.push_back(std::move(pdf_));
        pdf_.clear();
        break;
    case Format::png: {
        cr_.reset();
        // Cairo's own writer (libpng, adaptive filters, zlib level 6) took most of the time of a
        // 300 dpi page; encode::encode_png_xrgb32 writes the same image several times faster.
        cairo_surface_flush(surface_.get());
        const int w = cairo_image_surface_get_width(surface_.get()), h = cairo_image_surface_get_height(surface_.get());
        const int stride = cairo_image_surface_get_stride(surface_.get());
        const unsigned char* data = cairo_image_surface_get_data(surface_.get());
        std::string png = encode::encode_png_xrgb32(data, w, h, stride);
        surface_.reset();
        files_.push_back(std::move(png));
        break;
    }
    }
}

std::vector<std::string> Output::finish() {
    if (format_ == Format::pdf && surface_) {
        cr_.reset();
        cairo_surface_finish(surface_.get());
        check(cairo_surface_status(surface_.get()), "cannot write the PDF");
        surface_.reset();
        files_.push_back(std::move(pdf_));
    }
    return std::move(files_);
}

Text::Text() {
    PangoFontMap* map = pango_cairo_font_map_get_default();
    ctx_.reset(pango_font_map_create_context(map));
    pango_cairo_context_set_resolution(ctx_.get(), 72);
    cairo_font_options_t* opts = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ctx_.get(), opts);
    cairo_font_options_destroy(opts);
    pango_context_set_round_glyph_positions(ctx_.get(), FALSE);
}

PangoFontDescription* Text::desc(const FontSpec& f) {
    const std::string key = f.family + '|' + std::to_string(f.size) + (f.bold ? "b" : "") + (f.italic ? "i" : "");
    for (auto& [k, d] : descs_)
        if (k == key) return d.get();
    FontDescPtr d(pango_font_description_new());
    pango_font_description_set_family(d.get(), f.family.c_str());
    pango_font_description_set_absolute_size(d.get(), f.size * PANGO_SCALE);
    pango_font_description_set_weight(d.get(), f.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d.get(), f.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    descs_.emplace_back(key, std::move(d));
    return descs_.back().second.get();
}

LayoutPtr Text::layout(const FontSpec& font, const std::string& text, bool markup, double width, bool ellipsize,
                       PangoAlignment align) {
    LayoutPtr l(pango_layout_new(ctx_.get()));
    pango_layout_set_font_description(l.get(), desc(font));
    if (width > 0) {
        pango_layout_set_width(l.get(), int(width * PANGO_SCALE));
        if (ellipsize) pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
        else pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l.get(), align);
    if (markup) pango_layout_set_markup(l.get(), text.c_str(), int(text.size()));
    else pango_layout_set_text(l.get(), text.c_str(), int(text.size()));
    return l;
}

void Text::size(PangoLayout* l, double& w, double& h) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    w = double(logical.width) / PANGO_SCALE;
    h = double(logical.height) / PANGO_SCALE;
}

void Text::draw(cairo_t* cr, PangoLayout* l, double x, double y, const Color& color, const Color* halo, double halo_width) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    cairo_move_to(cr, x - double(logical.x) / PANGO_SCALE, y - double(logical.y) / PANGO_SCALE);
    if (halo && halo_width > 0 && halo->a > 0) {
        // The halo is an outline path; the text itself stays text (selectable, searchable).
        cairo_save(cr);
        pango_cairo_layout_path(cr, l);
        set_color(cr, *halo);
        cairo_set_line_width(cr, halo_width * 2);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_restore(cr);
        cairo_move_to(cr, x - double(logical.x) / PANGO_SCALE, y - double(logical.y) / PANGO_SCALE);
    }
    set_color(cr, color);
    pango_cairo_show_layout(cr, l);
}

void Text::line(cairo_t* cr, const FontSpec& font, const std::string& text, double x, double y, double ax, double ay,
                const Color& color, bool markup) {
    auto l = layout(font, text, markup);
    double w = 0, h = 0;
    size(l.get(), w, h);
    draw(cr, l.get(), x - ax * w, y - ay * h, color);
}

double Text::line_width(const FontSpec& font, const std::string& text, bool markup) {
    auto l = layout(font, text, markup);
    double w = 0, h = 0;
    size(l.get(), w, h);
    return w;
}

void set_color(cairo_t* cr, const Color& c, double opacity) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity); }

void marker_path(cairo_t* cr, MarkerShape shape, double x, double y, double size) {
    const double r = size / 2;
    auto polygon = [&](int n, double rot, double radius) {
        for (int i = 0; i < n; ++i) {
            const double a = rot + 2 * M_PI * i / n;
            const double px = x + radius * std::cos(a), py = y + radius * std::sin(a);
            if (i == 0) cairo_move_to(cr, px, py);
            else cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
    };
    switch (shape) {
    case MarkerShape::circle:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        cairo_close_path(cr);
        break;
    case MarkerShape::square: cairo_rectangle(cr, x - r * 0.88, y - r * 0.88, r * 1.76, r * 1.76); break;
    case MarkerShape::triangle: polygon(3, -M_PI / 2, r * 1.15); break;
    case MarkerShape::diamond: polygon(4, -M_PI / 2, r * 1.15); break;
    case MarkerShape::hexagon: polygon(6, 0, r); break;
    case MarkerShape::star:
        for (int i = 0; i < 10; ++i) {
            const double a = -M_PI / 2 + M_PI * i / 5, rad = i % 2 ? r * 0.5 : r * 1.2;
            const double px = x + rad * std::cos(a), py = y + rad * std::sin(a);
            if (i == 0) cairo_move_to(cr, px, py);
            else cairo_line_to(cr, px, py);
        }
        cairo_close_path(cr);
        break;
    case MarkerShape::cross: {
        const double t = r * 0.36;
        cairo_move_to(cr, x - t, y - r);
        cairo_line_to(cr, x + t, y - r);
        cairo_line_to(cr, x + t, y - t);
        cairo_line_to(cr, x + r, y - t);
        cairo_line_to(cr, x + r, y + t);
        cairo_line_to(cr, x + t, y + t);
        cairo_line_to(cr, x + t, y + r);
        cairo_line_to(cr, x - t, y + r);
        cairo_line_to(cr, x - t, y + t);
        cairo_line_to(cr, x - r, y + t);
        cairo_line_to(cr, x - r, y - t);
        cairo_line_to(cr, x - t, y - t);
        cairo_close_path(cr);
        break;
    }
    }
}

std::string markup_escape(const std::string& text) {
    char* e = g_markup_escape_text(text.c_str(), gssize(text.size()));
    std::string out = e;
    g_free(e);
    return out;
}

}  // namespace keepout::render
