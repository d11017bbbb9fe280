#include "store/bulk.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace keepout::store {

namespace {
// Per-row triggers of SpatiaLite on the venues geometry: the geometry check (keepout validates
// every row before insert), the last-insert timestamp and the spatial index.
const char* kLifted[] = {"ggi_venues_geom", "tmi_venues_geom", "gii_venues_geom"};

// Interleaved bits of the cell of a box centre: nearby boxes get nearby keys, so the R-tree is
// filled page by page instead of at random.
using Cell = BulkVenueWriter::Cell;

float round_down(double v) {
    float f = static_cast<float>(v);
    return double(f) > v ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}
float round_up(double v) {
    float f = static_cast<float>(v);
    return double(f) < v ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

std::uint64_t morton(const Cell& b) {
    auto scale = [](double v, double lo, double hi) {
        double t = (v - lo) / (hi - lo);
        return std::uint32_t(std::clamp(t, 0.0, 1.0) * 65535.0);
    };
    std::uint32_t x = scale((double(b.xmin) + b.xmax) / 2, -180, 180), y = scale((double(b.ymin) + b.ymax) / 2, -90, 90);
    std::uint64_t key = 0;
    for (int i = 0; i < 16; ++i) {
        key |= std::uint64_t((x >> i) & 1u) << (2 * i);
        key |= std::uint64_t((y >> i) & 1u) << (2 * i + 1);
    }
    return key;
}
}  // namespace

BulkVenueWriter::BulkVenueWriter(Store& store, Duplicates duplicates) : store_(store) {
    if (duplicates == Duplicates::refuse) duplicates_.emplace(store);
    for (const char* name : kLifted) {
        Statement st = store_.db().prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        st.bind(1, name);
        if (!st.step()) continue;
        triggers_.emplace_back(name, st.text(0));
    }
    for (auto& [name, sql] : triggers_) store_.db().exec("DROP TRIGGER \"" + name + "\"");
}

model::Id BulkVenueWriter::insert(const model::Venue& venue, const geo::Box& box, std::int64_t row) {
    // The rows written so far are not in the spatial index until finish(): the finder keeps them.
    if (duplicates_) duplicates_->refuse_duplicates(venue, box);
    const model::Id id = store_.insert_venue(venue);
    if (duplicates_) duplicates_->remember(venue, box, id, row);
    entries_.push_back({id, round_down(box.min_lon), round_up(box.max_lon), round_down(box.min_lat), round_up(box.max_lat)});
    return id;
}

void BulkVenueWriter::check(const model::Venue& venue, const geo::Box& box, std::int64_t row) {
    if (!duplicates_) return;
    duplicates_->refuse_duplicates(venue, box);
    duplicates_->remember(venue, box, 0, row);
}

namespace {

// SQLite's R-tree keeps its nodes as blobs in <name>_node, with <name>_rowid (entry → leaf) and
// <name>_parent (node → parent) beside them. Filling those tables from a packed tree (STR:
// sort-tile-recursive) costs a fraction of inserting entries one at a time, which is what makes
// a bulk import cheaper than SpatiaLite's per-row trigger. The layout follows SQLite's rtree.c:
// a node is a 2-byte depth (meaningful in the root), a 2-byte cell count, then cells of an 8-byte
// id and four 4-byte floats (xmin, xmax, ymin, ymax), all big-endian, padded to the node size.
void put16(std::string& b, std::size_t at, unsigned v) {
    b[at] = char((v >> 8) & 0xff);
    b[at + 1] = char(v & 0xff);
}
void put64(std::string& b, std::size_t at, std::int64_t v) {
    for (int i = 0; i < 8; ++i) b[at + std::size_t(i)] = char((std::uint64_t(v) >> (56 - 8 * i)) & 0xff);
}
void put_float(std::string& b, std::size_t at, float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = char((u >> (24 - 8 * i)) & 0xff);
}

// One level of the tree, flat: its cells in order, and where each node's cells begin. Node k
// holds cells[starts[k] .. starts[k + 1]). Flat vectors rather than a vector per node: the
// leaves of a million-venue import are the venues' own cells, packed in place.
struct Level {
    std::vector<Cell> cells;
    std::vector<std::size_t> starts;
    std::size_t nodes() const { return starts.size() - 1; }
};

// The leaves, STR order (sort-tile-recursive): slices by x centre, then runs of m by y centre.
Level pack_leaves(std::vector<Cell> cells, std::size_t m) {
    auto cx = [](const Cell& c) { return double(c.xmin) + double(c.xmax); };
    auto cy = [](const Cell& c) { return double(c.ymin) + double(c.ymax); };
    std::sort(cells.begin(), cells.end(), [&](const Cell& a, const Cell& b) { return cx(a) < cx(b); });
    const std::size_t nodes = (cells.size() + m - 1) / m;
    const std::size_t slices = std::size_t(std::ceil(std::sqrt(double(nodes))));
    const std::size_t per_slice = slices * m;
    Level out;
    for (std::size_t s = 0; s < cells.size(); s += per_slice) {
        const std::size_t end = std::min(cells.size(), s + per_slice);
        std::sort(cells.begin() + std::ptrdiff_t(s), cells.begin() + std::ptrdiff_t(end),
                  [&](const Cell& a, const Cell& b) { return cy(a) < cy(b); });
        for (std::size_t k = s; k < end; k += m) out.starts.push_back(k);
    }
    out.starts.push_back(cells.size());
    out.cells = std::move(cells);
    return out;
}

// The level above: one cell per node below (its union box), in the same order, in runs of m.
Level parents_of(const Level& below, std::size_t m) {
    Level up;
    up.cells.reserve(below.nodes());
    for (std::size_t k = 0; k < below.nodes(); ++k) {
        Cell u = below.cells[below.starts[k]];
        u.id = 0;
        for (std::size_t i = below.starts[k]; i < below.starts[k + 1]; ++i) {
            const Cell& c = below.cells[i];
            u.xmin = std::min(u.xmin, c.xmin);
            u.xmax = std::max(u.xmax, c.xmax);
            u.ymin = std::min(u.ymin, c.ymin);
            u.ymax = std::max(u.ymax, c.ymax);
        }
        up.cells.push_back(u);
    }
    for (std::size_t k = 0; k < up.cells.size(); k += m) up.starts.push_back(k);
    up.starts.push_back(up.cells.size());
    return up;
}

void bulk_load_rtree(Database& db, const std::string& name, std::vector<Cell> cells) {
    const std::int64_t node_size = db.scalar("SELECT length(data) FROM \"" + name + "_node\" WHERE nodeno = 1");
    const std::size_t m = std::size_t((node_size - 4) / 24);
    if (m < 2) throw StoreError("unexpected R-tree node size in " + name);
    db.exec("DELETE FROM \"" + name + "_node\"; DELETE FROM \"" + name + "_parent\"; DELETE FROM \"" + name + "_rowid\"");

    // Levels bottom-up, up to a single root node.
    std::vector<Level> levels;
    levels.push_back(pack_leaves(std::move(cells), m));
    while (levels.back().nodes() > 1) levels.push_back(parents_of(levels.back(), m));
    // Number nodes top-down: the root is node 1.
    std::vector<std::vector<std::int64_t>> numbers(levels.size());
    std::int64_t next = 1;
    for (std::size_t l = levels.size(); l-- > 0;)
        for (std::size_t k = 0; k < levels[l].nodes(); ++k) numbers[l].push_back(next++);
    // Interior cells point at their children: cell i of level l stands for node i of level l - 1.
    for (std::size_t l = 1; l < levels.size(); ++l)
        for (std::size_t i = 0; i < levels[l].cells.size(); ++i) levels[l].cells[i].id = numbers[l - 1][i];
    Statement put_node = db.prepare("INSERT INTO \"" + name + "_node\" (nodeno, data) VALUES (?, ?)");
    Statement put_parent = db.prepare("INSERT INTO \"" + name + "_parent\" (nodeno, parentnode) VALUES (?, ?)");
    Statement put_rowid = db.prepare("INSERT INTO \"" + name + "_rowid\" (rowid, nodeno) VALUES (?, ?)");
    const unsigned depth = unsigned(levels.size() - 1);
    for (std::size_t l = 0; l < levels.size(); ++l) {
        const Level& level = levels[l];
        for (std::size_t k = 0; k < level.nodes(); ++k) {
            const std::int64_t nodeno = numbers[l][k];
            std::string blob(std::size_t(node_size), '\0');
            put16(blob, 0, nodeno == 1 ? depth : 0);
            put16(blob, 2, unsigned(level.starts[k + 1] - level.starts[k]));
            std::size_t at = 4;
            for (std::size_t i = level.starts[k]; i < level.starts[k + 1]; ++i) {
                const Cell& c = level.cells[i];
                put64(blob, at, c.id);
                put_float(blob, at + 8, c.xmin);
                put_float(blob, at + 12, c.xmax);
                put_float(blob, at + 16, c.ymin);
                put_float(blob, at + 20, c.ymax);
                at += 24;
                if (l == 0) put_rowid.bind(1, c.id).bind(2, nodeno).run();
                else put_parent.bind(1, c.id).bind(2, nodeno).run();
            }
            put_node.bind(1, nodeno).bind_blob(2, blob).run();
        }
    }
}

}  // namespace

void BulkVenueWriter::finish() {
    if (finished_) return;
    const std::string index = "idx_venues_geom";
    const std::int64_t existing = store_.db().scalar("SELECT count(*) FROM \"" + index + "_rowid\"");
    const bool added = !entries_.empty();
    if (!entries_.empty() && existing <= std::int64_t(entries_.size())) {
        // Rebuild the whole tree, packed, from what was added and what it held.
        std::vector<Cell> cells = std::move(entries_);
        cells.reserve(cells.size() + std::size_t(existing));
        {
            Statement old = store_.db().prepare("SELECT pkid, xmin, xmax, ymin, ymax FROM \"" + index + "\"");
            while (old.step())
                cells.push_back({old.integer(0), float(old.real(1)), float(old.real(2)), float(old.real(3)), float(old.real(4))});
        }
        entries_.clear();
        bulk_load_rtree(store_.db(), index, std::move(cells));
    } else if (!entries_.empty()) {
        // A few rows into a big index: ordinary inserts, in spatial order.
        std::sort(entries_.begin(), entries_.end(), [](const Cell& a, const Cell& b) { return morton(a) < morton(b); });
        Statement ins =
            store_.db().prepare("INSERT INTO \"" + index + "\" (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)");
        for (auto& e : entries_)
            ins.bind(1, e.id).bind(2, double(e.xmin)).bind(3, double(e.xmax)).bind(4, double(e.ymin)).bind(5, double(e.ymax)).run();
    }
    if (added)
        store_.db().exec(
            "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE Lower(f_table_name) = 'venues' AND Lower(f_geometry_column) = 'geom'");
    for (auto& [name, sql] : triggers_) store_.db().exec(sql);
    finished_ = true;
}

}  // namespace keepout::store
