// Languages as data: the lexicon files of lexicons/ (installed as share/keepout/lexicons), read,
// installed and used by name folding and the word classes. The unit tests run with every lexicon
// installed, as a program does before a mission profile names its languages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "source/errors.hpp"
#include "source/lexicons.hpp"
#include "text/lexicon.hpp"
#include "text/name_fold.hpp"

using namespace keepout;
namespace fs = std::filesystem;

namespace {

const fs::path kLexicons = fs::path(KEEPOUT_SOURCE_DIR) / "lexicons";

// Before any test: what a program installs when its database has no profile yet.
const bool installed_for_tests = [] {
    text::install_lexicons(source::read_lexicons(kLexicons, {}));
    return true;
}();

// Installs `lexicons` for one test and puts every lexicon back afterwards.
struct Installed {
    explicit Installed(const std::vector<text::Lexicon>& lexicons) { text::install_lexicons(lexicons); }
    ~Installed() { text::install_lexicons(source::read_lexicons(kLexicons, {})); }
    Installed(const Installed&) = delete;
    Installed& operator=(const Installed&) = delete;
};

}  // namespace

TEST_CASE("every shipped lexicon reads and installs; the languages come in order", "[text][lexicon]") {
    REQUIRE(installed_for_tests);
    const auto all = source::read_lexicons(kLexicons, {});
    std::vector<std::string> tags;
    for (const auto& l : all) tags.push_back(l.language);
    CHECK(tags == std::vector<std::string>{"ar", "en", "fr", "sq", "sr", "sw"});
    // A mission's languages plus English, each once; a region or script subtag finds its language.
    std::vector<std::string> missing;
    const auto lebanon = source::read_lexicons(kLexicons, {"ar", "fr", "en"}, &missing);
    REQUIRE(lebanon.size() == 3);
    CHECK(lebanon[0].language == "ar");
    CHECK(lebanon[2].language == "en");
    CHECK(missing.empty());
    const auto kosovo = source::read_lexicons(kLexicons, {"sq", "sr-Latn", "sr-Cyrl", "en"});
    REQUIRE(kosovo.size() == 3);
    CHECK(kosovo[1].language == "sr");
    source::read_lexicons(kLexicons, {"xx", "../sq"}, &missing);
    CHECK(missing == std::vector<std::string>{"xx", "../sq"});
}

TEST_CASE("category and function words come from the installed lexicons, folded", "[text][lexicon]") {
    CHECK(text::category_words().count("mlhy"));    // ملهى
    CHECK(text::category_words().count("boite"));   // boîte de nuit
    CHECK(text::category_words().count("nuit"));
    CHECK_FALSE(text::category_words().count("de"));  // a joining word stays one inside a phrase
    CHECK(text::function_words().count("de"));
    CHECK(text::category_words().count("nocni"));   // ноћни, through the Serbian rules
    CHECK(text::category_words().count("klabu"));   // Swahili
    {
        // English alone: the Albanian and Arabic words are names again.
        Installed english(source::read_lexicons(kLexicons, {"en"}));
        CHECK(text::installed_languages() == std::vector<std::string>{"en"});
        CHECK(text::category_words().count("bar"));
        CHECK_FALSE(text::category_words().count("mlhy"));
        CHECK_FALSE(text::category_words().count("klubi"));
        CHECK(text::is_distinctive_word("klubi"));
    }
    CHECK(text::category_words().count("klubi"));
}

TEST_CASE("transliteration rules come from the lexicons", "[text][lexicon]") {
    CHECK(text::fold_name("Ђурђевак") == "djurdjevak");
    CHECK(text::fold_name("الشلال") == "al shlal");
    {
        // Without the Serbian and Arabic rules the generic folding still gives plain Latin, only
        // not the spellings people type.
        Installed english(source::read_lexicons(kLexicons, {"en"}));
        CHECK(text::fold_name("Ђурђевак") != "djurdjevak");
        CHECK(text::fold_name("الشلال") != "al shlal");
        CHECK_FALSE(text::fold_name("Ђурђевак").empty());
    }
    CHECK(text::fold_name("Ђурђевак") == "djurdjevak");
}

TEST_CASE("a lexicon ICU cannot read is refused naming its language; the installed ones stay", "[text][lexicon]") {
    text::Lexicon bad;
    bad.language = "xx";
    bad.before_latin = "a > ; [b-";
    CHECK_THROWS_AS(text::install_lexicons({bad}), text::LexiconError);
    try {
        text::install_lexicons({bad});
    } catch (const text::LexiconError& e) {
        CHECK(std::string(e.what()).find("\"xx\"") != std::string::npos);
    }
    CHECK(text::fold_name("Ђурђевак") == "djurdjevak");
    CHECK(text::category_words().count("mlhy"));

    const fs::path dir = fs::temp_directory_path() / "keepout-lexicon-test";
    fs::create_directories(dir);
    std::ofstream(dir / "zz.json") << "[1, 2]";
    CHECK_THROWS_AS(source::read_lexicon(dir / "zz.json"), source::IoError);
    std::ofstream(dir / "zz.json") << R"({"language": "zz", "category_words": "bar"})";
    CHECK_THROWS_AS(source::read_lexicon(dir / "zz.json"), source::IoError);
    CHECK_THROWS_AS(source::read_lexicon(dir / "missing.json"), source::IoError);
    fs::remove_all(dir);
}
