#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <random>

#include "analysis/check.hpp"
#include "encode/reports.hpp"
#include "unit/analysis/fixtures.hpp"

using namespace keepout;
using namespace keepout::analysis;
using namespace keepout::encode;
using nlohmann::json;

namespace {

// The point check document as nlohmann builds and prints it: what position_check_json, which
// writes the text directly, must reproduce byte for byte.
json reference_match(const PositionMatch& m) {
    const VenueView& v = *m.venue;
    json reasons = json::array();
    for (auto r : v.reasons) reasons.push_back(std::string(model::to_string(r)));
    return {{"venue_id", v.venue.id},
            {"external_id", v.venue.external_id},
            {"name", v.venue.name},
            {"category", model::to_string(v.venue.category)},
            {"address", v.venue.address},
            {"municipality", v.venue.municipality},
            {"directive", v.listed ? json(v.directive_ref) : json(nullptr)},
            {"listed_since", v.listed ? json(v.listed_since.iso()) : json(nullptr)},
            {"mgrs", venue_mgrs(v)},
            {"reasons", reasons},
            {"distance_m", round_distance(m.distance_m)},
            {"bearing_deg", round_bearing(m.bearing_deg)}};
}

std::string reference(const Snapshot& s, const PositionCheck& c, std::string_view at_text, geo::LonLat at, double radius) {
    json out{{"verdict", c.off_limits ? "off-limits" : "not-listed"},
             {"as_of", s.as_of().iso()},
             {"list_version", s.list_version()},
             {"time_zone", s.time_zone()},
             {"outside_mission_area", c.outside_mission_area},
             {"query", {{"at", at_text}, {"lat", at.lat}, {"lon", at.lon}, {"mgrs", geo::to_mgrs(at, 5)}, {"radius_m", radius}}}};
    out["matches"] = json::array();
    for (auto& m : c.matches) out["matches"].push_back(reference_match(m));
    out["nearest"] = c.nearest ? reference_match(*c.nearest) : json(nullptr);
    out["warnings"] = json::array();
    for (auto& w : c.warnings) {
        json j{{"code", w.code}, {"message", w.message}};
        if (!w.alternative_at.empty()) j["alternative"] = {{"at", w.alternative_at}};
        out["warnings"].push_back(j);
    }
    return out.dump(2);
}

}  // namespace

TEST_CASE("the point check document is exactly nlohmann's dump(2) of the same document", "[analysis][reports]") {
    auto venues = test::random_venues(400, 5);
    // Text that needs escaping or is not ASCII, and fields left empty.
    const char* names[] = {"Bar \"Ylli\"", "Back\\slash", "Tab\there", "Line\nbreak\r", "Bell\x07 and \x1f",
                           "Kafe Hëna", "Çelës ✓", "Shtëpia 🏠", "", "Slash / ok", "\x7f del"};
    for (std::size_t i = 0; i < venues.size(); ++i) {
        auto& v = venues[i];
        v.venue.name = names[i % std::size(names)] + std::to_string(i);
        v.venue.address = i % 5 == 0 ? "" : "Rr. e Re " + std::to_string(i) + ", Prishtinë";
        v.venue.municipality = i % 7 == 0 ? "" : "Gjakovë";
        v.venue.external_id = i % 9 == 0 ? "" : "EXT-\"" + std::to_string(i) + "\"";
        v.venue.category = i % 2 ? model::Category::bar : model::Category::private_house;
        if (i % 6 == 1) v.reasons = {model::Reason::trafficking, model::Reason::prostitution};
        if (i % 11 == 3) v.reasons = {};
    }
    auto snap = test::make_snapshot(std::move(venues));

    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(19.9, 21.9), lat(41.8, 43.3);
    const double radii[] = {0, 75, 2500, 25000, 100000};
    const char* texts[] = {"42.5,21", "42°30′N 21°E", "quote \" and \\", "tab\t"};
    int hits = 0;
    for (int k = 0; k < 300; ++k) {
        const geo::LonLat at{k == 0 ? -0.0 : lon(rng), k == 1 ? 0.0 : lat(rng)};
        const double radius = radii[k % std::size(radii)];
        auto c = check_position(*snap, at, radius);
        // Warnings as the position side writes them, with and without an alternative.
        if (k % 3 == 0) c.warnings.push_back({"swapped", "read \"" + std::to_string(k) + "\" — as lat,lon", k % 2 ? "42.1,21.2" : ""});
        if (k % 5 == 0) c.warnings.push_back({"decimal-comma", "Kafe Hëna\t✓", ""});
        hits += c.off_limits;
        const std::string text = texts[k % std::size(texts)];
        const std::string got = position_check_json(*snap, c, text, at, radius);
        REQUIRE(got == reference(*snap, c, text, at, radius));
        REQUIRE(json::parse(got).dump(2) == got);
    }
    CHECK(hits > 50);  // many documents carry matches, not only the nearest venue

    SECTION("no listed venue: nearest is null") {
        auto empty = test::make_snapshot({test::point_venue(1, 21.0, 42.0, false)});
        const auto c = check_position(*empty, {21.0, 42.0}, 75);
        CHECK(position_check_json(*empty, c, "42,21", {21.0, 42.0}, 75) == reference(*empty, c, "42,21", {21.0, 42.0}, 75));
    }
    SECTION("invalid UTF-8 fails as nlohmann fails") {
        auto bad = test::make_snapshot({test::point_venue(1, 21.0, 42.0)});
        const auto c = check_position(*bad, {21.0, 42.0}, 75);
        for (const char* text : {"\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf"})
            CHECK_THROWS_AS(position_check_json(*bad, c, text, {21.0, 42.0}, 75), json::exception);
        CHECK(position_check_json(*bad, c, "\xf4\x8f\xbf\xbf", {21.0, 42.0}, 75) ==
              reference(*bad, c, "\xf4\x8f\xbf\xbf", {21.0, 42.0}, 75));
    }
}
