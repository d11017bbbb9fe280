// Point checks per second in process, one thread: keepout's count_within and check_position
// against a GEOS STRtree (same exact refinement) and SpatiaLite SQL, over generated venues.
// Writes the same venues and query points as CSV for the PostGIS side (tools/bench/check) and one
// result line per engine to --out/check_results.tsv.
#include <geos_c.h>

#include <cstdarg>
#include <cstdint>

#include "analysis/check.hpp"
#include "bench_common.hpp"

namespace {

using namespace bench;

// Half the points uniform over the area (mostly misses), half within ±150 m of a random venue
// (a fair share of hits), so both the empty and the refining paths are measured.
std::vector<geo::LonLat> make_queries(const std::vector<analysis::VenueView>& venues, std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(kMinLon, kMaxLon), lat(kMinLat, kMaxLat), off(-150.0, 150.0);
    std::uniform_int_distribution<std::size_t> pick(0, venues.size() - 1);
    std::vector<geo::LonLat> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 2 == 0) {
            out.push_back({lon(rng), lat(rng)});
        } else {
            const geo::LonLat c = venues[pick(rng)].shape.point;
            const double dx = off(rng), dy = off(rng);
            out.push_back({c.lon + dx / (111320.0 * std::cos(c.lat * M_PI / 180.0)), c.lat + dy / 111132.0});
        }
    }
    return out;
}

struct Rate {
    double per_s = 0;
    std::size_t queries = 0;
    double seconds = 0;
};

// Runs f over the points round-robin until at least min_s seconds have passed (checked every
// 256 queries); the hit total is kept so the work cannot be optimised away.
template <class F>
Rate timed(const std::vector<geo::LonLat>& points, double min_s, F&& f) {
    std::size_t i = 0, done = 0, hits = 0;
    const double t0 = now_s();
    double elapsed = 0;
    do {
        for (int k = 0; k < 256; ++k) {
            hits += f(points[i]);
            if (++i == points.size()) i = 0;
        }
        done += 256;
        elapsed = now_s() - t0;
    } while (elapsed < min_s);
    if (hits == std::size_t(-1)) std::puts("");
    return {double(done) / elapsed, done, elapsed};
}

// --- GEOS STRtree over the venue boxes; candidates refined exactly with analysis::measure.
struct GeosEngine {
    GEOSContextHandle_t ctx = GEOS_init_r();
    GEOSSTRtree* tree = nullptr;
    std::vector<GEOSGeometry*> geoms;  // kept alive for the tree's lifetime
    const analysis::Snapshot& snap;
    double radius;

    GeosEngine(const analysis::Snapshot& s, double r) : snap(s), radius(r) {
        tree = GEOSSTRtree_create_r(ctx, 10);
        const auto& venues = snap.venues();
        geoms.reserve(venues.size());
        for (std::size_t i = 0; i < venues.size(); ++i) {
            const auto& b = venues[i].shape.box;
            GEOSGeometry* g = venues[i].shape.is_point
                                  ? GEOSGeom_createPointFromXY_r(ctx, b.min_lon, b.min_lat)
                                  : GEOSGeom_createRectangle_r(ctx, b.min_lon, b.min_lat, b.max_lon, b.max_lat);
            geoms.push_back(g);
            GEOSSTRtree_insert_r(ctx, tree, g, reinterpret_cast<void*>(std::uintptr_t(i)));
        }
        count({kMinLon, kMinLat});  // the tree is built on the first query
    }
    ~GeosEngine() {
        GEOSSTRtree_destroy_r(ctx, tree);
        for (auto* g : geoms) GEOSGeom_destroy_r(ctx, g);
        GEOS_finish_r(ctx);
    }
    GeosEngine(const GeosEngine&) = delete;
    GeosEngine& operator=(const GeosEngine&) = delete;

    struct Visit {
        const GeosEngine* self;
        geo::LonLat at;
        std::size_t n;
    };
    static void visit(void* item, void* data) {
        auto* v = static_cast<Visit*>(data);
        const auto& venue = v->self->snap.venues()[std::uintptr_t(item)];
        if (analysis::measure(venue, v->at).distance_m <= v->self->radius) ++v->n;
    }
    std::size_t count(geo::LonLat at) {
        const geo::Box b = geo::expand({at.lon, at.lat, at.lon, at.lat}, radius);
        GEOSGeometry* q = GEOSGeom_createRectangle_r(ctx, b.min_lon, b.min_lat, b.max_lon, b.max_lat);
        Visit v{this, at, 0};
        GEOSSTRtree_query_r(ctx, tree, q, &GeosEngine::visit, &v);
        GEOSGeom_destroy_r(ctx, q);
        return v.n;
    }
};

