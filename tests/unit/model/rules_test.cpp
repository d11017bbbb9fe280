// The as-of rules and the directive lifecycle, on hand-built directives and listings.
#include "model/rules.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "unit/model/date_catch.hpp"

using namespace keepout::model;

namespace {

Date D(const char* text) { return Date::parse(text); }

Directive make_directive(Id id, const char* signed_on, const char* effective_on,
                         DirectiveStatus status = DirectiveStatus::issued) {
    Directive d;
    d.id = id;
    d.ref = "HOM/OL/2026/" + std::to_string(100 + id);
    d.title = "Directive " + std::to_string(id);
    d.authority = "Head of Mission";
    d.signed_on = D(signed_on);
    d.effective_on = D(effective_on);
    d.status = status;
    return d;
}

Listing make_place(Id id, Id directive_id, Id venue_id, const char* from,
                   std::optional<const char*> until = std::nullopt,
                   std::vector<Reason> reasons = {Reason::trafficking}) {
    Listing l;
    l.id = id;
    l.directive_id = directive_id;
    l.venue_id = venue_id;
    l.action = Action::place;
    l.reasons = std::move(reasons);
    l.effective_from = D(from);
    if (until) l.until = D(*until);
    return l;
}

Listing make_lift(Id id, Id directive_id, Id venue_id, const char* from,
                  std::vector<Reason> reasons = {Reason::corrective_action}) {
    Listing l;
    l.id = id;
    l.directive_id = directive_id;
    l.venue_id = venue_id;
    l.action = Action::lift;
    l.reasons = std::move(reasons);
    l.effective_from = D(from);
    return l;
}

bool listed(const ListHistory& h, Id venue, const char* on) { return h.venue_as_of(venue, D(on)).has_value(); }

std::vector<Id> venue_ids(const std::vector<ListedVenue>& v) {
    std::vector<Id> out;
    for (auto& x : v) out.push_back(x.venue_id);
    return out;
}

}  // namespace

// --- the list as of a date --------------------------------------------------------------------

TEST_CASE("a draft directive never puts a venue on the list", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-10", DirectiveStatus::draft)};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10")};
    ListHistory h(ds, ls);

    for (const char* on : {"2026-01-09", "2026-01-10", "2026-06-01", "2030-12-31"}) {
        CAPTURE(on);
        CHECK(h.as_of(D(on)).empty());
        CHECK_FALSE(h.venue_as_of(7, D(on)));
    }
    CHECK_FALSE(h.first_effective());

    // The draft still shows in the history, as not counting.
    auto hist = h.venue_history(7, D("2026-02-01"));
    REQUIRE(hist.size() == 1);
    CHECK(hist[0].listing->id == 1);
    REQUIRE(hist[0].directive != nullptr);
    CHECK(hist[0].directive->status == DirectiveStatus::draft);
    CHECK_FALSE(hist[0].counts_on_date);
}

TEST_CASE("a draft lift does not take an issued place off the list", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-10"),
                              make_directive(2, "2026-02-01", "2026-02-01", DirectiveStatus::draft)};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_lift(2, 2, 7, "2026-02-01")};
    ListHistory h(ds, ls);
    CHECK(listed(h, 7, "2026-02-01"));
    CHECK(listed(h, 7, "2026-05-01"));
}

TEST_CASE("dates before the first directive give an empty list", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-02-01", "2026-02-15")};
    std::vector<Listing> ls{make_place(1, 1, 1, "2026-01-10"), make_place(2, 1, 2, "2026-01-10"),
                            make_place(3, 2, 3, "2026-02-15")};
    ListHistory h(ds, ls);

    CHECK(h.as_of(D("2025-12-31")).empty());
    CHECK(h.as_of(D("2026-01-09")).empty());
    // The effective date itself is included.
    CHECK(venue_ids(h.as_of(D("2026-01-10"))) == std::vector<Id>{1, 2});
    CHECK(venue_ids(h.as_of(D("2026-02-14"))) == std::vector<Id>{1, 2});
    CHECK(venue_ids(h.as_of(D("2026-02-15"))) == std::vector<Id>{1, 2, 3});
    REQUIRE(h.first_effective());
    CHECK(*h.first_effective() == D("2026-01-10"));
}

TEST_CASE("first_effective ignores drafts and takes the earliest issued act", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-02", DirectiveStatus::draft),
                              make_directive(2, "2026-03-01", "2026-03-05"),
                              make_directive(3, "2026-02-01", "2026-02-20")};
    std::vector<Listing> ls{make_place(1, 1, 1, "2026-01-02"), make_place(2, 2, 2, "2026-03-05"),
                            make_place(3, 3, 3, "2026-02-25")};
    ListHistory h(ds, ls);
    REQUIRE(h.first_effective());
    CHECK(*h.first_effective() == D("2026-02-25"));
}

