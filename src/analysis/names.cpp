// Venue names: folded by text::fold_name (the one folding, shared with the store's duplicate rule),
// fuzzy token scoring, and an index that prefilters candidates by trigrams of its token vocabulary
// before scoring them.
//
// Scoring (see token_similarity and Scorer):
//   * a token pair scores from its Damerau–Levenshtein (optimal string alignment) distance d
//     relative to the longer token M: r = d / M; 1 − 0.6·r up to r = 0.25 (one typo in a four-letter
//     word still scores 0.85), then falling linearly to 0 at r = 0.5 (two edits in four letters are
//     another word). Tokens sharing no padded trigram score 0 by definition, which is what lets the
//     index find every pair that can score above 0.
//   * tokens are paired one to one, most similar pairs first, and a name scores the weighted share
//     of tokens paired on both sides: (Σ_a w_a·s_a + Σ_b w_b·s_b) / (Σ_a w_a + Σ_b w_b), s_x being
//     the similarity of x's pair (0 if unpaired), w being 1, 0.2 for category words (bar, hotel,
//     klub…) and 0.1 for function words (e, i, te, the…). Identical folded names score exactly 1;
//     anything else at most 0.99.
#include "analysis/names.hpp"

#include "text/name_fold.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace keepout::analysis {

using text::category_words;
using text::function_words;
using text::osa_distance;
using text::split_words;

namespace {

// ---------------------------------------------------------------------------------------------
// Tokens and their weights

constexpr float kCategoryWeight = 0.2f;
constexpr float kFunctionWeight = 0.1f;

float token_weight(const std::string& token) {
    if (category_words().count(token)) return kCategoryWeight;
    if (function_words().count(token)) return kFunctionWeight;
    return 1.0f;
}

// Tokens come from fold_name, so the UTF-8 is well formed.
std::u32string to_u32(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? lead : len == 2 ? (lead & 0x1Fu) : len == 3 ? (lead & 0x0Fu) : (lead & 0x07u);
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        out.push_back(c);
        i += len;
    }
    return out;
}

// Trigrams of the token padded with two boundary marks on each side ("^^ab", ..., "b$$"), packed
// into 64 bits (three 21-bit code points). Distinct, sorted.
constexpr char32_t kPadStart = 0x1FFFFE;
constexpr char32_t kPadEnd = 0x1FFFFF;

std::vector<std::uint64_t> trigrams(const std::u32string& token) {
    std::u32string padded;
    padded.reserve(token.size() + 4);
    padded.push_back(kPadStart);
    padded.push_back(kPadStart);
    padded += token;
    padded.push_back(kPadEnd);
    padded.push_back(kPadEnd);
    std::vector<std::uint64_t> out;
    out.reserve(padded.size() - 2);
    for (std::size_t i = 0; i + 2 < padded.size(); ++i)
        out.push_back((std::uint64_t{padded[i]} << 42) | (std::uint64_t{padded[i + 1]} << 21) | padded[i + 2]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool share_any(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j]) return true;
        if (a[i] < b[j]) ++i; else ++j;
    }
    return false;
}

// Similarity from the edit distance d relative to the longer length: typos (r ≤ 0.25) stay high,
// half the letters changed is another word.
float similarity_from_distance(std::size_t d, std::size_t longer) {
    if (longer == 0) return 0.0f;
    const double r = static_cast<double>(d) / static_cast<double>(longer);
    if (r <= 0.25) return static_cast<float>(1.0 - 0.6 * r);
    if (r < 0.5) return static_cast<float>(0.85 * (0.5 - r) / 0.25);
    return 0.0f;
}

// Length difference alone can rule a pair out: d ≥ |la − lb| and the score is 0 once d ≥ longer/2.
bool lengths_compatible(std::size_t la, std::size_t lb) {
    const std::size_t longer = std::max(la, lb), diff = longer - std::min(la, lb);
    return 2 * diff < longer;
}

struct Token {
    std::u32string text;
    std::vector<std::uint64_t> grams;
    float weight = 1.0f;
};

Token make_token(const std::string& s) {
    Token t;
    t.text = to_u32(s);
    t.grams = trigrams(t.text);
    t.weight = token_weight(s);
    return t;
}

// For tokens known to share a trigram and to have compatible lengths.
float sharing_token_similarity(std::u32string_view a, std::u32string_view b) {
    if (a == b) return 1.0f;
    const std::size_t longer = std::max(a.size(), b.size());
    // Past (longer − 1) / 2 edits the similarity is 0 whatever the exact distance.
    return similarity_from_distance(osa_distance(a, b, (longer - 1) / 2), longer);
}

