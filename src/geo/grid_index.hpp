#pragma once
// A static, flat grid over bounding boxes in lon/lat: built once per snapshot, read by many threads
// without locks. Each query touches a handful of cells laid out contiguously (no allocation, no
// pointer chasing), which is what lets point checks run at millions per second on one core.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "geo/box.hpp"

namespace keepout::geo {

class GridIndex {
public:
    GridIndex() = default;
    // `items_per_cell` trades memory for fewer cells to visit.
    explicit GridIndex(const std::vector<Box>& boxes, double items_per_cell = 2.0);

    // Calls f(i) once for every box i that intersects q.
    template <class F>
    void query(const Box& q, F&& f) const {
        if (entries_.empty() || !extent_.intersects(q)) return;
        const int cx0 = col(q.min_lon), cx1 = col(q.max_lon), cy0 = row(q.min_lat), cy1 = row(q.max_lat);
        for (int cy = cy0; cy <= cy1; ++cy) {
            for (int cx = cx0; cx <= cx1; ++cx) {
                const std::size_t c = std::size_t(cy) * std::size_t(cols_) + std::size_t(cx);
                for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
                    const Entry& e = entries_[k];
                    if (!e.box.intersects(q)) continue;
                    // A box spanning several cells is reported from the first cell the query shares with it.
                    if (col(std::max(e.box.min_lon, q.min_lon)) != cx || row(std::max(e.box.min_lat, q.min_lat)) != cy)
                        continue;
                    f(e.id);
                }
            }
        }
    }

    std::size_t size() const { return count_; }
    const Box& extent() const { return extent_; }

private:
    struct Entry {
        Box box;
        std::uint32_t id;
    };
    int col(double lon) const { return std::clamp(int((lon - extent_.min_lon) * inv_w_), 0, cols_ - 1); }
    int row(double lat) const { return std::clamp(int((lat - extent_.min_lat) * inv_h_), 0, rows_ - 1); }

    Box extent_;
    int cols_ = 0, rows_ = 0;
    double inv_w_ = 0, inv_h_ = 0;
    std::size_t count_ = 0;
    std::vector<std::uint32_t> start_;  // cell c holds entries_[start_[c] .. start_[c+1])
    std::vector<Entry> entries_;
};

}  // namespace keepout::geo
