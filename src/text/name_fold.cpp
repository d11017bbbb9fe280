// Name folding, word classes and edit distance (see name_fold.hpp), and the duplicate rule.
#include "text/name_fold.hpp"

#include <unicode/errorcode.h>
#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "text/lexicon.hpp"
#include "text/utf8.hpp"

namespace keepout::text {

namespace {

// The folding every language shares; each installed lexicon adds its rules before and after
// Any-Latin (share/keepout/lexicons: Serbian ђ џ љ њ to their Serbian Latin spellings, Arabic
// vowel marks dropped and the article split off, …). Before any install only these run.
std::string fold_rules(const std::vector<Lexicon>& lexicons) {
    std::string rules = ":: NFC ;";
    for (const auto& l : lexicons)
        if (!l.before_latin.empty()) rules += " :: Null ; " + l.before_latin;
    rules += " :: Any-Latin ;";
    for (const auto& l : lexicons)
        if (!l.after_latin.empty()) rules += " :: Null ; " + l.after_latin;
    rules += " :: Latin-ASCII ; :: Lower ;";
    return rules;
}

std::unique_ptr<icu::Transliterator> make_transliterator(const std::string& rules) {
    UParseError parse_error{};
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        icu::UnicodeString::fromUTF8("keepout-fold-name"), icu::UnicodeString::fromUTF8(rules), UTRANS_FORWARD,
        parse_error, status));
    if (U_FAILURE(status) || !t)
        throw LexiconError(std::string("ICU refuses the name folding rules (") + u_errorName(status) + ", line " +
                           std::to_string(parse_error.line) + ", offset " + std::to_string(parse_error.offset) + ")");
    return t;
}

// What is installed: the transliterator every thread clones and the word classes. States are
// kept to the end of the program (installs are rare: once at start), so a reference handed out
// by category_words() stays good.
struct FoldState {
    std::unique_ptr<icu::Transliterator> prototype;
    std::unique_ptr<icu::Transliterator> skeleton;  // null when no lexicon has skeleton rules
    std::vector<int> skeleton_scripts;              // UScriptCode values
    std::unordered_set<std::string> category, function;
    std::vector<std::string> languages;
};

std::mutex& state_mutex() {
    static std::mutex m;
    return m;
}
std::vector<std::unique_ptr<FoldState>>& all_states() {
    static std::vector<std::unique_ptr<FoldState>> states;
    return states;
}
std::atomic<const FoldState*>& current_state() {
    static std::atomic<const FoldState*> current{nullptr};
    return current;
}

const FoldState& state() {
    if (const FoldState* s = current_state().load(std::memory_order_acquire)) return *s;
    std::lock_guard lock(state_mutex());
    if (const FoldState* s = current_state().load(std::memory_order_acquire)) return *s;
    auto s = std::make_unique<FoldState>();
    s->prototype = make_transliterator(fold_rules({}));
    current_state().store(s.get(), std::memory_order_release);
    all_states().push_back(std::move(s));
    return *all_states().back();
}

// One clone per thread and state: Transliterator::transliterate is not thread-safe, and ICU does
// not promise that even clone() is, hence the lock around it.
struct ThreadTransliterators {
    const FoldState* state = nullptr;
    std::unique_ptr<icu::Transliterator> fold, skeleton;
};

ThreadTransliterators& thread_transliterators() {
    thread_local ThreadTransliterators local;
    const FoldState& s = state();
    if (local.state != &s) {
        std::lock_guard lock(state_mutex());
        std::unique_ptr<icu::Transliterator> copy(s.prototype->clone());
        if (!copy) throw std::runtime_error("ICU transliterator for names: clone failed");
        std::unique_ptr<icu::Transliterator> skeleton;
        if (s.skeleton) {
            skeleton.reset(s.skeleton->clone());
            if (!skeleton) throw std::runtime_error("ICU transliterator for name skeletons: clone failed");
        }
        local.fold = std::move(copy);
        local.skeleton = std::move(skeleton);
        local.state = &s;
    }
    return local;
}

icu::Transliterator& thread_transliterator() { return *thread_transliterators().fold; }

