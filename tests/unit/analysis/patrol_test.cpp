// Patrol routing: tours (nearest neighbour, 2-opt, Or-opt, exact), splitting, the road graph
// (Dijkstra, A*, snapping), plan_patrol on a snapshot and the sector report.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "analysis/patrol.hpp"
#include "encode/patrol_json.hpp"
#include "geo/geodesic.hpp"
#include "source/roads.hpp"
#include "unit/analysis/fixtures.hpp"
#include "with_data_dir.hpp"

using namespace keepout;
using namespace keepout::analysis;
using keepout::encode::patrol_geojson;
using keepout::encode::sector_report_json;

namespace {

// Random points over Kosovo and their geodesic distance matrix; point 0 the start.
DistanceMatrix random_instance(std::size_t n, unsigned seed, std::vector<geo::LonLat>* out = nullptr) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25);
    std::vector<geo::LonLat> pts;
    for (std::size_t i = 0; i < n; ++i) pts.push_back({lon(rng), lat(rng)});
    DistanceMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) d.set(i, j, geo::inverse(pts[i], pts[j]).distance_m);
    if (out) *out = pts;
    return d;
}

// Points clustered in a few towns, the shape of a real sector (where nearest neighbour goes wrong).
DistanceMatrix clustered_instance(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(20.5, 21.5), lat(42.2, 42.9);
    std::normal_distribution<double> spread(0, 0.01);
    std::vector<geo::LonLat> towns;
    for (int k = 0; k < 4; ++k) towns.push_back({lon(rng), lat(rng)});
    std::vector<geo::LonLat> pts;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& t = towns[i % towns.size()];
        pts.push_back({t.lon + spread(rng), t.lat + spread(rng)});
    }
    DistanceMatrix d(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) d.set(i, j, geo::inverse(pts[i], pts[j]).distance_m);
    return d;
}

void check_visits_once(const Tour& t, std::size_t n) {
    REQUIRE(t.size() == n);
    REQUIRE(t.front() == 0);
    std::set<std::size_t> seen(t.begin(), t.end());
    CHECK(seen.size() == n);
    CHECK(*seen.rbegin() == n - 1);
}

}  // namespace

TEST_CASE("every stop is visited exactly once, starting and ending at the start", "[patrol]") {
    for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 8u, 13u, 14u, 30u, 80u}) {
        for (unsigned seed = 1; seed <= 5; ++seed) {
            const auto d = random_instance(n, seed * 100 + unsigned(n));
            INFO("n = " << n << ", seed " << seed);
            check_visits_once(nearest_neighbour_tour(d), n);
            Tour t = nearest_neighbour_tour(d);
            improve_tour(d, t);
            check_visits_once(t, n);
            check_visits_once(plan_tour(d), n);
        }
    }
}

TEST_CASE("the improved route is never longer than nearest neighbour", "[patrol]") {
    int shorter = 0, cases = 0;
    for (std::size_t n : {4u, 6u, 10u, 20u, 40u, 90u}) {
        for (unsigned seed = 1; seed <= 6; ++seed) {
            for (bool clustered : {false, true}) {
                const auto d = clustered ? clustered_instance(n, seed) : random_instance(n, seed);
                TourStats s;
                const Tour t = plan_tour(d, &s);
                INFO("n = " << n << ", seed " << seed << (clustered ? ", clustered" : ""));
                CHECK(s.nearest_neighbour_m == Approx(tour_length(d, nearest_neighbour_tour(d))));
                CHECK(s.improved_m <= s.nearest_neighbour_m + 1e-6);
                CHECK(s.final_m <= s.improved_m + 1e-6);
                CHECK(tour_length(d, t) == Approx(s.final_m));
                ++cases;
                if (s.final_m < s.nearest_neighbour_m - 1) ++shorter;
            }
        }
    }
    // The improvement does something: most instances of this size get shorter.
    CHECK(shorter > cases / 2);
}

