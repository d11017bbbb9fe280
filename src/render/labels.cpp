#include "render/labels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace keepout::render {

LabelPlacer::LabelPlacer(Rect bounds, double cell) : bounds_(bounds), cell_(cell) {
    cols_ = std::max(1, int(std::ceil(bounds.w / cell)));
    rows_ = std::max(1, int(std::ceil(bounds.h / cell)));
    grid_.resize(std::size_t(cols_) * std::size_t(rows_));
}

template <class F>
void LabelPlacer::visit(const Rect& r, F&& f) const {
    const int c0 = std::clamp(int((r.x - bounds_.x) / cell_), 0, cols_ - 1);
    const int c1 = std::clamp(int((r.right() - bounds_.x) / cell_), 0, cols_ - 1);
    const int r0 = std::clamp(int((r.y - bounds_.y) / cell_), 0, rows_ - 1);
    const int r1 = std::clamp(int((r.bottom() - bounds_.y) / cell_), 0, rows_ - 1);
    for (int y = r0; y <= r1; ++y)
        for (int x = c0; x <= c1; ++x)
            for (const Item& it : grid_[std::size_t(y) * std::size_t(cols_) + std::size_t(x)])
                if (!f(it)) return;
}

void LabelPlacer::insert(const Rect& r, bool is_label) {
    const int c0 = std::clamp(int((r.x - bounds_.x) / cell_), 0, cols_ - 1);
    const int c1 = std::clamp(int((r.right() - bounds_.x) / cell_), 0, cols_ - 1);
    const int r0 = std::clamp(int((r.y - bounds_.y) / cell_), 0, rows_ - 1);
    const int r1 = std::clamp(int((r.bottom() - bounds_.y) / cell_), 0, rows_ - 1);
    for (int y = r0; y <= r1; ++y)
        for (int x = c0; x <= c1; ++x)
            grid_[std::size_t(y) * std::size_t(cols_) + std::size_t(x)].push_back({r, is_label});
    if (is_label) placed_.push_back(r);
}

void LabelPlacer::add_obstacle(const Rect& r) {
    if (r.overlaps(bounds_)) insert(r, false);
}

bool LabelPlacer::is_free(const Rect& r) const {
    if (!bounds_.contains(r)) return false;
    bool free = true;
    visit(r, [&](const Item& it) {
        if (it.box.overlaps(r)) free = false;
        return free;
    });
    return free;
}

namespace {
// Liang–Barsky: does the segment enter the rectangle?
bool segment_hits(double x0, double y0, double x1, double y1, const Rect& r) {
    double t0 = 0, t1 = 1;
    const double dx = x1 - x0, dy = y1 - y0;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {x0 - r.x, r.right() - x0, y0 - r.y, r.bottom() - y0};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0) t0 = std::max(t0, t);
        else t1 = std::min(t1, t);
        if (t0 > t1) return false;
    }
    return true;
}

// The point of r nearest to (x, y).
void nearest_on(const Rect& r, double x, double y, double& nx, double& ny) {
    nx = std::clamp(x, r.x, r.right());
    ny = std::clamp(y, r.y, r.bottom());
}
}  // namespace

bool LabelPlacer::segment_free(double x0, double y0, double x1, double y1) const {
    const Rect span{std::min(x0, x1), std::min(y0, y1), std::abs(x1 - x0), std::abs(y1 - y0)};
    bool free = true;
    visit(span, [&](const Item& it) {
        if (it.label && segment_hits(x0, y0, x1, y1, it.box)) free = false;
        return free;
    });
    return free;
}

