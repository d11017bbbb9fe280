#include "store/duplicates.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "geo/geodesic.hpp"
#include "geo/shapes.hpp"
#include "store/repository.hpp"
#include "text/name_fold.hpp"
#include "text/utf8.hpp"

namespace keepout::store {

using model::Id;
using model::Venue;

namespace {

std::string describe(const DuplicateCandidate& c) {
    std::string out;
    if (c.id) {
        out = "venue " + std::to_string(c.id) + " " + text::quote(c.name);
        if (!c.external_id.empty()) out += " (" + text::quote(c.external_id, 40) + ")";
        if (c.row) out += " of row " + std::to_string(c.row);
    } else {
        out = "row " + std::to_string(c.row) + " " + text::quote(c.name);
    }
    if (c.matched != c.name) out += " also called " + text::quote(c.matched);
    return out + ", " + std::to_string(std::lround(c.distance_m)) + " m away";
}

std::string duplicate_message(const std::vector<DuplicateCandidate>& cs) {
    if (cs.empty()) return "a venue like another within " + std::to_string(long(kDuplicateRadiusM)) + " m";
    std::string m = text::quote(cs.front().like) + " is like " + describe(cs.front());
    if (cs.size() > 1) m += " (and " + std::to_string(cs.size() - 1) + " more)";
    return m + ": a venue within " + std::to_string(long(kDuplicateRadiusM)) +
           " m of another with a similar name is taken for the same venue entered twice unless confirmed";
}

// The cells of the index of an import's venues: about 200 m; a box spanning more than
// kMaxCellsPerBox of them (a large footprint) is kept on a list that every query reads.
constexpr double kCellDeg = 0.002;
constexpr std::int64_t kMaxCellsPerBox = 64;

std::int64_t cell_of(double deg) { return static_cast<std::int64_t>(std::floor(deg / kCellDeg)); }
std::uint64_t cell_key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx + (std::int64_t{1} << 31)) << 32) |
           static_cast<std::uint32_t>(cy + (std::int64_t{1} << 31));
}

}  // namespace

DuplicateVenue::DuplicateVenue(std::vector<DuplicateCandidate> cs)
    : model::RuleError(duplicate_message(cs)), candidates(std::move(cs)) {}

geo::Box venue_box(const Venue& v) { return geo::shape_from_wkb(v.geometry).box; }

struct DuplicateFinder::Impl {
    Store& store;
    std::optional<Statement> near_stored, geometry_of;

    // A venue of the running import: its names folded once, its geometry read back only when a
    // name is alike (kept here when it was not written).
    struct Pending {
        geo::Box box;
        Id id = 0;
        std::int64_t row = 0;
        std::string external_id;
        std::vector<std::string> names;   // name first, then aliases and former names
        std::vector<std::string> folded;  // the first of them, folded when first compared
        std::string wkb;                         // when not written
    };
    std::vector<Pending> pending;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
    std::vector<std::uint32_t> wide;
    std::vector<std::uint32_t> seen_at;  // per pending venue: the query that last saw it
    std::uint32_t query = 0;

    // The spatial index as the finder found it: during an import it does not change (the rows are
    // indexed at the end), so an empty one need not be asked for every row.
    bool index_empty = false;

    explicit Impl(Store& s) : store(s) {
        index_empty = store.db().scalar("SELECT NOT EXISTS (SELECT 1 FROM idx_venues_geom)") != 0;
    }

    Statement& stmt(std::optional<Statement>& st, const char* sql) {
        if (!st) st.emplace(store.db().prepare(sql));
        return *st;
    }

    // Stored venues whose spatial index box meets q, with all their names.
    std::vector<Venue> stored_near(const geo::Box& q) {
        Statement& st = stmt(near_stored,
                             "SELECT id, coalesce(external_id, ''), name, AsBinary(geom),"
                             " (SELECT json_group_array(name) FROM venue_names WHERE venue_id = venues.id)"
                             " FROM venues WHERE id IN (SELECT pkid FROM idx_venues_geom"
                             " WHERE xmin <= ?2 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?3)");
        st.bind(1, q.min_lon).bind(2, q.max_lon).bind(3, q.min_lat).bind(4, q.max_lat);
        std::vector<Venue> out;
        while (st.step()) {
            Venue v;
            v.id = st.integer(0);
            v.external_id = st.text(1);
            v.name = st.text(2);
            v.geometry = st.blob(3);
            for (auto& n : nlohmann::json::parse(st.text(4))) v.aliases.push_back(n.get<std::string>());
            out.push_back(std::move(v));
        }
        st.reset();
        return out;
    }

    std::string stored_geometry(Id id) {
        Statement& st = stmt(geometry_of, "SELECT AsBinary(geom) FROM venues WHERE id = ?");
        st.bind(1, id);
        std::string wkb = st.step() ? st.blob(0) : std::string();
        st.reset();
        return wkb;
    }

    template <class F>
    void pending_near(const geo::Box& q, F&& f) {
        if (pending.empty()) return;
        if (++query == 0) {  // wrapped: forget every mark
            std::fill(seen_at.begin(), seen_at.end(), 0);
            query = 1;
        }
        auto visit = [&](std::uint32_t k) {
            if (seen_at[k] == query) return;
            seen_at[k] = query;
            if (pending[k].box.intersects(q)) f(pending[k]);
        };
        for (std::uint32_t k : wide) visit(k);
        const std::int64_t x0 = cell_of(q.min_lon), x1 = cell_of(q.max_lon), y0 = cell_of(q.min_lat), y1 = cell_of(q.max_lat);
        for (std::int64_t cx = x0; cx <= x1; ++cx)
            for (std::int64_t cy = y0; cy <= y1; ++cy)
                if (auto it = cells.find(cell_key(cx, cy)); it != cells.end())
                    for (std::uint32_t k : it->second) visit(k);
    }
};