TEST_CASE("up to 9 stops the route equals the brute-force optimum", "[patrol]") {
    int local_hits = 0, cases = 0;
    for (std::size_t stops = 1; stops <= 9; ++stops) {
        for (unsigned seed = 1; seed <= (stops <= 7 ? 25u : 8u); ++seed) {
            for (bool clustered : {false, true}) {
                const auto d = clustered ? clustered_instance(stops + 1, seed) : random_instance(stops + 1, seed * 7 + unsigned(stops));
                const double best = tour_length(d, brute_force_tour(d));
                INFO(stops << " stops, seed " << seed << (clustered ? ", clustered" : ""));
                TourStats s;
                const Tour t = plan_tour(d, &s);
                check_visits_once(t, stops + 1);
                CHECK(tour_length(d, t) == Approx(best).epsilon(1e-12).margin(1e-6));
                CHECK(tour_length(d, exact_tour(d)) == Approx(best).epsilon(1e-12).margin(1e-6));
                ++cases;
                if (s.improved_m <= best + 1e-6) ++local_hits;
            }
        }
    }
    // 2-opt and Or-opt alone reach the optimum on most of these small instances; the exact pass
    // makes sure of the rest.
    CHECK(local_hits > cases * 3 / 4);
}

TEST_CASE("2-opt undoes a crossing and Or-opt moves a stop back into line", "[patrol]") {
    // Four corners of a square, 1 km apart, visited crosswise: 2-opt makes it the perimeter.
    const geo::LonLat o{21.0, 42.0};
    std::vector<geo::LonLat> pts{o, geo::direct(o, 90, 1000), geo::direct(geo::direct(o, 90, 1000), 0, 1000),
                                 geo::direct(o, 0, 1000)};
    DistanceMatrix d(4);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i + 1; j < 4; ++j) d.set(i, j, geo::inverse(pts[i], pts[j]).distance_m);
    Tour crossed{0, 2, 1, 3};
    improve_tour(d, crossed);
    CHECK(tour_length(d, crossed) == Approx(4000).margin(2));

    // Stops along a line, with one out of order: Or-opt (or 2-opt) puts it back.
    std::vector<geo::LonLat> line{o};
    for (int k = 1; k <= 6; ++k) line.push_back(geo::direct(o, 90, 500.0 * k));
    DistanceMatrix dl(7);
    for (std::size_t i = 0; i < 7; ++i)
        for (std::size_t j = i + 1; j < 7; ++j) dl.set(i, j, geo::inverse(line[i], line[j]).distance_m);
    Tour t{0, 1, 2, 5, 3, 4, 6};
    improve_tour(dl, t);
    CHECK(tour_length(dl, t) == Approx(6000).margin(1));
}

TEST_CASE("splitting keeps to the stop and length limits and visits every stop once", "[patrol]") {
    std::vector<geo::LonLat> pts;
    // 25 stops within about 15 km of the start, so every stop is within reach of a 40 km patrol.
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> az(0, 360), dist(500, 15000);
    const geo::LonLat o{21.2, 42.4};
    pts.push_back(o);
    for (int k = 0; k < 25; ++k) pts.push_back(geo::direct(o, az(rng), dist(rng)));
    DistanceMatrix d(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i)
        for (std::size_t j = i + 1; j < pts.size(); ++j) d.set(i, j, geo::inverse(pts[i], pts[j]).distance_m);
    const Tour whole = plan_tour(d);

    SECTION("by stops") {
        const auto parts = split_tour(d, whole, 6, 0);
        CHECK(parts.size() == 5);  // the fewest: ceil(25 / 6)
        std::set<std::size_t> seen;
        for (const auto& p : parts) {
            REQUIRE(p.front() == 0);
            CHECK(p.size() - 1 <= 6);
            for (std::size_t k = 1; k < p.size(); ++k) CHECK(seen.insert(p[k]).second);
        }
        CHECK(seen.size() == 25);
    }
    SECTION("by length") {
        const double max_m = 40000;
        const auto parts = split_tour(d, whole, 0, max_m);
        CHECK(parts.size() >= 2);
        std::set<std::size_t> seen;
        for (const auto& p : parts) {
            CHECK(tour_length(d, p) <= max_m + 1e-6);
            for (std::size_t k = 1; k < p.size(); ++k) CHECK(seen.insert(p[k]).second);
        }
        CHECK(seen.size() == 25);
    }
    SECTION("a stop beyond reach of one patrol") {
        CHECK_THROWS_AS(split_tour(d, whole, 0, 5000), std::invalid_argument);
    }
    SECTION("no limit, one patrol") { CHECK(split_tour(d, whole, 0, 0).size() == 1); }
}

