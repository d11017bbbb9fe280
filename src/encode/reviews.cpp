#include "encode/reviews.hpp"

#include <nlohmann/json.hpp>

#include "store/reviews.hpp"

namespace keepout::encode {

using nlohmann::json;

namespace {

json review_object(const model::Review& r) { return json::parse(store::to_json(r)); }

json item_json(const analysis::DueItem& i) {
    const bool venue = i.venue_id != 0;
    return {{"kind", analysis::to_string(i.kind)},
            {"directive", i.directive.empty() ? json(nullptr) : json(i.directive)},
            {"venue_id", venue ? json(i.venue_id) : json(nullptr)},
            {"external_id", venue ? json(i.external_id) : json(nullptr)},
            {"venue", venue ? json(i.venue) : json(nullptr)},
            {"due", i.due.iso()},
            {"status", analysis::to_string(i.status)},
            {"listed_since", i.listed_since.iso()},
            {"last_review", i.last_review ? review_object(*i.last_review) : json(nullptr)},
            {"pending_lift", i.pending_lift.empty() ? json(nullptr) : json(i.pending_lift)}};
}

}  // namespace

std::string due_json(const analysis::DueReport& r) {
    json items = json::array();
    for (const auto& i : r.items) items.push_back(item_json(i));
    return json{{"as_of", r.as_of.iso()},
                {"time_zone", r.time_zone},
                {"review_interval_days", r.review_interval_days ? json(r.review_interval_days) : json(nullptr)},
                {"warning_days", r.warning_days},
                {"overdue", r.overdue()},
                {"items", std::move(items)}}
        .dump(2, ' ', false, json::error_handler_t::replace);
}

std::string review_json(const model::Review& r) { return store::to_json(r); }

std::string overdue_items_json(const analysis::DueReport& r) {
    json items = json::array();
    for (const auto& i : r.items) {
        if (i.status != analysis::DueStatus::overdue) continue;
        items.push_back({{"kind", analysis::to_string(i.kind)},
                         {"directive", i.directive.empty() ? json(nullptr) : json(i.directive)},
                         {"venue_id", i.venue_id ? json(i.venue_id) : json(nullptr)},
                         {"due", i.due.iso()}});
    }
    return items.dump();
}

}  // namespace keepout::encode
