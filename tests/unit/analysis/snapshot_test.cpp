// Snapshot::build reads the store in one pass over each table; a snapshot assembled the plain way
// from the same rows (Store::venues(), history lookups per venue, its own WKB decoding) must be the
// same to the last bit: venues, names, shapes, listing state, sites, sectors, bounds and zones.
#include "analysis/snapshot.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/repository.hpp"
#include "unit/model/date_catch.hpp"
#include "with_data_dir.hpp"

using namespace keepout;
using namespace keepout::model;
using analysis::Snapshot;
using analysis::VenueView;

namespace {

using Rings = std::vector<std::vector<geo::LonLat>>;

// WKB writers, either byte order.
struct Wkb {
    bool big = false;
    std::string out;
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * (big ? 3 - i : i))) & 0xFFu));
    }
    void f64(double d) {
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        for (int i = 0; i < 8; ++i) out.push_back(char((bits >> (8 * (big ? 7 - i : i))) & 0xFFu));
    }
    void head(std::uint32_t type) {
        out.push_back(big ? '\x00' : '\x01');
        u32(type);
    }
    void polygon(const Rings& rings) {
        head(3);
        u32(std::uint32_t(rings.size()));
        for (auto& r : rings) {
            u32(std::uint32_t(r.size()));
            for (auto& p : r) f64(p.lon), f64(p.lat);
        }
    }
};

std::string point_wkb(double lon, double lat, bool big = false) {
    Wkb w{big, {}};
    w.head(1);
    w.f64(lon);
    w.f64(lat);
    return w.out;
}
std::string polygon_wkb(const Rings& rings, bool big = false) {
    Wkb w{big, {}};
    w.polygon(rings);
    return w.out;
}
std::string multipolygon_wkb(const std::vector<Rings>& polygons) {
    Wkb w;
    w.head(6);
    w.u32(std::uint32_t(polygons.size()));
    for (auto& p : polygons) w.polygon(p);
    return w.out;
}
// A closed ring, counter-clockwise when `ccw`; coordinates with every bit of a double in use.
std::vector<geo::LonLat> square(double x, double y, double d, bool ccw = true) {
    std::vector<geo::LonLat> r{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}};
    if (!ccw) std::reverse(r.begin(), r.end());
    return r;
}

// The plain decoding, written here apart from geo/wkb.cpp: byte by byte, Point, Polygon and
// MultiPolygon of Polygons only.
struct PlainReader {
    const std::string& b;
    std::size_t pos = 0;
    std::uint32_t u32(bool le) {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= std::uint32_t(std::uint8_t(b.at(pos + std::size_t(le ? i : 3 - i)))) << (8 * i);
        pos += 4;
        return v;
    }
    double f64(bool le) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t(std::uint8_t(b.at(pos + std::size_t(le ? i : 7 - i)))) << (8 * i);
        pos += 8;
        double d;
        std::memcpy(&d, &v, 8);
        return d;
    }
    geo::Polygon polygon(bool le) {
        geo::Polygon p;
        const std::uint32_t n = u32(le);
        for (std::uint32_t i = 0; i < n; ++i) {
            geo::Ring r;
            const std::uint32_t k = u32(le);
            for (std::uint32_t j = 0; j < k; ++j) {
                const double x = f64(le), y = f64(le);
                r.push_back({x, y});
            }
            p.rings.push_back(r);
        }
        return p;
    }
};

geo::Shape plain_shape(const std::string& wkb) {
    PlainReader r{wkb, 0};
    const bool le = wkb.at(r.pos++) == 1;
    const std::uint32_t type = r.u32(le);
    geo::Shape s;
    if (type == 1) {
        const double x = r.f64(le), y = r.f64(le);
        s.point = {x, y};
        s.box = {x, y, x, y};
        return s;
    }
    s.is_point = false;
    if (type == 3) {
        s.polygons.push_back(r.polygon(le));
    } else {
        REQUIRE(type == 6);
        const std::uint32_t n = r.u32(le);
        for (std::uint32_t i = 0; i < n; ++i) {
            const bool mle = wkb.at(r.pos++) == 1;
            REQUIRE(r.u32(mle) == 3);
            s.polygons.push_back(r.polygon(mle));
        }
    }
    REQUIRE(r.pos == wkb.size());
    bool first = true;
    for (auto& p : s.polygons)
        for (auto& ring : p.rings)
            for (auto& v : ring) {
                if (first) s.box = {v.lon, v.lat, v.lon, v.lat}, s.point = v, first = false;
                s.box.min_lon = std::min(s.box.min_lon, v.lon);
                s.box.min_lat = std::min(s.box.min_lat, v.lat);
                s.box.max_lon = std::max(s.box.max_lon, v.lon);
                s.box.max_lat = std::max(s.box.max_lat, v.lat);
            }
    return s;
}

