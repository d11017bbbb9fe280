#include "model/rules.hpp"

#include <algorithm>
#include <tuple>

namespace keepout::model {

void require_draft(const Directive& d, std::string_view doing) {
    if (d.status == DirectiveStatus::submitted)
        throw RuleError("cannot " + std::string(doing) + " on directive " + d.ref +
                        ": it is submitted for approval; withdraw it to amend it");
    if (d.status != DirectiveStatus::draft)
        throw RuleError("cannot " + std::string(doing) + " on directive " + d.ref + ": it is " +
                        std::string(to_string(d.status)) + ", only drafts can be amended");
}

bool was_issued(DirectiveStatus s) {
    return s == DirectiveStatus::issued || s == DirectiveStatus::revoked || s == DirectiveStatus::superseded;
}

void submit(Directive& d, std::size_t listing_count, std::string_view person) {
    if (d.status == DirectiveStatus::submitted)
        throw RuleError("directive " + d.ref + " is already submitted for approval");
    if (d.status != DirectiveStatus::draft)
        throw RuleError("directive " + d.ref + " is " + std::string(to_string(d.status)) +
                        "; only a draft can be submitted");
    if (listing_count == 0) throw RuleError("directive " + d.ref + " has no listings to submit");
    if (d.effective_on < d.signed_on)
        throw RuleError("directive " + d.ref + " takes effect before it was signed");
    d.status = DirectiveStatus::submitted;
    d.submitted_by = std::string(person);
}

void withdraw(Directive& d) {
    if (d.status != DirectiveStatus::submitted)
        throw RuleError("directive " + d.ref + " is " + std::string(to_string(d.status)) +
                        "; only a submission can be withdrawn");
    d.status = DirectiveStatus::draft;
    d.submitted_by.clear();
}

namespace {
// Lower-case ASCII, runs of white space as one space, no space at either end.
std::string person_key(std::string_view name) {
    std::string out;
    bool space = false;
    for (char c : name) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
    }
    return out;
}
}  // namespace

bool same_person(std::string_view a, std::string_view b) {
    const std::string ka = person_key(a), kb = person_key(b);
    return !ka.empty() && ka == kb;
}

std::vector<std::string> four_eyes_conflicts(const Directive& d, const std::vector<Listing>& listings,
                                             std::string_view person) {
    std::vector<std::string> out;
    if (same_person(d.drafted_by, person)) out.push_back("drafted it");
    std::size_t added = 0;
    for (auto& l : listings)
        if (l.directive_id == d.id && same_person(l.added_by, person)) ++added;
    if (added) out.push_back("added " + std::to_string(added) + " of its " + std::to_string(listings.size()) + " listings");
    return out;
}

IssueOutcome issue(Directive& d, const std::vector<Listing>& listings, const IssueRequest& r) {
    if (d.status == DirectiveStatus::draft)
        throw RuleError("directive " + d.ref + " is a draft: it must be submitted for approval before it is issued");
    if (d.status != DirectiveStatus::submitted)
        throw RuleError("directive " + d.ref + " is already " + std::string(to_string(d.status)) +
                        "; only a submitted directive can be issued");
    if (listings.empty()) throw RuleError("directive " + d.ref + " has no listings to issue");
    if (d.effective_on < d.signed_on)
        throw RuleError("directive " + d.ref + " takes effect before it was signed");
    if (person_key(r.person).empty()) throw RuleError("issuing directive " + d.ref + " needs a named person");
    IssueOutcome out;
    if (r.emergency_override) {
        if (!d.emergency)
            throw OverrideRefused("the four-eyes override is only for emergency directives; " + d.ref + " is not one");
        if (person_key(r.override_reason).empty())
            throw OverrideRefused("the four-eyes override on " + d.ref + " needs a reason");
    }
    auto conflicts = four_eyes_conflicts(d, listings, r.person);
    if (!conflicts.empty()) {
        std::string what;
        for (auto& c : conflicts) what += (what.empty() ? "" : " and ") + c;
        if (!r.emergency_override)
            throw FourEyesViolation("four eyes: " + std::string(r.person) + " " + what + " (directive " + d.ref +
                                    "), so may not also issue it; another approver must");
        out.overridden = std::move(conflicts);
    }
    d.status = DirectiveStatus::issued;
    d.issued_by = r.person;
    return out;
}

void revoke(Directive& d, Date on) {
    if (d.status != DirectiveStatus::issued)
        throw RuleError("directive " + d.ref + " is " + std::string(to_string(d.status)) +
                        "; only an issued directive can be revoked");
    if (on < d.signed_on)
        throw RuleError("revocation date " + on.iso() + " is before directive " + d.ref +
                        " was signed (" + d.signed_on.iso() + ")");
    d.status = DirectiveStatus::revoked;
    d.ended_on = on;
}

void supersede(Directive& d, const Directive& by) {
    if (d.status != DirectiveStatus::issued)
        throw RuleError("directive " + d.ref + " is " + std::string(to_string(d.status)) +
                        "; only an issued directive can be superseded");
    if (by.ref == d.ref) throw RuleError("a directive cannot supersede itself");
    d.status = DirectiveStatus::superseded;
    d.superseded_by = by.ref;
    d.ended_on = by.effective_on;
}

std::vector<std::string_view> reason_codes_for(Action a) {
    std::vector<std::string_view> out;
    for (auto code : all_reason_codes())
        if (reason_fits(*parse_reason(code), a)) out.push_back(code);
    return out;
}

