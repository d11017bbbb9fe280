// Repositories over one SpatiaLite file: venues and names, directives, listings, the list as of
// a date, list version, transactions, sites and sectors.
#include "store/repository.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "unit/model/date_catch.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace keepout::model;
using keepout::test::TempDir;

namespace {

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_double(std::string& out, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
}
double get_double(const std::string& wkb, std::size_t at) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < 8; ++i)
        bits |= std::uint64_t(static_cast<unsigned char>(wkb[at + i])) << (8 * i);
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// Little-endian WKB point: byte order 0x01, uint32 type 1, lon, lat.
std::string point_wkb(double lon, double lat) {
    std::string out(1, '\x01');
    put_u32(out, 1);
    put_double(out, lon);
    put_double(out, lat);
    return out;
}

std::string square_wkb(double lon, double lat, double side) {
    std::string out(1, '\x01');
    put_u32(out, 3);
    put_u32(out, 1);
    put_u32(out, 5);
    const double xs[] = {lon, lon + side, lon + side, lon, lon};
    const double ys[] = {lat, lat, lat + side, lat + side, lat};
    for (int i = 0; i < 5; ++i) {
        put_double(out, xs[i]);
        put_double(out, ys[i]);
    }
    return out;
}

Venue make_venue(std::string name, std::vector<std::string> aliases = {}, std::string external_id = "",
                 double lon = 21.1655, double lat = 42.6629) {
    Venue v;
    v.name = std::move(name);
    v.aliases = std::move(aliases);
    v.external_id = std::move(external_id);
    v.category = Category::nightclub;
    v.address = "Rruga Nënë Tereza 1";
    v.municipality = "Prishtinë";
    v.geometry = point_wkb(lon, lat);
    return v;
}

Directive make_directive(std::string ref, const char* signed_on, const char* effective_on,
                         DirectiveStatus status = DirectiveStatus::issued) {
    Directive d;
    d.ref = std::move(ref);
    d.title = "Off-Limits " + d.ref;
    d.authority = "Head of Mission";
    d.signed_on = Date::parse(signed_on);
    d.effective_on = Date::parse(effective_on);
    d.status = status;
    return d;
}

Listing make_listing(Id directive_id, Id venue_id, Action action, const char* from,
                     std::vector<Reason> reasons = {Reason::trafficking}) {
    Listing l;
    l.directive_id = directive_id;
    l.venue_id = venue_id;
    l.action = action;
    l.reasons = std::move(reasons);
    l.effective_from = Date::parse(from);
    return l;
}

struct Fixture {
    TempDir dir;
    std::string path = dir.file("repo.sqlite");
    std::unique_ptr<Store> store = Store::init(path);
};

}  // namespace

TEST_CASE("a venue round-trips with its aliases, former names and geometry", "[store][repository]") {
    Fixture f;
    Venue v = make_venue("Club Eden", {"Eden Bar", "Клуб Еден", "Eden Bar"}, "KS-PR-0001", 21.1655, 42.6629);
    v.former_names = {"Bar Parajsa"};
    const Id id = f.store->insert_venue(v);
    CHECK(id > 0);
    CHECK(f.store->venue_count() == 1);

    auto got = f.store->venue(id);
    REQUIRE(got);
    CHECK(got->id == id);
    CHECK(got->name == "Club Eden");
    CHECK(got->external_id == "KS-PR-0001");
    CHECK(got->category == Category::nightclub);
    CHECK(got->address == "Rruga Nënë Tereza 1");
    CHECK(got->municipality == "Prishtinë");
    CHECK(got->aliases == std::vector<std::string>{"Eden Bar", "Клуб Еден"});  // duplicate kept once
    CHECK(got->former_names == std::vector<std::string>{"Bar Parajsa"});
    // The geometry comes back as WKB of the same point.
    REQUIRE(got->geometry.size() == 21);
    CHECK(got->geometry[0] == '\x01');
    CHECK(got->geometry[1] == '\x01');
    CHECK(get_double(got->geometry, 5) == 21.1655);
    CHECK(get_double(got->geometry, 13) == 42.6629);

    CHECK_FALSE(f.store->venue(id + 1000));
}

