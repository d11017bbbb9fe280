// Venue names: folding to plain lower-case ASCII-ish Latin, fuzzy token scoring, and an index that
// prefilters candidates by trigrams of its token vocabulary before scoring them.
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

#include <unicode/errorcode.h>
#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace keepout::analysis {

namespace {

// ---------------------------------------------------------------------------------------------
// Folding

// Serbian Cyrillic ђ џ љ њ go to their Serbian Latin spellings before Any-Latin (which would give
// d̂ l̂ n̂ for џ љ њ), and Latin đ becomes "dj", the usual ASCII spelling, so "Ђурђевак" and "Đurđevak"
// both fold to "djurdjevak". Cyrillic ћ → ć and ж → ž come out of Any-Latin already as in Serbian Latin.
constexpr const char* kFoldRules =
    ":: NFC ;"
    "ђ > dj ; Ђ > Dj ; џ > dž ; Џ > Dž ; љ > lj ; Љ > Lj ; њ > nj ; Њ > Nj ;"
    ":: Any-Latin ;"
    "đ > dj ; Đ > Dj ;"
    ":: Latin-ASCII ;"
    ":: Lower ;";

const icu::Transliterator& prototype() {
    static const std::unique_ptr<icu::Transliterator> proto = [] {
        UParseError parse_error{};
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
            icu::UnicodeString::fromUTF8("keepout-fold-name"), icu::UnicodeString::fromUTF8(kFoldRules),
            UTRANS_FORWARD, parse_error, status));
        if (U_FAILURE(status) || !t)
            throw std::runtime_error(std::string("ICU transliterator for names: ") + u_errorName(status));
        return t;
    }();
    return *proto;
}

// One clone per thread: Transliterator::transliterate is not thread-safe, and ICU does not promise
// that even clone() is, hence the lock around it.
icu::Transliterator& thread_transliterator() {
    thread_local std::unique_ptr<icu::Transliterator> local = [] {
        static std::mutex clone_mutex;
        const icu::Transliterator& proto = prototype();
        std::lock_guard lock(clone_mutex);
        std::unique_ptr<icu::Transliterator> copy(proto.clone());
        if (!copy) throw std::runtime_error("ICU transliterator for names: clone failed");
        return copy;
    }();
    return *local;
}

void append_utf8(std::string& out, UChar32 c) {
    const auto u = static_cast<std::uint32_t>(c);
    if (u < 0x80) {
        out.push_back(static_cast<char>(u));
    } else if (u < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (u >> 6)));
        out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    } else if (u < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (u >> 12)));
        out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (u >> 18)));
        out.push_back(static_cast<char>(0x80 | ((u >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((u >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (u & 0x3F)));
    }
}

bool is_apostrophe(UChar32 c) {
    switch (c) {
        case 0x27:    // '
        case 0x60:    // `
        case 0xB4:    // ´
        case 0x2B9:   // ʹ
        case 0x2BB:   // ʻ
        case 0x2BC:   // ʼ
        case 0x2018:  // ‘
        case 0x2019:  // ’
        case 0x2032:  // ′
            return true;
        default:
            return false;
    }
}

// Letters and digits stay, apostrophes vanish, combining marks left by the transliterator vanish,
// everything else (spaces, punctuation, symbols) separates words; runs collapse, ends trimmed.
template <typename Next>
void clean_into(std::string& out, Next&& next) {
    bool pending_space = false;
    UChar32 c = 0;
    while (next(c)) {
        if (is_apostrophe(c)) continue;
        const auto type = static_cast<UCharCategory>(u_charType(c));
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK ||
            type == U_FORMAT_CHAR)
            continue;
        const bool keep = u_isalnum(c) != 0;
        if (!keep) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        append_utf8(out, c < 0x80 ? c : u_tolower(c));
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens and their weights

constexpr float kCategoryWeight = 0.2f;
constexpr float kFunctionWeight = 0.1f;

// Folded forms only (Cyrillic "ноћни клуб" folds to "nocni klub", "ресторан" to "restoran", ...).
const std::unordered_set<std::string>& category_words() {
    static const std::unordered_set<std::string> words = {
        "bar", "bari", "kafe", "kafebar", "kafebari", "kafeja", "cafe", "caffe", "cafebar", "caffebar",
        "kafana", "kafic", "kaffe", "coffee", "kafeteria", "club", "klub", "klubi", "night", "nightclub",
        "nocni", "nate",  // "Klub Nate" is Albanian for night club; "Natës" (of the night) stays a name word
        "lokal", "lokali", "hotel", "hoteli", "motel", "moteli", "hostel", "hosteli", "inn", "restaurant", "restoran",
        "restorant", "restoranti", "pub", "pab", "lounge", "laundz", "kafene", "kafeneja", "disco", "disko", "diskoteka", "discoteca", "massage",
        "masazh", "masazhi", "masaza", "salon", "saloni", "sauna", "spa", "shtepia"};
    return words;
}

const std::unordered_set<std::string>& function_words() {
    static const std::unordered_set<std::string> words = {
        "e", "i", "te", "se", "dhe", "ne", "u", "na", "kod", "od", "and", "the", "of", "at", "a", "an",
        "ex"};  // "ex-Drita" (former name marker)
    return words;
}

float token_weight(const std::string& token) {
    if (category_words().count(token)) return kCategoryWeight;
    if (function_words().count(token)) return kFunctionWeight;
    return 1.0f;
}

std::vector<std::string> split_tokens(const std::string& folded) {
    std::vector<std::string> tokens;
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string::npos) end = folded.size();
        if (end > start) tokens.emplace_back(folded.substr(start, end - start));
        start = end + 1;
    }
    return tokens;
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

// Damerau–Levenshtein distance, optimal string alignment variant (adjacent transpositions), giving
// up with `cap` + 1 once every cell of a row exceeds `cap` (the distance can only grow from there).
std::size_t osa_distance(std::u32string_view a, std::u32string_view b, std::size_t cap) {
    const std::size_t n = a.size(), m = b.size();
    if (n == 0) return m;
    if (m == 0) return n;
    constexpr std::size_t kStack = 64;
    std::array<std::size_t, 3 * kStack> stack_rows;
    std::vector<std::size_t> heap_rows;
    std::size_t* base = stack_rows.data();
    if (m + 1 > kStack) {
        heap_rows.resize(3 * (m + 1));
        base = heap_rows.data();
    }
    const std::size_t stride = m + 1 > kStack ? m + 1 : kStack;
    std::size_t* prev2 = base;
    std::size_t* prev = base + stride;
    std::size_t* cur = base + 2 * stride;
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t row_min = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, prev2[j - 2] + 1);
            cur[j] = v;
            row_min = std::min(row_min, v);
        }
        // A transposition reads two rows back, so both the last two rows must be past the cap.
        if (row_min > cap && i > 1) {
            std::size_t prev_min = prev[0];
            for (std::size_t j = 1; j <= m; ++j) prev_min = std::min(prev_min, prev[j]);
            if (prev_min > cap) return cap + 1;
        }
        std::size_t* t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
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
    std::vector<Pair> pairs;
    std::vector<float> sim_q, sim_n;

    double score(const float* weight_q, std::size_t m, const float* weight_n, std::size_t n, double total) {
        std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
            if (a.sim != b.sim) return a.sim > b.sim;
            if (a.weight != b.weight) return a.weight > b.weight;
            return a.i != b.i ? a.i < b.i : a.j < b.j;
        });
        sim_q.assign(m, 0.0f);
        sim_n.assign(n, 0.0f);
        for (const Pair& p : pairs) {
            if (sim_q[p.i] > 0.0f || sim_n[p.j] > 0.0f) continue;
            sim_q[p.i] = p.sim;
            sim_n[p.j] = p.sim;
        }
        double matched_q = 0, matched_n = 0;
        for (std::size_t i = 0; i < m; ++i) matched_q += static_cast<double>(weight_q[i] * sim_q[i]);
        for (std::size_t j = 0; j < n; ++j) matched_n += static_cast<double>(weight_n[j] * sim_n[j]);
        if (total <= 0) return 0.0;
        return std::clamp((matched_q + matched_n) / total, 0.0, kNonIdenticalCap);
    }
};

}  // namespace

