// Names across scripts by their consonant skeletons (lexicons/ar.json, "skeleton"): Latin
// spellings of the Lebanon sample's Arabic names as English and French speakers write them, none
// of them a stored alias, and Arabic spellings of its English names. The venues are those of
// data/lebanon/venues.geojson, read as they are ("full") and with every Latin alias of an Arabic
// name left out ("arabic only"), so that a match cannot come from an alias.
#include "analysis/check.hpp"
#include "analysis/names.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "text/name_fold.hpp"
#include "unit/analysis/fixtures.hpp"

using namespace keepout;
using namespace keepout::analysis;

namespace {

bool arabic(const std::string& text) {
    for (unsigned char c : text)
        if (c == 0xD8 || c == 0xD9) return true;  // lead bytes of U+0600–U+067F
    return false;
}

struct Sample {
    std::vector<model::Venue> venues;  // ids from 1 in file order
    std::map<std::string, model::Id> id_by_name;
};

const Sample& sample() {
    static const Sample s = [] {
        Sample out;
        std::ifstream in(std::filesystem::path(KEEPOUT_SOURCE_DIR) / "data/lebanon/venues.geojson");
        const auto j = nlohmann::json::parse(in);
        model::Id id = 0;
        for (const auto& f : j["features"]) {
            const auto& p = f["properties"];
            model::Venue v;
            v.id = ++id;
            v.name = p["name"].get<std::string>();
            for (const auto& a : p["aliases"]) v.aliases.push_back(a.get<std::string>());
            v.municipality = p.value("municipality", "");
            out.id_by_name[v.name] = v.id;
            out.venues.push_back(std::move(v));
        }
        return out;
    }();
    return s;
}

model::Id id_of(const std::string& name) {
    const auto it = sample().id_by_name.find(name);
    REQUIRE(it != sample().id_by_name.end());
    return it->second;
}

NameIndex index_of(bool arabic_only) {
    std::vector<NameEntry> names;
    std::vector<PlaceEntry> places;
    for (const auto& v : sample().venues) {
        names.push_back({v.id, v.name, NameKind::name});
        for (const auto& a : v.aliases)
            if (!arabic_only || !arabic(v.name) || arabic(a)) names.push_back({v.id, a, NameKind::alias});
        places.push_back({v.id, v.municipality});
    }
    return NameIndex(std::move(names), std::move(places));
}

const NameIndex& full() {
    static const NameIndex ix = index_of(false);
    return ix;
}
const NameIndex& arabic_only() {
    static const NameIndex ix = index_of(true);
    return ix;
}

// The one venue the query names clearly (check_name's rule), or 0.
model::Id named(const NameIndex& ix, const std::string& query) {
    const NameCandidates c = ix.candidates(query);
    INFO(query << " → folded \"" << c.folded << "\", " << c.full.size() << " full candidates"
               << (c.full.empty() ? "" : ", first " + std::to_string(c.full.front().venue_id) + " " + c.full.front().matched));
    if (c.full.empty()) return 0;
    const NameCandidate& top = c.full.front();
    const bool clear = top.anchored && (c.full_total == 1 || (top.exact && c.full_exact == 1) ||
                                        (top.complete && c.full_complete == 1));
    return clear ? top.venue_id : 0;
}

std::vector<model::Id> candidates_of(const NameIndex& ix, const std::string& query) {
    std::vector<model::Id> out;
    for (const auto& c : ix.candidates(query).full) out.push_back(c.venue_id);
    return out;
}

std::string skeleton(const std::string& word) { return text::word_skeleton(text::fold_name(word)); }

}  // namespace

