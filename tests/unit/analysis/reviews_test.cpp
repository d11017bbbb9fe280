// What is due for review on a date, from plain data: the emergency directive's review date, the
// periodic interval from the listing or the last keep, the warning window, decisions after the
// date, a lift still pending, and a listing placed again after a decision on its earlier one.
#include <catch2/catch.hpp>

#include "analysis/reviews.hpp"
#include "unit/analysis/fixtures.hpp"

using namespace keepout;
using model::Date;

namespace {

std::shared_ptr<const analysis::Snapshot> snapshot_on(const std::string& date, std::vector<analysis::VenueView> venues) {
    return std::make_shared<const analysis::Snapshot>(Date::parse(date), 7, std::move(venues),
                                                      std::vector<analysis::SiteView>{},
                                                      std::vector<analysis::SectorView>{});
}

model::Directive emergency(const std::string& review) {
    model::Directive d;
    d.id = 3;
    d.ref = "HOM/OL/TEST/3";
    d.status = model::DirectiveStatus::issued;
    d.signed_on = d.effective_on = Date::parse("2026-05-10");
    d.emergency = true;
    d.review_on = Date::parse(review);
    return d;
}

analysis::VenueView held_by(analysis::VenueView v, const std::string& ref, const std::string& since) {
    v.directive_ref = ref;
    v.listed_since = Date::parse(since);
    return v;
}

model::Review decision(model::Id id, const std::string& on, model::ReviewDecision what, const std::string& next = "",
                       const std::string& directive = "", model::Id venue = 0) {
    model::Review r;
    r.id = id;
    r.decided_on = Date::parse(on);
    r.decision = what;
    if (!next.empty()) r.next_review = Date::parse(next);
    r.directive_ref = directive;
    r.venue_id = venue;
    r.person = "Ana";
    r.reason = "because";
    if (what == model::ReviewDecision::lift) r.lift_in = "HOM/OL/TEST/9";
    return r;
}

const analysis::DueItem* find(const analysis::DueReport& r, analysis::DueKind kind, model::Id venue = 0) {
    for (const auto& i : r.items)
        if (i.kind == kind && i.venue_id == venue) return &i;
    return nullptr;
}

}  // namespace

TEST_CASE("an emergency directive is due soon two weeks before its review date and overdue from it", "[analysis][reviews]") {
    const std::vector<model::Directive> ds{emergency("2026-06-10")};
    auto venues = [] { return std::vector<analysis::VenueView>{held_by(test::point_venue(1, 21, 42), "HOM/OL/TEST/3", "2026-05-10")}; };
    using K = analysis::DueKind;
    CHECK(find(analysis::reviews_due(*snapshot_on("2026-05-26", venues()), ds, {}, 0), K::directive_review) == nullptr);
    const auto soon = analysis::reviews_due(*snapshot_on("2026-05-27", venues()), ds, {}, 0);
    REQUIRE(find(soon, K::directive_review));
    CHECK(find(soon, K::directive_review)->status == analysis::DueStatus::due_soon);
    const auto on = analysis::reviews_due(*snapshot_on("2026-06-10", venues()), ds, {}, 0);
    REQUIRE(find(on, K::directive_review));
    CHECK(find(on, K::directive_review)->status == analysis::DueStatus::overdue);
    CHECK(on.overdue() == 1);
    // A directive that keeps no venue on the list has nothing to review.
    CHECK(analysis::reviews_due(*snapshot_on("2026-07-01", {}), ds, {}, 0).items.empty());
    // Revoked: not in force, not due.
    auto revoked = ds;
    revoked[0].status = model::DirectiveStatus::revoked;
    revoked[0].ended_on = Date::parse("2026-06-01");
    CHECK(analysis::reviews_due(*snapshot_on("2026-07-01", venues()), revoked, {}, 0).items.empty());
}

TEST_CASE("a keep moves the item to its next date; a decision after the date does not count for it", "[analysis][reviews]") {
    const std::vector<model::Directive> ds{emergency("2026-06-10")};
    auto venues = [] { return std::vector<analysis::VenueView>{held_by(test::point_venue(1, 21, 42), "HOM/OL/TEST/3", "2026-05-10")}; };
    const std::vector<model::Review> kept{
        decision(1, "2026-06-12", model::ReviewDecision::keep, "2026-09-01", "HOM/OL/TEST/3")};
    using K = analysis::DueKind;
    CHECK(find(analysis::reviews_due(*snapshot_on("2026-06-12", venues()), ds, kept, 0), K::directive_review) == nullptr);
    CHECK(find(analysis::reviews_due(*snapshot_on("2026-06-11", venues()), ds, kept, 0), K::directive_review));
    const auto later = analysis::reviews_due(*snapshot_on("2026-09-01", venues()), ds, kept, 0);
    REQUIRE(find(later, K::directive_review));
    CHECK(find(later, K::directive_review)->due == Date::parse("2026-09-01"));
    REQUIRE(find(later, K::directive_review)->last_review);
    CHECK(find(later, K::directive_review)->last_review->id == 1);
}

TEST_CASE("a listing is due the interval after it was placed or last kept, a pending lift keeps it due",
          "[analysis][reviews]") {
    using K = analysis::DueKind;
    auto venues = [] {
        return std::vector<analysis::VenueView>{held_by(test::point_venue(1, 21, 42), "HOM/OL/TEST/1", "2026-01-20"),
                                                held_by(test::point_venue(2, 21, 42), "HOM/OL/TEST/1", "2026-03-05")};
    };
    const auto r = analysis::reviews_due(*snapshot_on("2026-07-25", venues()), {}, {}, 180);
    REQUIRE(find(r, K::periodic_review, 1));
    CHECK(find(r, K::periodic_review, 1)->due == Date::parse("2026-07-19"));
    CHECK(find(r, K::periodic_review, 1)->status == analysis::DueStatus::overdue);
    CHECK(find(r, K::periodic_review, 2) == nullptr);  // due 2026-09-01
    // Without an interval, no periodic review.
    CHECK(analysis::reviews_due(*snapshot_on("2026-07-25", venues()), {}, {}, 0).items.empty());
    // Kept on 07-20 until 2027-01-16: not due; a lift decided later leaves it due, pending.
    std::vector<model::Review> decided{decision(1, "2026-07-20", model::ReviewDecision::keep, "2027-01-16", "", 1)};
    CHECK(find(analysis::reviews_due(*snapshot_on("2026-07-25", venues()), {}, decided, 180), K::periodic_review, 1) == nullptr);
    decided.push_back(decision(2, "2026-07-21", model::ReviewDecision::lift, "", "", 2));
    const auto pending = analysis::reviews_due(*snapshot_on("2026-09-02", venues()), {}, decided, 180);
    REQUIRE(find(pending, K::periodic_review, 2));
    CHECK(find(pending, K::periodic_review, 2)->pending_lift == "HOM/OL/TEST/9");
    // A decision on an earlier listing of the venue (placed again since) does not count.
    auto again = venues();
    again[0].listed_since = Date::parse("2026-08-01");
    const auto fresh = analysis::reviews_due(*snapshot_on("2027-02-01", std::move(again)), {}, decided, 180);
    REQUIRE(find(fresh, K::periodic_review, 1));
    CHECK(find(fresh, K::periodic_review, 1)->due == Date::parse("2027-01-28"));
    CHECK_FALSE(find(fresh, K::periodic_review, 1)->last_review);
}
