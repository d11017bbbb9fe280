#pragma once
// The writes of keepout, each one transaction: validated by the model's rules, recorded in the
// audit log under the store's actor, and bumping the list version (writes the list or a check can
// show) or the draft revision (drafts and submissions). The command line and the HTTP
// API both go through here, so a rule holds whichever way a change arrives.
#include <optional>
#include <string>
#include <vector>

#include "model/rules.hpp"
#include "store/duplicates.hpp"
#include "store/repository.hpp"

namespace keepout::store {

struct NewDirective {
    std::string ref, title, authority = "Head of Mission";
    model::Date signed_on, effective_on;
    bool emergency = false;
    std::optional<model::Date> review_on;
};
model::Directive create_directive(Store&, const NewDirective&);

struct ListingRequest {
    std::string directive_ref;
    std::vector<std::string> venues;  // id, external_id or exact name
    model::Action action = model::Action::place;
    std::vector<model::Reason> reasons;
    std::optional<model::Date> from, until;
};
struct AddedListing {
    model::Venue venue;
    model::Listing listing;
};
// All or nothing: one unknown venue or broken rule and no listing is added.
std::vector<AddedListing> add_listings(Store&, const ListingRequest&);
// The same within the caller's transaction (a review that places a lift in a draft).
std::vector<AddedListing> add_listings_within(Store&, const ListingRequest&);

// draft → submitted, and back: a submission is locked for the approvers until withdrawn.
model::Directive submit_directive(Store&, const std::string& ref);
model::Directive withdraw_directive(Store&, const std::string& ref);

struct IssueOptions {
    bool emergency_override = false;  // documented emergency: the four-eyes rule is set aside
    std::string override_reason;
};
// Issues a submission as the store's person. Four eyes, whichever way it arrives: nobody issues a
// directive they drafted or hold a listing of (model::FourEyesViolation), except an emergency
// directive with the override and a reason, which the audit log records.
model::Directive issue_directive(Store&, const std::string& ref, const IssueOptions& = {});
model::Directive revoke_directive(Store&, const std::string& ref, model::Date on);
model::Directive supersede_directive(Store&, const std::string& ref, const std::string& by_ref);

// A new venue, checked like an imported row (store::check_venue: name, texts and name lists in
// bounds, geometry in lon/lat range and valid; InvalidField naming the field otherwise). One
// within kDuplicateRadiusM of another with a similar name is refused (DuplicateVenue, with the
// candidates) unless `duplicates` is confirmed; the audit log records what was confirmed.
model::Venue create_venue(Store&, model::Venue, Duplicates duplicates = Duplicates::refuse);

struct VenueChanges {
    std::optional<std::string> name, address, municipality;
    std::optional<model::Category> category;
    std::optional<std::vector<std::string>> aliases;
    // A new name or alias like another venue's within kDuplicateRadiusM is refused as in
    // create_venue unless confirmed; the names the venue already had are not checked again.
    Duplicates duplicates = Duplicates::refuse;
};
// A new name keeps the old one as a former name: renaming never lifts a listing. The venue as
// changed is checked as create_venue checks a new one.
model::Venue update_venue(Store&, model::Id id, const VenueChanges&);

// A token for a named person, printed once; `expires_on` is the last day it works.
std::string create_api_token(Store&, model::Role role, const std::string& name,
                             std::optional<model::Date> expires_on = std::nullopt);
// Revokes a token (NotFound when there is no such token, RuleError when already revoked).
void revoke_api_token(Store&, model::Id id);

}  // namespace keepout::store
