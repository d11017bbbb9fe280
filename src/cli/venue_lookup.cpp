#include "cli/venue_lookup.hpp"

#include <algorithm>
#include <map>

#include "analysis/check.hpp"
#include "analysis/names.hpp"
#include "cli/commands.hpp"
#include "store/repository.hpp"
#include "text/utf8.hpp"

namespace keepout::cli {

using namespace keepout::model;
using analysis::NameCandidate;
using analysis::NameIndex;

namespace {

// How many venues a message lists.
constexpr std::size_t kListed = 10;

// Every venue with the names, aliases and former names it can be found by.
struct Directory {
    std::map<Id, Venue> venues;
    NameIndex names;
};

Directory load_directory(store::Store& s) {
    std::map<Id, Venue> venues;
    std::vector<analysis::NameEntry> names;
    std::vector<analysis::PlaceEntry> places;
    for (auto& v : s.venues()) {
        v.geometry.clear();  // names are all a lookup needs
        names.push_back({v.id, v.name, analysis::NameKind::name});
        for (auto& a : v.aliases) names.push_back({v.id, a, analysis::NameKind::alias});
        for (auto& f : v.former_names) names.push_back({v.id, f, analysis::NameKind::former});
        if (!v.municipality.empty()) places.push_back({v.id, v.municipality});
        if (!v.address.empty()) places.push_back({v.id, v.address});
        const Id id = v.id;
        venues.emplace(id, std::move(v));
    }
    return {std::move(venues), NameIndex(std::move(names), std::move(places))};
}

std::string venue_line(const Venue& v, const std::string& matched) {
    std::string line = "\n  id " + std::to_string(v.id) + (v.external_id.empty() ? "" : ", " + v.external_id) + ": " +
                       v.name;
    if (!matched.empty() && matched != v.name) line += " (as " + matched + ")";
    return line;
}

// The venues closest to a name that none is called: the best scores of the fuzzy search.
std::string closest_text(const Directory& d, const std::string& query) {
    std::string out;
    for (auto& m : d.names.search(query, 0.4, 5))
        if (auto it = d.venues.find(m.venue_id); it != d.venues.end()) out += venue_line(it->second, m.matched);
    return out.empty() ? "" : "; the closest names:" + out;
}

void check_query(const std::string& query) {
    if (!text::is_valid_utf8(query)) throw UsageError("the venue name is not valid UTF-8");
    if (text::code_points(query) > analysis::kMaxNameQueryChars)
        throw UsageError("the venue name is longer than " + std::to_string(analysis::kMaxNameQueryChars) +
                         " characters");
}

}  // namespace

Venue find_venue(store::Store& s, const std::string& query) {
    check_query(query);
    try {
        return s.resolve_venue(query);
    } catch (const store::NotFound&) {
        // not an id, external_id or exact name: a name as people type it
    } catch (const RuleError&) {
        // an exact name of several venues: listed below with their ids
    }
    const Directory d = load_directory(s);
    const auto found = d.names.candidates(query, 50);
    if (!found.full.empty()) {
        std::vector<NameCandidate> all = found.full;
        std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.score > b.score; });
        const NameCandidate& top = all.front();
        // The rule by which `check --name` calls one candidate the venue meant.
        const bool clear = top.anchored && (found.full_total == 1 || (top.exact && found.full_exact == 1) ||
                                            (top.complete && found.full_complete == 1));
        if (clear) return d.venues.at(top.venue_id);
        std::string list;
        for (std::size_t i = 0; i < all.size() && i < kListed; ++i)
            list += venue_line(d.venues.at(all[i].venue_id), all[i].matched);
        if (found.full_total > kListed) list += "\n  … and " + std::to_string(found.full_total - kListed) + " more";
        throw UsageError(text::quote(query, 60) + " fits " + std::to_string(found.full_total) +
                         " venues; give the id or external_id of the one you mean (or more of its name):" + list);
    }
    throw UsageError("no venue is called " + text::quote(query, 60) + " (nor has that id or external_id)" +
                     closest_text(d, query));
}

void require_exact_venue(store::Store& s, const std::string& key) {
    check_query(key);
    try {
        s.resolve_venue(key);
        return;
    } catch (const store::NotFound&) {
        const Directory d = load_directory(s);
        throw UsageError("no venue has the id, external_id or exact name " + text::quote(key, 60) +
                         closest_text(d, key));
    } catch (const RuleError&) {
        const Directory d = load_directory(s);
        std::string list;
        std::size_t n = 0;
        for (auto& [id, v] : d.venues) {
            const bool named = v.name == key || std::find(v.aliases.begin(), v.aliases.end(), key) != v.aliases.end() ||
                               std::find(v.former_names.begin(), v.former_names.end(), key) != v.former_names.end();
            if (named && n++ < kListed) list += venue_line(v, "");
        }
        throw UsageError(std::to_string(n) + " venues are called " + text::quote(key, 60) +
                         "; give the id or external_id of the one you mean:" + list);
    }
}

}  // namespace keepout::cli
