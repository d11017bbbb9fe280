// The duplicate rule of the store: a venue within 25 m of another with a similar name is refused
// with the candidate unless confirmed, in create_venue, update_venue and the bulk writer of
// imports. Distances are set out geodesically from a point in Prishtinë; names are invented.
#include "store/duplicates.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "geo/geodesic.hpp"
#include "store/bulk.hpp"
#include "store/operations.hpp"
#include "store/repository.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace keepout::model;
using keepout::geo::LonLat;
using keepout::test::TempDir;

namespace {

const LonLat kOrigin{21.1655, 42.6629};

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_double(std::string& out, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
}
std::string point_wkb(LonLat p) {
    std::string out(1, '\x01');
    put_u32(out, 1);
    put_double(out, p.lon);
    put_double(out, p.lat);
    return out;
}
// A footprint with corners `corners` (closed here).
std::string polygon_wkb(std::vector<LonLat> corners) {
    corners.push_back(corners.front());
    std::string out(1, '\x01');
    put_u32(out, 3);
    put_u32(out, 1);
    put_u32(out, static_cast<std::uint32_t>(corners.size()));
    for (auto& c : corners) {
        put_double(out, c.lon);
        put_double(out, c.lat);
    }
    return out;
}

// The point `metres` from the origin towards `azimuth` (degrees from north).
LonLat at(double metres, double azimuth = 90) { return keepout::geo::direct(kOrigin, azimuth, metres); }

Venue venue(std::string name, LonLat where = kOrigin, std::vector<std::string> aliases = {}, std::string external_id = "") {
    Venue v;
    v.name = std::move(name);
    v.aliases = std::move(aliases);
    v.external_id = std::move(external_id);
    v.category = Category::bar;
    v.geometry = point_wkb(where);
    return v;
}

struct Fixture {
    TempDir dir;
    std::unique_ptr<Store> store = Store::init(dir.file("dup.sqlite"));
    Fixture() { store->set_actor("tester"); }
};

// The candidates a refused create_venue names; empty when it was written.
std::vector<DuplicateCandidate> refused(Store& s, const Venue& v) {
    try {
        create_venue(s, v);
    } catch (const DuplicateVenue& e) {
        return e.candidates;
    }
    return {};
}

}  // namespace

TEST_CASE("two identical venues at the same point: the second is refused with the first", "[store][duplicates]") {
    Fixture f;
    const Venue first = create_venue(*f.store, venue("Night Club Zana e Natës", kOrigin, {}, "KS-PR-0001"));
    const auto like = refused(*f.store, venue("Night Club Zana e Natës"));
    REQUIRE(like.size() == 1);
    CHECK(like[0].id == first.id);
    CHECK(like[0].external_id == "KS-PR-0001");
    CHECK(like[0].name == "Night Club Zana e Natës");
    CHECK(like[0].distance_m == 0.0);
    CHECK(f.store->venue_count() == 1);  // nothing was written
    // The message names the candidate, so a refusal can be understood without the list.
    try {
        create_venue(*f.store, venue("Zana"));
        FAIL("a venue named Zana at the point of Night Club Zana e Natës was accepted");
    } catch (const DuplicateVenue& e) {
        const std::string m = e.what();
        CHECK(m.find("venue " + std::to_string(first.id)) != std::string::npos);
        CHECK(m.find("KS-PR-0001") != std::string::npos);
        CHECK(m.find("0 m away") != std::string::npos);
    }
}

TEST_CASE("the rule across scripts, aliases and former names", "[store][duplicates]") {
    Fixture f;
    const Venue vila = create_venue(*f.store, venue("Бар Златна Вила", kOrigin, {"Bar Zlatna Vila"}));
    CHECK(refused(*f.store, venue("Bar Zlatna Vila", at(5))).size() == 1);
    CHECK(refused(*f.store, venue("Златна Вила", at(5))).size() == 1);
    // The new venue's alias against the other's name.
    CHECK(refused(*f.store, venue("Kafe Ari", at(5), {"Zlatna Vila"})).size() == 1);
    // A renamed venue entered again under its old sign.
    Venue renamed = venue("Lounge Copper Parrot", at(100, 0));
    renamed.former_names = {"Kafe Bar Drita e Veriut"};
    create_venue(*f.store, renamed);
    const auto like = refused(*f.store, venue("Drita e Veriut", at(10, 180)));
    CHECK(like.empty());  // 110 m from it: another venue
    const auto old_sign = refused(*f.store, venue("Drita e Veriut", keepout::geo::direct(at(100, 0), 45, 8)));
    REQUIRE(old_sign.size() == 1);
    CHECK(old_sign[0].name == "Lounge Copper Parrot");
    CHECK(old_sign[0].matched == "Kafe Bar Drita e Veriut");
    CHECK(old_sign[0].like == "Drita e Veriut");
    CHECK(vila.id > 0);
}