std::string fold_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        // The transliteration leaves ASCII unchanged apart from case.
        std::size_t i = 0;
        clean_into(out, [&](UChar32& c) {
            if (i >= name.size()) return false;
            c = static_cast<UChar32>(static_cast<unsigned char>(name[i++]));
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            return true;
        });
        return out;
    }
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<std::int32_t>(name.size())));
    thread_transliterator().transliterate(text);
    std::int32_t i = 0;
    clean_into(out, [&](UChar32& c) {
        if (i >= text.length()) return false;
        c = text.char32At(i);
        i += U16_LENGTH(c);
        return true;
    });
    return out;
}

double name_similarity(std::string_view a, std::string_view b) {
    const std::string fa = fold_name(a), fb = fold_name(b);
    if (fa.empty() || fb.empty()) return 0.0;
    if (fa == fb) return 1.0;
    std::vector<Token> ta, tb;
    for (auto& s : split_tokens(fa)) ta.push_back(make_token(s));
    for (auto& s : split_tokens(fb)) tb.push_back(make_token(s));
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

    // Vocabulary of distinct folded tokens, as parallel arrays: a search checks the lengths of
    // thousands of tokens per query token and reads the letters of few.
    std::vector<std::uint32_t> vocab_length;
    std::vector<std::uint32_t> vocab_offset;  // into vocab_chars
    std::vector<char32_t> vocab_chars;
    std::vector<float> vocab_weight;
    std::unordered_map<std::string, std::uint32_t> vocab_ids;
    std::vector<std::vector<std::uint32_t>> postings;                      // vocab id → entries, ascending
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grams;  // trigram → vocab ids

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

NameIndex::NameIndex(std::vector<NameEntry> entries) : impl_(std::make_unique<Impl>()) {
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
        for (auto& tok : split_tokens(it->second)) {
            const std::uint32_t id = ix.intern(tok);
            ix.entry_tokens.push_back(id);
            weight += static_cast<double>(ix.vocab_weight[id]);
            auto& post = ix.postings[id];
            if (post.empty() || post.back() != entry_id) post.push_back(entry_id);
        }
        ix.entry_first.push_back(static_cast<std::uint32_t>(ix.entry_tokens.size()));
        ix.entry_weight.push_back(weight);
        ix.entries.push_back({e.venue_id, std::move(e.text), e.kind});
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
    for (auto& s : split_tokens(folded)) {
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
            scorer.pairs.clear();
            weight_n.clear();
            for (std::uint32_t k = first; k < last; ++k) {
                const std::uint32_t v = ix.entry_tokens[k];
                const float w = ix.vocab_weight[v];
                weight_n.push_back(w);
                if (row_of[v] == kNone) continue;
                const float* row = &rows[row_of[v] * m];
                for (std::size_t i = 0; i < m; ++i)
                    if (row[i] > 0.0f)
                        scorer.pairs.push_back({row[i], weight_q[i] + w, static_cast<std::uint32_t>(i), k - first});
            }
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

}  // namespace keepout::analysis
