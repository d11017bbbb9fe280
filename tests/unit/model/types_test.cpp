// Code tables: every enum value has one code and parses back from it.
#include "model/types.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace keepout::model;

TEST_CASE("category codes round-trip", "[model][types]") {
    const std::vector<std::pair<Category, std::string>> table{
        {Category::bar, "bar"},           {Category::nightclub, "nightclub"},
        {Category::brothel, "brothel"},   {Category::hotel, "hotel"},
        {Category::motel, "motel"},       {Category::restaurant, "restaurant"},
        {Category::cafe, "cafe"},         {Category::massage, "massage"},
        {Category::private_house, "private-house"}, {Category::other, "other"}};
    for (auto& [value, code] : table) {
        CAPTURE(code);
        CHECK(to_string(value) == code);
        auto parsed = parse_category(code);
        REQUIRE(parsed);
        CHECK(*parsed == value);
    }
    std::vector<std::string> all;
    for (auto c : all_category_codes()) all.emplace_back(c);
    std::vector<std::string> expected;
    for (auto& kv : table) expected.push_back(kv.second);
    CHECK(all == expected);
}

TEST_CASE("reason codes round-trip", "[model][types]") {
    const std::vector<std::pair<Reason, std::string>> table{
        {Reason::trafficking, "trafficking"},
        {Reason::prostitution, "prostitution"},
        {Reason::organized_crime, "organized-crime"},
        {Reason::minors, "minors"},
        {Reason::health_safety, "health-safety"},
        {Reason::force_protection, "force-protection"},
        {Reason::corrective_action, "corrective-action"},
        {Reason::closed, "closed"},
        {Reason::listed_in_error, "listed-in-error"},
        {Reason::other, "other"}};
    for (auto& [value, code] : table) {
        CAPTURE(code);
        CHECK(to_string(value) == code);
        auto parsed = parse_reason(code);
        REQUIRE(parsed);
        CHECK(*parsed == value);
    }
    std::vector<std::string> all;
    for (auto c : all_reason_codes()) all.emplace_back(c);
    std::vector<std::string> expected;
    for (auto& kv : table) expected.push_back(kv.second);
    CHECK(all == expected);
}

TEST_CASE("status, action and site-kind codes round-trip", "[model][types]") {
    const std::vector<std::pair<DirectiveStatus, std::string>> statuses{{DirectiveStatus::draft, "draft"},
                                                                        {DirectiveStatus::submitted, "submitted"},
                                                                        {DirectiveStatus::issued, "issued"},
                                                                        {DirectiveStatus::revoked, "revoked"},
                                                                        {DirectiveStatus::superseded, "superseded"}};
    for (auto& [value, code] : statuses) {
        CAPTURE(code);
        CHECK(to_string(value) == code);
        REQUIRE(parse_status(code));
        CHECK(*parse_status(code) == value);
    }
    const std::vector<std::pair<Action, std::string>> actions{{Action::place, "place"}, {Action::lift, "lift"}};
    for (auto& [value, code] : actions) {
        CAPTURE(code);
        CHECK(to_string(value) == code);
        REQUIRE(parse_action(code));
        CHECK(*parse_action(code) == value);
    }
    const std::vector<std::pair<SiteKind, std::string>> kinds{{SiteKind::military, "military"},
                                                              {SiteKind::police, "police"},
                                                              {SiteKind::civilian, "civilian"},
                                                              {SiteKind::hq, "hq"},
                                                              {SiteKind::other, "other"}};
    for (auto& [value, code] : kinds) {
        CAPTURE(code);
        CHECK(to_string(value) == code);
        REQUIRE(parse_site_kind(code));
        CHECK(*parse_site_kind(code) == value);
    }
}

TEST_CASE("codes are exact: no case folding, no underscores, no spaces", "[model][types]") {
    for (const char* bad : {"private_house", "Private-House", "private house", "privatehouse", " bar", "bar ", "BAR",
                            "", "pub"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_category(bad));
    }
    for (const char* bad : {"organized_crime", "organised-crime", "Trafficking", "", "health safety"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_reason(bad));
    }
    CHECK_FALSE(parse_status("Issued"));
    CHECK_FALSE(parse_status("active"));
    CHECK_FALSE(parse_action("lifted"));
    CHECK_FALSE(parse_action("PLACE"));
    CHECK_FALSE(parse_site_kind("HQ"));
    CHECK_FALSE(parse_site_kind("base"));
}

TEST_CASE("code tables have no duplicate codes", "[model][types]") {
    auto cats = all_category_codes();
    CHECK(std::set<std::string_view>(cats.begin(), cats.end()).size() == cats.size());
    CHECK(cats.size() == 10);
    auto rs = all_reason_codes();
    CHECK(std::set<std::string_view>(rs.begin(), rs.end()).size() == rs.size());
    CHECK(rs.size() == 10);
}

TEST_CASE("reason_fits separates place reasons from lift reasons", "[model][types]") {
    for (Reason r : {Reason::trafficking, Reason::prostitution, Reason::organized_crime, Reason::minors,
                     Reason::health_safety, Reason::force_protection}) {
        CAPTURE(to_string(r));
        CHECK(reason_fits(r, Action::place));
        CHECK_FALSE(reason_fits(r, Action::lift));
    }
    for (Reason r : {Reason::corrective_action, Reason::closed, Reason::listed_in_error}) {
        CAPTURE(to_string(r));
        CHECK(reason_fits(r, Action::lift));
        CHECK_FALSE(reason_fits(r, Action::place));
    }
    CHECK(reason_fits(Reason::other, Action::place));
    CHECK(reason_fits(Reason::other, Action::lift));
}

TEST_CASE("domain structs start with documented defaults", "[model][types]") {
    Directive d;
    CHECK(d.status == DirectiveStatus::draft);
    CHECK_FALSE(d.emergency);
    CHECK_FALSE(d.ended_on);
    Listing l;
    CHECK(l.action == Action::place);
    CHECK_FALSE(l.until);
    Venue v;
    CHECK(v.category == Category::other);
    Site s;
    CHECK(s.kind == SiteKind::other);
    CHECK(s.personnel == 0);
}
