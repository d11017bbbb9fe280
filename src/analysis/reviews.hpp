#pragma once
// What is due for review on a date: the emergency directives in force whose review date has come
// (or comes within the warning window), and, when the mission has a review interval, every
// listing that has stood longer than it since it was placed or last kept. Nothing lapses by itself:
// an item stays due, and overdue from its date on, until a decision is recorded (store/reviews).
#include <optional>
#include <string>
#include <vector>

#include "analysis/snapshot.hpp"
#include "model/review.hpp"
#include "model/types.hpp"

namespace keepout::store {
class Store;
}

namespace keepout::analysis {

// How many days ahead an item shows as "due soon".
inline constexpr int kDueSoonDays = 14;

enum class DueKind { directive_review, periodic_review };
enum class DueStatus { overdue, due_soon };
const char* to_string(DueKind);    // "directive-review", "periodic-review"
const char* to_string(DueStatus);  // "overdue", "due-soon"

struct DueItem {
    DueKind kind = DueKind::periodic_review;
    std::string directive;      // the emergency directive; for a venue, the directive that placed it
    model::Id venue_id = 0;     // 0 for a directive's review
    std::string external_id, venue;
    model::Date due;
    DueStatus status = DueStatus::due_soon;
    model::Date listed_since;   // the venue's; for a directive, its effective date
    std::optional<model::Review> last_review;  // the latest decision on this item, if any
    // The draft that carries a lift the latest decision placed, while the item is still on the list.
    std::string pending_lift;
};

struct DueReport {
    model::Date as_of;
    std::string time_zone;
    int review_interval_days = 0;  // 0: no periodic review
    int warning_days = kDueSoonDays;
    std::vector<DueItem> items;  // by due date, then directive, then venue id
    std::size_t overdue() const;
};

// From the snapshot of the date (its listed venues), every directive and every decision; decisions
// recorded after the snapshot's date do not count for it.
DueReport reviews_due(const Snapshot&, const std::vector<model::Directive>&, const std::vector<model::Review>&,
                      int review_interval_days, int warning_days = kDueSoonDays);
// The same with the directives, decisions and interval read from the store.
DueReport reviews_due(store::Store&, const Snapshot&, int warning_days = kDueSoonDays);

}  // namespace keepout::analysis