TEST_CASE("a venue without external_id stores it as absent", "[store][repository]") {
    Fixture f;
    const Id a = f.store->insert_venue(make_venue("A"));
    const Id b = f.store->insert_venue(make_venue("B"));  // two empty external ids do not collide
    CHECK(f.store->venue(a)->external_id.empty());
    CHECK(f.store->venue(b)->external_id.empty());
    CHECK(f.store->db().scalar("SELECT count(*) FROM venues WHERE external_id IS NULL") == 2);
    CHECK_FALSE(f.store->external_id_exists(""));
}

TEST_CASE("external ids are unique and can be looked up", "[store][repository]") {
    Fixture f;
    f.store->insert_venue(make_venue("A", {}, "X-1"));
    CHECK(f.store->external_id_exists("X-1"));
    CHECK_FALSE(f.store->external_id_exists("X-2"));
    CHECK_FALSE(f.store->external_id_exists("x-1"));
    CHECK_THROWS_AS(f.store->insert_venue(make_venue("B", {}, "X-1")), StoreError);
    CHECK(f.store->venue_count() == 1);
    // The cached insert statement still works after a failure.
    CHECK_NOTHROW(f.store->insert_venue(make_venue("C", {"c-alias"}, "X-3")));
    CHECK(f.store->venue_count() == 2);
    CHECK(f.store->resolve_venue("c-alias").external_id == "X-3");
}

TEST_CASE("a venue needs a readable geometry and a name", "[store][repository]") {
    Fixture f;
    Venue bad = make_venue("Bad");
    bad.geometry = "not wkb";
    CHECK_THROWS_AS(f.store->insert_venue(bad), StoreError);
    Venue unnamed = make_venue("");
    CHECK_THROWS_AS(f.store->insert_venue(unnamed), StoreError);
    CHECK(f.store->venue_count() == 0);
}

TEST_CASE("a polygon footprint round-trips", "[store][repository]") {
    Fixture f;
    Venue v = make_venue("Hotel Grand");
    v.category = Category::hotel;
    v.geometry = square_wkb(21.16, 42.66, 0.001);
    const Id id = f.store->insert_venue(v);
    auto got = f.store->venue(id);
    REQUIRE(got);
    CHECK(got->category == Category::hotel);
    CHECK(got->geometry == v.geometry);
}

TEST_CASE("resolve_venue finds a venue by id, external_id, exact name or alias", "[store][repository]") {
    Fixture f;
    const Id eden = f.store->insert_venue(make_venue("Club Eden", {"Eden Bar"}, "KS-PR-0001"));
    Venue renamed = make_venue("Hotel Victory", {}, "9001");
    renamed.former_names = {"Hotel Pristina"};
    const Id victory = f.store->insert_venue(renamed);

    CHECK(f.store->resolve_venue(std::to_string(eden)).id == eden);
    CHECK(f.store->resolve_venue(std::to_string(victory)).id == victory);
    CHECK(f.store->resolve_venue("KS-PR-0001").id == eden);
    CHECK(f.store->resolve_venue("9001").id == victory);  // numeric, but not an id: the external_id
    CHECK(f.store->resolve_venue("Club Eden").id == eden);
    CHECK(f.store->resolve_venue("Eden Bar").id == eden);
    CHECK(f.store->resolve_venue("Hotel Victory").id == victory);
    CHECK(f.store->resolve_venue("Hotel Pristina").id == victory);  // a former name

    auto v = f.store->resolve_venue("Eden Bar");
    CHECK(v.name == "Club Eden");
    CHECK(v.aliases == std::vector<std::string>{"Eden Bar"});
}

