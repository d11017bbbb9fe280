#pragma once
// Reviews of what stays on the list: an emergency directive's review date and the mission's
// periodic review of every listing. Nothing lapses by itself: an item stays due until someone
// records a decision, `keep` (with the next review date) or `lift` (placed in a draft directive,
// which an approver issues as any other: the decision alone removes nothing).
#include <optional>
#include <string>
#include <string_view>

#include "model/date.hpp"
#include "model/types.hpp"

namespace keepout::model {

enum class ReviewDecision { keep, lift };
std::string_view to_string(ReviewDecision);
std::optional<ReviewDecision> parse_review_decision(std::string_view);

// One recorded decision, with what it reviewed: an emergency directive (directive_ref) or one
// venue's listing (venue_id), never neither.
struct Review {
    Id id = 0;
    std::string decided_at;  // UTC, 2026-12-02T10:00:00Z
    Date decided_on;         // the mission's local date of the decision
    std::string actor;       // as the audit log names the writer ("Ana (token 3)")
    std::string person;      // the person behind it ("Ana")
    std::string directive_ref;   // empty for a periodic review of a venue
    Id venue_id = 0;             // 0 for the review of a directive
    std::string venue_name, venue_external_id;  // of venue_id, when set
    ReviewDecision decision = ReviewDecision::keep;
    std::string reason;
    std::optional<Date> next_review;  // keep: the next review date
    std::string lift_in;              // lift: the draft directive the lift was placed in
};

}  // namespace keepout::model
