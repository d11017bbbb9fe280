#include "geo/grid_index.hpp"

namespace keepout::geo {

GridIndex::GridIndex(const std::vector<Box>& boxes, double items_per_cell) : count_(boxes.size()) {
    if (boxes.empty()) return;
    extent_ = boxes.front();
    for (auto& b : boxes) {
        extent_.min_lon = std::min(extent_.min_lon, b.min_lon);
        extent_.min_lat = std::min(extent_.min_lat, b.min_lat);
        extent_.max_lon = std::max(extent_.max_lon, b.max_lon);
        extent_.max_lat = std::max(extent_.max_lat, b.max_lat);
    }
    const double w = std::max(extent_.max_lon - extent_.min_lon, 1e-9);
    const double h = std::max(extent_.max_lat - extent_.min_lat, 1e-9);
    // Square-ish cells in degrees, about items_per_cell boxes each, capped so the grid stays small.
    const double cells = std::clamp(double(boxes.size()) / items_per_cell, 1.0, 16e6);
    const double side = std::sqrt(w * h / cells);
    cols_ = std::clamp(int(std::ceil(w / side)), 1, 8192);
    rows_ = std::clamp(int(std::ceil(h / side)), 1, 8192);
    inv_w_ = cols_ / w;
    inv_h_ = rows_ / h;

    const std::size_t ncells = std::size_t(cols_) * std::size_t(rows_);
    std::vector<std::uint32_t> counts(ncells + 1, 0);
    auto for_cells = [&](const Box& b, auto&& f) {
        for (int cy = row(b.min_lat); cy <= row(b.max_lat); ++cy)
            for (int cx = col(b.min_lon); cx <= col(b.max_lon); ++cx) f(std::size_t(cy) * std::size_t(cols_) + std::size_t(cx));
    };
    for (auto& b : boxes) for_cells(b, [&](std::size_t c) { ++counts[c]; });
    start_.assign(ncells + 1, 0);
    for (std::size_t c = 0; c < ncells; ++c) start_[c + 1] = start_[c] + counts[c];
    entries_.resize(start_[ncells]);
    std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
    for (std::uint32_t i = 0; i < boxes.size(); ++i)
        for_cells(boxes[i], [&](std::size_t c) { entries_[fill[c]++] = Entry{boxes[i], i}; });
}

}  // namespace keepout::geo
