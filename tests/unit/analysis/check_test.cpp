#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "analysis/check.hpp"
#include "unit/analysis/fixtures.hpp"
#include "geo/geodesic.hpp"

using namespace keepout;
using namespace keepout::analysis;
using keepout::test::make_snapshot;
using keepout::test::point_venue;
using keepout::test::square_venue;

TEST_CASE("position check: radius edges, footprints and unlisted venues", "[analysis][check]") {
    const geo::LonLat camp{21.2483, 42.36567};
    const geo::LonLat north_74 = geo::direct(camp, 0, 74.9);
    const geo::LonLat east_76 = geo::direct(camp, 90, 75.1);
    auto snap = make_snapshot({point_venue(1, north_74.lon, north_74.lat), point_venue(2, east_76.lon, east_76.lat),
                               point_venue(3, camp.lon, camp.lat, /*listed=*/false)});

    auto c = check_position(*snap, camp, kDefaultCheckRadius);
    CHECK(c.off_limits);
    REQUIRE(c.matches.size() == 1);  // the unlisted venue at the very spot does not count
    CHECK(c.matches[0].venue->venue.id == 1);
    CHECK(c.matches[0].distance_m == Approx(74.9).margin(1e-6));
    CHECK(c.matches[0].bearing_deg == Approx(0.0).margin(1e-6));

    auto tight = check_position(*snap, camp, 70);
    CHECK_FALSE(tight.off_limits);
    REQUIRE(tight.nearest);
    CHECK(tight.nearest->venue->venue.id == 1);

    auto wide = check_position(*snap, camp, 80);
    CHECK(wide.matches.size() == 2);
    CHECK(wide.matches[1].bearing_deg == Approx(90.0).margin(0.01));
    CHECK(count_within(*snap, camp, 80) == 2);
}

TEST_CASE("inside a footprint is off-limits at distance 0, even with radius 0", "[analysis][check]") {
    auto snap = make_snapshot({square_venue(1, 21.0, 42.0, 0.001)});
    auto c = check_position(*snap, {21.0005, 42.0005}, 0);
    CHECK(c.off_limits);
    CHECK(c.matches.at(0).distance_m == 0);
    // South of the square by a known geodesic distance (nearest point is on the bottom edge).
    const geo::LonLat south = geo::direct({21.0005, 42.0}, 180, 60);
    auto d = check_position(*snap, south, 75);
    CHECK(d.off_limits);
    CHECK(d.matches.at(0).distance_m == Approx(60).margin(0.01));
}

TEST_CASE("an empty list answers not listed with no nearest venue", "[analysis][check]") {
    auto snap = make_snapshot({point_venue(1, 21.0, 42.0, false)});
    auto c = check_position(*snap, {21.0, 42.0}, 75);
    CHECK_FALSE(c.off_limits);
    CHECK_FALSE(c.nearest);
}

TEST_CASE("position checks agree with brute force over random venues", "[analysis][check]") {
    auto venues = test::random_venues(3000, 11);
    auto snap = make_snapshot(venues);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> lon(20.0, 21.8), lat(41.85, 43.25);
    for (int q = 0; q < 300; ++q) {
        geo::LonLat p{lon(rng), lat(rng)};
        const double radius = q % 2 ? 75 : 3000;
        std::vector<model::Id> expected;
        double nearest = 1e300;
        model::Id nearest_id = 0;
        for (auto& v : snap->venues()) {
            if (!v.listed) continue;
            const double d = measure(v, p).distance_m;
            if (d <= radius) expected.push_back(v.venue.id);
            if (d < nearest) nearest = d, nearest_id = v.venue.id;
        }
        auto c = check_position(*snap, p, radius);
        std::vector<model::Id> got;
        for (auto& m : c.matches) got.push_back(m.venue->venue.id);
        std::sort(got.begin(), got.end());
        std::sort(expected.begin(), expected.end());
        REQUIRE(got == expected);
        REQUIRE(count_within(*snap, p, radius) == expected.size());
        REQUIRE(c.nearest);
        CHECK(c.nearest->venue->venue.id == nearest_id);
    }
}

