#pragma once
// Shared by the benchmark programs: the generated data (venues and points over Kosovo, fixed
// seed), snapshots built from it without a store, CSV output for PostGIS, the SpatiaLite copy,
// command-line options and timing.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"
#include "geo/shapes.hpp"
#include "model/date.hpp"
#include "store/sqlite.hpp"

namespace bench {

using namespace keepout;

// Roughly Kosovo.
inline constexpr double kMinLon = 20.0, kMaxLon = 21.8, kMinLat = 41.85, kMaxLat = 43.25;

// --key value options, every one with a default; --help lists them.
class Options {
public:
    Options(int argc, char** argv, std::map<std::string, std::string> defaults, const char* usage)
        : values_(std::move(defaults)) {
        for (int i = 1; i < argc; ++i) {
            std::string key = argv[i];
            if (key == "-h" || key == "--help") {
                std::printf("%s\noptions (defaults):\n", usage);
                for (auto& [k, v] : values_) std::printf("  --%s %s\n", k.c_str(), v.c_str());
                std::exit(0);
            }
            if (key.rfind("--", 0) != 0 || i + 1 >= argc || !values_.count(key.substr(2)))
                fail("unknown option or missing value: " + key);
            values_[key.substr(2)] = argv[++i];
        }
    }
    const std::string& str(const std::string& k) const { return values_.at(k); }
    double num(const std::string& k) const {
        char* end = nullptr;
        const double v = std::strtod(str(k).c_str(), &end);
        if (end == str(k).c_str() || *end) fail("--" + k + " is not a number: " + str(k));
        return v;
    }
    std::size_t count(const std::string& k) const {
        const double v = num(k);
        if (!(v >= 0) || v != std::floor(v)) fail("--" + k + " is not a count: " + str(k));
        return std::size_t(v);
    }
    std::vector<std::size_t> counts(const std::string& k) const {
        std::vector<std::size_t> out;
        std::string s = str(k);
        for (std::size_t p = 0; p <= s.size();) {
            std::size_t q = s.find(',', p);
            if (q == std::string::npos) q = s.size();
            out.push_back(std::size_t(std::stoull(s.substr(p, q - p))));
            p = q + 1;
        }
        return out;
    }
    [[noreturn]] static void fail(const std::string& what) {
        std::fprintf(stderr, "bench: %s\n", what.c_str());
        std::exit(2);
    }

private:
    std::map<std::string, std::string> values_;
};

inline double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Every venue listed: ¾ points, ¼ squares of 10–40 m a side (closed, counter-clockwise).
inline std::vector<analysis::VenueView> make_venues(std::size_t n, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(kMinLon, kMaxLon), lat(kMinLat, kMaxLat), side(10.0, 40.0);
    std::vector<analysis::VenueView> out;
    out.reserve(n);
    const auto since = model::Date::parse("2026-01-20");
    for (std::size_t i = 0; i < n; ++i) {
        analysis::VenueView v;
        v.venue.id = model::Id(i + 1);
        v.venue.name = "Bench venue";  // one name: the name index is not what is measured
        v.listed = true;
        v.directive_ref = "HOM/OL/BENCH/1";
        v.listed_since = since;
        v.reasons = {model::Reason::trafficking};
        const double x = lon(rng), y = lat(rng);
        if (i % 4 == 0) {
            const double s = side(rng);
            const double dy = s / 111132.0, dx = s / (111320.0 * std::cos(y * M_PI / 180.0));
            geo::Ring ring{{x, y}, {x + dx, y}, {x + dx, y + dy}, {x, y + dy}, {x, y}};
            v.shape.is_point = false;
            v.shape.point = {x, y};
            v.shape.polygons = {geo::Polygon{{ring}}};
            v.shape.box = {x, y, x + dx, y + dy};
        } else {
            v.shape.point = {x, y};
            v.shape.box = {x, y, x, y};
        }
        out.push_back(std::move(v));
    }
    return out;
}

inline std::shared_ptr<const analysis::Snapshot> make_snapshot(std::vector<analysis::VenueView> venues,
                                                               std::vector<analysis::SiteView> sites = {}) {
    return std::make_shared<const analysis::Snapshot>(model::Date::parse("2026-06-01"), 1, std::move(venues),
                                                      std::move(sites), std::vector<analysis::SectorView>{});
}

inline std::string num17(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

inline std::string wkt(const geo::Shape& s) {
    if (s.is_point) return "POINT(" + num17(s.point.lon) + " " + num17(s.point.lat) + ")";
    std::string out = "POLYGON(";
    const auto& rings = s.polygons.at(0).rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        out += r ? ",(" : "(";
        for (std::size_t k = 0; k < rings[r].size(); ++k)
            out += (k ? "," : "") + num17(rings[r][k].lon) + " " + num17(rings[r][k].lat);
        out += ")";
    }
    return out + ")";
}

struct File {
    std::FILE* f;
    explicit File(const std::string& path) : f(std::fopen(path.c_str(), "w")) {
        if (!f) throw std::runtime_error("cannot write " + path);
    }
    ~File() { std::fclose(f); }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
};

// id,wkt — the form `\copy … (id, wkt) FROM … CSV HEADER` reads.
inline void write_venues_csv(const std::string& path, const std::vector<analysis::VenueView>& venues) {
    File out(path);
    std::fputs("id,wkt\n", out.f);
    for (auto& v : venues) std::fprintf(out.f, "%lld,\"%s\"\n", (long long)v.venue.id, wkt(v.shape).c_str());
}

// id,lon,lat
inline void write_points_csv(const std::string& path, const std::vector<geo::LonLat>& points) {
    File out(path);
    std::fputs("id,lon,lat\n", out.f);
    for (std::size_t i = 0; i < points.size(); ++i)
        std::fprintf(out.f, "%zu,%s,%s\n", i + 1, num17(points[i].lon).c_str(), num17(points[i].lat).c_str());
}

// The venues in a SpatiaLite table `venues(id, geom)` with an R*Tree spatial index, through
// keepout's store::Database (SpatiaLite loaded the way the service loads it).
inline std::unique_ptr<store::Database> spatialite_venues(const std::string& path,
                                                          const std::vector<analysis::VenueView>& venues) {
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    auto db = std::make_unique<store::Database>(path, true);
    db->exec("SELECT InitSpatialMetadata(1)");
    db->exec("CREATE TABLE venues (id INTEGER PRIMARY KEY)");
    db->exec("SELECT AddGeometryColumn('venues', 'geom', 4326, 'GEOMETRY', 'XY')");
    store::Transaction tx(*db);
    auto ins = db->prepare("INSERT INTO venues (id, geom) VALUES (?1, GeomFromText(?2, 4326))");
    for (auto& v : venues) ins.bind(1, std::int64_t(v.venue.id)).bind(2, wkt(v.shape)).run();
    tx.commit();
    db->exec("SELECT CreateSpatialIndex('venues', 'geom')");
    db->exec("ANALYZE");
    return db;
}

}  // namespace bench