TEST_CASE("resolve_venue refuses unknown and ambiguous keys", "[store][repository]") {
    Fixture f;
    const Id a = f.store->insert_venue(make_venue("Bar Eden"));
    const Id b = f.store->insert_venue(make_venue("Bar Eden"));
    f.store->insert_venue(make_venue("Kafe Ëndrra", {"Dream"}));
    f.store->insert_venue(make_venue("Dream"));  // its name is another venue's alias
    const Id self = f.store->insert_venue(make_venue("Echo", {"Echo"}));  // alias equal to its own name

    CHECK_THROWS_AS(f.store->resolve_venue("Bar Eden"), RuleError);
    CHECK_THROWS_WITH(f.store->resolve_venue("Bar Eden"),
                      Catch::Contains(std::to_string(a)) && Catch::Contains(std::to_string(b)));
    CHECK_THROWS_AS(f.store->resolve_venue("Dream"), RuleError);
    CHECK(f.store->resolve_venue("Echo").id == self);

    CHECK_THROWS_AS(f.store->resolve_venue("Nowhere"), NotFound);
    CHECK_THROWS_AS(f.store->resolve_venue("bar eden"), NotFound);  // exact names only
    CHECK_THROWS_AS(f.store->resolve_venue("Bar"), NotFound);
    CHECK_THROWS_AS(f.store->resolve_venue(""), NotFound);
    CHECK_THROWS_AS(f.store->resolve_venue("424242"), NotFound);
    CHECK_THROWS_AS(f.store->resolve_venue("99999999999999999999999"), NotFound);
}

TEST_CASE("venues() and venues(ids) return venues by id with their names", "[store][repository]") {
    Fixture f;
    std::vector<Id> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(f.store->insert_venue(make_venue("V" + std::to_string(i), {"alias-" + std::to_string(i)})));
    auto all = f.store->venues();
    REQUIRE(all.size() == 5);
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].id == ids[i]);
        CHECK(all[i].aliases == std::vector<std::string>{"alias-" + std::to_string(i)});
    }
    auto some = f.store->venues({ids[3], ids[1], ids[3], 999});
    REQUIRE(some.size() == 2);
    CHECK(some[0].id == ids[1]);
    CHECK(some[1].id == ids[3]);
    CHECK(some[0].aliases == std::vector<std::string>{"alias-1"});
    CHECK(some[1].aliases == std::vector<std::string>{"alias-3"});
    // A second call does not remember the first one's ids.
    auto other = f.store->venues({ids[0]});
    REQUIRE(other.size() == 1);
    CHECK(other[0].id == ids[0]);
    CHECK(f.store->venues(std::vector<Id>{}).empty());
}

TEST_CASE("names attach correctly to many venues at once", "[store][repository]") {
    Fixture f;
    {
        Transaction tx(f.store->db());
        for (int i = 0; i < 300; ++i) {
            Venue v = make_venue("Venue " + std::to_string(i), {"alias " + std::to_string(i)});
            if (i % 7 == 0) v.former_names = {"former " + std::to_string(i)};
            f.store->insert_venue(v);
        }
        tx.commit();
    }
    auto all = f.store->venues();
    REQUIRE(all.size() == 300);
    for (std::size_t i = 0; i < all.size(); ++i) {
        CAPTURE(i);
        CHECK(all[i].name == "Venue " + std::to_string(i));
        CHECK(all[i].aliases == std::vector<std::string>{"alias " + std::to_string(i)});
        if (i % 7 == 0)
            CHECK(all[i].former_names == std::vector<std::string>{"former " + std::to_string(i)});
        else
            CHECK(all[i].former_names.empty());
    }
}

TEST_CASE("the list version starts at 0 and is bumped by one, persistently", "[store][repository]") {
    Fixture f;
    CHECK(f.store->list_version() == 0);
    CHECK(f.store->bump_list_version() == 1);
    CHECK(f.store->bump_list_version() == 2);
    CHECK(f.store->list_version() == 2);
    f.store.reset();
    auto reopened = Store::open(f.path);
    CHECK(reopened->list_version() == 2);
    CHECK(reopened->bump_list_version() == 3);
}

TEST_CASE("a transaction that is not committed leaves nothing behind", "[store][repository]") {
    Fixture f;
    f.store->set_actor("alice");
    {
        Transaction tx(f.store->db());
        const Id id = f.store->insert_venue(make_venue("Club Eden", {"Eden Bar"}, "KS-1"));
        Directive d = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
        f.store->insert_directive(d);
        Listing l = make_listing(d.id, id, Action::place, "2026-01-10");
        f.store->insert_listing(l);
        f.store->bump_list_version();
        f.store->record("venue.import", "venue", std::to_string(id), std::nullopt, "{}");
        CHECK(f.store->venue_count() == 1);  // visible inside the transaction
    }
    CHECK(f.store->venue_count() == 0);
    CHECK(f.store->db().scalar("SELECT count(*) FROM venue_names") == 0);
    CHECK(f.store->directives().empty());
    CHECK(f.store->listings().empty());
    CHECK(f.store->list_version() == 0);
    CHECK(f.store->db().scalar("SELECT count(*) FROM audit_log") == 0);
    CHECK(f.store->audit().verify().ok);
    CHECK_FALSE(f.store->external_id_exists("KS-1"));
}