std::vector<Rect> LabelPlacer::candidates(const LabelRequest& r, bool with_leaders) {
    std::vector<Rect> out;
    if (r.fixed) return {{r.x - r.w / 2, r.y - r.h / 2, r.w, r.h}};
    if (r.centred) {
        // On the anchor, then nudged by a third and two thirds of the box in eight directions.
        out.push_back({r.x - r.w / 2, r.y - r.h / 2, r.w, r.h});
        for (double f : {0.35, 0.7})
            for (int k = 0; k < 8; ++k) {
                const double a = k * M_PI / 4;
                out.push_back({r.x - r.w / 2 + std::cos(a) * f * r.w, r.y - r.h / 2 + std::sin(a) * f * r.h * 1.5, r.w,
                               r.h});
            }
        return out;
    }
    // Cartographic preference (Imhof): upper right, lower right, upper left, lower left, right,
    // left, above, below.
    const double d = r.symbol + r.gap, dd = d * 0.7071;
    const double x = r.x, y = r.y, w = r.w, h = r.h;
    if (r.on_anchor) out.push_back({x - w / 2, y - h / 2, w, h});
    out.push_back({x + dd, y - dd - h, w, h});
    out.push_back({x + dd, y + dd, w, h});
    out.push_back({x - dd - w, y - dd - h, w, h});
    out.push_back({x - dd - w, y + dd, w, h});
    out.push_back({x + d, y - h / 2, w, h});
    out.push_back({x - d - w, y - h / 2, w, h});
    out.push_back({x - w / 2, y - d - h, w, h});
    out.push_back({x - w / 2, y + d, w, h});
    if (with_leaders) {
        // Rings further out in 24 directions; the box's nearest corner or edge faces the anchor.
        for (double ring : {1.0, 2.0, 3.0, 4.5, 6.0, 8.0, 10.0, 12.5, 15.0}) {
            // Steps of one small label height, whatever the label's size: leaders stay short.
            const double rad = d + ring * 7.0;
            if (ring * 7.0 > r.max_leader) break;
            for (int k = 0; k < 24; ++k) {
                const double a = -M_PI / 4 + k * M_PI / 12;  // start upper right, clockwise on the page
                const double px = x + rad * std::cos(a), py = y + rad * std::sin(a);
                const double bx = std::cos(a) >= 0.2 ? px : std::cos(a) <= -0.2 ? px - w : px - w / 2;
                const double by = std::sin(a) >= 0.2 ? py : std::sin(a) <= -0.2 ? py - h : py - h / 2;
                out.push_back({bx, by, w, h});
            }
        }
    }
    return out;
}

std::vector<LabelPlacement> LabelPlacer::place(const std::vector<LabelRequest>& requests) {
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return requests[a].priority > requests[b].priority; });
    std::vector<LabelPlacement> out;
    for (std::size_t i : order) {
        const LabelRequest& r = requests[i];
        const auto cands = candidates(r, r.leader);
        bool placed = false;
        for (std::size_t c = 0; c < cands.size(); ++c) {
            const Rect& box = cands[c];
            // With a clearance the box and a band around it must be free, and both are taken.
            const Rect taken = box.inset(-r.clearance);
            if (!is_free(taken)) continue;
            // The first candidates touch the anchor's symbol; those after them are out on a leader.
            const std::size_t near = r.on_anchor ? 9 : 8;
            LabelPlacement p{i, box, r.leader && !r.centred && c >= near};
            if (p.leader) {
                // From the symbol's edge toward the box; the line must cross no placed label.
                double nx = 0, ny = 0;
                nearest_on(box, r.x, r.y, nx, ny);
                const double len = std::hypot(nx - r.x, ny - r.y);
                if (len <= 0) continue;
                p.lx0 = r.x + (nx - r.x) / len * r.symbol;
                p.ly0 = r.y + (ny - r.y) / len * r.symbol;
                p.lx1 = nx, p.ly1 = ny;
                if (!segment_free(p.lx0, p.ly0, p.lx1, p.ly1)) continue;
            }
            insert(taken, true);
            if (p.leader) {
                // Later labels keep off the line: small boxes along it.
                const double len = std::hypot(p.lx1 - p.lx0, p.ly1 - p.ly0);
                const int steps = std::max(1, int(len / 2.0));
                for (int s = 1; s < steps; ++s) {
                    const double t = double(s) / steps;
                    const double cx = p.lx0 + (p.lx1 - p.lx0) * t, cy = p.ly0 + (p.ly1 - p.ly0) * t;
                    insert({cx - 0.5, cy - 0.5, 1, 1}, false);
                }
            }
            out.push_back(p);
            placed = true;
            break;
        }
        if (!placed) ++dropped_;
    }
    return out;
}

}  // namespace keepout::render
