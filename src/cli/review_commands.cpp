// keepout due, keepout review: the reviews that happen. An emergency directive's review date and
// the mission's periodic review interval make items due; an item stays due (overdue from its date
// on) until a decision is recorded. A lift is placed in a draft directive, which an approver other
// than the reviewer issues, so that no one person takes a venue off the list.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/reviews.hpp"
#include "analysis/snapshot.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/venue_lookup.hpp"
#include "encode/reviews.hpp"
#include "store/reviews.hpp"

namespace keepout::cli {

namespace {

struct DueArgs {
    std::string as_of;
};
struct ReviewArgs {
    std::string directive, decision, reason, next, lift_in;
    std::vector<std::string> venue_words;
};

std::unique_ptr<store::Store> open_for_reviews(const Global& g) {
    auto s = store::Store::open(g.db);
    s->set_actor(g.actor);
    return s;
}

std::string item_name(const analysis::DueItem& i) {
    if (i.kind == analysis::DueKind::directive_review) return "emergency directive " + i.directive;
    return i.venue + " [" + (i.external_id.empty() ? std::to_string(i.venue_id) : i.external_id) + "]";
}

int cmd_due(const Global& g, const DueArgs& a) {
    auto s = open_for_reviews(g);
    const auto snap = analysis::Snapshot::build(*s, date_or_today(*s, a.as_of));
    const analysis::DueReport r = analysis::reviews_due(*s, *snap);
    if (g.format == "json") {
        std::cout << encode::due_json(r) << '\n';
        return 0;
    }
    std::cout << "Reviews due as of " << r.as_of.iso() << " (" << r.time_zone << "): " << r.overdue() << " overdue, "
              << r.items.size() - r.overdue() << " due within " << r.warning_days << " days; periodic review "
              << (r.review_interval_days ? "every " + std::to_string(r.review_interval_days) + " days"
                                         : std::string("not set (review_interval_days in mission.json)"))
              << "\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : r.items) {
        std::string last;
        if (i.last_review)
            last = std::string(model::to_string(i.last_review->decision)) + " " + i.last_review->decided_on.iso() +
                   " by " + i.last_review->person;
        if (!i.pending_lift.empty()) last += (last.empty() ? "" : "; ") + std::string("lift pending in ") + i.pending_lift;
        rows.push_back({analysis::to_string(i.status), i.due.iso(),
                        i.kind == analysis::DueKind::directive_review ? "directive" : "periodic", item_name(i),
                        i.directive, i.listed_since.iso(), last});
    }
    print_table(std::cout, {"status", "due", "kind", "what", "directive", "since", "last review"}, rows);
    return 0;
}

int cmd_review(const Global& g, const ReviewArgs& a) {
    const std::string venue = join_words(a.venue_words);
    if (a.directive.empty() == venue.empty())
        throw UsageError("review one item: --directive REF (an emergency directive) or a VENUE, not both");
    const auto decision = model::parse_review_decision(a.decision);
    if (!decision) throw UsageError("--decision is keep or lift");
    auto s = open_for_reviews(g);
    store::ReviewRequest q;
    q.directive_ref = a.directive;
    if (!venue.empty()) q.venue = std::to_string(find_venue(*s, venue).id);
    q.decision = *decision;
    q.reason = a.reason;
    if (!a.next.empty()) q.next_review = date_arg(a.next, "--next");
    q.lift_in = a.lift_in;
    if (*decision == model::ReviewDecision::lift && q.lift_in.empty())
        throw UsageError("a review lifts nothing by itself: --lift-in REF names the draft directive that carries the "
                         "lift (keepout directive create REF … first); an approver then issues it");
    if (*decision == model::ReviewDecision::keep && !q.lift_in.empty()) throw UsageError("--lift-in goes with --decision lift");
    if (*decision == model::ReviewDecision::lift && q.next_review) throw UsageError("--next goes with --decision keep");
    const store::RecordedReview rec = store::record_review(*s, q);
    if (g.format == "json") {
        nlohmann::json out = nlohmann::json::parse(encode::review_json(rec.review));
        nlohmann::json lifts = nlohmann::json::array();
        for (const auto& l : rec.lifts) lifts.push_back({{"venue_id", l.venue.id}, {"external_id", l.venue.external_id}, {"name", l.venue.name}});
        out["lifts"] = lifts;
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    const model::Review& r = rec.review;
    const std::string what = r.directive_ref.empty()
                                 ? r.venue_name + " [" + (r.venue_external_id.empty() ? std::to_string(r.venue_id) : r.venue_external_id) + "]"
                                 : "emergency directive " + r.directive_ref;
    if (r.decision == model::ReviewDecision::keep) {
        std::cout << "review of " << what << ": keep, next review " << r.next_review->iso() << " (recorded by "
                  << r.actor << " on " << r.decided_on.iso() << ")\n";
    } else {
        std::cout << "review of " << what << ": lift, placed in the draft " << r.lift_in << " (" << rec.lifts.size()
                  << (rec.lifts.size() == 1 ? " venue" : " venues") << "; recorded by " << r.actor << " on "
                  << r.decided_on.iso() << ")\n"
                  << "nothing leaves the list until " << r.lift_in
                  << " is submitted and issued by an approver other than " << r.person << '\n';
    }
    return 0;
}

}  // namespace

void add_review_commands(CLI::App& app, Global& g, int& rc) {
    static DueArgs da;
    static ReviewArgs ra;
    auto* due = app.add_subcommand(
        "due", "what is due for review: emergency directives at their review date, listings older than the interval");
    due->add_option("--as-of", da.as_of, "the date (default today), the mission's local date");
    due->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember({"table", "json"}));
    due->callback([&] { rc = cmd_due(g, da); });

    auto* review = app.add_subcommand(
        "review", "record a review decision (keep or lift) on an emergency directive or a listed venue, with why");
    review->add_option("--directive", ra.directive, "the emergency directive reviewed (its reference)");
    review->add_option("VENUE", ra.venue_words, "the venue reviewed: id, external id or name (no quotes needed)");
    review->add_option("--decision", ra.decision, "keep or lift")->required()->check(CLI::IsMember({"keep", "lift"}));
    review->add_option("--reason", ra.reason, "why, in words (recorded with who decided)")->required();
    review->add_option("--next", ra.next,
                       "keep: the next review date (a venue's defaults to today plus the mission's interval)");
    review->add_option("--lift-in", ra.lift_in,
                       "lift: the draft directive that receives the lift; an approver other than you issues it");
    review->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember({"table", "json"}));
    review->callback([&] { rc = cmd_review(g, ra); });
}

}  // namespace keepout::cli
