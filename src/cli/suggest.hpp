#pragma once
// "Did you mean": the known words closest to a mistyped one (commands, options, reason codes).
#include <string>
#include <string_view>
#include <vector>

namespace keepout::cli {

// Edits (insert, delete, replace, swap two neighbours) between two words, byte by byte; a swap
// counts once, so "lsit" is one edit from "list".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates nearest to `typed` (all at the least distance, in the candidates' order), among those few
// enough edits away that the word was plausibly meant: one edit in a word of up to four letters,
// two up to eight, three beyond. A candidate that `typed` is the start of ("dir" of "directive")
// counts too. At most `limit`.
std::vector<std::string> closest_words(std::string_view typed, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

// `"a"`, `"a" or "b"`, `"a", "b" or "c"`: the suggestion as a sentence ends it.
std::string or_list(const std::vector<std::string>& words);

}  // namespace keepout::cli
