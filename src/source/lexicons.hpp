#pragma once
// Lexicon files (share/keepout/lexicons/<language>.json): one per language, read for the
// mission's languages plus English. The shape:
//   {"language": "fr", "name": "French",
//    "category_words": ["bar", "boîte de nuit", …], "function_words": ["de", "la", …],
//    "transliteration": {"before_latin": "ICU rules", "after_latin": "ICU rules",
//                        "skeleton": "ICU rules", "skeleton_scripts": ["Arab"]}}
// (text/lexicon.hpp says what each rule set does).
// Words are written as people write them; they are folded like names when installed.
#include <filesystem>
#include <string>
#include <vector>

#include "text/lexicon.hpp"

namespace keepout::source {

// One lexicon file; throws IoError naming the file when it is missing or not of the shape above.
text::Lexicon read_lexicon(const std::filesystem::path& file);

// The lexicons of `languages` (BCP 47, in order) and English, each once: <tag>.json, else the
// file of its primary language ("sr-Cyrl" → sr.json). A language without a file is left out and
// named in `missing` (when given). No languages at all (no mission profile yet): every lexicon
// in the folder, so that names fold as well as they can.
std::vector<text::Lexicon> read_lexicons(const std::filesystem::path& folder, const std::vector<std::string>& languages,
                                         std::vector<std::string>* missing = nullptr);

}  // namespace keepout::source