TEST_CASE("the list is sorted by venue id whatever the input order", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-10")};
    std::vector<Listing> ls{make_place(1, 1, 30, "2026-01-10"), make_place(2, 1, 10, "2026-01-10"),
                            make_place(3, 1, 20, "2026-01-10")};
    ListHistory h(ds, ls);
    auto list = h.as_of(D("2026-01-10"));
    CHECK(venue_ids(list) == std::vector<Id>{10, 20, 30});
    for (auto& v : list) {
        CHECK(v.directive_id == 1);
        CHECK(v.listed_since == D("2026-01-10"));
        CHECK(v.reasons == std::vector<Reason>{Reason::trafficking});
        CHECK_FALSE(v.until);
    }
}

TEST_CASE("a listing whose directive is unknown never counts", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-10")};
    std::vector<Listing> ls{make_place(1, 99, 5, "2026-01-10")};
    ListHistory h(ds, ls);
    CHECK(h.as_of(D("2026-03-01")).empty());
    CHECK(h.directive(99) == nullptr);
    REQUIRE(h.directive(1) != nullptr);
    CHECK(h.directive(1)->ref == "HOM/OL/2026/101");
    auto hist = h.venue_history(5, D("2026-03-01"));
    REQUIRE(hist.size() == 1);
    CHECK(hist[0].directive == nullptr);
    CHECK_FALSE(hist[0].counts_on_date);
}

TEST_CASE("an unknown venue has no listing and no history", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-01", "2026-01-10")};
    std::vector<Listing> ls{make_place(1, 1, 5, "2026-01-10")};
    ListHistory h(ds, ls);
    CHECK_FALSE(h.venue_as_of(6, D("2026-03-01")));
    CHECK(h.venue_history(6, D("2026-03-01")).empty());
}

TEST_CASE("place, lift, place again: reinstated with listed_since the reinstatement date", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-25", "2026-02-01"),
                              make_directive(3, "2026-02-20", "2026-03-01")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_lift(2, 2, 7, "2026-02-01"),
                            make_place(3, 3, 7, "2026-03-01", std::nullopt, {Reason::prostitution})};
    ListHistory h(ds, ls);

    CHECK_FALSE(listed(h, 7, "2026-01-09"));
    auto first = h.venue_as_of(7, D("2026-01-31"));
    REQUIRE(first);
    CHECK(first->listed_since == D("2026-01-10"));
    CHECK(first->directive_id == 1);

    CHECK_FALSE(listed(h, 7, "2026-02-01"));
    CHECK_FALSE(listed(h, 7, "2026-02-28"));
    CHECK(h.as_of(D("2026-02-15")).empty());

    auto again = h.venue_as_of(7, D("2026-03-01"));
    REQUIRE(again);
    CHECK(again->listed_since == D("2026-03-01"));
    CHECK(again->directive_id == 3);
    CHECK(again->reasons == std::vector<Reason>{Reason::prostitution});

    auto later = h.venue_as_of(7, D("2027-01-01"));
    REQUIRE(later);
    CHECK(later->listed_since == D("2026-03-01"));
}

TEST_CASE("a lift with no earlier place leaves the venue off the list", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10")};
    std::vector<Listing> ls{make_lift(1, 1, 7, "2026-01-10")};
    ListHistory h(ds, ls);
    CHECK_FALSE(listed(h, 7, "2026-01-10"));
    CHECK(h.as_of(D("2026-06-01")).empty());
}

