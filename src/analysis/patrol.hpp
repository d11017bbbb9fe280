#pragma once
// Military police patrol planning: the listed venues of a sector or within a radius of a site,
// visited in a closed route from the site and back, ordered by nearest neighbour and improved
// by 2-opt and Or-opt (exact for small instances), on geodesic distances or along a road graph;
// optionally split into several patrols by stop count or length. Plus the sector report: listed
// venues per sector and per responsible unit.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"
#include "geo/coordinates.hpp"

namespace keepout::analysis {

// ---------------------------------------------------------------------------------------------
// The ordering engine on a symmetric distance matrix. Node 0 is the start and end of every tour.

class DistanceMatrix {
public:
    DistanceMatrix() = default;
    explicit DistanceMatrix(std::size_t n) : n_(n), d_(n * n, 0.0) {}
    std::size_t size() const { return n_; }
    double operator()(std::size_t i, std::size_t j) const { return d_[i * n_ + j]; }
    void set(std::size_t i, std::size_t j, double v) { d_[i * n_ + j] = d_[j * n_ + i] = v; }

private:
    std::size_t n_ = 0;
    std::vector<double> d_;
};

// A tour: the order nodes are visited in, starting with 0; the way back to 0 is implied.
using Tour = std::vector<std::size_t>;

// Length of the closed tour (back to its first node).
double tour_length(const DistanceMatrix&, const Tour&);
// From 0, always on to the nearest node not yet visited (ties to the lower index).
Tour nearest_neighbour_tour(const DistanceMatrix&);
// 2-opt (reverse a stretch) and Or-opt (move a run of 1–3 stops elsewhere, either way round),
// first improvement, until neither finds a shorter tour. Never lengthens the tour; keeps 0 first.
void improve_tour(const DistanceMatrix&, Tour&);
// The optimum by Held–Karp dynamic programming; only for up to kExactMaxStops stops (n − 1).
inline constexpr std::size_t kExactMaxStops = 12;
Tour exact_tour(const DistanceMatrix&);
// The optimum by trying every order (for tests; n − 1 ≤ 10).
Tour brute_force_tour(const DistanceMatrix&);

struct TourStats {
    double nearest_neighbour_m = 0;  // the nearest-neighbour tour
    double improved_m = 0;           // after 2-opt and Or-opt
    double final_m = 0;              // after the exact pass (small instances), else = improved_m
    bool exact = false;              // the exact pass ran
};
// Nearest neighbour, then 2-opt/Or-opt, then the exact optimum when there are at most
// kExactMaxStops stops (the shorter of the two is kept).
Tour plan_tour(const DistanceMatrix&, TourStats* stats = nullptr);

// Splits a tour (0 first) into consecutive runs, each a closed tour 0 → run → 0, with at most
// `max_stops` stops (0: no limit) and at most `max_m` metres (0: no limit): the fewest patrols,
// then the shortest total (route first, cluster second, by dynamic programming over the tour).
// Throws std::invalid_argument naming the stop when one stop alone exceeds max_m.
std::vector<Tour> split_tour(const DistanceMatrix&, const Tour&, std::size_t max_stops, double max_m);

// ---------------------------------------------------------------------------------------------
// A road graph from polylines in lon/lat: every vertex a node (vertices within about a centimetre
// are one node, so lines join where they share a vertex; lines that merely cross do not join),
// consecutive vertices an edge of geodesic length, both ways.

class RoadGraph {
public:
    RoadGraph() = default;
    explicit RoadGraph(const std::vector<std::vector<geo::LonLat>>& lines);

    std::size_t node_count() const { return nodes_.size(); }
    std::size_t edge_count() const { return segments_.size(); }
    std::size_t component_count() const { return components_; }
    std::size_t largest_component_nodes() const { return largest_size_; }
    const std::vector<geo::LonLat>& nodes() const { return nodes_; }

    struct Edge {
        std::uint32_t to;
        double length_m;
    };
    struct Segment {
        std::uint32_t a, b;
        double length_m;
    };

    // Shortest distances between points along the roads. Each point is snapped to the nearest
    // point of a road of the largest connected part of the network (the off-road distance is
    // reported, not counted); distances are between the snapped points (Dijkstra from each).
    struct Connected;
    Connected connect(const std::vector<geo::LonLat>& points) const;

    const std::vector<std::vector<Edge>>& adjacency() const { return adj_; }
    const std::vector<Segment>& segments() const { return segments_; }

private:
    std::vector<geo::LonLat> nodes_;
    std::vector<std::vector<Edge>> adj_;
    std::vector<Segment> segments_;
    std::vector<std::uint32_t> component_;  // per node
    std::size_t components_ = 0;
    std::uint32_t largest_ = 0;
    std::size_t largest_size_ = 0;
    geo::GridIndex segment_index_;
};

struct RoadGraph::Connected {
    std::vector<geo::LonLat> snapped;  // per point, on a road
    std::vector<double> off_road_m;    // per point, geodesic distance to its snapped position
    DistanceMatrix distances;          // metres along roads between snapped points

    // The road path between points i and j (snapped positions included), by A* with the
    // geodesic distance as the heuristic; its length equals distances(i, j).
    std::vector<geo::LonLat> path(std::size_t i, std::size_t j, double* length_m = nullptr) const;

