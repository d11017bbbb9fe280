#pragma once
// Languages as data: the words of each language that say what kind of venue a name is ("bar",
// "ملهى", "boîte") or only join other words ("e", "de", "al"), and the transliteration rules that
// bring its script to the Latin that name matching compares. Read from share/keepout/lexicons
// (source/lexicons.hpp) and installed once for the mission's languages; name folding
// (text/name_fold.hpp) and the word classes use whatever is installed.
#include <stdexcept>
#include <string>
#include <vector>

namespace keepout::text {

struct Lexicon {
    std::string language;                      // BCP 47: "ar", "sr", "sq", "fr", "en", …
    std::vector<std::string> category_words;   // as written; each word of each entry, once folded
    std::vector<std::string> function_words;
    // ICU transform rules (compound rule syntax) run before Any-Latin and after it; a rule set
    // touches only text outside ASCII (ASCII names are folded without the transliterator).
    std::string before_latin;
    std::string after_latin;
    // ICU rules that reduce a folded word (plain lower-case Latin, from any script) to the
    // consonant skeleton it is compared by across scripts: a language whose script leaves short
    // vowels unwritten (Arabic) meets its Latin spellings there ("Kharroubet", "Kharrubat" and
    // "خروبة" all become "Xrb"). Used between Latin names and names in `skeleton_scripts` (ISO
    // 15924 codes, "Arab"), never between two names of one script.
    std::string skeleton;
    std::vector<std::string> skeleton_scripts;
};

// A lexicon that cannot be used: rules ICU refuses, a file that is not a lexicon.
struct LexiconError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Replaces the installed lexicons: builds the transliterator from every lexicon's rules (in the
// order given) and folds their words with it. Throws LexiconError naming the language whose rules
// ICU refuses; what was installed before stays then. Thread-safe; threads folding names at that
// moment finish with the lexicons they started with.
void install_lexicons(const std::vector<Lexicon>& lexicons);

// The languages of the installed lexicons, in order (empty before any install).
std::vector<std::string> installed_languages();

}  // namespace keepout::text
