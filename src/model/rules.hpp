#pragma once
// The rules of Off-Limits directives, free of I/O: lifecycle, listings and the list as of a date.
//
// The list as of T: every venue whose latest effective listing action at T, from an issued
// directive, is `place` and has not expired. In detail:
//  - drafts never count; a revoked or superseded directive counts only before its end date;
//  - a listing counts from its effective date (inclusive); a place with `until` stops counting
//    after that day;
//  - "latest" orders by effective date, then the directive's signed date, then the order in which
//    directives and listings were recorded, so a same-day place and lift resolve to the later act.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/types.hpp"

namespace keepout::model {

// --- directive lifecycle -------------------------------------------------------------------

// Listings may be added only while a directive is a draft (a submission is locked until withdrawn).
void require_draft(const Directive&, std::string_view doing);
// Whether a directive in this state has ever been in force (issued, then maybe ended): drafts and
// submissions never count.
bool was_issued(DirectiveStatus);
// draft → submitted: the draft goes to the approvers as it is. Needs at least one listing.
void submit(Directive&, std::size_t listing_count, std::string_view person);
// submitted → draft, to amend it.
void withdraw(Directive&);

// Whether two names are the same person: case and spacing do not make a second person.
bool same_person(std::string_view a, std::string_view b);

struct IssueRequest {
    std::string person;            // who issues
    bool emergency_override = false;
    std::string override_reason;   // required with the override
};
struct IssueOutcome {
    // The four-eyes conflicts the override let through (empty when none were overridden).
    std::vector<std::string> overridden;
};
// The four-eyes conflicts of `person` with a directive: drafted it, or added one of its listings.
std::vector<std::string> four_eyes_conflicts(const Directive&, const std::vector<Listing>&, std::string_view person);
// submitted → issued. Throws RuleError unless a submission with listings; FourEyesViolation when
// the person drafted it or added a listing, unless an emergency directive is issued with the
// override and a reason (OverrideRefused otherwise).
IssueOutcome issue(Directive&, const std::vector<Listing>&, const IssueRequest&);
// issued → revoked from `on` (its listings stop counting that day).
void revoke(Directive&, Date on);
// issued → superseded by `by`, from the effective date of `by`.
void supersede(Directive&, const Directive& by);

// The reason codes that fit an action (reason_fits), in their declared order: what a place (or a
// lift) may name, for messages and menus.
std::vector<std::string_view> reason_codes_for(Action);

// Checks a listing before it is added to a draft; fills effective_from from the directive when unset.
void prepare_listing(const Directive&, Listing&, bool effective_from_given);

// --- the list as of a date -----------------------------------------------------------------

struct ListedVenue {
    Id venue_id = 0;
    Id directive_id = 0;          // the directive whose `place` is in force
    Date listed_since;            // start of the current unbroken listing
    std::vector<Reason> reasons;  // of the listing in force
    std::optional<Date> until;
};

// Indexes directives and listings once so many dates can be asked cheaply.
class ListHistory {
public:
    ListHistory(std::vector<Directive> directives, std::vector<Listing> listings);

    // Sorted by venue id.
    std::vector<ListedVenue> as_of(Date) const;
    std::optional<ListedVenue> venue_as_of(Id venue_id, Date) const;

    struct Entry {
        const Listing* listing;
        const Directive* directive;
        bool counts_on_date;  // whether this act is in force for the date asked
    };
    // Every listing of a venue, drafts included, in the order the rules apply them.
    std::vector<Entry> venue_history(Id venue_id, Date on) const;

    const Directive* directive(Id id) const;
    // The earliest effective date of any issued act, if there is one.
    std::optional<Date> first_effective() const;

private:
    bool counts(const Listing&, Date) const;
    std::optional<ListedVenue> state_on(const std::vector<const Listing*>& acts, Date) const;
    std::optional<ListedVenue> resolve(const std::vector<const Listing*>& acts, Date) const;

    std::vector<Directive> directives_;
    std::vector<Listing> listings_;
    std::map<Id, std::size_t> directive_index_;
    std::map<Id, std::vector<const Listing*>> by_venue_;  // sorted in rule order
};

}  // namespace keepout::model
