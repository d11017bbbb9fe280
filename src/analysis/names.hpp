#pragma once
// "Is this venue prohibited?" by name: names folded to plain Latin (any script, diacritics gone,
// case folded, punctuation dropped) and compared fuzzily, with category words weighed low.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/errors.hpp"
#include "text/name_fold.hpp"

namespace keepout::analysis {

// The one folding of names (text/name_fold.hpp): "Ноћни клуб Ëndrra" → "nocni klub endrra".
using text::fold_name;

enum class NameKind { name, alias, former };

struct NameEntry {
    std::int64_t venue_id = 0;
    std::string text;
    NameKind kind = NameKind::name;
};

struct NameMatch {
    std::int64_t venue_id = 0;
    double score = 0;          // in [0, 1]; 1 is the same folded name
    std::string matched;       // the name or alias that matched, as stored
    NameKind kind = NameKind::name;
};

// A score at or above this counts as the venue: documented in the README, tested with near misses.
inline constexpr double kNameMatchThreshold = 0.80;
// Why 0.80 (see names.cpp for the formula): one typo in a four-letter word scores that token 0.85,
// so a two-word name with one such typo, or with its category word left out, scores 0.83–0.95
// ("Zlatna Vla" against "Бар Златна Вила": 0.88). A name whose one distinctive word differs (two
// edits in four letters score 0) lands near 0.55 ("Bar Zlatna Vila" / "Bar Zlatna Reka": 0.545),
// one word of two near 0.63 ("Zlatna" / "Бар Златна Вила": 0.625), a query sharing only category
// words under 0.45. 0.80 sits in the gap, a little nearer the typos than the misses.

// A venue's municipality or address: what the words of a query that are not in the name may match
// ("Zana Prishtinë").
struct PlaceEntry {
    std::int64_t venue_id = 0;
    std::string text;
};

// A venue that the query names, by the rules of NameIndex::candidates.
struct NameCandidate {
    std::int64_t venue_id = 0;
    double score = 0;        // in [0, 1], for ranking; 1 is the same folded name
    std::string matched;     // the name or alias that matched, as stored (in the query's script when one does)
    NameKind kind = NameKind::name;
    bool exact = false;      // the query folds to this very name
    bool complete = false;   // every distinctive word of that name is in the query
    // A distinctive word of the query is a distinctive word of the name, or, across scripts, the
    // distinctive words matched by their consonant skeletons have enough letters to go on
    // (names.cpp). A candidate that is not anchored is never the one clear answer.
    bool anchored = false;
    std::uint32_t place_words = 0;  // query words found in the municipality or address, not the name
};

struct NameCandidates {
    std::string folded;                // the query as matched
    std::size_t distinctive_words = 0; // query words that are neither category nor function words
    // Venues with every distinctive query word (in the name, or in the municipality/address but
    // the name holding at least one), best first, at most `limit`; for a query of category words
    // only, venues whose name has them all.
    std::vector<NameCandidate> full;
    std::size_t full_total = 0;     // before the limit
    std::size_t full_complete = 0;  // how many of all of them are complete
    std::size_t full_exact = 0;     // how many of all of them are exact
    // Only when `full` is empty and the query has three or more distinctive words: venues with
    // all of them but one (a word the user added that the list does not have), best first.
    std::vector<NameCandidate> near;
    std::size_t near_total = 0;
};

// Immutable index over every name, alias and former name of a set of venues; thread-safe to query.
class NameIndex {
public:
    explicit NameIndex(std::vector<NameEntry> entries, std::vector<PlaceEntry> places = {});
    ~NameIndex();
    NameIndex(NameIndex&&) noexcept;
    NameIndex& operator=(NameIndex&&) noexcept;

    // Best match per venue, highest score first, at most `limit`, only scores >= min_score.
    std::vector<NameMatch> search(std::string_view query, double min_score = 0.5, std::size_t limit = 10) const;

    // The venues a query names, as people type names (rules and thresholds in names.cpp).
    // Query words past kMaxQueryWords are ignored.
    NameCandidates candidates(std::string_view query, std::size_t limit = 50) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

inline constexpr std::size_t kMaxQueryWords = 16;

// Similarity of two names in [0, 1] (both folded inside); the score search() uses, to the last bit.
// Names that fold to nothing ("", "!!") are similar to nothing, not even each other: 0.
double name_similarity(std::string_view a, std::string_view b);

}  // namespace keepout::analysis