TEST_CASE("same-day place and lift resolve by signed date first", "[model][rules]") {
    // Both acts take effect on 2026-03-01; the one signed later wins, even when its directive
    // was recorded first (lower id).
    SECTION("lift signed later: off the list") {
        std::vector<Directive> ds{make_directive(1, "2026-02-20", "2026-03-01"),   // lift, signed later
                                  make_directive(2, "2026-02-10", "2026-03-01")};  // place, signed earlier
        std::vector<Listing> ls{make_lift(1, 1, 7, "2026-03-01"), make_place(2, 2, 7, "2026-03-01")};
        ListHistory h(ds, ls);
        CHECK_FALSE(listed(h, 7, "2026-03-01"));
        CHECK_FALSE(listed(h, 7, "2026-04-01"));
        auto hist = h.venue_history(7, D("2026-03-01"));
        REQUIRE(hist.size() == 2);
        CHECK(hist[0].listing->action == Action::place);
        CHECK(hist[1].listing->action == Action::lift);
    }
    SECTION("place signed later: on the list") {
        std::vector<Directive> ds{make_directive(1, "2026-02-20", "2026-03-01"),   // place, signed later
                                  make_directive(2, "2026-02-10", "2026-03-01")};  // lift, signed earlier
        std::vector<Listing> ls{make_place(1, 1, 7, "2026-03-01"), make_lift(2, 2, 7, "2026-03-01")};
        ListHistory h(ds, ls);
        auto v = h.venue_as_of(7, D("2026-03-01"));
        REQUIRE(v);
        CHECK(v->directive_id == 1);
        CHECK(v->listed_since == D("2026-03-01"));
        auto hist = h.venue_history(7, D("2026-03-01"));
        REQUIRE(hist.size() == 2);
        CHECK(hist[0].listing->action == Action::lift);
        CHECK(hist[1].listing->action == Action::place);
    }
}

TEST_CASE("same-day, same-signature place and lift resolve by directive id", "[model][rules]") {
    SECTION("lift in the later directive: off the list") {
        std::vector<Directive> ds{make_directive(1, "2026-02-10", "2026-03-01"),
                                  make_directive(2, "2026-02-10", "2026-03-01")};
        // Listing ids deliberately in the opposite order, and the input vector reversed.
        std::vector<Listing> ls{make_lift(1, 2, 7, "2026-03-01"), make_place(2, 1, 7, "2026-03-01")};
        ListHistory h(ds, ls);
        CHECK_FALSE(listed(h, 7, "2026-03-01"));
    }
    SECTION("place in the later directive: on the list") {
        std::vector<Directive> ds{make_directive(1, "2026-02-10", "2026-03-01"),
                                  make_directive(2, "2026-02-10", "2026-03-01")};
        std::vector<Listing> ls{make_place(1, 2, 7, "2026-03-01"), make_lift(2, 1, 7, "2026-03-01")};
        ListHistory h(ds, ls);
        auto v = h.venue_as_of(7, D("2026-03-01"));
        REQUIRE(v);
        CHECK(v->directive_id == 2);
    }
}

TEST_CASE("input order of directives and listings does not change the answer", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-25", "2026-02-01"),
                              make_directive(3, "2026-02-20", "2026-03-01")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_lift(2, 2, 7, "2026-02-01"),
                            make_place(3, 3, 7, "2026-03-01")};
    std::vector<Directive> rds(ds.rbegin(), ds.rend());
    std::vector<Listing> rls(ls.rbegin(), ls.rend());
    ListHistory h(rds, rls);
    CHECK(listed(h, 7, "2026-01-31"));
    CHECK_FALSE(listed(h, 7, "2026-02-01"));
    auto v = h.venue_as_of(7, D("2026-03-01"));
    REQUIRE(v);
    CHECK(v->listed_since == D("2026-03-01"));
}

TEST_CASE("a place with until stops counting after its last day", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10", "2026-01-20"), make_place(2, 1, 8, "2026-01-10")};
    ListHistory h(ds, ls);

    auto last_day = h.venue_as_of(7, D("2026-01-20"));
    REQUIRE(last_day);  // until is inclusive
    REQUIRE(last_day->until);
    CHECK(*last_day->until == D("2026-01-20"));
    CHECK_FALSE(listed(h, 7, "2026-01-21"));
    CHECK(venue_ids(h.as_of(D("2026-01-20"))) == std::vector<Id>{7, 8});
    CHECK(venue_ids(h.as_of(D("2026-01-21"))) == std::vector<Id>{8});
}

TEST_CASE("a new place after an expired one starts a new listing", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-02-01", "2026-02-05")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10", "2026-01-20"), make_place(2, 2, 7, "2026-02-05")};
    ListHistory h(ds, ls);
    CHECK_FALSE(listed(h, 7, "2026-02-04"));
    auto v = h.venue_as_of(7, D("2026-02-05"));
    REQUIRE(v);
    CHECK(v->listed_since == D("2026-02-05"));
    CHECK(v->directive_id == 2);
    CHECK_FALSE(v->until);
}

TEST_CASE("a place that overlaps a place with until extends the same listing", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-12", "2026-01-15")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10", "2026-01-20"), make_place(2, 2, 7, "2026-01-15")};
    ListHistory h(ds, ls);
    auto v = h.venue_as_of(7, D("2026-03-01"));
    REQUIRE(v);
    CHECK(v->listed_since == D("2026-01-10"));
    CHECK(v->directive_id == 2);
    CHECK_FALSE(v->until);
}

