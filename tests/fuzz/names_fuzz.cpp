// Fuzz target: venue-name folding and matching. The input is two names separated by the first
// newline (a name alone is compared with itself). Checked: the score is in [0, 1], 1 exactly when
// the folded names are the same, 0 when either folds to nothing; the index over the second name
// (among a few fixed ones) gives the first one the very score name_similarity gives, and finds it
// whenever that score is 0.5 or more.
#include <cmath>
#include <string>
#include <vector>

#include "analysis/names.hpp"
#include "fuzz_support.hpp"
#include "source/lexicons.hpp"
#include "text/lexicon.hpp"
#include "text/name_fold.hpp"

namespace {

using namespace keepout::analysis;
using keepout::fuzz::broken;

std::string pair_text(std::string_view a, std::string_view b) {
    return "\"" + std::string(a) + "\" / \"" + std::string(b) + "\"";
}

void check_score(std::string_view a, std::string_view b) {
    const double s = name_similarity(a, b);
    const std::string fa = fold_name(a), fb = fold_name(b);
    if (!std::isfinite(s) || s < 0 || s > 1) broken("name_similarity is in [0, 1]", pair_text(a, b) + ": " + std::to_string(s));
    if ((fa.empty() || fb.empty()) && s != 0)
        broken("a name that folds to nothing is similar to nothing", pair_text(a, b) + ": " + std::to_string(s));
    if (!fa.empty() && fa == fb && s != 1) broken("the same folded name scores 1", pair_text(a, b) + ": " + std::to_string(s));
    if (fa != fb && s == 1) broken("only the same folded name scores 1", pair_text(fa, fb));
}

// Every shipped lexicon, as a program without a mission profile has them: category words, the
// transliteration rules and the Arabic skeletons are all in play.
const bool lexicons_installed = [] {
    keepout::text::install_lexicons(keepout::source::read_lexicons(KEEPOUT_SOURCE_DIR "/lexicons", {}));
    return true;
}();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (!lexicons_installed) return 0;
    const std::string_view text = keepout::fuzz::bytes(data, size);
    const std::size_t nl = text.find('\n');
    const std::string_view a = text.substr(0, nl);
    const std::string_view b = nl == std::string_view::npos ? a : text.substr(nl + 1);

    // Not checked: that folding a folded name changes nothing. It does not always hold ("R`"
    // then U+30813, an ideograph ICU does not transliterate, folds to "r" U+30813, which folds to
    // "r" space U+30813), and nothing folds twice: the index and the score fold the raw text once.
    check_score(a, b);
    check_score(a, a);
    if (name_similarity(a, b) != name_similarity(b, a)) broken("name_similarity is symmetric", pair_text(a, b));

    std::vector<NameEntry> entries{{1, std::string(b), NameKind::name},
                                   {2, "Bar Zlatna Vila", NameKind::name},
                                   {2, "Бар Златна Вила", NameKind::alias},
                                   {3, "Kafe Dallëndyshe", NameKind::name},
                                   {4, "مقهى الياسمين", NameKind::name}};
    const NameIndex index(std::move(entries));
    const auto matches = index.search(a, 0.0, 10);
    double previous = 2;
    bool found = false;
    for (const auto& m : matches) {
        if (!std::isfinite(m.score) || m.score < 0 || m.score > 1)
            broken("search scores are in [0, 1]", std::string(a) + ": " + std::to_string(m.score));
        if (m.score > previous) broken("search returns the highest score first", std::string(a));
        previous = m.score;
        found = found || m.venue_id == 1;
        if (m.venue_id == 1 && m.score != name_similarity(a, b))
            broken("search scores a name as name_similarity does", pair_text(a, b) + ": " + std::to_string(m.score) +
                                                                      " against " + std::to_string(name_similarity(a, b)));
    }
    // The candidate rules, across scripts too (Latin queries against the Arabic name, and back).
    (void)keepout::text::word_skeleton(fold_name(a));
    const NameCandidates c = index.candidates(a);
    if (c.full.size() > c.full_total || c.near.size() > c.near_total)
        broken("candidates count what they return", std::string(a));
    if (!c.full.empty() && !c.near.empty()) broken("near candidates only without full ones", std::string(a));
    double last = 2;
    for (const auto& x : c.full) {
        if (!std::isfinite(x.score) || x.score < 0 || x.score > 1)
            broken("candidate scores are in [0, 1]", std::string(a) + ": " + std::to_string(x.score));
        if (x.score > last) broken("candidates come best first", std::string(a));
        last = x.score;
    }
    // The index skips names sharing no trigram with the query (they score 0) and names sharing
    // only category and function words with a query that has a word of its own (under 0.5).
    if (!found && name_similarity(a, b) >= 0.5)
        broken("search finds every name that scores 0.5 or more", pair_text(a, b) + ": " + std::to_string(name_similarity(a, b)));
    return 0;
}