// ---------------------------------------------------------------------------------------------
// The road graph on tests/data/patrol/roads.geojson:
//
//   N1 (21.00, 42.01) ── N2 (21.01, 42.01) ── N5 (21.02, 42.01)       · V2 (21.02, 42.0105), off road
//   │                    │                                            ═ a track nearer V2, not joined
//   S  (21.00, 42.00)    V1 (21.01, 42.00) ── N6 (21.02, 42.00)
//   │                                          │
//   N3 (21.00, 41.99) ──────────────────────── N4 (21.02, 41.99)

namespace {
double chain_m(const std::vector<geo::LonLat>& pts) {
    double sum = 0;
    for (std::size_t k = 1; k < pts.size(); ++k) sum += geo::inverse(pts[k - 1], pts[k]).distance_m;
    return sum;
}
const geo::LonLat S{21.00, 42.00}, N1{21.00, 42.01}, N2{21.01, 42.01}, N5{21.02, 42.01}, V1{21.01, 42.00},
    V2{21.02, 42.0105}, N3{21.00, 41.99}, N4{21.02, 41.99}, N6{21.02, 42.00};
}  // namespace

TEST_CASE("a road-graph route on a hand-made network equals the known shortest path", "[patrol][roads]") {
    const auto lines = source::read_road_lines(test::with_data_dir("patrol/roads.geojson"));
    CHECK(lines.features == 5);
    CHECK(lines.skipped == 1);      // the point
    CHECK(lines.lines.size() == 5); // the multi-line counts twice
    const RoadGraph g(lines.lines);
    CHECK(g.node_count() == 10);
    CHECK(g.component_count() == 2);
    CHECK(g.largest_component_nodes() == 8);

    const auto c = g.connect({S, V1, V2});
    // V2 snaps to N5 on the network, not to the nearer track that is not joined to it.
    CHECK(c.snapped[2].lon == Approx(N5.lon).margin(1e-9));
    CHECK(c.snapped[2].lat == Approx(N5.lat).margin(1e-9));
    CHECK(c.off_road_m[2] == Approx(geo::inverse(V2, N5).distance_m).margin(0.01));
    CHECK(c.off_road_m[0] == 0);
    CHECK(c.off_road_m[1] == 0);

    // S to V1: north round N1 and N2 (3.05 km), not the southern detour (4.7 km) nor the 0.83 km straight line.
    const double s_v1 = chain_m({S, N1, N2, V1});
    CHECK(chain_m({S, N3, N4, N6, V1}) > s_v1);
    CHECK(c.distances(0, 1) == Approx(s_v1).margin(1e-6));
    CHECK(c.distances(1, 2) == Approx(chain_m({V1, N2, N5})).margin(1e-6));
    CHECK(c.distances(0, 2) == Approx(chain_m({S, N1, N2, N5})).margin(1e-6));
    double len = 0;
    const auto path = c.path(0, 1, &len);
    CHECK(len == Approx(s_v1).margin(1e-6));
    REQUIRE(path.size() == 4);
    const std::vector<geo::LonLat> want{S, N1, N2, V1};
    for (std::size_t k = 0; k < 4; ++k) {
        CHECK(path[k].lon == Approx(want[k].lon).margin(1e-9));
        CHECK(path[k].lat == Approx(want[k].lat).margin(1e-9));
    }
}

TEST_CASE("points snapped in the middle of a road split it in order", "[patrol][roads]") {
    // One straight road west to east; three points beside it in a jumbled order.
    const geo::LonLat a{21.0, 42.0}, b{21.05, 42.0};
    const RoadGraph g({{a, b}});
    const geo::LonLat p1{21.01, 42.001}, p2{21.04, 41.999}, p3{21.02, 42.0005};
    const auto c = g.connect({p2, p1, p3});
    CHECK(c.off_road_m[1] == Approx(111).margin(1));
    // Along the road between the feet of the points, not by way of an end.
    CHECK(c.distances(0, 1) == Approx(geo::inverse({21.04, 42.0}, {21.01, 42.0}).distance_m).margin(0.5));
    CHECK(c.distances(1, 2) == Approx(geo::inverse({21.01, 42.0}, {21.02, 42.0}).distance_m).margin(0.5));
    CHECK(c.distances(0, 2) == Approx(geo::inverse({21.04, 42.0}, {21.02, 42.0}).distance_m).margin(0.5));
}