TEST_CASE("a place starting the day after an earlier place's until is one unbroken listing",
          "[model][rules]") {
    // Listed through 2026-01-20 (inclusive), placed again from 2026-01-21: there is no day off
    // the list, so listed_since — "start of the current unbroken listing" — stays 2026-01-10.
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-15", "2026-01-21")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10", "2026-01-20"), make_place(2, 2, 7, "2026-01-21")};
    ListHistory h(ds, ls);
    REQUIRE(listed(h, 7, "2026-01-20"));
    auto v = h.venue_as_of(7, D("2026-01-21"));
    REQUIRE(v);
    CHECK(v->listed_since == D("2026-01-10"));
}

TEST_CASE("listed_since across two consecutive places stays the first date", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-25", "2026-02-01")};
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"),
                            make_place(2, 2, 7, "2026-02-01", std::nullopt, {Reason::minors, Reason::health_safety})};
    ListHistory h(ds, ls);

    auto before = h.venue_as_of(7, D("2026-01-31"));
    REQUIRE(before);
    CHECK(before->directive_id == 1);
    CHECK(before->reasons == std::vector<Reason>{Reason::trafficking});

    auto after = h.venue_as_of(7, D("2026-02-15"));
    REQUIRE(after);
    CHECK(after->listed_since == D("2026-01-10"));
    CHECK(after->directive_id == 2);  // the latest place is the one in force
    CHECK(after->reasons == std::vector<Reason>{Reason::minors, Reason::health_safety});
}

TEST_CASE("revoking a directive removes its listings from the revocation date", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-05", "2026-01-10")};
    revoke(ds[0], D("2026-03-01"));
    REQUIRE(ds[0].status == DirectiveStatus::revoked);
    REQUIRE(ds[0].ended_on);
    CHECK(*ds[0].ended_on == D("2026-03-01"));

    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_place(2, 2, 8, "2026-01-10")};
    ListHistory h(ds, ls);
    CHECK(listed(h, 7, "2026-01-10"));
    CHECK(listed(h, 7, "2026-02-28"));  // the day before revocation
    CHECK_FALSE(listed(h, 7, "2026-03-01"));
    CHECK_FALSE(listed(h, 7, "2027-01-01"));
    CHECK(venue_ids(h.as_of(D("2026-03-01"))) == std::vector<Id>{8});  // other directive untouched

    // The history keeps the revoked act, counting only before the revocation.
    auto hist_before = h.venue_history(7, D("2026-02-28"));
    auto hist_after = h.venue_history(7, D("2026-03-01"));
    REQUIRE(hist_before.size() == 1);
    REQUIRE(hist_after.size() == 1);
    CHECK(hist_before[0].counts_on_date);
    CHECK_FALSE(hist_after[0].counts_on_date);
}

TEST_CASE("a revoked lift lets an earlier place count again", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-25", "2026-02-01")};
    revoke(ds[1], D("2026-02-15"));
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_lift(2, 2, 7, "2026-02-01")};
    ListHistory h(ds, ls);

    CHECK(listed(h, 7, "2026-01-31"));
    CHECK_FALSE(listed(h, 7, "2026-02-01"));
    CHECK_FALSE(listed(h, 7, "2026-02-14"));
    auto v = h.venue_as_of(7, D("2026-02-15"));
    REQUIRE(v);
    CHECK(v->directive_id == 1);
}

TEST_CASE("a superseded directive stops counting at the superseding directive's effective date",
          "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-02-20", "2026-03-01")};
    supersede(ds[0], ds[1]);
    REQUIRE(ds[0].status == DirectiveStatus::superseded);
    CHECK(ds[0].superseded_by == ds[1].ref);
    REQUIRE(ds[0].ended_on);
    CHECK(*ds[0].ended_on == D("2026-03-01"));

    // Venue 7 only in the old directive; venue 8 placed again by the new one.
    std::vector<Listing> ls{make_place(1, 1, 7, "2026-01-10"), make_place(2, 1, 8, "2026-01-10"),
                            make_place(3, 2, 8, "2026-03-01", std::nullopt, {Reason::organized_crime})};
    ListHistory h(ds, ls);

    CHECK(venue_ids(h.as_of(D("2026-02-28"))) == std::vector<Id>{7, 8});
    CHECK(venue_ids(h.as_of(D("2026-03-01"))) == std::vector<Id>{8});
    auto v = h.venue_as_of(8, D("2026-03-01"));
    REQUIRE(v);
    CHECK(v->directive_id == 2);
    CHECK(v->reasons == std::vector<Reason>{Reason::organized_crime});
}

