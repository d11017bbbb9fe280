#include "store/reviews.hpp"

#include <nlohmann/json.hpp>

#include "model/time_zone.hpp"
#include "store/mission.hpp"
#include "store/validate.hpp"

namespace keepout::store {

using namespace keepout::model;
using nlohmann::json;

namespace {

constexpr const char* kSelect =
    "SELECT r.id, r.decided_at, r.decided_on, r.actor, r.person, coalesce(d.ref, ''), coalesce(r.venue_id, 0),"
    " coalesce(v.name, ''), coalesce(v.external_id, ''), r.decision, r.reason, r.next_review, coalesce(l.ref, '')"
    " FROM reviews r LEFT JOIN directives d ON d.id = r.directive_id LEFT JOIN venues v ON v.id = r.venue_id"
    " LEFT JOIN directives l ON l.id = r.lift_in";

std::vector<Review> read_reviews(Statement& st) {
    std::vector<Review> out;
    while (st.step()) {
        Review r;
        r.id = st.integer(0);
        r.decided_at = st.text(1);
        r.decided_on = Date::parse(st.text(2));
        r.actor = st.text(3);
        r.person = st.text(4);
        r.directive_ref = st.text(5);
        r.venue_id = st.integer(6);
        r.venue_name = st.text(7);
        r.venue_external_id = st.text(8);
        r.decision = parse_review_decision(st.text(9)).value_or(ReviewDecision::keep);
        r.reason = st.text(10);
        if (auto next = st.optional_text(11)) r.next_review = Date::parse(*next);
        r.lift_in = st.text(12);
        out.push_back(std::move(r));
    }
    return out;
}

std::string venue_key(const Venue& v) { return v.external_id.empty() ? std::to_string(v.id) : v.external_id; }

bool in_force(const Directive& d, Date on) {
    return was_issued(d.status) && d.effective_on <= on && !(d.ended_on && on >= *d.ended_on);
}

}  // namespace

RecordedReview record_review(Store& s, const ReviewRequest& q) {
    const bool of_directive = !q.directive_ref.empty();
    if (of_directive == !q.venue.empty())
        throw RuleError("a review is of one emergency directive or of one venue's listing: name one of them");
    const std::string reason = [&] {
        const auto b = q.reason.find_first_not_of(" \t"), e = q.reason.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : q.reason.substr(b, e - b + 1);
    }();
    if (reason.empty()) throw InvalidField("reason", "a review decision says why: the reason is empty");
    check_text("reason", reason);
    const bool keep = q.decision == ReviewDecision::keep;
    if (keep && !q.lift_in.empty())
        throw RuleError("a decision to keep places nothing in a draft: the draft is for a lift");
    if (!keep && q.next_review) throw RuleError("a lift has no next review date");
    if (!keep && q.lift_in.empty())
        throw RuleError("a review lifts nothing by itself: name the draft directive that will carry the lift "
                        "(--lift-in REF), which an approver then issues");

    Transaction tx(s.db());
    const auto mission = mission_settings(s);
    const Date today = today_in(mission ? mission->time_zone : "UTC");
    const ListHistory history = s.history();
    Review r;
    r.decision = q.decision;
    r.reason = reason;
    r.decided_on = today;
    r.decided_at = utc_timestamp();
    r.actor = s.actor();
    r.person = s.person();
    std::optional<Id> directive_id, venue_id;
    std::vector<std::string> to_lift;
    if (of_directive) {
        const Directive d = s.directive(q.directive_ref);
        if (!d.emergency)
            throw RuleError(d.ref + " is not an emergency directive: its listings come up in the periodic review "
                                    "of each venue");
        if (!in_force(d, today)) throw RuleError(d.ref + " is not in force today (" + today.iso() + "): nothing to review");
        directive_id = d.id;
        r.directive_ref = d.ref;
        for (const ListedVenue& l : history.as_of(today))
            if (l.directive_id == d.id) to_lift.push_back(std::to_string(l.venue_id));
        if (keep && !q.next_review)
            throw RuleError("keeping an emergency directive names its next review date (--next DATE)");
        if (!keep && to_lift.empty())
            throw RuleError(d.ref + " keeps no venue on the list today: there is nothing to lift");
    } else {
        const Venue v = s.resolve_venue(q.venue);
        if (!history.venue_as_of(v.id, today))
            throw RuleError("venue " + venue_key(v) + " is not on the list today (" + today.iso() +
                            "): nothing to review");
        venue_id = v.id;
        r.venue_id = v.id;
        r.venue_name = v.name;
        r.venue_external_id = v.external_id;
        to_lift.push_back(std::to_string(v.id));
        if (keep && !q.next_review) {
            if (!mission || mission->review_interval_days <= 0)
                throw RuleError("the mission has no review interval (review_interval_days in mission.json): name "
                                "the next review date (--next DATE)");
            r.next_review = Date(today.days() + std::chrono::days(mission->review_interval_days));
        }
    }
    if (keep && q.next_review) r.next_review = q.next_review;
    if (keep && !(*r.next_review > today))
        throw RuleError("the next review date " + r.next_review->iso() + " must be after today (" + today.iso() + ")");

    RecordedReview out;
    std::optional<Id> lift_in;
    if (!keep) {
        const Directive draft = s.directive(q.lift_in);
        if (directive_id && draft.id == *directive_id)
            throw RuleError("the lifts of " + draft.ref + " go into another directive, a draft");
        require_draft(draft, "carry the lift a review decided");
        ListingRequest lr;
        lr.directive_ref = draft.ref;
        lr.venues = to_lift;
        lr.action = Action::lift;
        lr.reasons = {Reason::other};
        out.lifts = add_listings_within(s, lr);
        lift_in = draft.id;
        r.lift_in = draft.ref;
    }

    Statement put = s.db().prepare(
        "INSERT INTO reviews (decided_at, decided_on, actor, person, directive_id, venue_id, decision, reason,"
        " next_review, lift_in) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    put.bind(1, r.decided_at)
        .bind(2, r.decided_on.iso())
        .bind(3, r.actor)
        .bind(4, r.person)
        .bind(5, directive_id)
        .bind(6, venue_id)
        .bind(7, std::string(to_string(r.decision)))
        .bind(8, r.reason)
        .bind(9, r.next_review ? std::optional<std::string>(r.next_review->iso()) : std::nullopt)
        .bind(10, lift_in);
    put.run();
    r.id = s.db().last_insert_id();
    s.record(keep ? "review.keep" : "review.lift", "review",
             of_directive ? r.directive_ref : (r.venue_external_id.empty() ? std::to_string(r.venue_id) : r.venue_external_id),
             std::nullopt, to_json(r));
    tx.commit();
    out.review = std::move(r);
    return out;
}

std::vector<Review> reviews(Store& s) {
    Statement st = s.db().prepare(std::string(kSelect) + " ORDER BY r.id");
    return read_reviews(st);
}

std::vector<Review> reviews_for_venue(Store& s, Id venue_id) {
    Statement st = s.db().prepare(std::string(kSelect) +
                                  " WHERE r.venue_id = ?1 OR r.directive_id IN"
                                  " (SELECT directive_id FROM listings WHERE venue_id = ?1) ORDER BY r.id");
    st.bind(1, venue_id);
    return read_reviews(st);
}

std::string to_json(const Review& r) {
    return json{{"id", r.id},
                {"decided_at", r.decided_at},
                {"decided_on", r.decided_on.iso()},
                {"by", r.actor},
                {"person", r.person},
                {"directive", r.directive_ref.empty() ? json(nullptr) : json(r.directive_ref)},
                {"venue_id", r.venue_id ? json(r.venue_id) : json(nullptr)},
                {"external_id", r.venue_id ? json(r.venue_external_id) : json(nullptr)},
                {"venue", r.venue_id ? json(r.venue_name) : json(nullptr)},
                {"decision", to_string(r.decision)},
                {"reason", r.reason},
                {"next_review", r.next_review ? json(r.next_review->iso()) : json(nullptr)},
                {"lift_in", r.lift_in.empty() ? json(nullptr) : json(r.lift_in)}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace keepout::store