TEST_CASE("skeletons: Arabic and its Latin spellings meet, as data in the Arabic lexicon", "[names][skeleton]") {
    REQUIRE(text::skeletons_installed());
    // ta marbuta as -et, -a, -eh and ة; doubled letters; ou/u/w; kh as one letter.
    for (const char* w : {"Kharroubet", "Kharrouba", "Kharrubeh", "خروبة"}) CHECK(skeleton(w) == "Xrb");
    // sh and French ch, the article left out, shadda unwritten.
    for (const char* w : {"Shallal", "Chellal", "Shalal", "شلال"}) CHECK(skeleton(w) == "Sl");
    for (const char* w : {"Zaytounet", "Zeitouna", "Zaitouneh", "زيتونة"}) CHECK(skeleton(w) == "ztn");
    for (const char* w : {"Ghouroub", "Ghurub", "غروب"}) CHECK(skeleton(w) == "Grb");
    for (const char* w : {"Qanater", "Kanater", "قناطر"}) CHECK(skeleton(w) == "kntr");
    // English in Arabic letters: p is b, v is f, c is k.
    CHECK(skeleton("Copper") == skeleton("كوبر"));
    CHECK(skeleton("Velvet") == skeleton("فيلفت"));
    CHECK(skeleton("Lucky") == skeleton("لاكي"));
    // Different consonants stay different.
    CHECK(skeleton("Sahel") != skeleton("Shallal"));
    CHECK(skeleton("Najmet") != skeleton("Nassim"));
}

TEST_CASE("Lebanon: a Latin spelling of an Arabic name finds it without an alias, for every kind of venue", "[names][skeleton][lebanon]") {
    struct Case {
        const char* query;
        const char* venue;
    };
    const Case cases[] = {
        {"Hanat Kharrouba al-Laimoun", "حانة خروبة الليمون"},              // bar, حانة
        {"Bar Zeitouneh ech-Challal", "بار زيتونة الشلال"},                // bar, بار
        {"Motel Waha el Rimel", "موتيل واحة الرمال"},                      // motel
        {"Istiraha Tallet al Mina", "استراحة تلة الميناء"},                // motel, استراحة
        {"Nadi Tineh ech-Chellal", "نادي تينة الشلال"},                    // nightclub, نادي
        {"Malha Karmeh el Anbar", "ملهى كرمة العنبر"},                     // nightclub, ملهى
        {"Fondouk Nessim el Fajer", "فندق نسيم الفجر"},                    // hotel, فندق
        {"Hotel Nejmeh er-Riah", "أوتيل نجمة الرياح"},                     // hotel, أوتيل
        {"Matam Zahra al Rimal", "مطعم زهرة الرمال"},                      // restaurant
        {"Cafe Zeitouna al Fajr", "كافيه زيتونة الفجر"},                   // cafe, كافيه
        {"Ahweh Shorfet er-Remmen", "قهوة شرفة الرمان"},                  // cafe, قهوة (Lebanese ahwe)
        {"Cafe Arzeh er Rimal", "مقهى أرزة الرمال"},                       // cafe, مقهى
        {"Chalihat Arzeh es-Sahel", "شاليهات أرزة الساحل"},               // brothel, شاليهات
        {"Chouqaq Boustan ech-Chalal", "شقق بستان الشلال"},               // brothel, شقق
        {"Karaoke Nabaa el Tilal", "كاراوكي نبع التلال"},                  // other, كاراوكي
        {"Spa Kharrouba el-Jabal", "سبا خروبة الجبل"},                     // massage, سبا
        {"Manzil khas al mafraq Marjeyoun", "منزل خاص عند المفرق - مرجعيون"},  // private house
    };
    for (const Case& c : cases) {
        INFO(c.query << " for " << c.venue);
        const model::Id id = id_of(c.venue);
        CHECK(named(arabic_only(), c.query) == id);
        // With the aliases there too, still the one venue.
        CHECK(named(full(), c.query) == id);
        // And the answer is shown in the name it matched: Arabic, when no Latin alias is there.
        const NameCandidates found = arabic_only().candidates(c.query);
        REQUIRE_FALSE(found.full.empty());
        CHECK(found.full.front().matched == c.venue);
    }
}

TEST_CASE("Lebanon: an Arabic spelling of an English name finds it", "[names][skeleton][lebanon]") {
    CHECK(named(full(), "لاكي أوليف هوتيل") == id_of("Lucky Olive Hotel"));
    CHECK(named(full(), "أمبر لانترن هوتيل") == id_of("Amber Lantern Hotel"));
    CHECK(named(full(), "فيلفت فيغ بار") == id_of("Velvet Fig Bar"));
    CHECK(named(full(), "ليتل هيرون كلوب") == id_of("Little Heron Club"));
    // The stored Arabic aliases still answer by their letters.
    CHECK(named(full(), "كوبر أويستر كوفي هاوس") == id_of("Copper Oyster Coffee House"));
}