TEST_CASE("venue_history lists every act in rule order with counts_on_date", "[model][rules]") {
    std::vector<Directive> ds{make_directive(1, "2026-01-05", "2026-01-10"),
                              make_directive(2, "2026-01-25", "2026-02-01"),
                              make_directive(3, "2026-02-20", "2026-03-01"),
                              make_directive(4, "2026-01-01", "2026-01-02", DirectiveStatus::draft)};
    // Scrambled input order.
    std::vector<Listing> ls{make_place(13, 3, 7, "2026-03-01"), make_place(10, 1, 7, "2026-01-10"),
                            make_place(14, 4, 7, "2026-01-02"), make_lift(11, 2, 7, "2026-02-01"),
                            make_place(12, 1, 8, "2026-01-10")};
    ListHistory h(ds, ls);

    auto hist = h.venue_history(7, D("2026-02-15"));
    REQUIRE(hist.size() == 4);
    CHECK(hist[0].listing->id == 14);  // the draft, earliest effective date
    CHECK(hist[1].listing->id == 10);
    CHECK(hist[2].listing->id == 11);
    CHECK(hist[3].listing->id == 13);
    CHECK_FALSE(hist[0].counts_on_date);  // draft
    CHECK(hist[1].counts_on_date);
    CHECK(hist[2].counts_on_date);
    CHECK_FALSE(hist[3].counts_on_date);  // not yet in force
    for (auto& e : hist) {
        REQUIRE(e.directive != nullptr);
        CHECK(e.directive->id == e.listing->directive_id);
        CHECK(e.listing->venue_id == 7);
    }
    auto later = h.venue_history(7, D("2026-03-01"));
    REQUIRE(later.size() == 4);
    CHECK(later[3].counts_on_date);
    CHECK(h.venue_history(8, D("2026-02-15")).size() == 1);
}

// --- directive lifecycle ----------------------------------------------------------------------

namespace {
std::vector<Listing> listings_by(Id directive_id, std::vector<std::string> people) {
    std::vector<Listing> out;
    Id n = 1;
    for (auto& who : people) {
        Listing l = make_place(n, directive_id, 100 + n, "2026-01-10");
        l.added_by = who;
        out.push_back(l);
        ++n;
    }
    return out;
}
IssueRequest by(std::string person) { return IssueRequest{std::move(person), false, ""}; }
}  // namespace

TEST_CASE("submit, withdraw, submit again, then issue once", "[model][rules][lifecycle]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    d.drafted_by = "alice";
    const auto listings = listings_by(1, {"alice", "alice", "alice"});
    CHECK_THROWS_AS(submit(d, 0, "alice"), RuleError);  // nothing to approve
    submit(d, listings.size(), "alice");
    CHECK(d.status == DirectiveStatus::submitted);
    CHECK(d.submitted_by == "alice");
    CHECK_THROWS_AS(submit(d, listings.size(), "alice"), RuleError);
    CHECK_THROWS_WITH(require_draft(d, "add a listing"), Catch::Contains("withdraw"));
    withdraw(d);
    CHECK(d.status == DirectiveStatus::draft);
    CHECK_THROWS_AS(withdraw(d), RuleError);  // only a submission can be withdrawn
    CHECK_NOTHROW(require_draft(d, "add a listing"));
    submit(d, listings.size(), "alice");
    issue(d, listings, by("bob"));
    CHECK(d.status == DirectiveStatus::issued);
    CHECK(d.issued_by == "bob");
    CHECK_THROWS_AS(issue(d, listings, by("carol")), RuleError);
    CHECK_THROWS_AS(withdraw(d), RuleError);
    CHECK_THROWS_AS(submit(d, listings.size(), "alice"), RuleError);
    CHECK(d.issued_by == "bob");
    CHECK(d.status == DirectiveStatus::issued);
}

TEST_CASE("only a submission is issued: a draft must be submitted first", "[model][rules][lifecycle]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    d.drafted_by = "alice";
    CHECK_THROWS_WITH(issue(d, listings_by(1, {"alice"}), by("bob")), Catch::Contains("submitted"));
    CHECK(d.status == DirectiveStatus::draft);
}