float token_similarity(const Token& a, const Token& b) {
    if (a.text == b.text) return 1.0f;
    if (!lengths_compatible(a.text.size(), b.text.size()) || !share_any(a.grams, b.grams)) return 0.0f;
    return sharing_token_similarity(a.text, b.text);
}

constexpr double kNonIdenticalCap = 0.99;

// A possible pairing of query token i with name token j.
struct Pair {
    float sim;
    float weight;  // w_i + w_j: what the pair is worth
    std::uint32_t i, j;
};

// Pairs tokens one to one, most similar first (then the weightier pair, then by position), so a
// query word cannot be credited to two words of the name ("vila" against "Visa Vira"), and scores
// (Σ_i w_i·s_i + Σ_j w_j·s_j) / total, s being the similarity of the pair a token ended up in.
// Both name_similarity and NameIndex::search go through here with tokens in the same order, so
// they agree to the last bit.
struct Scorer {
    static constexpr std::uint32_t kUnpaired = 0xFFFFFFFFu;
    std::vector<Pair> pairs;
    std::vector<float> sim_q, sim_n;
    std::vector<std::uint32_t> partner_q;  // the name token each query token was paired with

    void pair_up(std::size_t m, std::size_t n) {
        std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
            if (a.sim != b.sim) return a.sim > b.sim;
            if (a.weight != b.weight) return a.weight > b.weight;
            return a.i != b.i ? a.i < b.i : a.j < b.j;
        });
        sim_q.assign(m, 0.0f);
        sim_n.assign(n, 0.0f);
        partner_q.assign(m, kUnpaired);
        for (const Pair& p : pairs) {
            if (sim_q[p.i] > 0.0f || sim_n[p.j] > 0.0f) continue;
            sim_q[p.i] = p.sim;
            sim_n[p.j] = p.sim;
            partner_q[p.i] = p.j;
        }
    }

    double score(const float* weight_q, std::size_t m, const float* weight_n, std::size_t n, double total) {
        pair_up(m, n);
        double matched_q = 0, matched_n = 0;
        for (std::size_t i = 0; i < m; ++i) matched_q += static_cast<double>(weight_q[i] * sim_q[i]);
        for (std::size_t j = 0; j < n; ++j) matched_n += static_cast<double>(weight_n[j] * sim_n[j]);
        if (total <= 0) return 0.0;
        return std::clamp((matched_q + matched_n) / total, 0.0, kNonIdenticalCap);
    }
};

// ---------------------------------------------------------------------------------------------
// Words as people type them (NameIndex::candidates)
//
// A query word matches a word of a name
//   * exactly (quality 1);
//   * by a typo: Damerau–Levenshtein distance d ≤ ⌊L/4⌋, L the longer length (one edit from 4
//     letters, two from 8, three from 12; words of 3 letters or fewer only exactly), quality
//     1 − 0.6·d/L (0.85 to 0.95), the same curve as token_similarity;
//   * as a prefix of at least kMinPrefix (4) letters of a longer word ("Pellu" → "Pëllumbi"),
//     quality 0.7 + 0.2·(typed/whole) (0.7 to 0.9, under any typo of the whole word);
//   * as a prefix of 5 letters or more with one typo in it, of a word two letters longer or more
//     ("Pelum" → "Pëllumbi"), 0.1 less.
// A query word that is a category word, or the prefix (3 letters or more) of one ("hote", "nigh"),
// weighs kCategoryWeight; function words weigh kFunctionWeight; every other word is distinctive.
constexpr std::size_t kMinPrefix = 4;

float word_match(std::u32string_view q, std::u32string_view t) {
    if (q == t) return 1.0f;
    const std::size_t lq = q.size(), lt = t.size(), longer = std::max(lq, lt);
    float best = 0.0f;
    const std::size_t typo_cap = longer / 4;
    if (typo_cap >= 1 && longer - std::min(lq, lt) <= typo_cap) {
        const std::size_t d = osa_distance(q, t, typo_cap);
        if (d <= typo_cap)
            best = static_cast<float>(1.0 - 0.6 * static_cast<double>(d) / static_cast<double>(longer));
    }
    if (lq >= kMinPrefix && lt > lq) {
        const float share = static_cast<float>(lq) / static_cast<float>(lt);
        if (t.compare(0, lq, q) == 0) {
            best = std::max(best, 0.7f + 0.2f * share);
        } else if (lq >= 5 && lt >= lq + 2) {
            // The typed letters against the start of the word, one letter more or less (a word
            // only one letter longer is a typo of the whole word or nothing).
            for (std::size_t k = lq - 1; k <= lq + 1 && k < lt; ++k)
                if (osa_distance(q, t.substr(0, k), 1) <= 1) {
                    best = std::max(best, 0.6f + 0.2f * share);
                    break;
                }
        }
    }
    return best;
}