TEST_CASE("the nearest listed venue agrees with brute force from dense to sparse lists", "[analysis][check]") {
    // Dense lists answer from the first ring; sparse ones need rings of tens of kilometres, where
    // the plane bound is no longer used to skip candidates.
    for (int count : {20000, 300, 12, 2}) {
        auto venues = test::random_venues(std::size_t(count), unsigned(count));
        auto snap = make_snapshot(venues);
        std::mt19937 rng(unsigned(count) + 7);
        std::uniform_real_distribution<double> lon(19.5, 22.3), lat(41.5, 43.6);
        for (int q = 0; q < 200; ++q) {
            geo::LonLat p{lon(rng), lat(rng)};
            double nearest = 1e300;
            model::Id nearest_id = 0;
            for (auto& v : snap->venues()) {
                if (!v.listed) continue;
                const double d = measure(v, p).distance_m;
                if (d < nearest || (d == nearest && v.venue.id < nearest_id)) nearest = d, nearest_id = v.venue.id;
            }
            auto got = nearest_listed(*snap, p);
            if (nearest_id == 0) {
                CHECK_FALSE(got);
                continue;
            }
            REQUIRE(got);
            CHECK(got->venue->venue.id == nearest_id);
            CHECK(got->distance_m == nearest);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The verdict by name

namespace {

analysis::VenueView named(model::Id id, std::string name, std::vector<std::string> aliases, std::string municipality,
                          bool listed) {
    auto v = point_venue(id, 21.0 + 0.001 * double(id % 500), 42.5, listed);
    v.venue.external_id = "KV-026-" + std::to_string(10000 + id).substr(1);
    v.venue.name = std::move(name);
    v.venue.aliases = std::move(aliases);
    v.venue.municipality = municipality;
    v.venue.address = "Rr. e Re " + std::to_string(id) + ", " + municipality;
    return v;
}

analysis::VenueView lifted(analysis::VenueView v) {
    v.listed = false;
    v.directive_ref.clear();
    v.reasons.clear();
    v.last_act = analysis::LastAct{"HOM/OL/2026/002", model::Action::lift, model::Date::parse("2026-03-05"),
                                   {model::Reason::corrective_action}};
    return v;
}

// Names of the Kosovo sample (data/kosovo/venues.geojson) with their listing on 2026-06-01 as the
// sample has it where it matters, and invented ones for the near misses; Lebanon names too.
std::shared_ptr<const analysis::Snapshot> name_snapshot() {
    static auto snap = make_snapshot({
        named(1, "Kafe Bar Pëllumbi i Fushës", {}, "Prizren", true),
        named(107, "Restorant Pëllumbi i Veriut", {}, "Prizren", true),
        named(128, "Kafe Pëllumbi i Sharrit", {}, "Fushë Kosovë", false),
        named(137, "Motel Pëllumbi i Drinit", {"Kafe Bar Mjegulla e Qytetit"}, "Gjilan", true),
        named(2, "Night Club Zana e Natës", {}, "Prishtinë", true),
        named(20, "Kafe Bar Zana e Qytetit", {}, "Prishtinë", true),
        named(23, "Hotel Zana e Jugut", {}, "Prizren", false),
        named(131, "Motel Mjellma e Mëngjesit", {"Bar Zana e Moravës"}, "Prishtinë", false),
        named(162, "Kafe Bar Zana e Drinit", {}, "Lipjan", true),
        named(16, "Мотел Плави Кестен", {"Motel Plavi Kesten"}, "Zveçan", true),
        named(90, "Кафе бар Шумски Кестен", {"Kafe bar Šumski Kesten"}, "Zveçan", false),
        named(300, "Motel Zlatni Bor", {"Мотел Златни Бор"}, "Zubin Potok", true),
        named(75, "Motel Blue Compass", {}, "Prishtinë", true),
        named(900, "Hotel Luna", {}, "Pejë", true),
        named(901, "Hotel Lumi", {}, "Pejë", false),
        named(902, "Bar Drita", {}, "Gjakovë", true),
        named(903, "Bar Drina", {}, "Gjakovë", false),
        lifted(named(73, "Motel Emerald Bridge", {}, "Lipjan", true)),
        named(2006, "نادي تينة الشلال", {"Nadi Tinet el-Shallal"}, "Sour", true),
        named(2022, "بار زيتونة الشلال", {"Bar Zaytounet el-Shallal"}, "Marjaayoun", false),
        named(2032, "شقق بستان الشلال", {"Shouqaq Bustan el-Shallal"}, "Bent Jbail", true),
    });
    return snap;
}

std::vector<model::Id> match_ids(const NameCheck& c) {
    std::vector<model::Id> out;
    for (auto& m : c.matches) out.push_back(m.venue->venue.id);
    return out;
}

bool has_warning(const NameCheck& c, const std::string& code) {
    return std::any_of(c.warnings.begin(), c.warnings.end(), [&](auto& w) { return w.code == code; });
}

}  // namespace

TEST_CASE("name check: one distinctive word shared by several venues is ambiguous, listed first", "[analysis][check][names]") {
    auto snap = name_snapshot();
    for (const char* q : {"Pellumbi", "Pëllumbi", "pellu", "PELLUMB"}) {
        INFO(q);
        auto c = check_name(*snap, q);
        CHECK(c.verdict == Verdict::ambiguous);
        auto got = match_ids(c);
        std::sort(got.begin(), got.end());
        CHECK(got == std::vector<model::Id>{1, 107, 128, 137});
        // Three equal scores (names as long as each other), the listed two first; the longer name
        // of Kafe Bar Pëllumbi i Fushës scores less.
        REQUIRE(c.matches.size() == 4);
        CHECK(c.matches[0].venue->listed);
        CHECK(c.matches[1].venue->listed);
        CHECK(c.matches[2].venue->venue.id == 128);
        CHECK(c.matches[0].match.score == c.matches[2].match.score);
        CHECK(c.matches[3].venue->venue.id == 1);
        CHECK(c.not_listed.size() == 1);
    }
    auto zana = check_name(*snap, "Zana");
    CHECK(zana.verdict == Verdict::ambiguous);
    auto ids = match_ids(zana);
    CHECK(std::find(ids.begin(), ids.end(), 2) != ids.end());  // Night Club Zana e Natës is among them
    CHECK(zana.candidates == 5);
}

TEST_CASE("name check: a clear best match is off-limits and named by its listed name", "[analysis][check][names]") {
    auto snap = name_snapshot();
    for (const char* q : {"Zana e Natës", "Zana Nates", "zana e natse", "Night Club Zana e Natës", "Bar Zana e Nates",
                          "Zana Natës Prishtinë"}) {
        INFO(q);
        auto c = check_name(*snap, q);
        CHECK(c.verdict == Verdict::off_limits);
        REQUIRE(c.matches.size() == 1);
        CHECK(c.matches[0].venue->venue.id == 2);
        CHECK(c.matches[0].venue->venue.name == "Night Club Zana e Natës");  // never the typo
        CHECK(c.matches[0].match.matched == "Night Club Zana e Natës");
        CHECK(c.warnings.empty());
    }
    auto pel = check_name(*snap, "Pelumbi e Fushes");
    CHECK(pel.verdict == Verdict::off_limits);
    CHECK(match_ids(pel) == std::vector<model::Id>{1});
}

TEST_CASE("name check: name and town", "[analysis][check][names]") {
    auto snap = name_snapshot();
    // Three venues called Zana in Prishtinë (one by an alias): still the user's pick, but only those.
    auto c = check_name(*snap, "Zana Prishtinë");
    CHECK(c.verdict == Verdict::ambiguous);
    auto ids = match_ids(c);
    std::sort(ids.begin(), ids.end());
    CHECK(ids == std::vector<model::Id>{2, 20, 131});
    // The one Zana in Lipjan.
    auto lipjan = check_name(*snap, "Zana Lipjan");
    CHECK(lipjan.verdict == Verdict::off_limits);
    CHECK(match_ids(lipjan) == std::vector<model::Id>{162});
    // The one in Prizren is not listed, and no listed Zana is in Prizren.
    auto prizren = check_name(*snap, "Zana Prizren");
    CHECK(prizren.verdict == Verdict::not_listed);
    CHECK(match_ids(prizren) == std::vector<model::Id>{23});
}

TEST_CASE("name check: Serbian in both scripts answers in the script typed", "[analysis][check][names]") {
    auto snap = name_snapshot();
    auto cyr = check_name(*snap, "Плави Кестен");
    CHECK(cyr.verdict == Verdict::off_limits);
    REQUIRE(cyr.matches.size() == 1);
    CHECK(cyr.matches[0].match.matched == "Мотел Плави Кестен");
    auto lat = check_name(*snap, "plavi kesten");
    CHECK(lat.verdict == Verdict::off_limits);
    CHECK(lat.matches.at(0).match.matched == "Motel Plavi Kesten");
    // A venue named in Latin, asked in Cyrillic: found, and answered with its Cyrillic alias.
    auto bor = check_name(*snap, "Златни Бор");
    CHECK(bor.verdict == Verdict::off_limits);
    REQUIRE(bor.matches.size() == 1);
    CHECK(bor.matches[0].venue->venue.name == "Motel Zlatni Bor");
    CHECK(bor.matches[0].match.matched == "Мотел Златни Бор");
    CHECK(bor.matches[0].match.kind == NameKind::alias);
    // "Kesten" alone: two venues, one listed.
    CHECK(check_name(*snap, "Кестен").verdict == Verdict::ambiguous);
}

TEST_CASE("name check: near misses stay apart", "[analysis][check][names]") {
    auto snap = name_snapshot();
    // Hotel Lumi is known and not listed; Hotel Luna (two letters away) is listed.
    auto lumi = check_name(*snap, "Hotel Lumi");
    CHECK(lumi.verdict == Verdict::not_listed);
    CHECK(match_ids(lumi) == std::vector<model::Id>{901});
    auto luna = check_name(*snap, "Hotel Luna");
    CHECK(luna.verdict == Verdict::off_limits);
    CHECK(match_ids(luna) == std::vector<model::Id>{900});
    // Bar Drita is listed, Bar Drina (one letter off) is not: each name finds its own venue first;
    // asking for the one not listed is never answered off-limits, and Drita is shown beside it.
    auto drita = check_name(*snap, "Bar Drita");
    CHECK(drita.verdict == Verdict::off_limits);
    CHECK(match_ids(drita) == std::vector<model::Id>{902});
    auto drina = check_name(*snap, "Bar Drina");
    CHECK(drina.verdict != Verdict::off_limits);
    REQUIRE_FALSE(drina.matches.empty());
    CHECK(drina.matches[0].venue->venue.id == 903);
    // Without a venue of that name, a word nobody has is not listed.
    CHECK(check_name(*snap, "Hotel Kompas Veternik").verdict == Verdict::not_listed);
    CHECK(check_name(*snap, "Blue Chestnut Motel").verdict == Verdict::not_listed);
}

TEST_CASE("name check: category words alone are never off-limits", "[analysis][check][names]") {
    auto snap = name_snapshot();
    for (const char* q : {"bar", "hotel", "Hotel", "night club", "Ноћни клуб", "kafe bar", "motel", "hote"}) {
        INFO(q);
        auto c = check_name(*snap, q);
        CHECK(c.verdict != Verdict::off_limits);
        CHECK(has_warning(c, "category-words-only"));
    }
    CHECK(check_name(*snap, "hotel").verdict == Verdict::ambiguous);  // Hotel Luna is listed
    // Even when one venue alone has the word.
    auto one = make_snapshot({named(1, "Hotel Luna", {}, "Pejë", true), named(2, "Bar Drita", {}, "Pejë", true)});
    auto c = check_name(*one, "hotel");
    CHECK(c.verdict == Verdict::ambiguous);
    CHECK(match_ids(c) == std::vector<model::Id>{1});
    CHECK(check_name(*one, "Hotle").verdict == Verdict::not_listed);  // a typo of one anchors nothing
}

TEST_CASE("name check: lifted venues and extra words", "[analysis][check][names]") {
    auto snap = name_snapshot();
    auto c = check_name(*snap, "Motel Emerald Bridge");
    CHECK(c.verdict == Verdict::not_listed);
    REQUIRE(c.matches.size() == 1);
    CHECK(c.matches[0].venue->venue.id == 73);
    REQUIRE(c.matches[0].venue->last_act);
    CHECK(c.matches[0].venue->last_act->action == model::Action::lift);
    // A word the list does not have: not "not listed" while a listed venue has the rest.
    auto extra = check_name(*snap, "Zana e Natës Nightlife");
    CHECK(extra.verdict == Verdict::ambiguous);
    REQUIRE_FALSE(extra.matches.empty());
    CHECK(extra.matches[0].venue->venue.id == 2);
    CHECK(has_warning(extra, "not-every-word"));
}

TEST_CASE("name check: Arabic names with Latin aliases (Lebanon sample)", "[analysis][check][names]") {
    auto snap = name_snapshot();
    auto ar = check_name(*snap, "نادي تينة الشلال");
    CHECK(ar.verdict == Verdict::off_limits);
    REQUIRE(ar.matches.size() == 1);
    CHECK(ar.matches[0].match.matched == "نادي تينة الشلال");
    auto typed = check_name(*snap, "تينه الشلال");
    CHECK(typed.verdict == Verdict::off_limits);
    auto lat = check_name(*snap, "Tinet el Shallal");
    CHECK(lat.verdict == Verdict::off_limits);
    CHECK(lat.matches.at(0).match.matched == "Nadi Tinet el-Shallal");
    // Three venues by the waterfall, two of them listed.
    auto shallal = check_name(*snap, "الشلال");
    CHECK(shallal.verdict == Verdict::ambiguous);
    CHECK(shallal.matches.size() == 3);
    // The one not listed, asked by its full name: not listed, and no listed one comes close.
    auto zaytouna = check_name(*snap, "بار زيتونة الشلال");
    CHECK(zaytouna.verdict == Verdict::not_listed);
    CHECK(match_ids(zaytouna) == std::vector<model::Id>{2022});
}

TEST_CASE("name check: unreadable names are errors, not verdicts", "[analysis][check][names]") {
    auto snap = name_snapshot();
    for (std::string bad : {std::string(""), std::string("   "), std::string("!!"), std::string("— ★ —"),
                            std::string("\xff\xfe"), std::string("Zana\xc3"), std::string(201, 'z')})
        CHECK_THROWS_AS(check_name(*snap, bad), NameQueryError);
    CHECK_NOTHROW(check_name(*snap, std::string(200, 'z')));
    CHECK(check_name(*snap, std::string(200, 'z')).verdict == Verdict::not_listed);
}