TEST_CASE("roads that cross without a shared vertex do not join", "[patrol][roads]") {
    const RoadGraph crossing({{{21.0, 42.0}, {21.02, 42.0}}, {{21.01, 41.99}, {21.01, 42.01}}});
    CHECK(crossing.component_count() == 2);
    const RoadGraph joined({{{21.0, 42.0}, {21.01, 42.0}, {21.02, 42.0}}, {{21.01, 41.99}, {21.01, 42.0}, {21.01, 42.01}}});
    CHECK(joined.component_count() == 1);
    CHECK(joined.node_count() == 5);
}

TEST_CASE("A* finds paths as short as Dijkstra's", "[patrol][roads]") {
    // A 12 × 12 grid of streets with random missing blocks and random detours.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> jitter(-0.0015, 0.0015);
    std::bernoulli_distribution drop(0.2);
    const int n = 12;
    std::vector<std::vector<geo::LonLat>> grid(n, std::vector<geo::LonLat>(n));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) grid[i][j] = {21.0 + 0.005 * i + jitter(rng), 42.0 + 0.004 * j + jitter(rng)};
    std::vector<std::vector<geo::LonLat>> lines;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (i + 1 < n && !drop(rng)) lines.push_back({grid[i][j], grid[i + 1][j]});
            if (j + 1 < n && !drop(rng)) lines.push_back({grid[i][j], grid[i][j + 1]});
        }
    const RoadGraph g(lines);
    std::uniform_int_distribution<std::uint32_t> pick(0, std::uint32_t(g.node_count() - 1));
    for (int k = 0; k < 60; ++k) {
        const std::uint32_t a = pick(rng), b = pick(rng);
        const double dj = dijkstra_distance(g.adjacency(), a, b);
        double la = 0;
        const auto path = astar_path(g.adjacency(), g.nodes(), a, b, &la);
        if (dj == std::numeric_limits<double>::infinity()) {
            CHECK(path.empty());
            continue;
        }
        CHECK(la == Approx(dj).margin(1e-6));
        REQUIRE(!path.empty());
        CHECK(path.front() == a);
        CHECK(path.back() == b);
        double walked = 0;
        for (std::size_t q = 1; q < path.size(); ++q) walked += geo::inverse(g.nodes()[path[q - 1]], g.nodes()[path[q]]).distance_m;
        CHECK(walked == Approx(dj).margin(1e-6));
    }
}

// ---------------------------------------------------------------------------------------------
// plan_patrol on a snapshot

