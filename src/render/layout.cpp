#include "render/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace keepout::render {

PageDims page_dims(PageSize size, bool landscape) {
    const double w_mm = size == PageSize::A4 ? 210 : 297, h_mm = size == PageSize::A4 ? 297 : 420;
    PageDims d{w_mm * kPtPerMm, h_mm * kPtPerMm};
    if (landscape) std::swap(d.w, d.h);
    return d;
}

const char* page_name(PageSize size) { return size == PageSize::A4 ? "A4" : "A3"; }

PageLayout layout_page(PageSize size, bool landscape) {
    PageLayout L;
    L.page = page_dims(size, landscape);
    const double margin = 10 * kPtPerMm, gap = 4 * kPtPerMm, band = 6 * kPtPerMm;
    L.top_margin = {0, 0, L.page.w, margin};
    L.bottom_margin = {0, L.page.h - margin, L.page.w, margin};
    const Rect content{margin, margin, L.page.w - 2 * margin, L.page.h - 2 * margin};
    if (landscape) {
        const double panel_w = (size == PageSize::A3 ? 100 : 88) * kPtPerMm;
        L.map_area = {content.x, content.y, content.w - panel_w - gap, content.h};
        L.panel = {{L.map_area.right() + gap, content.y, panel_w, content.h}};
    } else {
        const double panel_h = (size == PageSize::A3 ? 120 : 92) * kPtPerMm;
        const int cols = size == PageSize::A3 ? 3 : 2;
        L.map_area = {content.x, content.y, content.w, content.h - panel_h - gap};
        const double col_w = (content.w - gap * (cols - 1)) / cols;
        for (int i = 0; i < cols; ++i)
            L.panel.push_back({content.x + i * (col_w + gap), L.map_area.bottom() + gap, col_w, panel_h});
    }
    L.frame = L.map_area.inset(band);
    return L;
}

std::vector<Rect> continuation_columns(PageSize size, bool landscape, double header_h, int wanted) {
    const PageDims d = page_dims(size, landscape);
    const double margin = 10 * kPtPerMm, gap = 5 * kPtPerMm;
    const Rect content{margin, margin + header_h, d.w - 2 * margin, d.h - 2 * margin - header_h};
    const int cols = wanted > 0 ? wanted : size == PageSize::A3 ? (landscape ? 4 : 3) : (landscape ? 3 : 2);
    std::vector<Rect> out;
    const double col_w = (content.w - gap * (cols - 1)) / cols;
    for (int i = 0; i < cols; ++i) out.push_back({content.x + i * (col_w + gap), content.y, col_w, content.h});
    return out;
}

double nice_scale(double d) {
    if (!(d > 0)) return 1;
    const double unit = std::pow(10.0, std::floor(std::log10(d))) / 4;
    // A hair of tolerance so an exact nice value is kept, not bumped to the next.
    return std::ceil(d / unit - 1e-9) * unit;
}

double fit_scale(double w_m, double h_m, double frame_w, double frame_h) {
    return std::max(w_m / (frame_w / kPtPerMetre), h_m / (frame_h / kPtPerMetre));
}

ScaleBar scale_bar(double denominator, double k, double max_pt) {
    ScaleBar b;
    const double pt_per_true_m = k / denominator * kPtPerMetre;
    const double max_m = max_pt / pt_per_true_m;
    double p = std::pow(10.0, std::floor(std::log10(max_m)));
    double len = p;
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max_m) {
            len = m * p;
            break;
        }
    b.length_m = len;
    const double lead = len / p;  // 1, 2 or 5
    b.segments = lead == 1 ? 5 : lead == 2 ? 4 : 5;
    b.length_pt = len * pt_per_true_m;
    if (len >= 1000) b.unit = "km", b.unit_m = 1000;
    else b.unit = "m", b.unit_m = 1;
    return b;
}

std::vector<std::string> scale_bar_labels(const ScaleBar& bar) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < 3; ++i) {
        if (i == 1 && bar.segments % 2) continue;
        char b[32];
        std::snprintf(b, sizeof b, "%g", scale_bar_label_m(bar, i) / bar.unit_m);
        out.push_back(b);
    }
    out.push_back(bar.unit);
    return out;
}

double scale_bar_label_m(const ScaleBar& bar, std::size_t i) { return i == 0 ? 0 : i == 1 ? bar.length_m / 2 : bar.length_m; }

double grid_spacing(double denominator) {
    const double mm_per_km = 1e6 / denominator;  // paper mm for 1 km
    for (double km : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0})
        if (km * mm_per_km >= 15) return km * 1000;
    return 100000;
}

std::vector<double> grid_values(double lo, double hi, double spacing) {
    std::vector<double> out;
    if (!(spacing > 0) || !(hi >= lo)) return out;
    for (double v = std::ceil(lo / spacing) * spacing; v <= hi; v += spacing) out.push_back(v);
    return out;
}

GridFigures grid_figures(double metres, double spacing_m) {
    // Decimals of a kilometre the spacing needs: none for whole kilometres, one for 100 m steps.
    int decimals = 0;
    for (double unit = 1000; decimals < 3 && std::abs(std::remainder(spacing_m, unit)) > 1e-6; unit /= 10) ++decimals;
    long step = 1;
    for (int i = 0; i < decimals; ++i) step *= 10;
    // The value in units of the last decimal: exact for a line's value, whatever its float error.
    const long long units = std::llround(metres / 1000 * double(step));
    auto floor_div = [](long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
    const long long km = floor_div(units, step), frac = units - km * step;
    GridFigures g;
    g.hundreds = long(floor_div(km, 100));
    char b[48];
    std::snprintf(b, sizeof b, "%02lld", km - floor_div(km, 100) * 100);
    g.digits = b;
    if (decimals > 0 && frac != 0) {  // "20.5", "20.25"; the whole kilometre as "20"
        std::snprintf(b, sizeof b, ".%0*lld", decimals, frac);
        std::string f = b;
        while (f.back() == '0') f.pop_back();
        g.digits += f;
    }
    return g;
}

GridLines grid_lines(const MapView& view, double spacing_m) {
    GridLines g;
    const Rect& f = view.frame();
    const XY tl = view.to_crs({f.x, f.y}), br = view.to_crs({f.right(), f.bottom()});
    for (double e : grid_values(tl.x, br.x, spacing_m)) g.eastings.push_back({e, view.to_page({e, 0}).x});
    for (double n : grid_values(br.y, tl.y, spacing_m)) g.northings.push_back({n, view.to_page({0, n}).y});
    return g;
}

std::string grouped(double v) {
    char digits[64];
    std::snprintf(digits, sizeof digits, "%.0f", v);
    std::string out;
    int n = 0;
    for (const char* p = digits + std::strlen(digits); p-- != digits;) {
        if (n && n % 3 == 0) out.insert(out.begin(), ' ');
        out.insert(out.begin(), *p);
        ++n;
    }
    return out;
}

}  // namespace keepout::render