TEST_CASE("neither a draft nor a submission counts on the list", "[model][rules][lifecycle]") {
    for (auto st : {DirectiveStatus::draft, DirectiveStatus::submitted}) {
        CAPTURE(to_string(st));
        ListHistory h({make_directive(1, "2026-01-05", "2026-01-10", st)}, {make_place(1, 1, 7, "2026-01-10")});
        CHECK(h.as_of(D("2026-02-01")).empty());
        CHECK_FALSE(h.first_effective());
    }
}

TEST_CASE("issue refuses a submission with no listings", "[model][rules][lifecycle]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::submitted);
    CHECK_THROWS_AS(issue(d, {}, by("bob")), RuleError);
    CHECK(d.status == DirectiveStatus::submitted);
    CHECK(d.issued_by.empty());
}

TEST_CASE("issue refuses a directive that takes effect before it was signed", "[model][rules][lifecycle]") {
    Directive d = make_directive(1, "2026-01-10", "2026-01-05", DirectiveStatus::submitted);
    CHECK_THROWS_AS(issue(d, listings_by(1, {"alice"}), by("bob")), RuleError);
    CHECK(d.status == DirectiveStatus::submitted);
    Directive draft = make_directive(3, "2026-01-10", "2026-01-05", DirectiveStatus::draft);
    CHECK_THROWS_AS(submit(draft, 1, "alice"), RuleError);
    // Same day is fine.
    Directive same = make_directive(2, "2026-01-10", "2026-01-10", DirectiveStatus::submitted);
    CHECK_NOTHROW(issue(same, listings_by(2, {"alice"}), by("bob")));
}

TEST_CASE("issue refuses revoked and superseded directives", "[model][rules][lifecycle]") {
    Directive revoked = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::revoked);
    Directive superseded = make_directive(2, "2026-01-05", "2026-01-10", DirectiveStatus::superseded);
    CHECK_THROWS_AS(issue(revoked, listings_by(1, {"a"}), by("bob")), RuleError);
    CHECK_THROWS_AS(issue(superseded, listings_by(2, {"a"}), by("bob")), RuleError);
    CHECK(revoked.status == DirectiveStatus::revoked);
    CHECK(superseded.status == DirectiveStatus::superseded);
}

TEST_CASE("four eyes: nobody issues what they drafted or hold a listing of", "[model][rules][lifecycle][four-eyes]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::submitted);
    d.drafted_by = "Ana Editor";
    const auto listings = listings_by(1, {"Ana Editor", "Ben Approver"});
    // Ben added one venue to Ana's draft: he may not issue it.
    CHECK_THROWS_AS(issue(d, listings, by("Ben Approver")), FourEyesViolation);
    CHECK_THROWS_WITH(issue(d, listings, by("Ben Approver")), Catch::Contains("added 1 of its 2 listings"));
    // The same person under another spelling of the name is still the same person.
    CHECK_THROWS_AS(issue(d, listings, by("  ben   APPROVER ")), FourEyesViolation);
    CHECK_THROWS_AS(issue(d, listings, by("ana editor")), FourEyesViolation);
    CHECK(d.status == DirectiveStatus::submitted);
    CHECK(d.issued_by.empty());
    // A violation is a rule error, caught by type.
    try {
        issue(d, listings, by("Ana Editor"));
        FAIL("issued by its drafter");
    } catch (const RuleError& e) {
        CHECK(dynamic_cast<const FourEyesViolation*>(&e) != nullptr);
    }
    issue(d, listings, by("Cem Approver"));
    CHECK(d.status == DirectiveStatus::issued);
    CHECK(d.issued_by == "Cem Approver");
}

TEST_CASE("four eyes: a nameless issuer is refused, a nameless drafter matches nobody", "[model][rules][four-eyes]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::submitted);
    CHECK_THROWS_AS(issue(d, listings_by(1, {""}), by("  ")), RuleError);
    CHECK(four_eyes_conflicts(d, listings_by(1, {""}), "bob").empty());
    CHECK_FALSE(same_person("", ""));
    CHECK(same_person("Bob", "bob"));
    CHECK_FALSE(same_person("Bob", "Bobby"));
}

TEST_CASE("the emergency override needs an emergency directive and a reason", "[model][rules][four-eyes]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::submitted);
    d.drafted_by = "Ana";
    const auto listings = listings_by(1, {"Ana"});
    IssueRequest r{"Ana", true, ""};
    CHECK_THROWS_AS(issue(d, listings, r), OverrideRefused);  // not an emergency
    d.emergency = true;
    d.review_on = D("2026-01-20");
    CHECK_THROWS_AS(issue(d, listings, r), OverrideRefused);  // no reason
    r.override_reason = "   ";
    CHECK_THROWS_AS(issue(d, listings, r), OverrideRefused);
    CHECK(d.status == DirectiveStatus::submitted);
    r.override_reason = "imminent risk to minors; no second approver reachable";
    auto outcome = issue(d, listings, r);
    CHECK(d.status == DirectiveStatus::issued);
    CHECK(outcome.overridden.size() == 2);  // drafted it, added its listing
}

