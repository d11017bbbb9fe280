#pragma once
// The one folding of venue names, shared by name matching (analysis) and the duplicate rule of
// the store: any script to plain lower-case Latin, the word classes that weigh little in a name,
// and the edit distance both compare words by.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace keepout::text {

// Folded form through ICU "NFC; <each installed lexicon's rules>; Any-Latin; <their rules after
// Latin>; Latin-ASCII; Lower" (text/lexicon.hpp), punctuation dropped, spaces collapsed:
// "Ноћни клуб Ëndrra" → "nocni klub endrra". With the shipped lexicons Serbian Cyrillic and Latin
// meet (ђ/đ → "dj", џ/dž → "dz", љ → "lj", њ → "nj", ћ/ć/ч/č → "c"), and Arabic loses its vowel marks
// and tatweel, أ إ آ ٱ become ا, ى becomes ي and ة becomes ه (as people type them), and the article
// ال is a word of its own ("الشلال" → "al shlal"), as in Latin spellings ("el-Shallal").
// Apostrophes vanish without splitting ("Dallëndyshe's" → "dallendyshes"); other punctuation and
// symbols separate words ("Kafe-Bar" → "kafe bar"). Thread-safe (one ICU transliterator per thread).
std::string fold_name(std::string_view name);

// The consonant skeleton of one folded word by the installed lexicons' skeleton rules, in their
// order (text/lexicon.hpp): "kharroubet" and "khrwbh" (خروبة) → "Xrb". Empty when no installed
// lexicon has skeleton rules, or when nothing of the word is left. Thread-safe.
std::string word_skeleton(std::string_view folded_word);
// Whether skeleton rules are installed, and whether names written mostly in `script` (an ICU
// UScriptCode) are compared with Latin names by their skeletons.
bool skeletons_installed();
bool compared_by_skeleton(int script);

// The words of a folded name (split at its single spaces).
std::vector<std::string> split_words(const std::string& folded);

// Folded words that say what kind of venue it is ("bar", "klub", "hotel", "nocni", …) and words
// that only join others ("e", "i", "the", "al", …): neither tells one venue from another. Those
// of the installed lexicons (none before an install).
const std::unordered_set<std::string>& category_words();
const std::unordered_set<std::string>& function_words();
// Neither a category nor a function word.
bool is_distinctive_word(const std::string& folded_word);

// Damerau–Levenshtein distance, optimal string alignment variant (adjacent transpositions), giving
// up with `cap` + 1 once the distance is sure to exceed `cap`.
std::size_t osa_distance(std::u32string_view a, std::u32string_view b, std::size_t cap);

// A name prepared for names_alike: folded once, its distinctive words as code points.
struct NameWords {
    std::string folded;
    std::vector<std::u32string> distinctive;  // at most kMaxAlikeWords, in order
};
inline constexpr std::size_t kMaxAlikeWords = 32;
NameWords name_words(std::string_view name);
// The same from a name already folded (no transliteration: cheap).
NameWords name_words_of_folded(std::string folded);

// Whether two names may name one venue entered twice (the store's duplicate rule). They do when
//   * they fold to the same text ("Бар Златна Вила" / "Bar Zlatna Vila", "Kafe Pëllumbi" /
//     "KAFE PELLUMBI"), or
//   * both have a distinctive word, and every distinctive word of the one with fewer of them is
//     matched, one to one, by a distinctive word of the other, exactly or by a typo: OSA distance
//     at most ⌊L/4⌋, L the longer word (one edit from 4 letters, two from 8; words of 3 letters or
//     fewer, and words with a digit, only exactly). Word order does not count. "Zana" and "Night Club Zana e Natës", "Pelumbi" and "Kafe Pëllumbi"
//     are alike; "Bar Zlatna Vila" and "Bar Zlatna Reka" are not (vila/reka differ in 3 of 4),
//     nor are two names of category words only unless they fold the same.
// Names that fold to nothing are alike to nothing.
bool names_alike(const NameWords& a, const NameWords& b);
bool names_alike(std::string_view a, std::string_view b);

}  // namespace keepout::text
