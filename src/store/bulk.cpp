#include "store/bulk.hpp"

#include <algorithm>
#include <cstdint>

namespace keepout::store {

namespace {
// Per-row triggers of SpatiaLite on the venues geometry: the geometry check (keepout validates
// every row before insert), the last-insert timestamp and the spatial index.
const char* kLifted[] = {"ggi_venues_geom", "tmi_venues_geom", "gii_venues_geom"};

// Interleaved bits of the cell of a box centre: nearby boxes get nearby keys, so the R-tree is
// filled page by page instead of at random.
std::uint64_t morton(const geo::Box& b) {
    auto scale = [](double v, double lo, double hi) {
        double t = (v - lo) / (hi - lo);
        return std::uint32_t(std::clamp(t, 0.0, 1.0) * 65535.0);
    };
    std::uint32_t x = scale((b.min_lon + b.max_lon) / 2, -180, 180), y = scale((b.min_lat + b.max_lat) / 2, -90, 90);
    std::uint64_t key = 0;
    for (int i = 0; i < 16; ++i) {
        key |= std::uint64_t((x >> i) & 1u) << (2 * i);
        key |= std::uint64_t((y >> i) & 1u) << (2 * i + 1);
    }
    return key;
}
}  // namespace

BulkVenueWriter::BulkVenueWriter(Store& store) : store_(store) {
    for (const char* name : kLifted) {
        Statement st = store_.db().prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        st.bind(1, name);
        if (!st.step()) continue;
        triggers_.emplace_back(name, st.text(0));
    }
    for (auto& [name, sql] : triggers_) store_.db().exec("DROP TRIGGER \"" + name + "\"");
}

model::Id BulkVenueWriter::insert(const model::Venue& venue, const geo::Box& box) {
    const model::Id id = store_.insert_venue(venue);
    entries_.push_back({id, box});
    return id;
}

void BulkVenueWriter::finish() {
    if (finished_) return;
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return morton(a.box) < morton(b.box); });
    {
        Statement ins =
            store_.db().prepare("INSERT INTO idx_venues_geom (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)");
        for (auto& e : entries_)
            ins.bind(1, e.id).bind(2, e.box.min_lon).bind(3, e.box.max_lon).bind(4, e.box.min_lat).bind(5, e.box.max_lat).run();
    }
    if (!entries_.empty())
        store_.db().exec(
            "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE Lower(f_table_name) = 'venues' AND Lower(f_geometry_column) = 'geom'");
    for (auto& [name, sql] : triggers_) store_.db().exec(sql);
    finished_ = true;
}

}  // namespace keepout::store