std::unique_ptr<icu::Transliterator> make_skeleton_transliterator(const std::string& rules) {
    UParseError parse_error{};
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        icu::UnicodeString::fromUTF8("keepout-name-skeleton"), icu::UnicodeString::fromUTF8(rules), UTRANS_FORWARD,
        parse_error, status));
    if (U_FAILURE(status) || !t)
        throw LexiconError(std::string("ICU refuses the skeleton rules (") + u_errorName(status) + ", line " +
                           std::to_string(parse_error.line) + ", offset " + std::to_string(parse_error.offset) + ")");
    return t;
}

std::string skeleton_rules(const std::vector<Lexicon>& lexicons) {
    std::string rules;
    for (const auto& l : lexicons)
        if (!l.skeleton.empty()) rules += (rules.empty() ? "" : " :: Null ; ") + l.skeleton;
    return rules;
}

bool is_apostrophe(UChar32 c) {
    switch (c) {
        case 0x27:    // '
        case 0x60:    // `
        case 0xB4:    // ´
        case 0x2B9:   // ʹ
        case 0x2BB:   // ʻ
        case 0x2BC:   // ʼ
        case 0x2BE:   // ʾ (hamza, from Arabic)
        case 0x2BF:   // ʿ (ain, from Arabic)
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
        append_utf8(out, static_cast<char32_t>(c < 0x80 ? c : u_tolower(c)));
    }
}

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

std::vector<std::string> split_words(const std::string& folded) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < folded.size()) {
        std::size_t end = folded.find(' ', start);
        if (end == std::string::npos) end = folded.size();
        if (end > start) words.emplace_back(folded.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

const std::unordered_set<std::string>& category_words() { return state().category; }

const std::unordered_set<std::string>& function_words() { return state().function; }

void install_lexicons(const std::vector<Lexicon>& lexicons) {
    auto next = std::make_unique<FoldState>();
    // Each lexicon's rules alone first, so that an error names the language it comes from.
    for (const auto& l : lexicons) {
        try {
            make_transliterator(fold_rules({l}));
        } catch (const LexiconError& e) {
            throw LexiconError("lexicon \"" + l.language + "\": " + e.what());
        }
    }
    for (const auto& l : lexicons) {
        if (l.skeleton.empty()) continue;
        try {
            make_skeleton_transliterator(l.skeleton);
        } catch (const LexiconError& e) {
            throw LexiconError("lexicon \"" + l.language + "\": " + e.what());
        }
        for (const auto& code : l.skeleton_scripts) {
            const int script = u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str());
            if (script == UCHAR_INVALID_CODE || script == USCRIPT_LATIN)
                throw LexiconError("lexicon \"" + l.language + "\": \"" + code +
                                   "\" is not the ISO 15924 code of a script other than Latin");
            if (std::find(next->skeleton_scripts.begin(), next->skeleton_scripts.end(), script) ==
                next->skeleton_scripts.end())
                next->skeleton_scripts.push_back(script);
        }
    }
    if (const std::string rules = skeleton_rules(lexicons); !rules.empty())
        next->skeleton = make_skeleton_transliterator(rules);
    next->prototype = make_transliterator(fold_rules(lexicons));
    // The words folded as names will be: through the new rules (this thread's own clone).
    std::unique_ptr<icu::Transliterator> t(next->prototype->clone());
    auto fold_with = [&](const std::string& word) {
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(word);
        t->transliterate(text);
        std::string out;
        std::int32_t i = 0;
        clean_into(out, [&](UChar32& c) {
            if (i >= text.length()) return false;
            c = text.char32At(i);
            i += U16_LENGTH(c);
            return true;
        });
        return out;
    };
    for (const auto& l : lexicons) {
        next->languages.push_back(l.language);
        for (const auto& w : l.function_words)
            for (auto& folded : split_words(fold_with(w))) next->function.insert(folded);
    }
    // A word that joins others stays one even inside a category phrase ("boîte de nuit").
    for (const auto& l : lexicons)
        for (const auto& w : l.category_words)
            for (auto& folded : split_words(fold_with(w)))
                if (!next->function.count(folded)) next->category.insert(folded);
    std::lock_guard lock(state_mutex());
    current_state().store(next.get(), std::memory_order_release);
    all_states().push_back(std::move(next));
}

std::vector<std::string> installed_languages() { return state().languages; }

std::string word_skeleton(std::string_view folded_word) {
    ThreadTransliterators& t = thread_transliterators();
    if (!t.skeleton || folded_word.empty()) return {};
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(folded_word.data(), static_cast<std::int32_t>(folded_word.size())));
    t.skeleton->transliterate(text);
    std::string out;
    text.toUTF8String(out);
    return out;
}

