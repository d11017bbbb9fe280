#include "model/types.hpp"

#include <array>
#include <utility>

namespace keepout::model {

namespace {
template <class E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Category, 10> categories{{{Category::bar, "bar"},
                                          {Category::nightclub, "nightclub"},
                                          {Category::brothel, "brothel"},
                                          {Category::hotel, "hotel"},
                                          {Category::motel, "motel"},
                                          {Category::restaurant, "restaurant"},
                                          {Category::cafe, "cafe"},
                                          {Category::massage, "massage"},
                                          {Category::private_house, "private-house"},
                                          {Category::other, "other"}}};
constexpr Table<Reason, 10> reasons{{{Reason::trafficking, "trafficking"},
                                     {Reason::prostitution, "prostitution"},
                                     {Reason::organized_crime, "organized-crime"},
                                     {Reason::minors, "minors"},
                                     {Reason::health_safety, "health-safety"},
                                     {Reason::force_protection, "force-protection"},
                                     {Reason::corrective_action, "corrective-action"},
                                     {Reason::closed, "closed"},
                                     {Reason::listed_in_error, "listed-in-error"},
                                     {Reason::other, "other"}}};
constexpr Table<DirectiveStatus, 5> statuses{{{DirectiveStatus::draft, "draft"},
                                              {DirectiveStatus::submitted, "submitted"},
                                              {DirectiveStatus::issued, "issued"},
                                              {DirectiveStatus::revoked, "revoked"},
                                              {DirectiveStatus::superseded, "superseded"}}};
constexpr Table<Action, 2> actions{{{Action::place, "place"}, {Action::lift, "lift"}}};
constexpr Table<SiteKind, 5> site_kinds{{{SiteKind::military, "military"},
                                         {SiteKind::police, "police"},
                                         {SiteKind::civilian, "civilian"},
                                         {SiteKind::hq, "hq"},
                                         {SiteKind::other, "other"}}};

constexpr Table<Role, 3> roles{{{Role::reader, "reader"}, {Role::editor, "editor"}, {Role::approver, "approver"}}};

template <class E, std::size_t N>
std::string_view name_of(const Table<E, N>& t, E e) {
    for (auto& [k, v] : t)
        if (k == e) return v;
    return "?";
}
template <class E, std::size_t N>
std::optional<E> lookup(const Table<E, N>& t, std::string_view s) {
    for (auto& [k, v] : t)
        if (v == s) return k;
    return std::nullopt;
}
template <class E, std::size_t N>
std::vector<std::string_view> codes(const Table<E, N>& t) {
    std::vector<std::string_view> out;
    for (auto& kv : t) out.push_back(kv.second);
    return out;
}
}  // namespace

std::string_view to_string(Category c) { return name_of(categories, c); }
std::string_view to_string(Reason r) { return name_of(reasons, r); }
std::vector<std::string> reason_codes(const std::vector<Reason>& rs) {
    std::vector<std::string> out;
    out.reserve(rs.size());
    for (Reason r : rs) out.emplace_back(to_string(r));
    return out;
}
std::string_view to_string(DirectiveStatus s) { return name_of(statuses, s); }
std::string_view to_string(Action a) { return name_of(actions, a); }
std::string_view to_string(SiteKind k) { return name_of(site_kinds, k); }
std::string_view to_string(Role r) { return name_of(roles, r); }
std::optional<Category> parse_category(std::string_view s) { return lookup(categories, s); }
std::optional<Reason> parse_reason(std::string_view s) { return lookup(reasons, s); }
std::optional<DirectiveStatus> parse_status(std::string_view s) { return lookup(statuses, s); }
std::optional<Action> parse_action(std::string_view s) { return lookup(actions, s); }
std::optional<SiteKind> parse_site_kind(std::string_view s) { return lookup(site_kinds, s); }
std::optional<Role> parse_role(std::string_view s) { return lookup(roles, s); }
std::vector<std::string_view> all_category_codes() { return codes(categories); }
std::vector<std::string_view> all_reason_codes() { return codes(reasons); }

bool reason_fits(Reason r, Action a) {
    if (r == Reason::other) return true;
    const bool lift_reason = r == Reason::corrective_action || r == Reason::closed || r == Reason::listed_in_error;
    return lift_reason == (a == Action::lift);
}

}  // namespace keepout::model
