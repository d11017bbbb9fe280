#include "store/operations.hpp"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <set>

#include "store/tokens.hpp"
#include "store/validate.hpp"

namespace keepout::store {

using namespace keepout::model;
using nlohmann::json;

namespace {
std::string venue_key(const Venue& v) { return v.external_id.empty() ? std::to_string(v.id) : v.external_id; }

json venue_json(const Venue& v) {
    return {{"id", v.id},
            {"external_id", v.external_id},
            {"name", v.name},
            {"aliases", v.aliases},
            {"former_names", v.former_names},
            {"category", to_string(v.category)},
            {"address", v.address},
            {"municipality", v.municipality}};
}

json duplicate_ids(const std::vector<DuplicateCandidate>& like) {
    json ids = json::array();
    for (auto& c : like) ids.push_back(c.id);
    return ids;
}
}  // namespace

Directive create_directive(Store& s, const NewDirective& n) {
    if (n.ref.empty()) throw RuleError("a directive needs a reference");
    if (n.title.empty()) throw RuleError("a directive needs a title");
    if (n.effective_on < n.signed_on) throw RuleError("the effective date is before the signed date");
    if (n.emergency && !n.review_on) throw RuleError("an emergency directive needs a review date");
    Directive d;
    d.ref = n.ref;
    d.title = n.title;
    d.authority = n.authority.empty() ? "Head of Mission" : n.authority;
    d.signed_on = n.signed_on;
    d.effective_on = n.effective_on;
    d.emergency = n.emergency;
    d.review_on = n.review_on;
    d.status = DirectiveStatus::draft;
    d.drafted_by = s.person();
    Transaction tx(s.db());
    if (s.find_directive(d.ref)) throw RuleError("directive " + d.ref + " already exists");
    s.insert_directive(d);
    s.record("directive.create", "directive", d.ref, std::nullopt, to_json(d));
    s.bump_draft_revision();  // the list shows issued directives only
    tx.commit();
    return d;
}

std::vector<AddedListing> add_listings(Store& s, const ListingRequest& r) {
    Transaction tx(s.db());
    auto added = add_listings_within(s, r);
    tx.commit();
    return added;
}

std::vector<AddedListing> add_listings_within(Store& s, const ListingRequest& r) {
    if (r.venues.empty()) throw RuleError("name at least one venue");
    Directive d = s.directive(r.directive_ref);
    require_draft(d, r.action == Action::place ? "place venues" : "lift venues");
    std::set<Id> taken;
    for (auto& l : s.listings_of(d.id)) taken.insert(l.venue_id);
    std::vector<AddedListing> added;
    for (auto& key : r.venues) {
        Venue v = s.resolve_venue(key);
        if (!taken.insert(v.id).second) throw RuleError("venue " + key + " already has a listing in " + d.ref);
        Listing l;
        l.directive_id = d.id;
        l.venue_id = v.id;
        l.action = r.action;
        l.reasons = r.reasons;
        if (r.from) l.effective_from = *r.from;
        l.until = r.until;
        l.added_by = s.person();
        prepare_listing(d, l, r.from.has_value());
        s.insert_listing(l);
        s.record(r.action == Action::place ? "listing.place" : "listing.lift", "listing", d.ref + " " + venue_key(v),
                 std::nullopt, to_json(l, d.ref, venue_key(v)));
        added.push_back({v, l});
    }
    s.bump_draft_revision();  // the list shows issued directives only
    return added;
}

Directive submit_directive(Store& s, const std::string& ref) {
    Transaction tx(s.db());
    Directive d = s.directive(ref);
    const std::string before = to_json(d);
    submit(d, s.listings_of(d.id).size(), s.person());
    s.update_directive(d);
    s.record("directive.submit", "directive", d.ref, before, to_json(d));
    s.bump_draft_revision();  // the list shows issued directives only
    tx.commit();
    return d;
}

Directive withdraw_directive(Store& s, const std::string& ref) {
    Transaction tx(s.db());
    Directive d = s.directive(ref);
    const std::string before = to_json(d);
    withdraw(d);
    s.update_directive(d);
    s.record("directive.withdraw", "directive", d.ref, before, to_json(d));
    s.bump_draft_revision();  // the list shows issued directives only
    tx.commit();
    return d;
}

Directive issue_directive(Store& s, const std::string& ref, const IssueOptions& o) {
    Transaction tx(s.db());
    Directive d = s.directive(ref);
    const std::string before = to_json(d);
    IssueRequest r{s.person(), o.emergency_override, o.override_reason};
    const IssueOutcome outcome = issue(d, s.listings_of(d.id), r);
    s.update_directive(d);
    if (o.emergency_override)
        s.record("directive.emergency-override", "directive", d.ref, std::nullopt,
                 json{{"person", s.person()},
                      {"reason", o.override_reason},
                      {"review", d.review_on ? json(d.review_on->iso()) : json(nullptr)},
                      {"four_eyes_conflicts", outcome.overridden}}
                     .dump());
    s.record("directive.issue", "directive", d.ref, before, to_json(d));
    s.bump_list_version();
    s.bump_draft_revision();  // a submission leaves the queue
    tx.commit();
    return d;
}

Directive revoke_directive(Store& s, const std::string& ref, Date on) {
    Transaction tx(s.db());
    Directive d = s.directive(ref);
    const std::string before = to_json(d);
    revoke(d, on);
    s.update_directive(d);
    s.record("directive.revoke", "directive", d.ref, before, to_json(d));
    s.bump_list_version();
    tx.commit();
    return d;
}

Directive supersede_directive(Store& s, const std::string& ref, const std::string& by_ref) {
    Transaction tx(s.db());
    Directive d = s.directive(ref);
    Directive by = s.directive(by_ref);
    if (by.status != DirectiveStatus::issued)
        throw RuleError("directive " + by.ref + " is " + std::string(to_string(by.status)) +
                        "; only an issued directive can supersede another");
    const std::string before = to_json(d);
    supersede(d, by);
    s.update_directive(d);
    s.record("directive.supersede", "directive", d.ref, before, to_json(d));
    s.bump_list_version();
    tx.commit();
    return d;
}

Venue create_venue(Store& s, Venue v, Duplicates duplicates) {
    check_venue(v);
    Transaction tx(s.db());
    if (!v.external_id.empty() && s.external_id_exists(v.external_id))
        throw RuleError("external_id '" + v.external_id + "' is already in the database");
    DuplicateFinder finder(s);
    auto like = finder.find(v, venue_box(v));
    if (!like.empty() && duplicates == Duplicates::refuse) throw DuplicateVenue(std::move(like));
    v.id = s.insert_venue(v);
    json after = venue_json(v);
    if (!like.empty()) after["confirmed_duplicate_of"] = duplicate_ids(like);
    s.record("venue.create", "venue", venue_key(v), std::nullopt, after.dump());
    s.bump_list_version();
    tx.commit();
    return v;
}

Venue update_venue(Store& s, Id id, const VenueChanges& c) {
    Transaction tx(s.db());
    auto found = s.venue(id);
    if (!found) throw NotFound("unknown venue " + std::to_string(id));
    Venue v = *found;
    const std::string before = venue_json(v).dump();
    if (c.name && *c.name != v.name) {
        if (std::find(v.former_names.begin(), v.former_names.end(), v.name) == v.former_names.end())
            v.former_names.push_back(v.name);
        v.name = *c.name;
    }
    if (c.address) v.address = *c.address;
    if (c.municipality) v.municipality = *c.municipality;
    if (c.category) v.category = *c.category;
    if (c.aliases) v.aliases = *c.aliases;
    check_venue(v);  // the venue as it will be: a name, every text and name list in bounds
    // Only the names it did not go by before meet the duplicate rule.
    std::vector<std::string> new_names;
    auto had = [&](const std::string& n) {
        const auto in = [&](const std::vector<std::string>& list) {
            return std::find(list.begin(), list.end(), n) != list.end();
        };
        return n == found->name || in(found->aliases) || in(found->former_names);
    };
    if (!had(v.name)) new_names.push_back(v.name);
    for (auto& a : v.aliases)
        if (!had(a)) new_names.push_back(a);
    std::vector<DuplicateCandidate> like;
    if (!new_names.empty()) {
        DuplicateFinder finder(s);
        like = finder.find(v, venue_box(v), v.id, new_names);
        if (!like.empty() && c.duplicates == Duplicates::refuse) throw DuplicateVenue(std::move(like));
    }
    s.update_venue(v);
    json after = venue_json(v);
    if (!like.empty()) after["confirmed_duplicate_of"] = duplicate_ids(like);
    s.record("venue.update", "venue", venue_key(v), before, after.dump());
    s.bump_list_version();
    tx.commit();
    return v;
}

std::string create_api_token(Store& s, Role role, const std::string& name, std::optional<Date> expires_on) {
    Transaction tx(s.db());
    std::string token = create_token(s.db(), role, name, expires_on);
    const std::string id = token.substr(3, token.find('_', 3) - 3);
    json after{{"name", name}, {"role", to_string(role)}};
    if (expires_on) after["expires"] = expires_on->iso();
    s.record("token.create", "token", id, std::nullopt, after.dump());
    tx.commit();
    return token;
}

void revoke_api_token(Store& s, Id id) {
    Transaction tx(s.db());
    bool known = false;
    for (auto& t : list_tokens(s.db()))
        if (t.id == id) known = true;
    if (!known) throw NotFound("unknown token " + std::to_string(id));
    if (!revoke_token(s.db(), id)) throw RuleError("token " + std::to_string(id) + " is already revoked");
    s.record("token.revoke", "token", std::to_string(id), std::nullopt, json{{"revoked", true}}.dump());
    tx.commit();
}

}  // namespace keepout::store