// --- SpatiaLite: the SpatialIndex virtual table for candidates, ST_Distance on the ellipsoid.
struct SpatiaLiteEngine {
    std::unique_ptr<store::Database> db;
    store::Statement st;
    double radius;
    SpatiaLiteEngine(const std::string& path, const std::vector<analysis::VenueView>& venues, double r)
        : db(spatialite_venues(path, venues)),
          st(db->prepare("SELECT count(*) FROM venues WHERE ROWID IN (SELECT ROWID FROM SpatialIndex"
                         " WHERE f_table_name = 'venues' AND f_geometry_column = 'geom'"
                         " AND search_frame = BuildMbr(?1, ?2, ?3, ?4, 4326))"
                         " AND ST_Distance(geom, MakePoint(?5, ?6, 4326), 1) <= ?7")),
          radius(r) {}
    std::size_t count(geo::LonLat at) {
        const geo::Box b = geo::expand({at.lon, at.lat, at.lon, at.lat}, radius);
        st.reset();
        st.bind(1, b.min_lon).bind(2, b.min_lat).bind(3, b.max_lon).bind(4, b.max_lat);
        st.bind(5, at.lon).bind(6, at.lat).bind(7, radius);
        st.step();
        const auto n = std::size_t(st.integer(0));
        st.reset();
        return n;
    }
};

void log(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vfprintf(stderr, fmt, ap);
    va_end(ap);
    std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
    Options opt(argc, argv,
                {{"sizes", "10000,100000,1000000"},
                 {"queries", "100000"},
                 {"sample", "2000"},
                 {"radius", "75"},
                 {"seed", "20260601"},
                 {"seconds", "3"},
                 {"engines", "keepout,check_position,geos,spatialite"},
                 {"out", "."}},
                "keepout-check-bench: point checks per second, one thread, keepout vs GEOS STRtree vs SpatiaLite");
    const auto sizes = opt.counts("sizes");
    const std::size_t nq = std::max<std::size_t>(opt.count("queries"), 256);
    const std::size_t sample = std::min(opt.count("sample"), nq);
    const double radius = opt.num("radius"), min_s = opt.num("seconds");
    const auto seed = unsigned(opt.count("seed"));
    const std::string out = opt.str("out"), engines = "," + opt.str("engines") + ",";
    auto wanted = [&](const char* e) { return engines.find("," + std::string(e) + ",") != std::string::npos; };

    File results(out + "/check_results.tsv");
    std::fputs("size\tengine\tchecks_per_s\tqueries\tseconds\tsample_hits\tsample_mismatches\n", results.f);

    for (std::size_t n : sizes) {
        log("check: %zu venues: generating\n", n);
        auto venues = make_venues(n, seed);
        const auto points = make_queries(venues, nq, seed + 1);
        write_venues_csv(out + "/venues_" + std::to_string(n) + ".csv", venues);
        write_points_csv(out + "/points_" + std::to_string(n) + ".csv", points);
        const auto snap = make_snapshot(venues);

        // Reference counts on the sample: keepout's count_within, written for the PostGIS comparison.
        std::vector<std::size_t> expected(sample);
        std::size_t expected_hits = 0;
        for (std::size_t i = 0; i < sample; ++i) {
            expected[i] = analysis::count_within(*snap, points[i], radius);
            expected_hits += expected[i];
        }
        {
            File f(out + "/expected_" + std::to_string(n) + ".csv");
            for (std::size_t i = 0; i < sample; ++i) std::fprintf(f.f, "%zu,%zu\n", i + 1, expected[i]);
        }

        auto report = [&](const char* engine, auto&& count) {
            std::size_t hits = 0, mismatches = 0;
            for (std::size_t i = 0; i < sample; ++i) {
                const std::size_t c = count(points[i]);
                hits += c;
                mismatches += c != expected[i];
            }
            log("check: %zu venues: %s: sample %zu hits, %zu mismatches; timing…\n", n, engine, hits, mismatches);
            const Rate r = timed(points, min_s, count);
            log("check: %zu venues: %s: %.0f checks/s\n", n, engine, r.per_s);
            std::fprintf(results.f, "%zu\t%s\t%.1f\t%zu\t%.3f\t%zu\t%zu\n", n, engine, r.per_s, r.queries, r.seconds,
                         hits, mismatches);
            std::fflush(results.f);
        };

        if (wanted("keepout"))
            report("keepout count_within", [&](geo::LonLat p) { return analysis::count_within(*snap, p, radius); });
        if (wanted("check_position"))
            report("keepout check_position", [&](geo::LonLat p) {
                return analysis::check_position(*snap, p, radius, false).matches.size();
            });
        if (wanted("geos")) {
            log("check: %zu venues: building the GEOS STRtree\n", n);
            GeosEngine g(*snap, radius);
            report("GEOS STRtree", [&](geo::LonLat p) { return g.count(p); });
        }
        if (wanted("spatialite")) {
            log("check: %zu venues: loading SpatiaLite\n", n);
            SpatiaLiteEngine s(out + "/check_" + std::to_string(n) + ".sqlite", venues, radius);
            report("SpatiaLite SQL", [&](geo::LonLat p) { return s.count(p); });
            const std::string base = out + "/check_" + std::to_string(n) + ".sqlite";
            for (const char* suffix : {"", "-wal", "-shm"}) std::remove((base + suffix).c_str());
        }
    }
    return 0;
}
