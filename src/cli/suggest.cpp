#include "cli/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace keepout::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: three rows of the Levenshtein table, the one before last for swaps.
    std::vector<std::size_t> before(b.size() + 1), last(b.size() + 1), row(b.size() + 1);
    std::iota(last.begin(), last.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t replace = last[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({last[j] + 1, row[j - 1] + 1, replace});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                row[j] = std::min(row[j], before[j - 2] + 1);
        }
        std::swap(before, last);
        std::swap(last, row);
    }
    return last[b.size()];
}

std::vector<std::string> closest_words(std::string_view typed, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
    // Options are compared without their dashes, so "-format" is one edit from "--format".
    const auto bare = [](std::string_view w) { return w.substr(std::min(w.find_first_not_of('-'), w.size())); };
    const std::string_view word = bare(typed);
    if (word.empty()) return {};
    const std::size_t allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
    std::vector<std::pair<std::size_t, std::size_t>> near;  // (distance, index)
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (candidates[i] == typed) continue;  // not a suggestion: the word itself (the caller knows why it failed)
        const std::string_view c = bare(candidates[i]);
        std::size_t d = edit_distance(word, c);
        if (word.size() >= 3 && c.substr(0, word.size()) == word) d = std::min(d, std::size_t{1});
        if (d <= allowed) near.emplace_back(d, i);
    }
    std::stable_sort(near.begin(), near.end(), [](auto& x, auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (auto& [d, i] : near) {
        if (out.size() == limit || d > near.front().first) break;  // only the nearest
        out.push_back(candidates[i]);
    }
    return out;
}

std::string or_list(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
        out += '"' + words[i] + '"';
    }
    return out;
}

}  // namespace keepout::cli
