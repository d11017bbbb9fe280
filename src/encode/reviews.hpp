#pragma once
// The review documents, written once for the command line and the API: what is due on a date
// (analysis/reviews.hpp) and a recorded decision. Text out; nlohmann stays out of this header.
#include <string>
#include <vector>

#include "analysis/reviews.hpp"
#include "model/review.hpp"

namespace keepout::encode {

// {"as_of", "time_zone", "review_interval_days" (null without one), "warning_days", "overdue",
//  "items": [{"kind": "directive-review" | "periodic-review", "directive", "venue_id",
//  "external_id", "venue" (null for a directive), "due", "status": "overdue" | "due-soon",
//  "listed_since", "last_review" (review_json or null), "pending_lift" (the draft, or null)}]},
// indented.
std::string due_json(const analysis::DueReport&);

// One decision: {"id", "decided_at", "decided_on", "by", "person", "directive", "venue_id",
// "external_id", "venue", "decision", "reason", "next_review", "lift_in"}.
std::string review_json(const model::Review&);

// The overdue items alone, as a publication carries them: [{"kind", "directive", "venue_id",
// "due"}], compact.
std::string overdue_items_json(const analysis::DueReport&);

}  // namespace keepout::encode