// The snapshot as it was assembled before the one-pass build: whole rows first, then per venue.
std::shared_ptr<const Snapshot> plain_snapshot(store::Store& store, Date as_of) {
    const ListHistory history = store.history();
    std::vector<VenueView> venues;
    for (auto& v : store.venues()) {
        VenueView view;
        view.shape = plain_shape(v.geometry);
        v.geometry.clear();
        view.venue = v;
        if (auto listed = history.venue_as_of(v.id, as_of)) {
            view.listed = true;
            const Directive* d = history.directive(listed->directive_id);
            view.directive_ref = d ? d->ref : "";
            view.listed_since = listed->listed_since;
            view.reasons = listed->reasons;
        }
        for (auto& e : history.venue_history(v.id, as_of))
            if (e.counts_on_date)
                view.last_act = analysis::LastAct{e.directive->ref, e.listing->action, e.listing->effective_from,
                                                  e.listing->reasons};
        venues.push_back(view);
    }
    std::vector<analysis::SiteView> sites;
    for (auto& s : store.sites()) {
        analysis::SiteView view{s, plain_shape(s.geometry)};
        view.site.geometry.clear();
        sites.push_back(view);
    }
    std::vector<analysis::SectorView> sectors;
    for (auto& s : store.sectors()) {
        analysis::SectorView view{s, plain_shape(s.geometry)};
        view.sector.geometry.clear();
        sectors.push_back(view);
    }
    return std::make_shared<const Snapshot>(as_of, store.list_version(), venues, sites, sectors);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool same_bits(geo::LonLat a, geo::LonLat b) { return same_bits(a.lon, b.lon) && same_bits(a.lat, b.lat); }
bool same_bits(const geo::Box& a, const geo::Box& b) {
    return same_bits(a.min_lon, b.min_lon) && same_bits(a.min_lat, b.min_lat) && same_bits(a.max_lon, b.max_lon) &&
           same_bits(a.max_lat, b.max_lat);
}

void check_same_shape(const geo::Shape& a, const geo::Shape& b) {
    CHECK(a.is_point == b.is_point);
    CHECK(same_bits(a.point, b.point));
    CHECK(same_bits(a.box, b.box));
    REQUIRE(a.polygons.size() == b.polygons.size());
    for (std::size_t p = 0; p < a.polygons.size(); ++p) {
        REQUIRE(a.polygons[p].rings.size() == b.polygons[p].rings.size());
        for (std::size_t r = 0; r < a.polygons[p].rings.size(); ++r) {
            const auto& ra = a.polygons[p].rings[r];
            const auto& rb = b.polygons[p].rings[r];
            REQUIRE(ra.size() == rb.size());
            for (std::size_t k = 0; k < ra.size(); ++k) CHECK(same_bits(ra[k], rb[k]));
        }
    }
}

void check_same(const Snapshot& a, const Snapshot& b) {
    CHECK(a.as_of() == b.as_of());
    CHECK(a.list_version() == b.list_version());
    REQUIRE(a.venues().size() == b.venues().size());
    for (std::size_t i = 0; i < a.venues().size(); ++i) {
        const VenueView& x = a.venues()[i];
        const VenueView& y = b.venues()[i];
        INFO("venue " << y.venue.id);
        CHECK(x.venue.id == y.venue.id);
        CHECK(x.venue.external_id == y.venue.external_id);
        CHECK(x.venue.name == y.venue.name);
        CHECK(x.venue.aliases == y.venue.aliases);
        CHECK(x.venue.former_names == y.venue.former_names);
        CHECK(x.venue.category == y.venue.category);
        CHECK(x.venue.address == y.venue.address);
        CHECK(x.venue.municipality == y.venue.municipality);
        CHECK(x.venue.geometry.empty());
        CHECK(x.listed == y.listed);
        CHECK(x.directive_ref == y.directive_ref);
        CHECK(x.listed_since == y.listed_since);
        CHECK(x.reasons == y.reasons);
        REQUIRE(x.last_act.has_value() == y.last_act.has_value());
        if (x.last_act) {
            CHECK(x.last_act->directive_ref == y.last_act->directive_ref);
            CHECK(x.last_act->action == y.last_act->action);
            CHECK(x.last_act->effective_from == y.last_act->effective_from);
            CHECK(x.last_act->reasons == y.last_act->reasons);
        }
        check_same_shape(x.shape, y.shape);
        CHECK(a.venue_by_id(y.venue.id) == &x);
    }
    CHECK(a.listed() == b.listed());
    REQUIRE(a.sites().size() == b.sites().size());
    for (std::size_t i = 0; i < a.sites().size(); ++i) {
        const auto& x = a.sites()[i];
        const auto& y = b.sites()[i];
        CHECK(x.site.id == y.site.id);
        CHECK(x.site.name == y.site.name);
        CHECK(x.site.kind == y.site.kind);
        CHECK(x.site.contingent == y.site.contingent);
        CHECK(x.site.personnel == y.site.personnel);
        CHECK(x.site.geometry.empty());
        check_same_shape(x.shape, y.shape);
    }
    REQUIRE(a.sectors().size() == b.sectors().size());
    for (std::size_t i = 0; i < a.sectors().size(); ++i) {
        CHECK(a.sectors()[i].sector.id == b.sectors()[i].sector.id);
        CHECK(a.sectors()[i].sector.name == b.sectors()[i].sector.name);
        CHECK(a.sectors()[i].sector.unit == b.sectors()[i].sector.unit);
        check_same_shape(a.sectors()[i].shape, b.sectors()[i].shape);
    }
    REQUIRE(a.data_bounds().has_value() == b.data_bounds().has_value());
    if (a.data_bounds()) CHECK(same_bits(*a.data_bounds(), *b.data_bounds()));
    CHECK(a.grid_zones() == b.grid_zones());
}

Directive make_directive(store::Store& s, std::string ref, DirectiveStatus status) {
    Directive d;
    d.ref = std::move(ref);
    d.title = "Off-Limits " + d.ref;
    d.authority = "Head of Mission";
    d.signed_on = Date::parse("2026-01-05");
    d.effective_on = Date::parse("2026-01-10");
    d.status = status;
    s.insert_directive(d);
    return d;
}

void add_listing(store::Store& s, const Directive& d, Id venue, Action action, const char* from,
                 std::vector<Reason> reasons, const char* until = nullptr) {
    Listing l;
    l.directive_id = d.id;
    l.venue_id = venue;
    l.action = action;
    l.reasons = std::move(reasons);
    l.effective_from = Date::parse(from);
    if (until) l.until = Date::parse(until);
    s.insert_listing(l);
}

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<store::Store> store = store::Store::init(dir.file("snapshot.sqlite"));
};

