#pragma once
// Cairo and Pango for the render subsystem's own .cpp files only (like io/gdal_internal.hpp):
// output surfaces, text layout and symbol paths. Nothing outside src/render includes this.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <vector>

#include "render/layout.hpp"
#include "render/render.hpp"
#include "render/style.hpp"

namespace keepout::render {

struct CairoDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct GDeleter {
    void operator()(void* p) const { g_object_unref(p); }
};
struct FontDescDeleter {
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GDeleter>;
using ContextPtr = std::unique_ptr<PangoContext, GDeleter>;
using FontDescPtr = std::unique_ptr<PangoFontDescription, FontDescDeleter>;

// Pages drawn in points whatever the format: a PDF document, or one PNG/SVG per page.
class Output {
public:
    Output(Format format, double dpi);
    ~Output();
    cairo_t* begin_page(PageDims page);
    void end_page();
    std::vector<std::string> finish();
    Format format() const { return format_; }

private:
    Format format_;
    double dpi_;
    SurfacePtr surface_;
    CairoPtr cr_;
    std::string pdf_;
    std::vector<std::string> files_;
    PageDims page_;
};

struct FontSpec {
    std::string family = "Noto Sans";
    double size = 8;
    bool bold = false;
    bool italic = false;
};

// Text through Pango with metrics independent of the output (hinting off, 72 units per inch):
// a label measures the same in PDF, SVG and PNG at any dpi.
class Text {
public:
    Text();
    // A layout of plain text or Pango markup; width > 0 wraps (or ellipsizes with `ellipsize`).
    LayoutPtr layout(const FontSpec& font, const std::string& text, bool markup = false, double width = -1,
                     bool ellipsize = false, PangoAlignment align = PANGO_ALIGN_LEFT);
    // Logical size in points.
    static void size(PangoLayout* l, double& w, double& h);
    // Draws at (x, y) = top left of the logical box, with an optional halo.
    static void draw(cairo_t* cr, PangoLayout* l, double x, double y, const Color& color, const Color* halo = nullptr,
                     double halo_width = 0);
    // One line of text placed by an anchor: ax 0 left, 0.5 centre, 1 right; ay likewise (0 top).
    void line(cairo_t* cr, const FontSpec& font, const std::string& text, double x, double y, double ax, double ay,
              const Color& color, bool markup = false);
    double line_width(const FontSpec& font, const std::string& text, bool markup = false);

private:
    PangoFontDescription* desc(const FontSpec& font);
    ContextPtr ctx_;
    std::vector<std::pair<std::string, FontDescPtr>> descs_;
};

void set_color(cairo_t* cr, const Color& c, double opacity = 1);
// A closed path of the marker shape, `size` its width, centred on (x, y).
void marker_path(cairo_t* cr, MarkerShape shape, double x, double y, double size);
// Pango markup with the characters of `text` escaped.
std::string markup_escape(const std::string& text);

}  // namespace keepout::render