TEST_CASE("revoke applies only to issued directives", "[model][rules][lifecycle]") {
    Directive draft = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    CHECK_THROWS_AS(revoke(draft, D("2026-02-01")), RuleError);
    CHECK(draft.status == DirectiveStatus::draft);
    CHECK_FALSE(draft.ended_on);

    Directive d = make_directive(2, "2026-01-05", "2026-01-10");
    CHECK_THROWS_AS(revoke(d, D("2026-01-04")), RuleError);  // before it was signed
    CHECK(d.status == DirectiveStatus::issued);
    revoke(d, D("2026-01-05"));
    CHECK(d.status == DirectiveStatus::revoked);
    REQUIRE(d.ended_on);
    CHECK(*d.ended_on == D("2026-01-05"));
    CHECK_THROWS_AS(revoke(d, D("2026-02-01")), RuleError);  // already revoked
    CHECK(*d.ended_on == D("2026-01-05"));
}

TEST_CASE("supersede applies only to issued directives and not to itself", "[model][rules][lifecycle]") {
    Directive draft = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    Directive by = make_directive(2, "2026-02-01", "2026-02-10");
    CHECK_THROWS_AS(supersede(draft, by), RuleError);
    CHECK(draft.status == DirectiveStatus::draft);

    Directive d = make_directive(3, "2026-01-05", "2026-01-10");
    CHECK_THROWS_AS(supersede(d, d), RuleError);
    CHECK(d.status == DirectiveStatus::issued);
    CHECK(d.superseded_by.empty());
}

TEST_CASE("require_draft accepts drafts only", "[model][rules][lifecycle]") {
    Directive draft = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);
    CHECK_NOTHROW(require_draft(draft, "add a listing"));
    for (auto st : {DirectiveStatus::submitted, DirectiveStatus::issued, DirectiveStatus::revoked,
                    DirectiveStatus::superseded}) {
        Directive d = make_directive(2, "2026-01-05", "2026-01-10", st);
        CAPTURE(to_string(st));
        CHECK_THROWS_AS(require_draft(d, "add a listing"), RuleError);
        CHECK_THROWS_WITH(require_draft(d, "add a listing"), Catch::Contains("add a listing") &&
                                                                 Catch::Contains(d.ref));
    }
}