TEST_CASE("Lebanon: skeletons do not make unrelated names, or another venue's, match", "[names][skeleton][lebanon]") {
    for (const NameIndex* ix : {&arabic_only(), &full()}) {
        // Names of no venue: nothing, in either script.
        CHECK(ix->candidates("Nadi Qamar el-Bahr").full.empty());
        CHECK(ix->candidates("نادي قمر البحر").full.empty());
        CHECK(ix->candidates("Golden Key Bar").full.empty());
        CHECK(ix->candidates("Hotel Bellevue Palace").full.empty());
        // Words of two venues, put together, are neither of them.
        CHECK(ix->candidates("Hanet Najmet el-Sahel").full.empty());   // نجمة … / … الساحل
        CHECK(ix->candidates("Tineh es-Sahel").full.empty());          // تينة … / … الساحل
        CHECK(ix->candidates("Kharrouba el-Mina").full.empty());
        CHECK(ix->candidates("Zeitouneh el-Jabal").full.empty());
        CHECK(named(*ix, "Hanat Zahret el-Kina") == 0);
        // One word changed is another venue, not this one.
        CHECK(named(*ix, "Fondouk Nessim el-Sahel") == id_of("موتيل نسيم الساحل"));
        CHECK(named(*ix, "Tineh el-Ghouroub") == id_of("بار تينة الغروب"));
        CHECK(named(*ix, "Motel Waha el Jabal") == 0);
        // Same-script names are not compared by skeletons: French words with the consonants of
        // another French venue's words do not meet.
        CHECK(named(*ix, "Hotel La Lune des Palmiers") == 0);
    }
}

TEST_CASE("Lebanon: a match by a short skeleton is a candidate to choose, never the verdict", "[names][skeleton][lebanon]") {
    // "Nejmeh" is "njm", "Tineh" "tn", "Zeitouna" "ztn": too little to name one venue, even when
    // one venue has it. ("Riyah" is no example: it is a typo of the folded الرياح, "ryah".)
    for (const char* weak : {"Nejmeh", "Tineh", "Zeitouna"}) {
        INFO(weak);
        const NameCandidates c = arabic_only().candidates(weak);
        CHECK_FALSE(c.full.empty());
        for (const auto& x : c.full) CHECK_FALSE(x.anchored);
        CHECK(named(arabic_only(), weak) == 0);
    }
    // A whole name can be as thin: ليالي الكينا is "l" and "kn" by its consonants.
    CHECK(named(arabic_only(), "Kahwet Layali al Keena") == 0);
    const auto thin = candidates_of(arabic_only(), "Kahwet Layali al Keena");
    CHECK(std::find(thin.begin(), thin.end(), id_of("قهوة ليالي الكينا")) != thin.end());
    const auto z = candidates_of(arabic_only(), "Zeitouna");
    CHECK(std::find(z.begin(), z.end(), id_of("كافيه زيتونة الفجر")) != z.end());
    CHECK(std::find(z.begin(), z.end(), id_of("بار زيتونة الشلال")) != z.end());

    // Through check_name, with every venue listed: ambiguous, not off-limits; a strong spelling
    // of the same venue is off-limits.
    std::vector<VenueView> views;
    for (const auto& v : sample().venues) {
        if (!arabic(v.name)) continue;
        VenueView view = test::point_venue(v.id, 35.3, 33.2);
        view.venue.name = v.name;
        for (const auto& a : v.aliases)
            if (arabic(a)) view.venue.aliases.push_back(a);
        views.push_back(std::move(view));
    }
    const auto snap = test::make_snapshot(std::move(views));
    const NameCheck weak = check_name(*snap, "Tineh");
    CHECK(weak.verdict == Verdict::ambiguous);
    const NameCheck strong = check_name(*snap, "Nadi Tineh ech-Chellal");
    CHECK(strong.verdict == Verdict::off_limits);
    REQUIRE(strong.matches.size() == 1);
    CHECK(strong.matches[0].venue->venue.id == id_of("نادي تينة الشلال"));
    // An unrelated name is not listed.
    CHECK(check_name(*snap, "Golden Key Bar").verdict == Verdict::not_listed);
}