float query_word_weight(const std::string& word) {
    const float w = token_weight(word);
    if (w < 1.0f || word.size() < 3) return w;
    for (const std::string& c : category_words())
        if (c.size() > word.size() && c.compare(0, word.size(), word) == 0) return kCategoryWeight;
    return w;
}

// The class most of a text's letters fall in, by their ICU script: `classify` maps a script to
// one of the N values of E, whose 0 is "none" (no letter at all) and is never counted.
template <typename E, std::size_t N, typename Classify>
E most_letters(std::string_view text, Classify classify) {
    std::array<std::size_t, N> counts{};
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(std::min<std::size_t>(text.size(), 1u << 20));
    for (std::int32_t i = 0; i < length;) {
        UChar32 c = 0;
        U8_NEXT(p, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode sc = uscript_getScript(c, &status);
        if (U_FAILURE(status)) continue;
        ++counts[static_cast<std::size_t>(classify(sc))];
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < counts.size(); ++k)
        if (counts[k] > counts[best]) best = k;
    return counts[best] == 0 ? E{} : static_cast<E>(best);
}

// The writing system most of a text's letters are in: a Cyrillic query is answered with a
// Cyrillic name when the venue has one.
enum class Script : std::uint8_t { none, latin, cyrillic, arabic, greek, other };

Script dominant_script(std::string_view text) {
    return most_letters<Script, 6>(text, [](UScriptCode sc) {
        return sc == USCRIPT_LATIN      ? Script::latin
               : sc == USCRIPT_CYRILLIC ? Script::cyrillic
               : sc == USCRIPT_ARABIC   ? Script::arabic
               : sc == USCRIPT_GREEK    ? Script::greek
                                        : Script::other;
    });
}

// Which side of a skeleton comparison a text is on (text::word_skeleton): Latin, a script whose
// names are compared with Latin by skeletons (Arabic, with the shipped lexicons), or neither.
enum class Side : std::uint8_t { none, latin, skeleton, other };

Side skeleton_side(std::string_view text) {
    return most_letters<Side, 4>(text, [](UScriptCode sc) {
        return sc == USCRIPT_LATIN ? Side::latin : text::compared_by_skeleton(sc) ? Side::skeleton : Side::other;
    });
}

// A word matched only by its consonant skeleton: less than any typo, and less still when the
// skeleton is one or two letters ("Riyah" → "r", "Tinet" → "tn"), which many words share.
constexpr float kSkeletonQuality = 0.75f;
constexpr float kShortSkeletonQuality = 0.65f;
constexpr std::size_t kShortSkeleton = 2;
// A candidate found through skeletons alone is clear only when the distinctive words it was
// found by have this many skeleton letters together ("Tinet ech-Chellal": "tn" + "Sl"); below,
// it stays a candidate, never the one clear answer.
constexpr std::size_t kMinSkeletonAnchor = 4;

}  // namespace

