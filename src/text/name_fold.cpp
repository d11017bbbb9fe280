// Name folding, word classes and edit distance (see name_fold.hpp), and the duplicate rule.
#include "text/name_fold.hpp"

#include <unicode/errorcode.h>
#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "text/utf8.hpp"

namespace keepout::text {

namespace {

// Serbian Cyrillic ђ џ љ њ go to their Serbian Latin spellings before Any-Latin (which would give
// d̂ l̂ n̂ for џ љ њ), and Latin đ becomes "dj", the usual ASCII spelling, so "Ђурђевак" and "Đurđevak"
// both fold to "djurdjevak". Cyrillic ћ → ć and ж → ž come out of Any-Latin already as in Serbian Latin.
// Arabic: presentation forms (pasted from PDFs) to letters, vowel marks and tatweel dropped, the
// letters people type for one another made one, then the article split off in a second pass (so a
// dropped tatweel after it does not hide it).
constexpr const char* kFoldRules =
    ":: [\\uFB50-\\uFDFF\\uFE70-\\uFEFF] NFKC ;"
    ":: NFC ;"
    "[\\u064B-\\u065F\\u0670\\u0640\\u06D6-\\u06ED] > ;"
    "[\\u0623\\u0625\\u0622\\u0671] > \\u0627 ; \\u0649 > \\u064A ; \\u0629 > \\u0647 ;"
    ":: Null ;"
    "^ { \\u0627\\u0644 } [:Arabic:] > \\u0627\\u0644\\u0020 ;"
    "[^[:L:][:M:]] { \\u0627\\u0644 } [:Arabic:] > \\u0627\\u0644\\u0020 ;"
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

// Folded forms only (Cyrillic "ноћни клуб" folds to "nocni klub", "ресторан" to "restoran", ...).
const std::unordered_set<std::string>& category_words() {
    static const std::unordered_set<std::string> words = {
        "bar", "bari", "kafe", "kafebar", "kafebari", "kafeja", "cafe", "caffe", "cafebar", "caffebar",
        "kafana", "kafic", "kaffe", "coffee", "kafeteria", "club", "klub", "klubi", "night", "nightclub",
        "nocni", "nate",  // "Klub Nate" is Albanian for night club; "Natës" (of the night) stays a name word
        "lokal", "lokali", "hotel", "hoteli", "motel", "moteli", "hostel", "hosteli", "inn", "restaurant", "restoran",
        "restorant", "restoranti", "pub", "pab", "lounge", "laundz", "kafene", "kafeneja", "disco", "disko", "diskoteka", "discoteca", "massage",
        "masazh", "masazhi", "masaza", "salon", "saloni", "sauna", "spa", "shtepia",
        // French and English as the Lebanon sample writes them
        "brasserie", "discotheque", "karaoke", "salle", "jeux", "maison", "privee", "private", "house",
        "coffee", "chalets", "apartments",
        // Arabic, folded ("نادي" → "nady") and as Latin spellings write them ("Nadi")
        "nady", "nadi", "fndq", "funduq", "fondouk", "mtm", "mataam", "matam", "hanh", "hanet", "mqhy", "maqha",
        "mqha", "mlhy", "malha", "mwtyl", "awtyl", "otel", "kafyh", "kafeh", "shqq", "shouqaq", "shalyhat", "shalihat",
        "karawky", "mnzl", "manzel", "manzil", "khas"};
    return words;
}

const std::unordered_set<std::string>& function_words() {
    static const std::unordered_set<std::string> words = {
        "e", "i", "te", "se", "dhe", "ne", "u", "na", "kod", "od", "and", "the", "of", "at", "a", "an",
        "ex",  // "ex-Drita" (former name marker)
        "near", "le", "la", "les", "l", "de", "des", "du", "d", "au", "aux", "chez", "pres",
        // the Arabic article, as folded and as Latin spellings assimilate it
        "al", "el", "ul", "es", "esh", "ech", "er", "et", "ed", "ez", "as", "ash", "ar", "ad", "az", "qrb", "nd"};  // قرب near, عند at
    return words;
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