    // The graph with the snapped points spliced into their segments (nodes from base count up).
    std::vector<geo::LonLat> nodes;
    std::vector<std::vector<RoadGraph::Edge>> adj;
    std::vector<std::uint32_t> point_node;  // per point, its node
};

// Shortest distance between two nodes of a graph given as adjacency lists (Dijkstra), and the
// same with the path by A* (`nodes` gives positions for the heuristic). Exposed for tests.
double dijkstra_distance(const std::vector<std::vector<RoadGraph::Edge>>& adj, std::uint32_t from, std::uint32_t to);
std::vector<std::uint32_t> astar_path(const std::vector<std::vector<RoadGraph::Edge>>& adj,
                                      const std::vector<geo::LonLat>& nodes, std::uint32_t from, std::uint32_t to,
                                      double* length_m = nullptr);

// ---------------------------------------------------------------------------------------------
// Patrols on a snapshot.

struct PatrolRequest {
    // A deployment site by name (exact, else case-insensitive), or a position in any form
    // parse_coordinate reads (lat,lon, DMS, UTM, MGRS).
    std::string from;
    std::string sector;                // a sector by name (exact, case-insensitive or a unique part)
    std::optional<double> radius_m;    // listed venues within this distance of the site
    std::size_t max_stops = 0;         // per patrol; 0: no limit
    double max_km = 0;                 // per patrol, there and back; 0: no limit
    const RoadGraph* roads = nullptr;  // legs along roads when given
    std::string roads_source;          // for the record (file name)
};

struct PatrolStop {
    const VenueView* venue = nullptr;
    geo::LonLat at;          // where the venue is (its point, or a point inside its footprint)
    geo::LonLat road_at;     // where the route meets it: the snapped road position (= at without roads)
    double off_road_m = 0;   // from the road to the venue
    std::string sector;      // the sector holding it, if any
    double leg_m = 0;        // from the previous stop (the site for the first)
    double cumulative_m = 0; // from the start of the patrol
};

struct Patrol {
    std::vector<PatrolStop> stops;   // in visiting order, site excluded
    double return_leg_m = 0;         // last stop back to the site
    double length_m = 0;             // the whole loop
    // One polyline per leg: site → 1, 1 → 2, …, last → site (2 points without roads).
    std::vector<std::vector<geo::LonLat>> legs;
};

struct PatrolPlan {
    model::Date as_of;               // a local date in time_zone, the mission's
    std::string time_zone = "UTC";
    std::int64_t list_version = 0;
    std::string from_name;           // the site's name, or the position as given
    const SiteView* site = nullptr;  // when `from` named a site
    geo::LonLat from;                // the start and end point
    geo::LonLat from_road;           // where the start meets the roads (= from without roads)
    std::string sector;              // the sector selected (full name), if any
    std::string from_sector;         // the sector holding the start, if any
    std::string unit;                // its responsible unit, or the unit of the sector holding the site
    std::optional<double> radius_m;
    std::size_t max_stops = 0;
    double max_km = 0;
    bool along_roads = false;
    std::string roads_source;
    std::size_t venues = 0;          // venues selected
    TourStats tour;                  // the single tour through every venue, before any split
    std::vector<Patrol> patrols;     // one unless split
    double total_m = 0;              // every patrol
};

// Selects and orders. Throws std::invalid_argument for an unknown site or sector, a bad radius,
// neither a sector nor a radius, or a stop that no patrol of max_km can reach.
PatrolPlan plan_patrol(const Snapshot&, const PatrolRequest&);

// The point a venue is visited at: its point, or for a footprint its centroid when that lies
// inside, else a vertex.
geo::LonLat visit_point(const geo::Shape&);

// The sector holding a point (first in the snapshot's order), or nullptr.
const SectorView* sector_at(const Snapshot&, geo::LonLat p);
// A sector by name: exact, then case-insensitive, then a unique case-insensitive part of the
// name ("ferizaj" for "District of Ferizaj"). Throws std::invalid_argument listing the names.
const SectorView& find_sector(const Snapshot&, const std::string& name);

// The plan as GeoJSON: encode/patrol_json.hpp.
// "Patrol 1 of 2" / "Patrol"; and a one-line summary of a plan for titles and descriptions.
std::string patrol_title(const PatrolPlan&, std::size_t index);

// ---------------------------------------------------------------------------------------------
// Listed venues per sector and per unit.

struct SectorCount {
    const SectorView* sector = nullptr;
    std::size_t listed = 0;
    std::vector<std::size_t> by_category;  // indexed by model::Category
    std::vector<std::string> sites;        // deployment sites inside the sector
};
struct UnitCount {
    std::string unit;                  // "" for sectors without one
    std::vector<std::string> sectors;
    std::size_t listed = 0;
};
struct SectorReport {
    std::vector<SectorCount> sectors;  // in the snapshot's order
    std::vector<UnitCount> units;      // by unit name
    std::size_t listed = 0;            // every listed venue
    std::size_t outside = 0;           // listed venues in no sector
};
// Written as JSON by encode/patrol_json.hpp.
SectorReport sector_report(const Snapshot&);

}  // namespace keepout::analysis
