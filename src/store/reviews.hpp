#pragma once
// Review decisions (model/review.hpp): written once each, with their audit row, in one
// transaction; the schema refuses to change or remove one. A `lift` removes nothing by itself: it
// places lifts in a draft directive, which goes through submission and issue like any other, so
// the person who decided the lift cannot also issue it (four eyes).
#include <optional>
#include <string>
#include <vector>

#include "model/review.hpp"
#include "store/operations.hpp"
#include "store/repository.hpp"

namespace keepout::store {

struct ReviewRequest {
    std::string directive_ref;  // the review of an emergency directive in force, or
    std::string venue;          // of one listed venue (id, external id or exact name)
    model::ReviewDecision decision = model::ReviewDecision::keep;
    std::string reason;
    // keep: when it is due again (after today); for a venue, by default today plus the mission's
    // review interval.
    std::optional<model::Date> next_review;
    // lift: the draft directive that receives a lift of the venue (of every venue the directive
    // keeps on the list, for a directive).
    std::string lift_in;
};

struct RecordedReview {
    model::Review review;
    std::vector<AddedListing> lifts;  // placed in the draft `lift_in`
};

// Records a decision on the mission's today. RuleError when the item is not under review (a
// directive that is not an emergency in force, a venue not on the list), a keep without a date
// after today, a lift without a draft; InvalidField for a reason that is empty or not plain
// text; NotFound for an unknown directive or venue.
RecordedReview record_review(Store&, const ReviewRequest&);

// Every decision, the first first.
std::vector<model::Review> reviews(Store&);
// The decisions on a venue, and on the directives that hold a listing of it, the first first.
std::vector<model::Review> reviews_for_venue(Store&, model::Id venue_id);

// {"id", "decided_at", "decided_on", "by", "person", "directive", "venue_id", "external_id",
//  "venue", "decision", "reason", "next_review", "lift_in"} as JSON text (audit rows, documents).
std::string to_json(const model::Review&);

}  // namespace keepout::store