namespace {

analysis::SectorView square_sector(model::Id id, const std::string& name, const std::string& unit, double lon0,
                                   double lat0, double lon1, double lat1) {
    analysis::SectorView s;
    s.sector.id = id;
    s.sector.name = name;
    s.sector.unit = unit;
    s.shape.is_point = false;
    s.shape.point = {lon0, lat0};
    s.shape.polygons = {geo::Polygon{{geo::Ring{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}};
    s.shape.box = {lon0, lat0, lon1, lat1};
    return s;
}

std::shared_ptr<const Snapshot> patrol_snapshot() {
    std::vector<VenueView> venues;
    // West sector: 21.0–21.1; east sector: 21.1–21.2; all at latitude 42.0–42.1.
    model::Id id = 1;
    for (double lon : {21.02, 21.05, 21.08}) venues.push_back(test::point_venue(id++, lon, 42.05));
    for (double lon : {21.12, 21.15, 21.18}) venues.push_back(test::point_venue(id++, lon, 42.05));
    venues.push_back(test::point_venue(id++, 21.03, 42.02, false));  // not listed
    venues.push_back(test::square_venue(id++, 21.06, 42.08, 0.001)); // a footprint in the west
    venues.push_back(test::point_venue(id++, 21.5, 42.5));           // in no sector
    std::vector<SiteView> sites{test::point_site(1, 21.10, 42.05, 500)};
    sites[0].site.name = "Camp Test";
    std::vector<SectorView> sectors{square_sector(1, "Sector West", "1st MP Platoon", 21.0, 42.0, 21.1, 42.1),
                                    square_sector(2, "Sector East", "2nd MP Platoon", 21.1, 42.0, 21.2, 42.1)};
    return std::make_shared<const Snapshot>(model::Date::parse("2026-06-01"), 3, std::move(venues), std::move(sites),
                                            std::move(sectors));
}

std::set<model::Id> ids_of(const PatrolPlan& plan) {
    std::set<model::Id> out;
    for (const auto& p : plan.patrols)
        for (const auto& s : p.stops) CHECK(out.insert(s.venue->venue.id).second);
    return out;
}

}  // namespace

TEST_CASE("plan_patrol selects the listed venues of a sector or a radius", "[patrol]") {
    const auto snap = patrol_snapshot();
    PatrolRequest req;
    req.from = "Camp Test";
    req.sector = "west";  // a unique part of "Sector West"
    auto plan = plan_patrol(*snap, req);
    CHECK(plan.sector == "Sector West");
    CHECK(plan.unit == "1st MP Platoon");
    CHECK(plan.venues == 4);
    CHECK(ids_of(plan) == std::set<model::Id>{1, 2, 3, 8});
    REQUIRE(plan.patrols.size() == 1);
    const Patrol& p = plan.patrols[0];
    CHECK(p.legs.size() == p.stops.size() + 1);
    CHECK(p.legs.front().front().lon == plan.from.lon);
    CHECK(p.legs.back().back().lon == plan.from.lon);
    double sum = 0;
    for (const auto& s : p.stops) {
        sum += s.leg_m;
        CHECK(s.cumulative_m == Approx(sum));
        CHECK(s.sector == "Sector West");
    }
    CHECK(p.length_m == Approx(sum + p.return_leg_m));
    CHECK(plan.total_m == Approx(p.length_m));

    SECTION("radius around the site, across sectors") {
        PatrolRequest r2;
        r2.from = "camp test";  // case does not matter
        r2.radius_m = geo::inverse({21.10, 42.05}, {21.05, 42.05}).distance_m + 1;
        plan = plan_patrol(*snap, r2);
        CHECK(ids_of(plan) == std::set<model::Id>{2, 3, 4, 5});
        CHECK(plan.sector.empty());
    }
    SECTION("sector and radius together") {
        PatrolRequest r3 = req;
        r3.radius_m = 2000;
        plan = plan_patrol(*snap, r3);
        CHECK(ids_of(plan) == std::set<model::Id>{3});
    }
    SECTION("from a position instead of a site") {
        PatrolRequest r4;
        r4.from = "42.05, 21.0";
        r4.sector = "Sector East";
        plan = plan_patrol(*snap, r4);
        CHECK(plan.site == nullptr);
        CHECK(plan.from.lon == Approx(21.0));
        CHECK(ids_of(plan) == std::set<model::Id>{4, 5, 6});
        // Along a line eastwards from the start, out and back.
        const auto& st = plan.patrols.at(0).stops;
        REQUIRE(st.size() == 3);
        CHECK((st[0].venue->venue.id == 4 || st[0].venue->venue.id == 6));
    }
    SECTION("split by stops") {
        PatrolRequest r5 = req;
        r5.max_stops = 3;
        plan = plan_patrol(*snap, r5);
        CHECK(plan.patrols.size() == 2);
        CHECK(ids_of(plan) == std::set<model::Id>{1, 2, 3, 8});
        for (const auto& pp : plan.patrols) CHECK(pp.stops.size() <= 3);
    }
    SECTION("a venue beyond reach of --max-km") {
        PatrolRequest r6 = req;
        r6.max_km = 5;
        CHECK_THROWS_WITH(plan_patrol(*snap, r6), Catch::Contains("round trip"));
    }
    SECTION("nothing in the selection") {
        PatrolRequest r7;
        r7.from = "Camp Test";
        r7.radius_m = 10;
        plan = plan_patrol(*snap, r7);
        CHECK(plan.venues == 0);
        CHECK(plan.patrols.empty());
    }
}

TEST_CASE("plan_patrol errors name what is wrong", "[patrol]") {
    const auto snap = patrol_snapshot();
    PatrolRequest req;
    req.from = "Camp Nowhere";
    req.sector = "Sector West";
    CHECK_THROWS_WITH(plan_patrol(*snap, req), Catch::Contains("unknown site 'Camp Nowhere'") && Catch::Contains("Camp Test"));
    req.from = "Camp Test";
    req.sector = "North";
    CHECK_THROWS_WITH(plan_patrol(*snap, req), Catch::Contains("unknown sector 'North'") && Catch::Contains("Sector West"));
    req.sector = "Sector";
    CHECK_THROWS_WITH(plan_patrol(*snap, req), Catch::Contains("ambiguous sector"));
    req.sector.clear();
    CHECK_THROWS_WITH(plan_patrol(*snap, req), Catch::Contains("sector or a radius"));
    req.radius_m = -5;
    CHECK_THROWS_AS(plan_patrol(*snap, req), std::invalid_argument);
}

TEST_CASE("a footprint is visited at its centroid", "[patrol]") {
    const auto v = test::square_venue(1, 21.0, 42.0, 0.002);
    const auto p = visit_point(v.shape);
    CHECK(p.lon == Approx(21.001).margin(1e-7));
    CHECK(p.lat == Approx(42.001).margin(1e-7));
    // An L-shaped footprint whose centroid falls outside: a vertex instead.
    analysis::VenueView l = test::point_venue(2, 21.0, 42.0);
    l.shape.is_point = false;
    l.shape.point = {21.0, 42.0};
    l.shape.polygons = {geo::Polygon{{geo::Ring{{21.0, 42.0}, {21.01, 42.0}, {21.01, 42.001}, {21.001, 42.001},
                                                {21.001, 42.01}, {21.0, 42.01}, {21.0, 42.0}}}}};
    const auto q = visit_point(l.shape);
    CHECK(geo::contains(l.shape, q));
}

TEST_CASE("the sector report counts listed venues per sector and per unit", "[patrol]") {
    const auto snap = patrol_snapshot();
    const auto r = sector_report(*snap);
    CHECK(r.listed == 8);
    CHECK(r.outside == 1);
    REQUIRE(r.sectors.size() == 2);
    CHECK(r.sectors[0].listed == 4);
    CHECK(r.sectors[1].listed == 3);
    CHECK(r.sectors[1].sites.empty());
    REQUIRE(r.units.size() == 2);
    CHECK(r.units[0].unit == "1st MP Platoon");
    CHECK(r.units[0].listed == 4);
    const auto j = nlohmann::json::parse(sector_report_json(*snap, r));
    CHECK(j["sectors"][0]["by_category"]["other"] == 4);
    CHECK(j["outside"] == 1);
}

TEST_CASE("the patrol GeoJSON has the start, the route and numbered stops", "[patrol]") {
    const auto snap = patrol_snapshot();
    PatrolRequest req;
    req.from = "Camp Test";
    req.sector = "Sector East";
    const auto plan = plan_patrol(*snap, req);
    const auto j = nlohmann::json::parse(patrol_geojson(plan));
    CHECK(j["type"] == "FeatureCollection");
    CHECK(j["unit"] == "2nd MP Platoon");
    int stops = 0, routes = 0;
    for (const auto& f : j["features"]) {
        if (f["properties"]["role"] == "stop") {
            ++stops;
            CHECK(f["properties"]["order"] == stops);
            CHECK(f["properties"]["mgrs"].get<std::string>().size() == 15);
        }
        if (f["properties"]["role"] == "route") ++routes;
    }
    CHECK(stops == 3);
    CHECK(routes == 1);
}

TEST_CASE("a point is snapped to the road nearest on the ellipsoid, not on a sphere", "[patrol][roads]") {
    // At 60°N a degree of latitude is 111.4 km, not the 110.6 km of a sphere scaled for the
    // equator, and a degree of longitude 55.80 km, not 55.66 km. One road 100 m north of the point
    // and one 99.6 m east, joined at a corner: on the old spherical plane the northern one looked
    // nearer (99.25 m against 99.35 m).
    const geo::LonLat p{10.0, 60.0};
    const geo::LonLat north = geo::direct(p, 0, 100), east = geo::direct(p, 90, 99.6);
    const geo::LonLat corner{east.lon, north.lat};
    const RoadGraph g({{{p.lon - 0.01, north.lat}, corner}, {corner, {east.lon, p.lat - 0.01}}});
    const auto c = g.connect({p});
    CHECK(c.snapped[0].lon == Approx(east.lon).margin(1e-7));
    CHECK(c.snapped[0].lat == Approx(p.lat).margin(1e-6));
    CHECK(c.off_road_m[0] == Approx(99.6).margin(0.05));
    // Near the equator the other way round: 100 m east against 99.7 m north.
    const geo::LonLat q{30.0, 0.5};
    const geo::LonLat n2 = geo::direct(q, 0, 99.7), e2 = geo::direct(q, 90, 100);
    const geo::LonLat c2{e2.lon, n2.lat};
    const RoadGraph h({{{q.lon - 0.01, n2.lat}, c2}, {c2, {e2.lon, q.lat - 0.01}}});
    const auto d = h.connect({q});
    CHECK(d.snapped[0].lat == Approx(n2.lat).margin(1e-7));
    CHECK(d.off_road_m[0] == Approx(99.7).margin(0.05));
}
