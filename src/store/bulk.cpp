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

namespace {

// SQLite's R-tree keeps its nodes as blobs in <name>_node, with <name>_rowid (entry → leaf) and
// <name>_parent (node → parent) beside them. Filling those tables from a packed tree (STR:
// sort-tile-recursive) costs a fraction of inserting entries one at a time, which is what makes
// a bulk import cheaper than SpatiaLite's per-row trigger. The layout follows SQLite's rtree.c:
// a node is a 2-byte depth (meaningful in the root), a 2-byte cell count, then cells of an 8-byte
// id and four 4-byte floats (xmin, xmax, ymin, ymax), all big-endian, padded to the node size.
struct Cell {
    std::int64_t id;
    float xmin, xmax, ymin, ymax;
};

float round_down(double v) {
    float f = static_cast<float>(v);
    return double(f) > v ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}
float round_up(double v) {
    float f = static_cast<float>(v);
    return double(f) < v ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

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

// Groups cells into nodes of at most `m`: slices by x centre, then runs by y centre.
std::vector<std::vector<Cell>> pack(std::vector<Cell> cells, std::size_t m) {
    auto cx = [](const Cell& c) { return double(c.xmin) + double(c.xmax); };
    auto cy = [](const Cell& c) { return double(c.ymin) + double(c.ymax); };
    std::sort(cells.begin(), cells.end(), [&](const Cell& a, const Cell& b) { return cx(a) < cx(b); });
    const std::size_t nodes = (cells.size() + m - 1) / m;
    const std::size_t slices = std::size_t(std::ceil(std::sqrt(double(nodes))));
    const std::size_t per_slice = slices * m;
    std::vector<std::vector<Cell>> out;
    for (std::size_t s = 0; s < cells.size(); s += per_slice) {
        auto first = cells.begin() + std::ptrdiff_t(s);
        auto last = cells.begin() + std::ptrdiff_t(std::min(cells.size(), s + per_slice));
        std::sort(first, last, [&](const Cell& a, const Cell& b) { return cy(a) < cy(b); });
        for (auto it = first; it < last; it += std::ptrdiff_t(std::min<std::size_t>(m, std::size_t(last - it))))
            out.emplace_back(it, it + std::ptrdiff_t(std::min<std::size_t>(m, std::size_t(last - it))));
    }
    return out;
}

void bulk_load_rtree(Database& db, const std::string& name, std::vector<Cell> cells) {
    const std::int64_t node_size = db.scalar("SELECT length(data) FROM \"" + name + "_node\" WHERE nodeno = 1");
    const std::size_t m = std::size_t((node_size - 4) / 24);
    if (m < 2) throw StoreError("unexpected R-tree node size in " + name);
    db.exec("DELETE FROM \"" + name + "_node\"; DELETE FROM \"" + name + "_parent\"; DELETE FROM \"" + name + "_rowid\"");

    // Levels bottom-up; a node's cell in its parent carries its union box and, once numbered, its node number.
    std::vector<std::vector<std::vector<Cell>>> levels{pack(std::move(cells), m)};
    while (levels.back().size() > 1) {
        std::vector<Cell> parents;
        for (auto& node : levels.back()) {
            Cell u{0, node[0].xmin, node[0].xmax, node[0].ymin, node[0].ymax};
            for (auto& c : node) {
                u.xmin = std::min(u.xmin, c.xmin);
                u.xmax = std::max(u.xmax, c.xmax);
                u.ymin = std::min(u.ymin, c.ymin);
                u.ymax = std::max(u.ymax, c.ymax);
            }
            parents.push_back(u);
        }
        // Parent cells must stay aligned with their children: pack them in order, without sorting.
        std::vector<std::vector<Cell>> grouped;
        for (std::size_t i = 0; i < parents.size(); i += m)
            grouped.emplace_back(parents.begin() + std::ptrdiff_t(i),
                                 parents.begin() + std::ptrdiff_t(std::min(parents.size(), i + m)));
        levels.push_back(std::move(grouped));
    }
    // Number nodes top-down: the root is node 1.
    std::vector<std::vector<std::int64_t>> numbers(levels.size());
    std::int64_t next = 1;
    for (std::size_t l = levels.size(); l-- > 0;)
        for (std::size_t i = 0; i < levels[l].size(); ++i) numbers[l].push_back(next++);
    // Interior cells point at their children, in order.
    for (std::size_t l = 1; l < levels.size(); ++l) {
        std::size_t child = 0;
        for (auto& node : levels[l])
            for (auto& c : node) c.id = numbers[l - 1][child++];
    }
    Statement put_node = db.prepare("INSERT INTO \"" + name + "_node\" (nodeno, data) VALUES (?, ?)");
    Statement put_parent = db.prepare("INSERT INTO \"" + name + "_parent\" (nodeno, parentnode) VALUES (?, ?)");
    Statement put_rowid = db.prepare("INSERT INTO \"" + name + "_rowid\" (rowid, nodeno) VALUES (?, ?)");
    const unsigned depth = unsigned(levels.size() - 1);
    for (std::size_t l = 0; l < levels.size(); ++l) {
        for (std::size_t i = 0; i < levels[l].size(); ++i) {
            const auto& node = levels[l][i];
            const std::int64_t nodeno = numbers[l][i];
            std::string blob(std::size_t(node_size), '\0');
            put16(blob, 0, nodeno == 1 ? depth : 0);
            put16(blob, 2, unsigned(node.size()));
            std::size_t at = 4;
            for (auto& c : node) {
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
    if (!entries_.empty() && existing <= std::int64_t(entries_.size())) {
        // Rebuild the whole tree, packed, from what it held and what was added.
        std::vector<Cell> cells;
        cells.reserve(entries_.size() + std::size_t(existing));
        {
            Statement old = store_.db().prepare("SELECT pkid, xmin, xmax, ymin, ymax FROM \"" + index + "\"");
            while (old.step())
                cells.push_back({old.integer(0), float(old.real(1)), float(old.real(2)), float(old.real(3)), float(old.real(4))});
        }
        for (auto& e : entries_)
            cells.push_back({e.id, round_down(e.box.min_lon), round_up(e.box.max_lon), round_down(e.box.min_lat),
                             round_up(e.box.max_lat)});
        bulk_load_rtree(store_.db(), index, std::move(cells));
    } else if (!entries_.empty()) {
        // A few rows into a big index: ordinary inserts, in spatial order.
        std::sort(entries_.begin(), entries_.end(),
                  [](const Entry& a, const Entry& b) { return morton(a.box) < morton(b.box); });
        Statement ins =
            store_.db().prepare("INSERT INTO \"" + index + "\" (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)");
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
