// Names on the synthetic Kivu mission (tests/data/kivu: French, Swahili and English, fictional
// venues), with the lexicons that mission loads (fr, sw, en): French typed without its accents,
// Swahili category words in place of French or English ones, and typos.
#include "analysis/names.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "source/lexicons.hpp"
#include "text/lexicon.hpp"
#include "text/name_fold.hpp"

using namespace keepout;
using namespace keepout::analysis;
namespace fs = std::filesystem;

namespace {

const fs::path kLexicons = fs::path(KEEPOUT_SOURCE_DIR) / "lexicons";

// The mission's lexicons for one test; every lexicon again afterwards, as the other tests expect.
struct KivuLexicons {
    KivuLexicons() { text::install_lexicons(source::read_lexicons(kLexicons, {"fr", "sw", "en"})); }
    ~KivuLexicons() { text::install_lexicons(source::read_lexicons(kLexicons, {})); }
    KivuLexicons(const KivuLexicons&) = delete;
    KivuLexicons& operator=(const KivuLexicons&) = delete;
};

struct Kivu {
    std::map<std::string, std::int64_t> id_by_name;
    NameIndex index;
};

Kivu load() {
    std::ifstream in(fs::path(KEEPOUT_SOURCE_DIR) / "tests/data/kivu/venues.geojson");
    const auto j = nlohmann::json::parse(in);
    std::vector<NameEntry> names;
    std::map<std::string, std::int64_t> ids;
    std::int64_t id = 0;
    for (const auto& f : j["features"]) {
        const auto& p = f["properties"];
        ++id;
        ids[p["name"].get<std::string>()] = id;
        names.push_back({id, p["name"].get<std::string>(), NameKind::name});
        for (const auto& a : p["aliases"]) names.push_back({id, a.get<std::string>(), NameKind::alias});
    }
    return {std::move(ids), NameIndex(std::move(names))};
}

std::int64_t named(const NameIndex& ix, const std::string& query) {
    const NameCandidates c = ix.candidates(query);
    INFO(query << " → folded \"" << c.folded << "\", " << c.full.size() << " full candidates");
    if (c.full.empty()) return 0;
    const NameCandidate& top = c.full.front();
    const bool clear = top.anchored && (c.full_total == 1 || (top.exact && c.full_exact == 1) ||
                                        (top.complete && c.full_complete == 1));
    return clear ? top.venue_id : 0;
}

}  // namespace

TEST_CASE("Kivu: French without accents, Swahili words and typos name the venue", "[names][kivu]") {
    const KivuLexicons lexicons;
    CHECK_FALSE(text::skeletons_installed());  // no Arabic in this mission: no skeletons either
    const Kivu k = load();
    auto id = [&](const std::string& name) {
        const auto it = k.id_by_name.find(name);
        REQUIRE(it != k.id_by_name.end());
        return it->second;
    };
    // French without its accents, in any case.
    CHECK(named(k.index, "Cafe Ruzizi") == id("Café Ruzizi"));
    CHECK(named(k.index, "CAFE RUZIZI") == id("Café Ruzizi"));
    CHECK(named(k.index, "Hotel Mwezi") == id("Hôtel Mwezi"));
    // The kind of venue in Swahili (klabu, hoteli, moteli, baa) weighs as little as in French.
    CHECK(named(k.index, "Klabu Nyota") == id("Club Nyota"));
    CHECK(named(k.index, "Hoteli Mwezi") == id("Hôtel Mwezi"));
    CHECK(named(k.index, "Moteli Kalehe") == id("Motel Kalehe"));
    CHECK(named(k.index, "Samaki") == id("Baa ya Samaki"));
    // Typos: one letter in a word of five, a transposition, a letter left out.
    CHECK(named(k.index, "Club Nyotta") == id("Club Nyota"));
    CHECK(named(k.index, "Baa ya Smaaki") == id("Baa ya Samaki"));
    CHECK(named(k.index, "Motel Kalhe") == id("Motel Kalehe"));
    CHECK(named(k.index, "Volcano Veiw Lounge") == id("Volcano View Lounge"));
    // Not these venues: another word, or the category words alone.
    CHECK(k.index.candidates("Club Jua").full.empty());
    CHECK(k.index.candidates("Baa ya Ndege").full.empty());
    CHECK(named(k.index, "Hoteli ya") == 0);
    CHECK(k.index.candidates("Klabu ya usiku").distinctive_words == 0);
}
