// Reviews over HTTP (docs/contract.md#4-http): what is due on a date, for management's "due"
// view, and a decision recorded by an approver. A lift decided here removes nothing: it goes into
// a draft directive, which another approver issues (four eyes), as every lift does.
#include <nlohmann/json.hpp>

#include "analysis/reviews.hpp"
#include "encode/reviews.hpp"
#include "http/detail/writes.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/reviews.hpp"

namespace keepout::http {

using nlohmann::json;

namespace {

std::string text_field(const json& body, const char* key, std::size_t max_bytes) {
    if (!body.contains(key) || body[key].is_null()) return {};
    if (!body[key].is_string()) throw HttpError(400, "bad-request", std::string("'") + key + "' must be text");
    const std::string s = body[key].get<std::string>();
    if (s.size() > max_bytes)
        throw HttpError(400, "bad-request", std::string("'") + key + "' is longer than " + std::to_string(max_bytes) + " bytes");
    return s;
}

store::ReviewRequest review_request(const json& body) {
    for (auto& [key, value] : body.items())
        if (key != "directive" && key != "venue" && key != "decision" && key != "reason" && key != "next_review" &&
            key != "lift_in")
            throw HttpError(400, "bad-request",
                            "unknown field '" + key + "' (directive, venue, decision, reason, next_review, lift_in)");
    store::ReviewRequest q;
    q.directive_ref = text_field(body, "directive", 200);
    if (body.contains("venue") && body["venue"].is_number_integer())
        q.venue = std::to_string(body["venue"].get<std::int64_t>());
    else
        q.venue = text_field(body, "venue", 500);
    if (q.directive_ref.empty() == q.venue.empty())
        throw HttpError(400, "bad-request",
                        "name what is reviewed: 'directive' (an emergency directive) or 'venue' (an id, external id or "
                        "exact name), one of them");
    const std::string decision = text_field(body, "decision", 10);
    const auto d = model::parse_review_decision(decision);
    if (!d) throw HttpError(400, "bad-request", "'decision' is required: \"keep\" or \"lift\"");
    q.decision = *d;
    q.reason = text_field(body, "reason", 2000);
    if (q.reason.find_first_not_of(" \t") == std::string::npos)
        throw HttpError(400, "bad-request", "'reason' is required: why the decision was made");
    if (body.contains("next_review") && !body["next_review"].is_null()) {
        if (q.decision != model::ReviewDecision::keep)
            throw HttpError(400, "bad-request", "'next_review' goes with \"decision\": \"keep\"");
        q.next_review = body_date(body, "next_review");
    }
    q.lift_in = text_field(body, "lift_in", 200);
    if (q.decision == model::ReviewDecision::lift && q.lift_in.empty())
        throw HttpError(400, "bad-request",
                        "a lift is placed in a draft directive that an approver then issues: 'lift_in' names the draft");
    if (q.decision == model::ReviewDecision::keep && !q.lift_in.empty())
        throw HttpError(400, "bad-request", "'lift_in' goes with \"decision\": \"lift\"");
    if (q.decision == model::ReviewDecision::keep && !q.directive_ref.empty() && !q.next_review)
        throw HttpError(400, "bad-request", "keeping an emergency directive names its next review date: 'next_review'");
    return q;
}

}  // namespace

Response handle_due(Service& service, const Request& r) {
    require_role(service, r, model::Role::reader);
    const auto as_of = validate(r, schemas::due, service.time_zone()).date("as_of");
    const auto snap = service.snapshot(as_of);
    return json_response(200, service.read([&](store::Store& s) {
        return encode::due_json(analysis::reviews_due(s, *snap));
    }));
}

Response handle_create_review(Service& service, const Request& r) {
    validate(r, schemas::reviews);
    const auto holder = require_role(service, r, model::Role::approver);
    const store::ReviewRequest q = review_request(parse_body(r));
    return write_as(service, holder, [&](store::Store& s) {
        const store::RecordedReview recorded = store::record_review(s, q);
        json out = json::parse(encode::review_json(recorded.review));
        json lifts = json::array();
        for (const auto& l : recorded.lifts)
            lifts.push_back({{"venue_id", l.venue.id}, {"external_id", l.venue.external_id}, {"name", l.venue.name}});
        out["lifts"] = std::move(lifts);
        out["draft_revision"] = s.draft_revision();
        return json_response(201, out.dump());
    });
}

}  // namespace keepout::http