TEST_CASE("an exception inside a transaction rolls it back", "[store][repository]") {
    Fixture f;
    try {
        Transaction tx(f.store->db());
        f.store->insert_venue(make_venue("First", {}, "DUP"));
        f.store->insert_venue(make_venue("Second", {}, "DUP"));  // throws: duplicate external_id
        tx.commit();
        FAIL("the duplicate insert should have thrown");
    } catch (const StoreError&) {
    }
    CHECK(f.store->venue_count() == 0);
}

TEST_CASE("a committed transaction persists", "[store][repository]") {
    Fixture f;
    {
        Transaction tx(f.store->db());
        f.store->insert_venue(make_venue("Club Eden"));
        f.store->set_actor("alice");
        f.store->record("venue.import", "venue", "1", std::nullopt, "{}");
        tx.commit();
    }
    f.store.reset();
    auto reopened = Store::open(f.path);
    CHECK(reopened->venue_count() == 1);
    CHECK(reopened->audit().verify().rows == 1);
}

TEST_CASE("directives round-trip, update and are looked up by ref", "[store][repository]") {
    Fixture f;
    Directive d = make_directive("HOM/OL/2026/014", "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    d.emergency = true;
    d.review_on = Date::parse("2026-04-10");
    d.drafted_by = "alice";
    const Id id = f.store->insert_directive(d);
    CHECK(id > 0);
    CHECK(d.id == id);

    auto got = f.store->find_directive("HOM/OL/2026/014");
    REQUIRE(got);
    CHECK(got->id == id);
    CHECK(got->title == d.title);
    CHECK(got->authority == "Head of Mission");
    CHECK(got->signed_on == Date::parse("2026-01-05"));
    CHECK(got->effective_on == Date::parse("2026-01-10"));
    CHECK(got->status == DirectiveStatus::draft);
    CHECK(got->emergency);
    REQUIRE(got->review_on);
    CHECK(*got->review_on == Date::parse("2026-04-10"));
    CHECK_FALSE(got->ended_on);
    CHECK(got->superseded_by.empty());
    CHECK(got->drafted_by == "alice");
    CHECK(got->issued_by.empty());

    submit(d, 1, "alice");
    f.store->update_directive(d);
    CHECK(f.store->directive("HOM/OL/2026/014").status == DirectiveStatus::submitted);
    CHECK(f.store->directive("HOM/OL/2026/014").submitted_by == "alice");
    Listing l;
    l.directive_id = d.id;
    l.added_by = "alice";
    issue(d, {l}, IssueRequest{"bob", false, ""});
    revoke(d, Date::parse("2026-03-01"));
    f.store->update_directive(d);
    Directive again = f.store->directive("HOM/OL/2026/014");
    CHECK(again.status == DirectiveStatus::revoked);
    CHECK(again.issued_by == "bob");
    CHECK(again.submitted_by == "alice");
    REQUIRE(again.ended_on);
    CHECK(*again.ended_on == Date::parse("2026-03-01"));

    CHECK_FALSE(f.store->find_directive("HOM/OL/2026/999"));
    CHECK_THROWS_AS(f.store->directive("HOM/OL/2026/999"), NotFound);
    Directive dup = make_directive("HOM/OL/2026/014", "2026-01-05", "2026-01-10");
    CHECK_THROWS_AS(f.store->insert_directive(dup), StoreError);
}

TEST_CASE("a superseded directive keeps the ref of its successor", "[store][repository]") {
    Fixture f;
    Directive old = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
    Directive by = make_directive("HOM/OL/2026/002", "2026-02-20", "2026-03-01");
    f.store->insert_directive(old);
    f.store->insert_directive(by);
    supersede(old, by);
    f.store->update_directive(old);
    auto got = f.store->directive("HOM/OL/2026/001");
    CHECK(got.status == DirectiveStatus::superseded);
    CHECK(got.superseded_by == "HOM/OL/2026/002");
    REQUIRE(got.ended_on);
    CHECK(*got.ended_on == Date::parse("2026-03-01"));
}

TEST_CASE("directives() are ordered by effective date, then signed date", "[store][repository]") {
    Fixture f;
    Directive c = make_directive("C", "2026-03-01", "2026-03-01");
    Directive a = make_directive("A", "2026-01-01", "2026-01-10");
    Directive b2 = make_directive("B2", "2026-02-05", "2026-02-10");
    Directive b1 = make_directive("B1", "2026-02-01", "2026-02-10");
    for (Directive* d : {&c, &a, &b2, &b1}) f.store->insert_directive(*d);
    std::vector<std::string> refs;
    for (auto& d : f.store->directives()) refs.push_back(d.ref);
    CHECK(refs == std::vector<std::string>{"A", "B1", "B2", "C"});
}

TEST_CASE("listings round-trip with reasons and until", "[store][repository]") {
    Fixture f;
    const Id v1 = f.store->insert_venue(make_venue("One"));
    const Id v2 = f.store->insert_venue(make_venue("Two"));
    Directive d = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
    Directive e = make_directive("HOM/OL/2026/002", "2026-01-05", "2026-01-10");
    f.store->insert_directive(d);
    f.store->insert_directive(e);

    Listing p = make_listing(d.id, v1, Action::place, "2026-01-10", {Reason::trafficking, Reason::minors});
    p.until = Date::parse("2026-06-30");
    Listing q = make_listing(d.id, v2, Action::place, "2026-01-12", {Reason::organized_crime});
    Listing r = make_listing(e.id, v1, Action::lift, "2026-02-01", {Reason::closed});
    f.store->insert_listing(p);
    f.store->insert_listing(q);
    f.store->insert_listing(r);
    CHECK(p.id > 0);
    CHECK(q.id > p.id);

    auto all = f.store->listings();
    REQUIRE(all.size() == 3);
    CHECK(all[0].id == p.id);
    CHECK(all[0].directive_id == d.id);
    CHECK(all[0].venue_id == v1);
    CHECK(all[0].action == Action::place);
    CHECK(all[0].reasons == std::vector<Reason>{Reason::trafficking, Reason::minors});
    CHECK(all[0].effective_from == Date::parse("2026-01-10"));
    REQUIRE(all[0].until);
    CHECK(*all[0].until == Date::parse("2026-06-30"));
    CHECK_FALSE(all[1].until);
    CHECK(all[2].action == Action::lift);
    CHECK(all[2].reasons == std::vector<Reason>{Reason::closed});

    auto of_d = f.store->listings_of(d.id);
    REQUIRE(of_d.size() == 2);
    CHECK(of_d[0].id == p.id);
    CHECK(of_d[1].id == q.id);
    CHECK(f.store->listings_of(e.id).size() == 1);
    CHECK(f.store->listings_of(12345).empty());

    // One listing per venue per directive.
    Listing again = make_listing(d.id, v1, Action::place, "2026-01-10");
    CHECK_THROWS_AS(f.store->insert_listing(again), StoreError);
    // A listing needs at least one reason.
    Listing none = make_listing(e.id, v2, Action::place, "2026-01-10", {});
    CHECK_THROWS_AS(f.store->insert_listing(none), StoreError);
}

TEST_CASE("list_as_of joins listed venues with the directive in force", "[store][repository]") {
    Fixture f;
    const Id eden = f.store->insert_venue(make_venue("Club Eden", {"Eden Bar"}, "KS-1"));
    const Id dream = f.store->insert_venue(make_venue("Kafe Ëndrra", {}, "KS-2"));
    const Id quiet = f.store->insert_venue(make_venue("Quiet Café", {}, "KS-3"));
    Directive d1 = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
    Directive d2 = make_directive("HOM/OL/2026/002", "2026-02-01", "2026-02-01");
    Directive draft = make_directive("HOM/OL/2026/003", "2026-01-01", "2026-01-01", DirectiveStatus::draft);
    for (Directive* d : {&d1, &d2, &draft}) f.store->insert_directive(*d);
    for (Listing l : {make_listing(d1.id, eden, Action::place, "2026-01-10"),
                      make_listing(d1.id, dream, Action::place, "2026-01-10", {Reason::prostitution}),
                      make_listing(d2.id, dream, Action::lift, "2026-02-01", {Reason::corrective_action}),
                      make_listing(d2.id, eden, Action::place, "2026-02-01", {Reason::minors}),
                      make_listing(draft.id, quiet, Action::place, "2026-01-01")})
        f.store->insert_listing(l);

    CHECK(f.store->list_as_of(Date::parse("2026-01-09")).empty());

    auto jan = f.store->list_as_of(Date::parse("2026-01-15"));
    REQUIRE(jan.size() == 2);
    CHECK(jan[0].venue.id == eden);
    CHECK(jan[0].venue.name == "Club Eden");
    CHECK(jan[0].venue.aliases == std::vector<std::string>{"Eden Bar"});
    CHECK(jan[0].venue.external_id == "KS-1");
    CHECK(jan[0].directive_ref == "HOM/OL/2026/001");
    CHECK(jan[0].listing.venue_id == eden);
    CHECK(jan[0].listing.listed_since == Date::parse("2026-01-10"));
    CHECK(jan[1].venue.id == dream);
    CHECK(jan[1].venue.name == "Kafe Ëndrra");
    CHECK(jan[1].listing.reasons == std::vector<Reason>{Reason::prostitution});

    auto feb = f.store->list_as_of(Date::parse("2026-02-01"));
    REQUIRE(feb.size() == 1);
    CHECK(feb[0].venue.id == eden);
    CHECK(feb[0].directive_ref == "HOM/OL/2026/002");
    CHECK(feb[0].listing.listed_since == Date::parse("2026-01-10"));
    CHECK(feb[0].listing.reasons == std::vector<Reason>{Reason::minors});

    // The history read from the store agrees.
    auto h = f.store->history();
    CHECK(h.venue_history(eden, Date::parse("2026-02-01")).size() == 2);
    CHECK(h.venue_history(quiet, Date::parse("2026-02-01")).size() == 1);
    CHECK_FALSE(h.venue_as_of(quiet, Date::parse("2026-02-01")));
}

TEST_CASE("list_as_of honours a revocation recorded in the store", "[store][repository]") {
    Fixture f;
    const Id v = f.store->insert_venue(make_venue("Club Eden"));
    Directive d = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
    f.store->insert_directive(d);
    Listing l = make_listing(d.id, v, Action::place, "2026-01-10");
    f.store->insert_listing(l);
    revoke(d, Date::parse("2026-03-01"));
    f.store->update_directive(d);
    CHECK(f.store->list_as_of(Date::parse("2026-02-28")).size() == 1);
    CHECK(f.store->list_as_of(Date::parse("2026-03-01")).empty());
}

TEST_CASE("sites and sectors round-trip", "[store][repository]") {
    Fixture f;
    Site s;
    s.name = "Camp Bondsteel";
    s.kind = SiteKind::military;
    s.contingent = "KFOR";
    s.personnel = 3500;
    s.geometry = square_wkb(21.24, 42.36, 0.01);
    const Id sid = f.store->insert_site(s);
    Site hq;
    hq.name = "Mission HQ";
    hq.kind = SiteKind::hq;
    hq.geometry = point_wkb(21.16, 42.66);
    f.store->insert_site(hq);

    auto sites = f.store->sites();
    REQUIRE(sites.size() == 2);
    CHECK(sites[0].id == sid);
    CHECK(sites[0].name == "Camp Bondsteel");
    CHECK(sites[0].kind == SiteKind::military);
    CHECK(sites[0].contingent == "KFOR");
    CHECK(sites[0].personnel == 3500);
    CHECK(sites[0].geometry == s.geometry);
    CHECK(sites[1].kind == SiteKind::hq);
    CHECK(sites[1].personnel == 0);
    CHECK_THROWS_AS(f.store->insert_site(hq), StoreError);  // names are unique
    Site negative = hq;
    negative.name = "Negative";
    negative.personnel = -1;
    CHECK_THROWS_AS(f.store->insert_site(negative), StoreError);

    Sector sec;
    sec.name = "MNBG-East";
    sec.unit = "1st Bn";
    sec.geometry = square_wkb(21.0, 42.0, 0.5);
    const Id secid = f.store->insert_sector(sec);
    auto sectors = f.store->sectors();
    REQUIRE(sectors.size() == 1);
    CHECK(sectors[0].id == secid);
    CHECK(sectors[0].name == "MNBG-East");
    CHECK(sectors[0].unit == "1st Bn");
    CHECK(sectors[0].geometry == sec.geometry);
}

TEST_CASE("record appends an audit row by the current actor", "[store][repository]") {
    Fixture f;
    CHECK(f.store->actor().empty());
    f.store->set_actor("alice");
    CHECK(f.store->actor() == "alice");
    f.store->record("directive.create", "directive", "HOM/OL/2026/001", std::nullopt, "{}");
    Statement st = f.store->db().prepare("SELECT actor, action, entity, entity_key, before, after FROM audit_log");
    REQUIRE(st.step());
    CHECK(st.text(0) == "alice");
    CHECK(st.text(1) == "directive.create");
    CHECK(st.text(2) == "directive");
    CHECK(st.text(3) == "HOM/OL/2026/001");
    CHECK(st.is_null(4));
    CHECK(st.text(5) == "{}");
    CHECK_FALSE(st.step());
}

TEST_CASE("to_json writes directives and listings for the audit log", "[store][repository]") {
    Directive d = make_directive("HOM/OL/2026/014", "2026-01-05", "2026-01-10");
    d.emergency = true;
    d.review_on = Date::parse("2026-04-10");
    d.issued_by = "bob";
    auto j = nlohmann::json::parse(to_json(d));
    CHECK(j["ref"] == "HOM/OL/2026/014");
    CHECK(j["signed"] == "2026-01-05");
    CHECK(j["effective"] == "2026-01-10");
    CHECK(j["status"] == "issued");
    CHECK(j["emergency"] == true);
    CHECK(j["review"] == "2026-04-10");
    CHECK(j["issued_by"] == "bob");
    CHECK_FALSE(j.contains("ended"));
    CHECK_FALSE(j.contains("superseded_by"));
    CHECK_FALSE(j.contains("drafted_by"));

    Listing l = make_listing(1, 2, Action::place, "2026-01-10", {Reason::trafficking, Reason::organized_crime});
    l.until = Date::parse("2026-02-01");
    auto lj = nlohmann::json::parse(to_json(l, "HOM/OL/2026/014", "KS-1"));
    CHECK(lj["directive"] == "HOM/OL/2026/014");
    CHECK(lj["venue"] == "KS-1");
    CHECK(lj["action"] == "place");
    CHECK(lj["reasons"] == nlohmann::json::array({"trafficking", "organized-crime"}));
    CHECK(lj["effective_from"] == "2026-01-10");
    CHECK(lj["until"] == "2026-02-01");
    l.until.reset();
    CHECK_FALSE(nlohmann::json::parse(to_json(l, "R", "V")).contains("until"));
}

TEST_CASE("listing reasons read the same however the stored JSON is spaced", "[store][repository]") {
    Fixture f;
    const Id v = f.store->insert_venue(make_venue("One"));
    Directive d = make_directive("HOM/OL/2026/001", "2026-01-05", "2026-01-10");
    f.store->insert_directive(d);
    Listing l = make_listing(d.id, v, Action::place, "2026-01-10", {Reason::trafficking, Reason::minors});
    f.store->insert_listing(l);
    const std::vector<Reason> want{Reason::trafficking, Reason::minors};
    CHECK(f.store->listings().at(0).reasons == want);  // as written: ["trafficking","minors"]
    auto stored = [&](const std::string& json_text) {
        auto st = f.store->db().prepare("UPDATE listings SET reasons = ? WHERE id = ?");
        st.bind(1, json_text).bind(2, l.id).run();
        return f.store->listings().at(0).reasons;
    };
    CHECK(stored(R"([ "trafficking", "minors" ])") == want);
    CHECK(stored("[\"traffick\\u0069ng\",\"minors\"]") == want);  // an escape
    CHECK(stored(R"(["minors"])") == std::vector<Reason>{Reason::minors});
    CHECK_THROWS_AS(stored(R"(["trafficking","smuggling"])"), StoreError);  // unknown code
    CHECK_THROWS_AS(stored(R"(["trafficking",7])"), std::exception);  // not a string
}