TEST_CASE("prepare_listing defaults and checks a listing", "[model][rules][lifecycle]") {
    Directive d = make_directive(1, "2026-01-05", "2026-01-10", DirectiveStatus::draft);

    SECTION("effective_from defaults to the directive's effective date") {
        Listing l = make_place(0, 1, 7, "2000-01-01");
        prepare_listing(d, l, false);
        CHECK(l.effective_from == D("2026-01-10"));
    }
    SECTION("a given effective_from on or after the directive's is kept") {
        Listing l = make_place(0, 1, 7, "2026-02-01");
        prepare_listing(d, l, true);
        CHECK(l.effective_from == D("2026-02-01"));
        Listing same = make_place(0, 1, 8, "2026-01-10");
        CHECK_NOTHROW(prepare_listing(d, same, true));
    }
    SECTION("effective_from before the directive's is rejected") {
        Listing l = make_place(0, 1, 7, "2026-01-09");
        CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
    }
    SECTION("a lift cannot have an end date") {
        Listing l = make_lift(0, 1, 7, "2026-01-10");
        l.until = D("2026-02-01");
        CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
    }
    SECTION("until before effective_from is rejected; the same day is fine") {
        Listing l = make_place(0, 1, 7, "2026-01-20", "2026-01-19");
        CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
        Listing one_day = make_place(0, 1, 7, "2026-01-20", "2026-01-20");
        CHECK_NOTHROW(prepare_listing(d, one_day, true));
        // With the default effective date, until is checked against the filled-in date.
        Listing defaulted = make_place(0, 1, 7, "2000-01-01", "2026-01-09");
        CHECK_THROWS_AS(prepare_listing(d, defaulted, false), RuleError);
    }
    SECTION("place reasons do not fit a lift") {
        for (Reason r : {Reason::trafficking, Reason::prostitution, Reason::organized_crime, Reason::minors,
                         Reason::health_safety, Reason::force_protection}) {
            CAPTURE(to_string(r));
            Listing l = make_lift(0, 1, 7, "2026-01-10", {r});
            CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
        }
    }
    SECTION("lift reasons do not fit a place") {
        for (Reason r : {Reason::corrective_action, Reason::closed, Reason::listed_in_error}) {
            CAPTURE(to_string(r));
            Listing l = make_place(0, 1, 7, "2026-01-10", std::nullopt, {r});
            CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
        }
        // One bad reason among good ones is enough to refuse.
        Listing mixed = make_place(0, 1, 7, "2026-01-10", std::nullopt, {Reason::trafficking, Reason::closed});
        CHECK_THROWS_AS(prepare_listing(d, mixed, true), RuleError);
    }
    SECTION("fitting reasons, and `other`, are accepted for both actions") {
        Listing p = make_place(0, 1, 7, "2026-01-10", std::nullopt,
                               {Reason::trafficking, Reason::force_protection, Reason::other});
        CHECK_NOTHROW(prepare_listing(d, p, true));
        Listing l = make_lift(0, 1, 7, "2026-01-10", {Reason::closed, Reason::listed_in_error, Reason::other});
        CHECK_NOTHROW(prepare_listing(d, l, true));
    }
    SECTION("no reasons is rejected") {
        Listing l = make_place(0, 1, 7, "2026-01-10", std::nullopt, {});
        CHECK_THROWS_AS(prepare_listing(d, l, true), RuleError);
        Listing lift = make_lift(0, 1, 7, "2026-01-10", {});
        CHECK_THROWS_AS(prepare_listing(d, lift, true), RuleError);
    }
    SECTION("only a draft takes listings") {
        Directive issued = make_directive(2, "2026-01-05", "2026-01-10");
        Listing l = make_place(0, 2, 7, "2026-01-10");
        CHECK_THROWS_AS(prepare_listing(issued, l, true), RuleError);
    }
}

TEST_CASE("listed since survives a superseding directive that places the venue again", "[model][rules]") {
    Directive d1 = make_directive(1, "2026-01-15", "2026-01-20");
    Directive d2 = make_directive(2, "2026-03-01", "2026-03-05");
    supersede(d1, d2);
    ListHistory h({d1, d2}, {make_place(1, 1, 7, "2026-01-20"), make_place(2, 2, 7, "2026-03-05"),
                             make_place(3, 1, 8, "2026-01-20")});
    auto v = h.venue_as_of(7, D("2026-06-01"));
    REQUIRE(v);
    CHECK(v->directive_id == 2);                 // the act in force is the new directive's
    CHECK(v->listed_since == D("2026-01-20"));   // but the venue was never off the list
    // A venue the new directive did not carry over drops off when the old one is superseded.
    CHECK(listed(h, 8, "2026-03-04"));
    CHECK_FALSE(listed(h, 8, "2026-03-05"));
}

TEST_CASE("listed since restarts after a revoked directive leaves a gap", "[model][rules]") {
    Directive d1 = make_directive(1, "2026-01-15", "2026-01-20");
    Directive d2 = make_directive(2, "2026-04-01", "2026-04-10");
    revoke(d1, D("2026-03-01"));
    ListHistory h({d1, d2}, {make_place(1, 1, 7, "2026-01-20"), make_place(2, 2, 7, "2026-04-10")});
    CHECK_FALSE(listed(h, 7, "2026-03-15"));
    auto v = h.venue_as_of(7, D("2026-05-01"));
    REQUIRE(v);
    CHECK(v->listed_since == D("2026-04-10"));
}

TEST_CASE("reason_codes_for lists the codes each action takes, and a misfit names them", "[model][rules]") {
    using V = std::vector<std::string_view>;
    CHECK(reason_codes_for(Action::place) ==
          V{"trafficking", "prostitution", "organized-crime", "minors", "health-safety", "force-protection", "other"});
    CHECK(reason_codes_for(Action::lift) == V{"corrective-action", "closed", "listed-in-error", "other"});
    Directive d;
    d.ref = "T/1";
    d.status = DirectiveStatus::draft;
    d.effective_on = D("2026-01-10");
    Listing l;
    l.action = Action::place;
    l.reasons = {Reason::closed};
    // A place refused for a lift reason is told the place reasons, not the lift ones.
    CHECK_THROWS_WITH(prepare_listing(d, l, false),
                      Catch::Contains("a place takes trafficking") && !Catch::Contains("listed-in-error"));
}