TEST_CASE("near misses are accepted: other names 10 m apart, the same name 40 m apart", "[store][duplicates]") {
    Fixture f;
    create_venue(*f.store, venue("Bar Zlatna Vila"));
    CHECK(refused(*f.store, venue("Bar Zlatna Reka", at(10))).empty());
    CHECK(refused(*f.store, venue("Hotel Luna", at(3, 200))).empty());
    CHECK(refused(*f.store, venue("Bar Zlatna Vila", at(40, 0))).empty());
    CHECK(refused(*f.store, venue("Bar Zlatna Vila", at(40, 180))).empty());
    CHECK(f.store->venue_count() == 5);
    // 20 m is within the radius; the nearest candidate comes first.
    const auto like = refused(*f.store, venue("Zlatna Vila", at(20, 90)));
    REQUIRE(like.size() == 1);
    CHECK(like[0].distance_m == Approx(20).margin(0.01));
    const auto two = refused(*f.store, venue("Zlatna Vila", at(18, 0)));
    REQUIRE(two.size() == 2);
    CHECK(two[0].distance_m == Approx(18).margin(0.01));
    CHECK(two[1].distance_m == Approx(22).margin(0.01));
}

TEST_CASE("a footprint is measured from its edge, not its centre", "[store][duplicates]") {
    Fixture f;
    // A 60 m square east of the origin: its west edge passes through the origin.
    const LonLat sw = at(30, 180), nw = at(30, 0);
    const LonLat se = keepout::geo::direct(sw, 90, 60), ne = keepout::geo::direct(nw, 90, 60);
    Venue hall = venue("Hotel Rrufeja e Llapit");
    hall.geometry = polygon_wkb({sw, se, ne, nw});
    create_venue(*f.store, hall);
    // 20 m west of the edge, 50 m from the centre: the same hotel.
    CHECK(refused(*f.store, venue("Hotel Rrufeja", at(20, 270))).size() == 1);
    // Inside the footprint.
    CHECK(refused(*f.store, venue("Rrufeja e Llapit", at(30, 90))).size() == 1);
    // 35 m west of the edge: another venue of that name.
    CHECK(refused(*f.store, venue("Hotel Rrufeja", at(35, 270))).empty());
}

TEST_CASE("a confirmed duplicate is written, and the audit log says what was confirmed", "[store][duplicates]") {
    Fixture f;
    const Venue first = create_venue(*f.store, venue("Kafe Pëllumbi"));
    const Venue second = create_venue(*f.store, venue("KAFE PELLUMBI", at(2)), Duplicates::confirmed);
    CHECK(second.id != first.id);
    CHECK(f.store->venue_count() == 2);
    Statement st = f.store->db().prepare("SELECT after FROM audit_log WHERE action = 'venue.create' ORDER BY seq DESC LIMIT 1");
    REQUIRE(st.step());
    const auto after = nlohmann::json::parse(st.text(0));
    CHECK(after["confirmed_duplicate_of"] == nlohmann::json::array({first.id}));
}

TEST_CASE("renaming onto a nearby venue's name is refused unless confirmed", "[store][duplicates]") {
    Fixture f;
    create_venue(*f.store, venue("Bar Zlatna Vila"));
    const Venue reka = create_venue(*f.store, venue("Bar Zlatna Reka", at(10)));
    VenueChanges rename;
    rename.name = "Zlatna Vila";
    CHECK_THROWS_AS(update_venue(*f.store, reka.id, rename), DuplicateVenue);
    VenueChanges alias;
    alias.aliases = std::vector<std::string>{"Бар Златна Вила"};
    CHECK_THROWS_AS(update_venue(*f.store, reka.id, alias), DuplicateVenue);
    CHECK(f.store->venue(reka.id)->name == "Bar Zlatna Reka");
    rename.duplicates = Duplicates::confirmed;
    CHECK(update_venue(*f.store, reka.id, rename).name == "Zlatna Vila");
    // Names it already goes by are not checked again: other changes go through.
    VenueChanges address;
    address.address = "Rruga Agim Ramadani 23";
    CHECK_NOTHROW(update_venue(*f.store, reka.id, address));
    // Renaming far from any alike venue, or to its own former name, is no duplicate.
    VenueChanges back;
    back.name = "Bar Zlatna Reka";
    CHECK_NOTHROW(update_venue(*f.store, reka.id, back));
}

