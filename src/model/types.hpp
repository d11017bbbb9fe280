#pragma once
// Plain domain types of keepout. No I/O here: the store and the importers fill these in.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.hpp"

namespace keepout::model {

// A rule of the domain was broken (issuing twice, placing on an issued directive, …).
struct RuleError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Four eyes: the person issuing a directive drafted it or added one of its listings.
struct FourEyesViolation : RuleError {
    using RuleError::RuleError;
};
// An emergency override of the four-eyes rule that cannot be accepted (no reason, not an emergency).
struct OverrideRefused : RuleError {
    using RuleError::RuleError;
};

enum class Category { bar, nightclub, brothel, hotel, motel, restaurant, cafe, massage, private_house, other };
// Reasons to place a venue (trafficking … force-protection) and to lift one (corrective-action,
// closed, listed-in-error); `other` serves both.
enum class Reason {
    trafficking, prostitution, organized_crime, minors, health_safety, force_protection,
    corrective_action, closed, listed_in_error, other
};
enum class DirectiveStatus { draft, submitted, issued, revoked, superseded };
enum class Action { place, lift };
bool reason_fits(Reason, Action);
enum class SiteKind { military, police, civilian, hq, other };
// API roles, each allowed what the one before it may do: reader < editor < approver.
enum class Role { reader, editor, approver };

// Codes as written in files, on the command line and in JSON ("private-house", "organized-crime").
std::string_view to_string(Category);
std::string_view to_string(Reason);
std::string_view to_string(DirectiveStatus);
std::string_view to_string(Action);
std::string_view to_string(SiteKind);
std::string_view to_string(Role);
// The codes of several reasons, in order (for JSON arrays).
std::vector<std::string> reason_codes(const std::vector<Reason>&);
std::optional<Category> parse_category(std::string_view);
std::optional<Reason> parse_reason(std::string_view);
std::optional<DirectiveStatus> parse_status(std::string_view);
std::optional<Action> parse_action(std::string_view);
std::optional<SiteKind> parse_site_kind(std::string_view);
std::optional<Role> parse_role(std::string_view);
std::vector<std::string_view> all_category_codes();
std::vector<std::string_view> all_reason_codes();

using Id = std::int64_t;

// Geometry travels through the model as ISO WKB in EPSG:4326 (lon/lat); the model never looks inside.
using Wkb = std::string;

struct Venue {
    Id id = 0;
    std::string external_id;  // empty when the source had none
    std::string name;
    std::vector<std::string> aliases;
    std::vector<std::string> former_names;
    Category category = Category::other;
    std::string address;
    std::string municipality;
    Wkb geometry;
};

struct Directive {
    Id id = 0;
    std::string ref;
    std::string title;
    std::string authority;
    Date signed_on;
    Date effective_on;
    DirectiveStatus status = DirectiveStatus::draft;
    bool emergency = false;
    std::optional<Date> review_on;
    std::optional<Date> ended_on;        // revocation date, or the effective date of the superseding act
    std::string superseded_by;           // ref of the directive that replaced this one
    // People, not tokens: a person may hold several tokens under one name.
    std::string drafted_by;
    std::string submitted_by;
    std::string issued_by;
};

struct Listing {
    Id id = 0;
    Id directive_id = 0;
    Id venue_id = 0;
    Action action = Action::place;
    std::vector<Reason> reasons;
    Date effective_from;
    std::optional<Date> until;  // last day in force, inclusive; place only
    std::string added_by;       // the person who added it (four eyes)
};

struct Site {
    Id id = 0;
    std::string name;
    SiteKind kind = SiteKind::other;
    std::string contingent;
    std::int64_t personnel = 0;
    Wkb geometry;
};

struct Sector {
    Id id = 0;
    std::string name;
    std::string unit;
    Wkb geometry;
};

}  // namespace keepout::model
