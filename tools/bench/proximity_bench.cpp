// Proximity: every site–venue pair within a radius, with geodesic distance and bearing, over
// generated venues and sites: keepout's analysis::proximity (several thread counts) against
// SpatiaLite SQL. Writes the same data as CSV for the PostGIS side (tools/bench/proximity), the
// pairs keepout found (for a pair-by-pair comparison) and one result line per run to
// --out/proximity_results.tsv.
#include <cstdint>

#include "analysis/proximity.hpp"
#include "bench_common.hpp"

namespace {

using namespace bench;

std::vector<analysis::SiteView> make_sites(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(kMinLon, kMaxLon), lat(kMinLat, kMaxLat);
    std::vector<analysis::SiteView> out;
    for (std::size_t i = 0; i < n; ++i) {
        analysis::SiteView s;
        s.site.id = model::Id(i + 1);
        s.site.name = "Site " + std::to_string(i + 1);
        s.site.personnel = 100;
        const double x = lon(rng), y = lat(rng);
        s.shape.point = {x, y};
        s.shape.box = {x, y, x, y};
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt(argc, argv,
                {{"venues", "100000"},
                 {"sites", "1000"},
                 {"radius", "5000"},
                 {"threads", "1,2"},
                 {"repeat", "3"},
                 {"spatialite-repeat", "1"},
                 {"seed", "20260601"},
                 {"engines", "keepout,spatialite"},
                 {"out", "."}},
                "keepout-proximity-bench: site-venue pairs within a radius with distance and bearing");
    const std::size_t nv = opt.count("venues"), ns = opt.count("sites");
    const double radius = opt.num("radius");
    const auto seed = unsigned(opt.count("seed"));
    const std::size_t repeat = std::max<std::size_t>(opt.count("repeat"), 1);
    const std::size_t sl_repeat = std::max<std::size_t>(opt.count("spatialite-repeat"), 1);
    const std::string out = opt.str("out"), engines = "," + opt.str("engines") + ",";
    auto wanted = [&](const char* e) { return engines.find("," + std::string(e) + ",") != std::string::npos; };

    std::fprintf(stderr, "proximity: generating %zu venues and %zu sites\n", nv, ns);
    auto venues = make_venues(nv, seed);
    auto sites = make_sites(ns, seed + 2);
    write_venues_csv(out + "/prox_venues.csv", venues);
    {
        File f(out + "/prox_sites.csv");
        std::fputs("id,lon,lat\n", f.f);
        for (auto& s : sites)
            std::fprintf(f.f, "%lld,%s,%s\n", (long long)s.site.id, num17(s.shape.point.lon).c_str(),
                         num17(s.shape.point.lat).c_str());
    }
    const auto snap = make_snapshot(venues, sites);

    File results(out + "/proximity_results.tsv");
    std::fputs("engine\tthreads\tseconds\tpairs\tsum_distance_m\tsum_bearing_deg\n", results.f);

    if (wanted("keepout")) {
        for (std::size_t threads : opt.counts("threads")) {
            double best = 1e300;
            std::size_t pairs = 0;
            double sum = 0, sum_bearing = 0;
            for (std::size_t r = 0; r < repeat; ++r) {
                const double t0 = now_s();
                const auto report = analysis::proximity(*snap, {radius}, "", int(threads));
                const double t = now_s() - t0;
                best = std::min(best, t);
                pairs = report.pairs.size();
                sum = sum_bearing = 0;
                for (auto& p : report.pairs) sum += p.distance_m, sum_bearing += p.bearing_deg;
                if (r == 0 && threads == 1) {
                    File f(out + "/prox_pairs_keepout.txt");
                    for (auto& p : report.pairs)
                        std::fprintf(f.f, "%lld %lld\n", (long long)p.site->site.id, (long long)p.venue->venue.id);
                }
            }
            std::fprintf(stderr, "proximity: keepout threads=%zu: %.3f s, %zu pairs\n", threads, best, pairs);
            std::fprintf(results.f, "keepout\t%zu\t%.4f\t%zu\t%.3f\t%.3f\n", threads, best, pairs, sum, sum_bearing);
            std::fflush(results.f);
        }
    }

    if (wanted("spatialite")) {
        std::fprintf(stderr, "proximity: loading SpatiaLite\n");
        const std::string path = out + "/proximity.sqlite";
        auto db = spatialite_venues(path, venues);
        // Sites with their search frame (the venue box query grown by the radius, as keepout does).
        db->exec("CREATE TABLE sites (id INTEGER PRIMARY KEY, xmin REAL, ymin REAL, xmax REAL, ymax REAL)");
        db->exec("SELECT AddGeometryColumn('sites', 'geom', 4326, 'POINT', 'XY')");
        {
            store::Transaction tx(*db);
            auto ins = db->prepare("INSERT INTO sites VALUES (?1, ?2, ?3, ?4, ?5, MakePoint(?6, ?7, 4326))");
            for (auto& s : sites) {
                const geo::Box b = geo::expand(s.shape.box, radius);
                ins.bind(1, std::int64_t(s.site.id)).bind(2, b.min_lon).bind(3, b.min_lat).bind(4, b.max_lon);
                ins.bind(5, b.max_lat).bind(6, s.shape.point.lon).bind(7, s.shape.point.lat).run();
            }
            tx.commit();
        }
        // Candidates from the R*Tree per site; the distance once per candidate (LIMIT -1 keeps the
        // inner query from being flattened into the outer, which would compute it twice); the
        // bearing toward the venue's nearest point for the pairs within reach.
        auto st = db->prepare(
            "SELECT count(*), sum(d), sum(az) FROM ("
            " SELECT d, Degrees(ST_Azimuth(sg, ST_ClosestPoint(vg, sg))) AS az FROM ("
            "  SELECT s.geom AS sg, v.geom AS vg, ST_Distance(s.geom, v.geom, 1) AS d"
            "  FROM sites AS s CROSS JOIN SpatialIndex AS si CROSS JOIN venues AS v"
            "  WHERE si.f_table_name = 'venues' AND si.f_geometry_column = 'geom'"
            "   AND si.search_frame = BuildMbr(s.xmin, s.ymin, s.xmax, s.ymax, 4326)"
            "   AND v.ROWID = si.ROWID LIMIT -1)"
            " WHERE d <= ?1)");
        double best = 1e300;
        std::size_t pairs = 0;
        double sum = 0, sum_bearing = 0;
        for (std::size_t r = 0; r < sl_repeat; ++r) {
            const double t0 = now_s();
            st.reset();
            st.bind(1, radius);
            st.step();
            pairs = std::size_t(st.integer(0));
            sum = st.real(1);
            sum_bearing = st.real(2);
            st.reset();
            best = std::min(best, now_s() - t0);
        }
        std::fprintf(stderr, "proximity: SpatiaLite: %.3f s, %zu pairs\n", best, pairs);
        std::fprintf(results.f, "SpatiaLite SQL\t1\t%.4f\t%zu\t%.3f\t%.3f\n", best, pairs, sum, sum_bearing);
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    }
    return 0;
}