void prepare_listing(const Directive& d, Listing& l, bool effective_from_given) {
    require_draft(d, "add a listing");
    if (l.reasons.empty())
        throw RuleError("a listing needs at least one reason code");
    for (Reason r : l.reasons)
        if (!reason_fits(r, l.action)) {
            std::string fitting;
            for (auto code : reason_codes_for(l.action)) fitting += (fitting.empty() ? "" : ", ") + std::string(code);
            throw RuleError("reason " + std::string(to_string(r)) + " does not apply to a " +
                            std::string(to_string(l.action)) + " (a " + std::string(to_string(l.action)) +
                            " takes " + fitting + ")");
        }
    if (!effective_from_given) l.effective_from = d.effective_on;
    if (l.effective_from < d.effective_on)
        throw RuleError("listing effective " + l.effective_from.iso() + " is before directive " +
                        d.ref + " takes effect (" + d.effective_on.iso() + ")");
    if (l.until) {
        if (l.action == Action::lift) throw RuleError("a lift cannot have an end date");
        if (*l.until < l.effective_from)
            throw RuleError("listing ends (" + l.until->iso() + ") before it starts (" +
                            l.effective_from.iso() + ")");
    }
}

ListHistory::ListHistory(std::vector<Directive> directives, std::vector<Listing> listings)
    : directives_(std::move(directives)), listings_(std::move(listings)) {
    for (std::size_t i = 0; i < directives_.size(); ++i) directive_index_[directives_[i].id] = i;
    for (auto& l : listings_) by_venue_[l.venue_id].push_back(&l);
    auto key = [this](const Listing* l) {
        const Directive* d = directive(l->directive_id);
        return std::tuple{l->effective_from, d ? d->signed_on : Date{}, l->directive_id, l->id};
    };
    for (auto& [venue, acts] : by_venue_)
        std::sort(acts.begin(), acts.end(),
                  [&](const Listing* a, const Listing* b) { return key(a) < key(b); });
}

const Directive* ListHistory::directive(Id id) const {
    auto it = directive_index_.find(id);
    return it == directive_index_.end() ? nullptr : &directives_[it->second];
}

bool ListHistory::counts(const Listing& l, Date on) const {
    const Directive* d = directive(l.directive_id);
    if (!d || !was_issued(d->status)) return false;
    if (l.effective_from > on) return false;
    if (d->ended_on && on >= *d->ended_on) return false;
    return true;
}

std::optional<ListedVenue> ListHistory::state_on(const std::vector<const Listing*>& acts, Date on) const {
    // The latest act that counts on this date decides; an expired place leaves the venue unlisted.
    const Listing* latest = nullptr;
    for (const Listing* l : acts)
        if (counts(*l, on)) latest = l;  // acts are in rule order
    if (!latest || latest->action == Action::lift) return std::nullopt;
    if (latest->until && *latest->until < on) return std::nullopt;
    ListedVenue v;
    v.venue_id = latest->venue_id;
    v.directive_id = latest->directive_id;
    v.reasons = latest->reasons;
    v.until = latest->until;
    return v;
}

std::optional<ListedVenue> ListHistory::resolve(const std::vector<const Listing*>& acts, Date on) const {
    auto current = state_on(acts, on);
    if (!current) return std::nullopt;
    // "Listed since" is the first day of the unbroken run of listed days that ends on `on`. The
    // state can only change on an effective date, the day after an `until`, or a directive's end
    // date, so only those days need asking, latest first.
    std::vector<Date> changes;
    for (const Listing* l : acts) {
        const Directive* d = directive(l->directive_id);
        if (!d || !was_issued(d->status)) continue;
        changes.push_back(l->effective_from);
        if (l->until) changes.push_back(Date{l->until->days() + std::chrono::days{1}});
        if (d->ended_on) changes.push_back(*d->ended_on);
    }
    std::sort(changes.begin(), changes.end());
    changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
    current->listed_since = changes.empty() ? on : changes.front();
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
        if (*it > on) continue;
        if (!state_on(acts, Date{it->days() - std::chrono::days{1}})) {
            current->listed_since = *it;
            break;
        }
    }
    return current;
}

std::vector<ListedVenue> ListHistory::as_of(Date on) const {
    std::vector<ListedVenue> out;
    for (auto& [venue, acts] : by_venue_)
        if (auto v = resolve(acts, on)) out.push_back(std::move(*v));
    return out;
}

std::optional<ListedVenue> ListHistory::venue_as_of(Id venue_id, Date on) const {
    auto it = by_venue_.find(venue_id);
    if (it == by_venue_.end()) return std::nullopt;
    return resolve(it->second, on);
}

std::vector<ListHistory::Entry> ListHistory::venue_history(Id venue_id, Date on) const {
    std::vector<Entry> out;
    auto it = by_venue_.find(venue_id);
    if (it == by_venue_.end()) return out;
    for (const Listing* l : it->second) out.push_back({l, directive(l->directive_id), counts(*l, on)});
    return out;
}

std::optional<Date> ListHistory::first_effective() const {
    std::optional<Date> first;
    for (auto& l : listings_) {
        const Directive* d = directive(l.directive_id);
        if (!d || !was_issued(d->status)) continue;
        if (!first || l.effective_from < *first) first = l.effective_from;
    }
    return first;
}

}  // namespace keepout::model