bool skeletons_installed() { return state().skeleton != nullptr; }

bool compared_by_skeleton(int script) {
    const auto& scripts = state().skeleton_scripts;
    return std::find(scripts.begin(), scripts.end(), script) != scripts.end();
}

bool is_distinctive_word(const std::string& w) { return !category_words().count(w) && !function_words().count(w); }

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


namespace {

std::u32string code_points_of(const std::string& folded) {
    std::u32string out;
    out.reserve(folded.size());
    for (std::size_t i = 0; i < folded.size();)
        if (auto c = decode_next(folded, i)) out.push_back(*c);
    return out;
}

bool has_digit(const std::u32string& w) {
    return std::any_of(w.begin(), w.end(), [](char32_t c) { return c >= U'0' && c <= U'9'; });
}

// Typo tolerance of the duplicate rule: ⌊L/4⌋ edits, L the longer word; a number is no typo of
// another ("No7", "2000").
bool words_alike(const std::u32string& a, const std::u32string& b) {
    if (a == b) return true;
    if (has_digit(a) || has_digit(b)) return false;
    const std::size_t longer = std::max(a.size(), b.size()), cap = longer / 4;
    if (cap == 0 || longer - std::min(a.size(), b.size()) > cap) return false;
    return osa_distance(a, b, cap) <= cap;
}

// Whether every word of `few` pairs with its own word of `many` (a bipartite matching, found by
// augmenting paths: a word that matches two of the other's must not take both).
bool all_matched(const std::vector<std::u32string>& few, const std::vector<std::u32string>& many) {
    std::vector<std::vector<std::size_t>> edges(few.size());
    for (std::size_t i = 0; i < few.size(); ++i)
        for (std::size_t j = 0; j < many.size(); ++j)
            if (words_alike(few[i], many[j])) edges[i].push_back(j);
    constexpr std::size_t kFree = static_cast<std::size_t>(-1);
    std::vector<std::size_t> owner(many.size(), kFree);
    std::vector<char> visited;
    // Recursion depth is bounded by kMaxAlikeWords.
    auto augment = [&](auto&& self, std::size_t i) -> bool {
        for (std::size_t j : edges[i]) {
            if (visited[j]) continue;
            visited[j] = 1;
            if (owner[j] == kFree || self(self, owner[j])) {
                owner[j] = i;
                return true;
            }
        }
        return false;
    };
    for (std::size_t i = 0; i < few.size(); ++i) {
        if (edges[i].empty()) return false;
        visited.assign(many.size(), 0);
        if (!augment(augment, i)) return false;
    }
    return true;
}

}  // namespace

NameWords name_words(std::string_view name) { return name_words_of_folded(fold_name(name)); }

NameWords name_words_of_folded(std::string folded) {
    NameWords out;
    out.folded = std::move(folded);
    for (auto& w : split_words(out.folded)) {
        if (!is_distinctive_word(w)) continue;
        if (out.distinctive.size() == kMaxAlikeWords) break;
        out.distinctive.push_back(code_points_of(w));
    }
    return out;
}

bool names_alike(const NameWords& a, const NameWords& b) {
    if (a.folded.empty() || b.folded.empty()) return false;
    if (a.folded == b.folded) return true;
    if (a.distinctive.empty() || b.distinctive.empty()) return false;
    return a.distinctive.size() <= b.distinctive.size() ? all_matched(a.distinctive, b.distinctive)
                                                        : all_matched(b.distinctive, a.distinctive);
}

bool names_alike(std::string_view a, std::string_view b) { return names_alike(name_words(a), name_words(b)); }

}  // namespace keepout::text