Venue venue(std::string name, std::string wkb) {
    Venue v;
    v.name = std::move(name);
    v.category = Category::bar;
    v.geometry = std::move(wkb);
    return v;
}

}  // namespace

TEST_CASE("a snapshot built in one pass equals one assembled from the same rows", "[analysis][snapshot]") {
    Fixture f;
    store::Store& s = *f.store;
    // Irregular coordinates, so a rounding anywhere would show in the bits.
    const double x = 21.16553210987654, y = 42.66291234567891;

    Venue named = venue("Бар Ноћ", point_wkb(x, y));
    named.external_id = "EXT-1";
    named.aliases = {"Bar Noc", "Nata"};
    named.former_names = {"Kafe Hëna"};
    named.category = Category::nightclub;
    named.address = "Rruga Nënë Tereza 1";
    named.municipality = "Prishtinë";
    const Id v_named = s.insert_venue(named);
    // A footprint with a hole (the courtyard), written big-endian: read back the same.
    const Id v_holed = s.insert_venue(venue(
        "Hotel Oborri",
        polygon_wkb({square(x + 0.01, y, 0.001), square(x + 0.0103, y + 0.0003, 0.0002, false)}, true)));
    // Two buildings, one of them with a hole.
    const Id v_multi = s.insert_venue(venue(
        "Motel Dy Shtëpi",
        multipolygon_wkb({{square(x + 0.02, y, 0.0005)},
                          {square(x + 0.021, y, 0.0007), square(x + 0.0212, y + 0.0002, 0.0001, false)}})));
    // Bare: no external id, address, municipality or other names.
    const Id v_bare = s.insert_venue(venue("Lokali", point_wkb(x - 0.3, y - 0.2)));
    // Enough venues that names are read in one pass over their table, some listed, some deleted.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25), side(0.0001, 0.0008);
    std::vector<Id> many;
    for (int i = 0; i < 700; ++i) {
        const double a = lon(rng), b = lat(rng);
        Venue v = venue("Kafe " + std::to_string(i), i % 4 == 0 ? polygon_wkb({square(a, b, side(rng))}) : point_wkb(a, b));
        v.external_id = "R-" + std::to_string(i);
        if (i % 3 == 0) v.aliases = {"Alias " + std::to_string(i)};
        if (i % 5 == 0) v.former_names = {"Former " + std::to_string(i), "Earlier " + std::to_string(i)};
        v.municipality = i % 2 ? "Pejë" : "";
        many.push_back(s.insert_venue(v));
    }
    // Deleted rows leave gaps in the ids (and, without the foreign key enforced, names behind).
    for (std::size_t k : {std::size_t(0), std::size_t(1), std::size_t(250), std::size_t(699)})
        s.db().exec("DELETE FROM venues WHERE id = " + std::to_string(many[k]));

    Directive issued = make_directive(s, "HOM/OL/2026/001", DirectiveStatus::issued);
    Directive later = make_directive(s, "HOM/OL/2026/002", DirectiveStatus::issued);
    Directive draft = make_directive(s, "HOM/OL/2026/003", DirectiveStatus::draft);
    add_listing(s, issued, v_named, Action::place, "2026-01-10", {Reason::trafficking, Reason::minors});
    add_listing(s, issued, v_holed, Action::place, "2026-01-10", {Reason::organized_crime});
    add_listing(s, later, v_holed, Action::lift, "2026-03-01", {Reason::closed});  // lifted before the date
    add_listing(s, issued, v_multi, Action::place, "2026-01-12", {Reason::health_safety}, "2026-02-01");  // expired
    add_listing(s, draft, v_bare, Action::place, "2026-01-10", {Reason::prostitution});  // a draft counts for nothing
    for (std::size_t k = 2; k < many.size(); k += 2)
        if (k != 250 && k != 699) add_listing(s, issued, many[k], Action::place, "2026-01-15", {Reason::force_protection});

    model::Site camp;
    camp.name = "Camp Film City";
    camp.kind = SiteKind::military;
    camp.contingent = "KFOR";
    camp.personnel = 800;
    camp.geometry = polygon_wkb({square(x + 0.05, y + 0.01, 0.004)});
    s.insert_site(camp);
    model::Site hq;
    hq.name = "Mission HQ";
    hq.kind = SiteKind::hq;
    hq.geometry = point_wkb(x + 0.001, y - 0.002);
    s.insert_site(hq);
    model::Sector sector{0, "MNBG-East", "1st Bn", polygon_wkb({square(20.9, 42.2, 0.6)})};
    s.insert_sector(sector);

    for (const char* on : {"2026-01-11", "2026-01-20", "2026-06-01"}) {
        INFO("as of " << on);
        const Date as_of = Date::parse(on);
        const auto built = Snapshot::build(s, as_of);
        const auto plain = plain_snapshot(s, as_of);
        check_same(*built, *plain);
        for (std::size_t k : {std::size_t(0), std::size_t(250)}) CHECK(built->venue_by_id(many[k]) == nullptr);

        // The states the fixture set up, so the comparison is not between two empty answers.
        REQUIRE(built->venue_by_id(v_named));
        CHECK(built->venue_by_id(v_named)->listed);
        CHECK(built->venue_by_id(v_holed)->shape.polygons.at(0).rings.size() == 2);
        CHECK(built->venue_by_id(v_multi)->shape.polygons.size() == 2);
        CHECK_FALSE(built->venue_by_id(v_bare)->listed);
        CHECK_FALSE(built->venue_by_id(v_bare)->last_act);
        CHECK(built->venue_by_id(v_named)->venue.former_names == std::vector<std::string>{"Kafe Hëna"});
        CHECK(built->listed().size() > (as_of < Date::parse("2026-01-15") ? 1u : 300u));
    }
    // On 2026-06-01 the footprint with a hole is lifted (last act: the lift), the multipolygon's
    // listing has expired (last act: the place).
    const auto june = Snapshot::build(s, Date::parse("2026-06-01"));
    CHECK_FALSE(june->venue_by_id(v_holed)->listed);
    REQUIRE(june->venue_by_id(v_holed)->last_act);
    CHECK(june->venue_by_id(v_holed)->last_act->action == Action::lift);
    CHECK_FALSE(june->venue_by_id(v_multi)->listed);
    REQUIRE(june->venue_by_id(v_multi)->last_act);
    CHECK(june->venue_by_id(v_multi)->last_act->action == Action::place);

    // Point checks answer the same through both.
    const auto plain = plain_snapshot(s, Date::parse("2026-01-20"));
    const auto built = Snapshot::build(s, Date::parse("2026-01-20"));
    CHECK(geo::contains(built->venue_by_id(v_holed)->shape, {x + 0.0101, y + 0.0001}));
    CHECK_FALSE(geo::contains(built->venue_by_id(v_holed)->shape, {x + 0.0104, y + 0.0004}));  // in the courtyard

    // The name index, built on first use, finds the same venues with the same scores.
    for (const char* q : {"Bar Noc", "Бар Ноћ", "Kafe Hena", "Alias 33", "Former 35", "Hotel Oborri", "Peje"}) {
        INFO("query " << q);
        const auto a = built->names().search(q, 0.3, 20);
        const auto b = plain->names().search(q, 0.3, 20);
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].venue_id == b[i].venue_id);
            CHECK(a[i].score == b[i].score);
        }
    }
    CHECK_FALSE(built->names().search("Kafe Hëna", 0.9, 1).empty());
    CHECK(built->names().search("Kafe Hëna", 0.9, 1).front().venue_id == v_named);
}

