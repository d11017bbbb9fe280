#include "analysis/reviews.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "model/rules.hpp"
#include "store/mission.hpp"
#include "store/reviews.hpp"

namespace keepout::analysis {

using namespace keepout::model;

const char* to_string(DueKind k) { return k == DueKind::directive_review ? "directive-review" : "periodic-review"; }
const char* to_string(DueStatus s) { return s == DueStatus::overdue ? "overdue" : "due-soon"; }

std::size_t DueReport::overdue() const {
    return std::size_t(std::count_if(items.begin(), items.end(), [](const DueItem& i) { return i.status == DueStatus::overdue; }));
}

namespace {

Date plus_days(Date d, int days) { return Date(d.days() + std::chrono::days(days)); }

bool in_force(const Directive& d, Date on) {
    return was_issued(d.status) && d.effective_on <= on && !(d.ended_on && on >= *d.ended_on);
}

// The decisions on one item that count on the date, the first first.
struct Decisions {
    const Review* latest = nullptr;
    const Review* latest_keep = nullptr;
    void add(const Review& r) {
        latest = &r;
        if (r.decision == ReviewDecision::keep) latest_keep = &r;
    }
};

void place(DueItem& item, const Decisions& d, Date due, Date as_of, int warning_days, std::vector<DueItem>& out) {
    if (d.latest_keep && d.latest_keep->next_review) due = *d.latest_keep->next_review;
    if (due > plus_days(as_of, warning_days)) return;
    item.due = due;
    item.status = due <= as_of ? DueStatus::overdue : DueStatus::due_soon;
    if (d.latest) item.last_review = *d.latest;
    if (d.latest && d.latest->decision == ReviewDecision::lift) item.pending_lift = d.latest->lift_in;
    out.push_back(std::move(item));
}

}  // namespace

DueReport reviews_due(const Snapshot& snap, const std::vector<Directive>& directives, const std::vector<Review>& reviews,
                      int review_interval_days, int warning_days) {
    DueReport report;
    report.as_of = snap.as_of();
    report.time_zone = snap.time_zone();
    report.review_interval_days = std::max(0, review_interval_days);
    report.warning_days = warning_days;
    const Date as_of = snap.as_of();

    // What each directive keeps on the list on the date.
    std::map<std::string, std::size_t, std::less<>> held;
    for (std::uint32_t i : snap.listed()) ++held[snap.venues()[i].directive_ref];

    for (const Directive& d : directives) {
        if (!d.emergency || !d.review_on || !in_force(d, as_of) || !held.count(d.ref)) continue;
        Decisions decided;
        for (const Review& r : reviews)
            if (r.directive_ref == d.ref && r.venue_id == 0 && r.decided_on <= as_of) decided.add(r);
        DueItem item;
        item.kind = DueKind::directive_review;
        item.directive = d.ref;
        item.listed_since = d.effective_on;
        place(item, decided, *d.review_on, as_of, warning_days, report.items);
    }

    if (report.review_interval_days > 0) {
        std::map<Id, std::vector<const Review*>> by_venue;
        for (const Review& r : reviews)
            if (r.venue_id != 0 && r.decided_on <= as_of) by_venue[r.venue_id].push_back(&r);
        for (std::uint32_t i : snap.listed()) {
            const VenueView& v = snap.venues()[i];
            Decisions decided;
            // A decision on an earlier listing of the venue (lifted since, placed again) does not count.
            if (auto it = by_venue.find(v.venue.id); it != by_venue.end())
                for (const Review* r : it->second)
                    if (r->decided_on >= v.listed_since) decided.add(*r);
            DueItem item;
            item.kind = DueKind::periodic_review;
            item.directive = v.directive_ref;
            item.venue_id = v.venue.id;
            item.external_id = v.venue.external_id;
            item.venue = v.venue.name;
            item.listed_since = v.listed_since;
            place(item, decided, plus_days(v.listed_since, report.review_interval_days), as_of, warning_days,
                  report.items);
        }
    }
    std::stable_sort(report.items.begin(), report.items.end(), [](const DueItem& a, const DueItem& b) {
        return std::tie(a.due, a.kind, a.directive, a.venue_id) < std::tie(b.due, b.kind, b.directive, b.venue_id);
    });
    return report;
}

DueReport reviews_due(store::Store& s, const Snapshot& snap, int warning_days) {
    const auto mission = store::mission_settings(s);
    return reviews_due(snap, s.directives(), store::reviews(s), mission ? mission->review_interval_days : 0,
                       warning_days);
}

}  // namespace keepout::analysis