double name_similarity(std::string_view a, std::string_view b) {
    const std::string fa = fold_name(a), fb = fold_name(b);
    if (fa.empty() || fb.empty()) return 0.0;
    if (fa == fb) return 1.0;
    std::vector<Token> ta, tb;
    for (auto& s : split_words(fa)) ta.push_back(make_token(s));
    for (auto& s : split_words(fb)) tb.push_back(make_token(s));
    Scorer scorer;
    std::vector<float> wa, wb;
    double weight_a = 0, weight_b = 0;  // summed as NameIndex does, token by token
    for (auto& t : ta) {
        wa.push_back(t.weight);
        weight_a += static_cast<double>(t.weight);
    }
    for (auto& t : tb) {
        wb.push_back(t.weight);
        weight_b += static_cast<double>(t.weight);
    }
    for (std::size_t i = 0; i < ta.size(); ++i)
        for (std::size_t j = 0; j < tb.size(); ++j)
            if (const float sim = token_similarity(ta[i], tb[j]); sim > 0.0f)
                scorer.pairs.push_back({sim, wa[i] + wb[j], static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
    return scorer.score(wa.data(), wa.size(), wb.data(), wb.size(), weight_a + weight_b);
}

// ---------------------------------------------------------------------------------------------
// The index

struct NameIndex::Impl {
    // Cold: read only for the venues returned.
    struct Stored {
        std::int64_t venue_id = 0;
        std::string text;
        NameKind kind = NameKind::name;
    };
    std::vector<Stored> entries;
    // Hot, read for every candidate: entry e's tokens are entry_tokens[entry_first[e], entry_first[e + 1]).
    std::vector<std::uint32_t> entry_first{0};
    std::vector<std::uint32_t> entry_tokens;  // vocabulary ids
    std::vector<double> entry_weight;         // Σ token weights, summed token by token

    // Fills the scorer's pairs for entry e: each of its tokens that has a similarity row
    // (`row_of`, kNone when none) against each query token it resembles; the entry's token
    // weights go to `weight_n`. Shared by search and the candidate rules.
    // With `skeleton_rows` (parallel to `rows`), a pair takes the better of the two.
    void collect_pairs(std::uint32_t e, const std::vector<std::uint32_t>& row_of, const std::vector<float>& rows,
                       const std::vector<float>& weight_q, std::size_t m, Scorer& scorer,
                       std::vector<float>& weight_n, const std::vector<float>* skeleton_rows = nullptr) const {
        constexpr std::uint32_t kNone = 0xFFFFFFFFu;
        const std::uint32_t first = entry_first[e], last = entry_first[e + 1];
        scorer.pairs.clear();
        weight_n.clear();
        for (std::uint32_t k = first; k < last; ++k) {
            const std::uint32_t v = entry_tokens[k];
            const float w = vocab_weight[v];
            weight_n.push_back(w);
            if (row_of[v] == kNone) continue;
            const float* row = &rows[row_of[v] * m];
            const float* skeleton_row = skeleton_rows ? &(*skeleton_rows)[row_of[v] * m] : nullptr;
            for (std::size_t i = 0; i < m; ++i) {
                const float sim = skeleton_row ? std::max(row[i], skeleton_row[i]) : row[i];
                if (sim > 0.0f) scorer.pairs.push_back({sim, weight_q[i] + w, static_cast<std::uint32_t>(i), k - first});
            }
        }
    }

    // Vocabulary of distinct folded tokens, as parallel arrays: a search checks the lengths of
    // thousands of tokens per query token and reads the letters of few.
    std::vector<std::uint32_t> vocab_length;
    std::vector<std::uint32_t> vocab_offset;  // into vocab_chars
    std::vector<char32_t> vocab_chars;
    std::vector<float> vocab_weight;
    std::unordered_map<std::string, std::uint32_t> vocab_ids;
    std::vector<std::vector<std::uint32_t>> postings;                      // vocab id → entries, ascending
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grams;  // trigram → vocab ids
    std::vector<std::uint32_t> vocab_sorted;  // vocab ids in the order of their text, for prefixes
    std::vector<Script> entry_script;
    // Consonant skeletons (text::word_skeleton), when the installed lexicons have rules for them:
    // which side of a skeleton comparison each entry is on, each vocabulary word's skeleton
    // length, and the words of each skeleton.
    bool skeletons = false;
    std::vector<Side> entry_side;
    std::vector<std::uint32_t> vocab_skeleton_length;
    std::unordered_map<std::string, std::vector<std::uint32_t>> skeleton_words;
    // Folded words of each venue's municipality and address.
    std::unordered_map<std::int64_t, std::vector<std::u32string>> places;

    std::u32string_view vocab_text(std::uint32_t v) const {
        return {vocab_chars.data() + vocab_offset[v], vocab_length[v]};
    }

    std::uint32_t intern(const std::string& s) {
        auto [it, inserted] = vocab_ids.try_emplace(s, static_cast<std::uint32_t>(vocab_length.size()));
        if (inserted) {
            const Token t = make_token(s);
            vocab_length.push_back(static_cast<std::uint32_t>(t.text.size()));
            vocab_offset.push_back(static_cast<std::uint32_t>(vocab_chars.size()));
            vocab_chars.insert(vocab_chars.end(), t.text.begin(), t.text.end());
            vocab_weight.push_back(t.weight);
            postings.emplace_back();
            for (auto g : t.grams) grams[g].push_back(it->second);
        }
        return it->second;
    }
};

NameIndex::NameIndex(std::vector<NameEntry> entries, std::vector<PlaceEntry> places)
    : impl_(std::make_unique<Impl>()) {
    Impl& ix = *impl_;
    ix.entries.reserve(entries.size());
    // Names repeat (a venue's alias often equals its name transliterated): fold each text once.
    std::unordered_map<std::string, std::string> folded_cache;
    for (auto& e : entries) {
        auto [it, inserted] = folded_cache.try_emplace(e.text);
        if (inserted) it->second = fold_name(e.text);
        if (it->second.empty()) continue;  // nothing to match on
        const auto entry_id = static_cast<std::uint32_t>(ix.entries.size());
        double weight = 0;
        for (auto& tok : split_words(it->second)) {
            const std::uint32_t id = ix.intern(tok);
            ix.entry_tokens.push_back(id);
            weight += static_cast<double>(ix.vocab_weight[id]);
            auto& post = ix.postings[id];
            if (post.empty() || post.back() != entry_id) post.push_back(entry_id);
        }
        ix.entry_first.push_back(static_cast<std::uint32_t>(ix.entry_tokens.size()));
        ix.entry_weight.push_back(weight);
        ix.entry_script.push_back(dominant_script(e.text));
        ix.entry_side.push_back(skeleton_side(e.text));
        ix.entries.push_back({e.venue_id, std::move(e.text), e.kind});
    }
    ix.skeletons = text::skeletons_installed();
    ix.vocab_skeleton_length.assign(ix.vocab_length.size(), 0);
    if (ix.skeletons)
        for (const auto& [word, v] : ix.vocab_ids) {
            std::string skeleton = text::word_skeleton(word);
            if (skeleton.empty()) continue;
            ix.vocab_skeleton_length[v] = static_cast<std::uint32_t>(to_u32(skeleton).size());
            ix.skeleton_words[std::move(skeleton)].push_back(v);
        }
    ix.vocab_sorted.resize(ix.vocab_length.size());
    for (std::uint32_t v = 0; v < ix.vocab_sorted.size(); ++v) ix.vocab_sorted[v] = v;
    std::sort(ix.vocab_sorted.begin(), ix.vocab_sorted.end(),
              [&](std::uint32_t a, std::uint32_t b) { return ix.vocab_text(a) < ix.vocab_text(b); });
    for (auto& p : places) {
        auto [it, inserted] = folded_cache.try_emplace(p.text);
        if (inserted) it->second = fold_name(p.text);
        auto& words = ix.places[p.venue_id];
        for (auto& tok : split_words(it->second))
            if (token_weight(tok) >= 1.0f) words.push_back(to_u32(tok));
    }
}

NameIndex::~NameIndex() = default;
NameIndex::NameIndex(NameIndex&&) noexcept = default;
NameIndex& NameIndex::operator=(NameIndex&&) noexcept = default;

std::vector<NameMatch> NameIndex::search(std::string_view query, double min_score, std::size_t limit) const {
    if (!impl_ || limit == 0) return {};
    const Impl& ix = *impl_;
    const std::string folded = fold_name(query);
    if (folded.empty()) return {};
    constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    std::vector<Token> q;
    std::vector<std::uint32_t> q_vocab;  // the query's tokens in the vocabulary, kNone if absent
    std::vector<float> weight_q;
    double q_weight = 0;
    bool any_significant = false;
    for (auto& s : split_words(folded)) {
        q.push_back(make_token(s));
        auto it = ix.vocab_ids.find(s);
        q_vocab.push_back(it == ix.vocab_ids.end() ? kNone : it->second);
        weight_q.push_back(q.back().weight);
        q_weight += static_cast<double>(q.back().weight);
        any_significant = any_significant || q.back().weight >= 1.0f;
    }
    const std::size_t m = q.size();

    // Every vocabulary token similar (above 0) to some query token gets a row of m similarities.
    std::vector<std::uint32_t> row_of(ix.vocab_length.size(), kNone);  // vocab id → row
    std::vector<std::uint32_t> row_vocab;                               // row → vocab id
    std::vector<float> rows;                                            // m per row
    std::vector<std::uint32_t> seen(ix.vocab_length.size(), 0);         // last query token that looked
    for (std::size_t i = 0; i < m; ++i) {
        const auto mark = static_cast<std::uint32_t>(i + 1);
        for (auto g : q[i].grams) {
            auto it = ix.grams.find(g);
            if (it == ix.grams.end()) continue;
            for (std::uint32_t v : it->second) {
                if (seen[v] == mark) continue;
                seen[v] = mark;
                if (!lengths_compatible(q[i].text.size(), ix.vocab_length[v])) continue;
                const float sim = sharing_token_similarity(q[i].text, ix.vocab_text(v));
                if (sim <= 0.0f) continue;
                if (row_of[v] == kNone) {
                    row_of[v] = static_cast<std::uint32_t>(row_vocab.size());
                    row_vocab.push_back(v);
                    rows.resize(rows.size() + m, 0.0f);
                }
                rows[row_of[v] * m + i] = sim;
            }
        }
    }

    // Candidates: entries holding a token similar to a significant query token (one made only of
    // category and function words scores under 0.5 against any name with a word of its own). A
    // query with no significant token takes entries holding a token similar to any of its tokens,
    // but only those that could still reach min_score: the entry side can gain at most the weight
    // of its tokens that have a row ("reach"), the query side at most its own weight.
    std::vector<std::uint32_t> candidates;
    {
        std::vector<float> reach(ix.entries.size(), 0.0f);
        for (std::size_t r = 0; r < row_vocab.size(); ++r) {
            const std::uint32_t v = row_vocab[r];
            bool use = !any_significant;
            for (std::size_t i = 0; i < m && !use; ++i) use = q[i].weight >= 1.0f && rows[r * m + i] > 0.0f;
            if (!use) continue;
            for (std::uint32_t e : ix.postings[v]) {
                if (reach[e] == 0.0f) candidates.push_back(e);
                reach[e] += ix.vocab_weight[v];
            }
        }
        if (!any_significant)
            std::erase_if(candidates, [&](std::uint32_t e) {
                const double entry_weight = ix.entry_weight[e];
                return (q_weight + static_cast<double>(reach[e])) / (q_weight + entry_weight) < min_score;
            });
        std::sort(candidates.begin(), candidates.end());  // walk the entry arrays in order
    }

    struct Best {
        double score = -1;
        std::uint32_t entry = 0;
    };
    std::unordered_map<std::int64_t, Best> best;
    Scorer scorer;
    std::vector<float> weight_n;
    for (std::uint32_t e : candidates) {
        const std::uint32_t first = ix.entry_first[e], last = ix.entry_first[e + 1];
        const bool identical =
            last - first == m && std::equal(q_vocab.begin(), q_vocab.end(), ix.entry_tokens.begin() + first);
        double score = 1.0;
        if (!identical) {
            ix.collect_pairs(e, row_of, rows, weight_q, m, scorer, weight_n);
            score = scorer.score(weight_q.data(), m, weight_n.data(), weight_n.size(), q_weight + ix.entry_weight[e]);
        }
        if (score < min_score) continue;
        const Impl::Stored& s = ix.entries[e];
        Best& b = best[s.venue_id];
        // Ties within a venue go to the name before aliases before former names, then to the first
        // stored (candidates come in ascending order).
        if (score > b.score || (score == b.score && s.kind < ix.entries[b.entry].kind)) b = {score, e};
    }

    std::vector<NameMatch> out;
    out.reserve(best.size());
    for (auto& [venue, b] : best) {
        const Impl::Stored& s = ix.entries[b.entry];
        out.push_back({venue, b.score, s.text, s.kind});
    }
    std::sort(out.begin(), out.end(), [](const NameMatch& a, const NameMatch& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.venue_id < b.venue_id;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

// NameIndex::candidates — the rule (README, "Is it off-limits?"):
//   * every venue whose name, alias or former name contains all the query's distinctive words is
//     a candidate, a word matching as word_match says (exactly, by a typo, or as a prefix);
//   * category and function words of the query need not be in the name (they count little in
//     the score); a query of category words only takes the venues whose name has them all;
//   * a distinctive word not in the name may match the venue's municipality or address
//     ("Zana Prishtinë"), as long as the name holds at least one distinctive query word itself
//     (anchored): "Prishtinë" alone is a town, not a venue;
//   * the score ranks candidates: (Σ_i w_i·q_i + Σ_j w_j·s_j) / (Σ_i w_i + Σ_j w_j), as
//     name_similarity, with word_match qualities and a word found in the place counting on the
//     query side; an identical folded name scores 1, anything else at most 0.99;
//   * across scripts (a Latin query and a name in a script whose lexicon has skeleton rules, as
//     Arabic, or the other way round) a word also matches by its consonant skeleton
//     (text::word_skeleton: "Kharrouba" and "خروبة" are both "Xrb"), with quality 0.75, or 0.65 for
//     a skeleton of one or two letters. A venue found through skeletons alone is anchored only
//     when the skeletons of its matched distinctive words have kMinSkeletonAnchor letters in all;
//     otherwise it is a candidate that is never clear ("Tineh" alone: "tn");
//   * when no venue has them all, venues with all but one of three or more distinctive words are
//     returned as near candidates (a word the user added that the list does not have); with two,
//     one word is too little to go on ("Hotel Kompas Veternik" is not "Motel Blue Compass").
NameCandidates NameIndex::candidates(std::string_view query, std::size_t limit) const {
    NameCandidates out;
    if (!impl_) return out;
    const Impl& ix = *impl_;
    std::vector<std::string> words = split_words(fold_name(query));
    if (words.size() > kMaxQueryWords) words.resize(kMaxQueryWords);
    for (auto& w : words) out.folded += (out.folded.empty() ? "" : " ") + w;
    const std::size_t m = words.size();
    if (m == 0 || limit == 0) return out;
    constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    std::vector<std::u32string> q(m);
    std::vector<float> weight_q(m);
    std::vector<std::uint32_t> q_vocab(m, kNone);
    double q_weight = 0;
    for (std::size_t i = 0; i < m; ++i) {
        q[i] = to_u32(words[i]);
        weight_q[i] = query_word_weight(words[i]);
        q_weight += static_cast<double>(weight_q[i]);
        if (weight_q[i] >= 1.0f) ++out.distinctive_words;
        if (auto it = ix.vocab_ids.find(words[i]); it != ix.vocab_ids.end()) q_vocab[i] = it->second;
    }
    const bool category_only = out.distinctive_words == 0;

    // Every vocabulary word that some query word matches gets a row of m qualities. Typos share a
    // padded trigram with the word; prefixes are looked up in the sorted vocabulary.
    std::vector<std::uint32_t> row_of(ix.vocab_length.size(), kNone);
    std::vector<std::uint32_t> row_vocab;
    std::vector<float> rows;
    // Across scripts (a Latin query and an Arabic name, or the other way round), words also match
    // by their consonant skeletons: the qualities of those matches, row by row as `rows`.
    const Side q_side = ix.skeletons && !category_only ? skeleton_side(query) : Side::none;
    const bool by_skeleton = q_side == Side::latin || q_side == Side::skeleton;
    const Side other_side = q_side == Side::latin ? Side::skeleton : Side::latin;
    std::vector<float> skeleton_rows;
    auto row_for = [&](std::uint32_t v) {
        if (row_of[v] == kNone) {
            row_of[v] = static_cast<std::uint32_t>(row_vocab.size());
            row_vocab.push_back(v);
            rows.resize(rows.size() + m, 0.0f);
            if (by_skeleton) skeleton_rows.resize(rows.size(), 0.0f);
        }
        return row_of[v];
    };
    std::vector<std::uint32_t> seen(ix.vocab_length.size(), 0);
    for (std::size_t i = 0; i < m; ++i) {
        const auto mark = static_cast<std::uint32_t>(i + 1);
        auto consider = [&](std::uint32_t v) {
            if (seen[v] == mark) return;
            seen[v] = mark;
            const float quality = word_match(q[i], ix.vocab_text(v));
            if (quality <= 0.0f) return;
            rows[row_for(v) * m + i] = quality;
        };
        if (q_vocab[i] != kNone) consider(q_vocab[i]);
        if (q[i].size() >= kMinPrefix) {
            const std::u32string_view prefix = q[i];
            auto it = std::lower_bound(ix.vocab_sorted.begin(), ix.vocab_sorted.end(), prefix,
                                       [&](std::uint32_t v, std::u32string_view p) { return ix.vocab_text(v) < p; });
            for (; it != ix.vocab_sorted.end() && ix.vocab_text(*it).substr(0, prefix.size()) == prefix; ++it)
                consider(*it);
        }
        for (auto g : trigrams(q[i])) {
            auto it = ix.grams.find(g);
            if (it == ix.grams.end()) continue;
            for (std::uint32_t v : it->second) consider(v);
        }
        if (by_skeleton) {
            const std::string skeleton = text::word_skeleton(words[i]);
            if (auto it = ix.skeleton_words.find(skeleton); !skeleton.empty() && it != ix.skeleton_words.end())
                for (std::uint32_t v : it->second) {
                    const float quality =
                        ix.vocab_skeleton_length[v] > kShortSkeleton ? kSkeletonQuality : kShortSkeletonQuality;
                    const std::uint32_t r = row_for(v);
                    skeleton_rows[r * m + i] = quality;
                }
        }
    }

    // Entries holding a word that a distinctive query word matches (any query word, for a query of
    // category words only); by skeleton, entries on the other side only.
    std::vector<std::uint32_t> entries;
    for (std::size_t r = 0; r < row_vocab.size(); ++r) {
        bool use = false, use_skeleton = false;
        for (std::size_t i = 0; i < m && !use; ++i) {
            const bool counts = category_only || weight_q[i] >= 1.0f;
            use = rows[r * m + i] > 0.0f && counts;
            use_skeleton = use_skeleton || (by_skeleton && skeleton_rows[r * m + i] > 0.0f && counts);
        }
        const auto& posting = ix.postings[row_vocab[r]];
        if (use) entries.insert(entries.end(), posting.begin(), posting.end());
        else if (use_skeleton)
            for (std::uint32_t e : posting)
                if (ix.entry_side[e] == other_side) entries.push_back(e);
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());

    const Script q_script = dominant_script(query);
    struct Found {
        NameCandidate best;
        std::uint32_t entry = 0;
        bool near = false;
        double script_score = -1;  // best entry in the query's script
        std::uint32_t script_entry = 0;
    };
    std::unordered_map<std::int64_t, Found> found;
    Scorer scorer;
    std::vector<float> weight_n;
    for (std::uint32_t e : entries) {
        const std::uint32_t first = ix.entry_first[e], last = ix.entry_first[e + 1];
        const std::size_t n = last - first;
        const bool cross = by_skeleton && ix.entry_side[e] == other_side;
        ix.collect_pairs(e, row_of, rows, weight_q, m, scorer, weight_n, cross ? &skeleton_rows : nullptr);
        scorer.pair_up(m, n);
        const std::int64_t venue = ix.entries[e].venue_id;
        const std::vector<std::u32string>* place = nullptr;
        if (auto it = ix.places.find(venue); it != ix.places.end()) place = &it->second;

        bool anchored = false, every_category = true;
        std::size_t skeleton_anchor = 0;  // skeleton letters of the distinctive words matched only so
        std::size_t missing = 0;
        std::uint32_t place_words = 0;
        double matched = 0;
        for (std::size_t i = 0; i < m; ++i) {
            float quality = scorer.sim_q[i];
            if (quality > 0.0f && weight_q[i] >= 1.0f && weight_n[scorer.partner_q[i]] >= 1.0f) {
                const std::uint32_t v = ix.entry_tokens[first + scorer.partner_q[i]];
                if (rows[row_of[v] * m + i] >= quality) anchored = true;  // by its letters
                else skeleton_anchor += ix.vocab_skeleton_length[v];
            }
            if (quality <= 0.0f && weight_q[i] >= 1.0f) {
                if (place)
                    for (auto& word : *place) quality = std::max(quality, word_match(q[i], word));
                if (quality > 0.0f) ++place_words;
                else ++missing;
            }
            // Asked for "hotel", a motel is another kind of venue: category words alone match
            // whole words or their beginnings only, not typos.
            if (category_only && weight_q[i] == kCategoryWeight) {
                bool whole_or_start = false;
                for (std::uint32_t k = first; k < last && !whole_or_start; ++k)
                    whole_or_start = ix.vocab_text(ix.entry_tokens[k]).substr(0, q[i].size()) == q[i];
                every_category = every_category && whole_or_start;
            }
            matched += static_cast<double>(weight_q[i] * quality);
        }
        // Found by skeletons alone, a venue is a candidate; with too few skeleton letters to go on,
        // never the clear one (a weak match is for the user to judge, not a verdict).
        const bool by_skeletons = !anchored && skeleton_anchor > 0;
        anchored = anchored || skeleton_anchor >= kMinSkeletonAnchor;
        bool near = false;
        if (category_only) {
            if (!every_category) continue;
        } else if ((!anchored && !by_skeletons) || missing > 1 || (missing == 1 && out.distinctive_words < 3)) {
            continue;
        } else {
            near = missing == 1;
        }
        bool complete = true;
        for (std::size_t j = 0; j < n; ++j) {
            matched += static_cast<double>(weight_n[j] * scorer.sim_n[j]);
            if (weight_n[j] >= 1.0f && scorer.sim_n[j] <= 0.0f) complete = false;
        }
        const bool exact = n == m && std::equal(q_vocab.begin(), q_vocab.end(), ix.entry_tokens.begin() + first);
        const double total = q_weight + ix.entry_weight[e];
        const double score = exact ? 1.0 : total <= 0 ? 0.0 : std::clamp(matched / total, 0.0, kNonIdenticalCap);

        auto [it, inserted] = found.try_emplace(venue);
        Found& f = it->second;
        const Impl::Stored& stored = ix.entries[e];
        // A full candidate entry beats a near one; then the higher score; then name before alias
        // before former name (entries come in ascending order, so the first stored wins a tie).
        const bool better = inserted || (f.near && !near) ||
                            (f.near == near && (score > f.best.score ||
                                                (score == f.best.score && stored.kind < f.best.kind)));
        if (better) {
            if (f.near && !near) f.script_score = -1;  // what was found in near entries no longer counts
            f.best = {venue, score, stored.text, stored.kind, exact, complete, anchored, place_words};
            f.entry = e;
            f.near = near;
        }
        if (q_script != Script::none && ix.entry_script[e] == q_script && (f.near == near) && score > f.script_score) {
            f.script_score = score;
            f.script_entry = e;
        }
    }

    for (auto& [venue, f] : found) {
        // The name the user will recognise: in the script they typed, when that one is as good a
        // match (within 0.1) as the best.
        if (f.script_score >= 0 && f.script_entry != f.entry && f.script_score >= f.best.score - 0.1) {
            f.best.matched = ix.entries[f.script_entry].text;
            f.best.kind = ix.entries[f.script_entry].kind;
        }
        if (f.near) {
            out.near.push_back(std::move(f.best));
        } else {
            out.full_complete += f.best.complete;
            out.full_exact += f.best.exact;
            out.full.push_back(std::move(f.best));
        }
    }
    auto rank = [](const NameCandidate& a, const NameCandidate& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.venue_id < b.venue_id;
    };
    std::sort(out.full.begin(), out.full.end(), rank);
    out.full_total = out.full.size();
    if (out.full.size() > limit) out.full.resize(limit);
    if (out.full.empty()) {
        std::sort(out.near.begin(), out.near.end(), rank);
        out.near_total = out.near.size();
        if (out.near.size() > limit) out.near.resize(limit);
    } else {
        out.near.clear();
    }
    return out;
}

}  // namespace keepout::analysis