TEST_CASE("an import's rows are checked against the stored venues and the rows before them", "[store][duplicates]") {
    Fixture f;
    const Venue stored = create_venue(*f.store, venue("Motel Silent Horseshoe"));
    Transaction tx(f.store->db());
    BulkVenueWriter writer(*f.store);
    auto box_of = [](const Venue& v) { return venue_box(v); };
    const Venue a = venue("Kafe Ura", at(500));
    const Id a_id = writer.insert(a, box_of(a), 1);
    // Against a stored venue (in the spatial index).
    const Venue again = venue("Silent Horseshoe", at(3));
    try {
        writer.insert(again, box_of(again), 2);
        FAIL("row 2 was written next to the motel of its name");
    } catch (const DuplicateVenue& e) {
        REQUIRE(e.candidates.size() == 1);
        CHECK(e.candidates[0].id == stored.id);
        CHECK(e.candidates[0].row == 0);
    }
    // Against a row written before it (not in the spatial index yet).
    const Venue b = venue("Kafe Ura", keepout::geo::direct(at(500), 0, 12));
    try {
        writer.insert(b, box_of(b), 3);
        FAIL("row 3 was written 12 m from row 1 of the same name");
    } catch (const DuplicateVenue& e) {
        REQUIRE(e.candidates.size() == 1);
        CHECK(e.candidates[0].id == a_id);
        CHECK(e.candidates[0].row == 1);
        CHECK(std::string(e.what()).find("of row 1") != std::string::npos);
    }
    // Checked but not written (an import that already failed goes on checking): later rows meet it.
    const Venue c = venue("Hotel Luna", at(900));
    writer.check(c, box_of(c), 4);
    const Venue d = venue("Hotel Luna", keepout::geo::direct(at(900), 10, 5));
    try {
        writer.check(d, box_of(d), 5);
        FAIL("row 5 was accepted 5 m from row 4 of the same name");
    } catch (const DuplicateVenue& e) {
        REQUIRE(e.candidates.size() == 1);
        CHECK(e.candidates[0].id == 0);
        CHECK(e.candidates[0].row == 4);
    }
    writer.finish();
    tx.commit();
    CHECK(f.store->venue_count() == 2);
}

TEST_CASE("a confirmed import writes the rows the rule would refuse", "[store][duplicates]") {
    Fixture f;
    Transaction tx(f.store->db());
    BulkVenueWriter writer(*f.store, Duplicates::confirmed);
    for (int i = 0; i < 3; ++i) {
        const Venue v = venue("Kafe Bar Pëllumbi i Fushës");
        writer.insert(v, venue_box(v), i + 1);
    }
    writer.finish();
    tx.commit();
    CHECK(f.store->venue_count() == 3);
}

TEST_CASE("many venues: each row meets only its neighbours", "[store][duplicates]") {
    // 40 000 venues of one name on a 30 m grid: none within 25 m of another, so every one is
    // written; then one more 5 m from a grid point, in a second import, is refused with that one
    // alone (its neighbours are 26.7 m away and more).
    Fixture f;
    constexpr int kSide = 200;
    {
        Transaction tx(f.store->db());
        BulkVenueWriter writer(*f.store);
        for (int i = 0; i < kSide; ++i) {
            const LonLat column = keepout::geo::direct(kOrigin, 90, 30.0 * i);
            for (int j = 0; j < kSide; ++j) {
                const Venue v = venue("Bar Zlatna Vila", keepout::geo::direct(column, 0, 30.0 * j));
                writer.insert(v, venue_box(v), i * kSide + j + 1);
            }
        }
        writer.finish();
        tx.commit();
    }
    CHECK(f.store->venue_count() == kSide * kSide);
    Transaction tx(f.store->db());
    BulkVenueWriter writer(*f.store);
    const LonLat grid_point = keepout::geo::direct(keepout::geo::direct(kOrigin, 90, 30.0 * 77), 0, 30.0 * 123);
    const Venue v = venue("Zlatna Vila", keepout::geo::direct(grid_point, 45, 5));
    try {
        writer.insert(v, venue_box(v), 1);
        FAIL("a venue 5 m from one of its name was written");
    } catch (const DuplicateVenue& e) {
        REQUIRE(e.candidates.size() == 1);
        CHECK(e.candidates[0].id == 77 * kSide + 123 + 1);
        CHECK(e.candidates[0].distance_m == Approx(5).margin(0.01));
    }
}