TEST_CASE("the name index is built once when threads ask for it together", "[analysis][snapshot]") {
    Fixture f;
    for (int i = 0; i < 50; ++i) f.store->insert_venue(venue("Bar Ylli " + std::to_string(i), point_wkb(21 + i * 0.01, 42.5)));
    const auto snap = Snapshot::build(*f.store, Date::parse("2026-06-01"));
    std::vector<std::vector<analysis::NameMatch>> found(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < found.size(); ++t)
        threads.emplace_back([&, t] { found[t] = snap->names().search("Bar Ylli 7", 0.5, 5); });
    for (auto& t : threads) t.join();
    REQUIRE_FALSE(found[0].empty());
    CHECK(found[0].front().venue_id == snap->venues()[7].venue.id);
    for (auto& r : found) {
        REQUIRE(r.size() == found[0].size());
        for (std::size_t i = 0; i < r.size(); ++i) CHECK(r[i].venue_id == found[0][i].venue_id);
    }
    CHECK(&snap->names() == &snap->names());
}

TEST_CASE("an empty store gives an empty snapshot", "[analysis][snapshot]") {
    Fixture f;
    const auto snap = Snapshot::build(*f.store, Date::parse("2026-06-01"));
    CHECK(snap->venues().empty());
    CHECK(snap->listed().empty());
    CHECK_FALSE(snap->data_bounds());
    CHECK(snap->names().search("anything").empty());
    check_same(*snap, *plain_snapshot(*f.store, Date::parse("2026-06-01")));
}