DuplicateFinder::DuplicateFinder(Store& store) : impl_(std::make_unique<Impl>(store)) {}
DuplicateFinder::~DuplicateFinder() = default;

namespace {
std::vector<const std::string*> all_names(const Venue& v) {
    std::vector<const std::string*> out{&v.name};
    for (auto& n : v.aliases) out.push_back(&n);
    for (auto& n : v.former_names) out.push_back(&n);
    return out;
}
}  // namespace

std::vector<DuplicateCandidate> DuplicateFinder::find(const Venue& v, const geo::Box& box, Id exclude,
                                                      const std::vector<std::string>& names) {
    Impl& ix = *impl_;
    struct Named {
        const std::string* text;
        text::NameWords words;
    };
    // Folded and decoded only once a venue is close: most rows of an import have none.
    std::optional<std::vector<Named>> folded;
    auto mine = [&]() -> const std::vector<Named>& {
        if (folded) return *folded;
        folded.emplace();
        auto add = [&](const std::string& n) {
            text::NameWords w = text::name_words(n);
            if (!w.folded.empty()) folded->push_back({&n, std::move(w)});
        };
        if (names.empty()) {
            for (const std::string* n : all_names(v)) add(*n);
        } else {
            for (auto& n : names) add(n);
        }
        return *folded;
    };
    // The first of the venue's names alike to `theirs`, if any.
    auto alike = [&](const text::NameWords& theirs) -> const Named* {
        for (const Named& m : mine())
            if (text::names_alike(m.words, theirs)) return &m;
        return nullptr;
    };
    std::optional<geo::Shape> shape;
    auto distance_to = [&](const std::string& wkb) {
        if (!shape) shape = geo::shape_from_wkb(v.geometry);
        const auto [a, b] = geo::nearest_points(*shape, geo::shape_from_wkb(wkb));
        return a.lon == b.lon && a.lat == b.lat ? 0.0 : geo::inverse(a, b).distance_m;
    };
    const geo::Box q = geo::expand(box, kDuplicateRadiusM);
    std::vector<DuplicateCandidate> out;
    std::unordered_set<Id> looked_at;
    if (!ix.index_empty)
        for (const Venue& c : ix.stored_near(q)) {
            if (c.id == exclude || !looked_at.insert(c.id).second) continue;
            const double d = distance_to(c.geometry);
            if (d > kDuplicateRadiusM) continue;
            for (const std::string* t : all_names(c))
                if (const Named* m = alike(text::name_words(*t))) {
                    out.push_back({c.id, 0, c.external_id, c.name, *t, *m->text, d});
                    break;
                }
        }
    ix.pending_near(q, [&](Impl::Pending& p) {
        if (p.id && (p.id == exclude || looked_at.count(p.id))) return;
        for (std::size_t k = 0; k < p.names.size(); ++k) {
            if (p.folded.size() <= k) p.folded.push_back(text::fold_name(p.names[k]));
            const Named* m = alike(text::name_words_of_folded(p.folded[k]));
            if (!m) continue;
            // A written row that is gone was undone with its savepoint (an import skipping bad rows).
            const std::string wkb = p.id ? ix.stored_geometry(p.id) : p.wkb;
            if (wkb.empty()) return;
            const double d = distance_to(wkb);
            if (d <= kDuplicateRadiusM) out.push_back({p.id, p.row, p.external_id, p.names.front(), p.names[k], *m->text, d});
            return;
        }
    });
    std::sort(out.begin(), out.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
        if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
        return a.row != b.row ? a.row < b.row : a.id < b.id;
    });
    if (out.size() > kMaxCandidates) out.resize(kMaxCandidates);
    return out;
}

void DuplicateFinder::refuse_duplicates(const Venue& v, const geo::Box& box, Id exclude,
                                        const std::vector<std::string>& names) {
    auto found = find(v, box, exclude, names);
    if (found.empty()) return;
    throw DuplicateVenue(std::move(found));
}

void DuplicateFinder::remember(const Venue& v, const geo::Box& box, Id id, std::int64_t row) {
    Impl& ix = *impl_;
    const auto k = static_cast<std::uint32_t>(ix.pending.size());
    Impl::Pending p;
    p.box = box;
    p.id = id;
    p.row = row;
    p.external_id = v.external_id;
    for (const std::string* n : all_names(v)) p.names.push_back(*n);
    if (!id) p.wkb = v.geometry;
    ix.pending.push_back(std::move(p));
    ix.seen_at.push_back(0);
    const std::int64_t x0 = cell_of(box.min_lon), x1 = cell_of(box.max_lon), y0 = cell_of(box.min_lat), y1 = cell_of(box.max_lat);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > kMaxCellsPerBox) {
        ix.wide.push_back(k);
        return;
    }
    for (std::int64_t cx = x0; cx <= x1; ++cx)
        for (std::int64_t cy = y0; cy <= y1; ++cy) ix.cells[cell_key(cx, cy)].push_back(k);
}

}  // namespace keepout::store
