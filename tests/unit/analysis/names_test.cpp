// Venue names: folding across scripts, fuzzy scores (typos pass, near misses don't) and the index.
// All venue names are invented, in the style of data/kosovo/venues.geojson.
#include "analysis/names.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace keepout::analysis;

namespace {

NameEntry name(std::int64_t id, std::string text) { return {id, std::move(text), NameKind::name}; }
NameEntry alias(std::int64_t id, std::string text) { return {id, std::move(text), NameKind::alias}; }
NameEntry former(std::int64_t id, std::string text) { return {id, std::move(text), NameKind::former}; }

// A small list like the Kosovo one: Albanian, Serbian Cyrillic with Latin aliases, English.
std::vector<NameEntry> sample_entries() {
    return {
        name(1, "Kafe Bar Pëllumbi i Fushës"),
        name(2, "Night Club Zana e Natës"),
        name(3, "Мотел Плави Кестен"), alias(3, "Motel Plavi Kesten"),
        name(4, "Бар Златна Вила"), alias(4, "Bar Zlatna Vila"),
        name(5, "Bar Zlatna Reka"),
        name(6, "Hotel Luna"),
        name(7, "Ноћни клуб Ëndrra"),
        name(8, "Lounge Copper Parrot"), former(8, "Kafe Bar Drita e Veriut"),
        name(9, "Klub Nate Dallëndyshja e Lindjes"),
        name(10, "Кафић Жута Рибица"), alias(10, "Kafić Žuta Ribica"),
        name(11, "Hotel Rrufeja e Llapit"), alias(11, "Kafe Bar Guri i Fushës"),
        name(12, "Motel Silent Horseshoe"),
        name(13, "Бар Златна Звезда"), alias(13, "Bar Zlatna Zvezda"), former(13, "Bar Era e Lindjes"),
        name(14, "Night Club Porta e Mëngjesit"),
        name(15, "Мотел Ноћни Ждрал"), alias(15, "Motel Noćni Ždral"),
        name(16, "Кафана Ђердан"),
        name(17, "Bar Dallëndyshe's"),
    };
}

const NameIndex& sample_index() {
    static const NameIndex index(sample_entries());
    return index;
}

std::int64_t top_venue(const NameIndex& index, std::string_view query) {
    auto hits = index.search(query, 0.0, 1);
    return hits.empty() ? 0 : hits.front().venue_id;
}

double top_score(const NameIndex& index, std::string_view query) {
    auto hits = index.search(query, 0.0, 1);
    return hits.empty() ? 0.0 : hits.front().score;
}

}  // namespace

TEST_CASE("fold_name: Albanian, Serbian Latin and Cyrillic, English", "[names]") {
    CHECK(fold_name("Kafe Bar Pëllumbi i Fushës") == "kafe bar pellumbi i fushes");
    CHECK(fold_name("Ноћни клуб Ëndrra") == "nocni klub endrra");
    CHECK(fold_name("Kafić Žuta Ribica") == "kafic zuta ribica");
    CHECK(fold_name("Кафић Жута Рибица") == "kafic zuta ribica");
    CHECK(fold_name("Бар Златна Вила") == "bar zlatna vila");
    CHECK(fold_name("Bar Zlatna Vila") == "bar zlatna vila");
    CHECK(fold_name("Motel Silent Horseshoe") == "motel silent horseshoe");
    CHECK(fold_name("Shtëpia Çardaku i Rugovës") == "shtepia cardaku i rugoves");
}

TEST_CASE("fold_name: every Serbian letter meets its Latin spelling", "[names]") {
    // ћ ђ џ љ њ ч ш ж, lower and upper case, against Serbian Latin.
    CHECK(fold_name("Ћуприја Ђурђевак Џезва Љубав Њива Чачак Шабац Жабар") ==
          fold_name("Ćuprija Đurđevak Džezva Ljubav Njiva Čačak Šabac Žabar"));
    CHECK(fold_name("Ђурђевак Џезва Љубав Њива") == "djurdjevak dzezva ljubav njiva");
    CHECK(fold_name("ЂУРЂЕВАК ЏЕЗВА ЉУБАВ ЊИВА") == "djurdjevak dzezva ljubav njiva");
    CHECK(fold_name("ĐURĐEVAK DŽEZVA LJUBAV NJIVA") == "djurdjevak dzezva ljubav njiva");
    CHECK(fold_name("ћ ч ш ж ј") == "c c s z j");
    CHECK(fold_name("Лаунџ Паб Кафана") == "laundz pab kafana");
    // The one-character Latin digraphs some keyboards produce.
    CHECK(fold_name("\u01C6epa \u01C9ubav \u01CCiva") == "dzepa ljubav njiva");
}

TEST_CASE("fold_name: apostrophes, punctuation, spaces, marks", "[names]") {
    CHECK(fold_name("Dallëndyshe's") == "dallendyshes");
    CHECK(fold_name("Dallëndyshe\u2019s") == "dallendyshes");
    CHECK(fold_name("O\u02BCHara`s Pub") == "oharas pub");
    CHECK(fold_name("  Kafe-Bar   «Ura»  &  Co.  ") == "kafe bar ura co");
    CHECK(fold_name("Bar\t\"Lulja\"\n(Prizren) №7 — ★★★") == "bar lulja prizren no7");
    CHECK(fold_name("E\u0308ndrra") == "endrra");  // decomposed Ë
    CHECK(fold_name("HOTEL  DRITA") == "hotel drita");
    CHECK(fold_name("Καφέ Ωμέγα").find_first_not_of("abcdefghijklmnopqrstuvwxyz ") == std::string::npos);
    CHECK(fold_name("").empty());
    CHECK(fold_name("  ,.;'  — ").empty());
}

TEST_CASE("name_similarity: identical folds score 1, scores stay between 0 and 1 and are symmetric", "[names]") {
    CHECK(name_similarity("Бар Златна Вила", "Bar Zlatna Vila") == 1.0);
    CHECK(name_similarity("Kafe Bar Pëllumbi i Fushës", "kafe bar pellumbi i fushes") == 1.0);
    CHECK(name_similarity("Hotel Luna", "Hotel Luna") == 1.0);
    CHECK(name_similarity("Luna Hotel", "Hotel Luna") == 0.99);  // not the same name, though close: capped
    CHECK(name_similarity("Luna Hotel", "Hotel Luna") >= kNameMatchThreshold);

    const std::vector<std::pair<const char*, const char*>> pairs = {
        {"Zlatna Vla", "Бар Златна Вила"}, {"Hotel Lumi", "Hotel Luna"}, {"Night Club", "Night Club Zana e Natës"},
        {"x", "Motel Silent Horseshoe"}, {"Blue Chestnut Motel", "Мотел Плави Кестен"}};
    for (auto& [a, b] : pairs) {
        INFO(a << " | " << b);
        const double ab = name_similarity(a, b);
        CHECK(ab >= 0.0);
        CHECK(ab <= 1.0);
        CHECK(ab == name_similarity(b, a));
    }
}

TEST_CASE("name_similarity: empty names match nothing", "[names]") {
    CHECK(name_similarity("", "Hotel Luna") == 0.0);
    CHECK(name_similarity("Hotel Luna", "") == 0.0);
    CHECK(name_similarity("", "") == 0.0);
    CHECK(name_similarity("!!", "--") == 0.0);
}

TEST_CASE("name_similarity: typos and missing diacritics pass the threshold", "[names]") {
    const std::vector<std::pair<const char*, const char*>> pairs = {
        // Serbian, Latin query against Cyrillic names
        {"Zlatna Vla", "Бар Златна Вила"},
        {"Bar Zlatna Vla", "Бар Златна Вила"},
        {"Plavi Kesten", "Мотел Плави Кестен"},
        {"Zuta Ribca", "Кафић Жута Рибица"},
        {"Nocni Zdral", "Мотел Ноћни Ждрал"},
        {"Zlatna Zvijezda", "Бар Златна Звезда"},
        // Cyrillic query with a typo against Latin
        {"Златна Вилла", "Bar Zlatna Vila"},
        // Albanian
        {"nocni klub endra", "Ноћни клуб Ëndrra"},
        {"Pellumbi i Fushes", "Kafe Bar Pëllumbi i Fushës"},
        {"Kafe Pelumbi e Fushes", "Kafe Bar Pëllumbi i Fushës"},
        {"Dallendyshe e Lindjes", "Klub Nate Dallëndyshja e Lindjes"},
        {"Zana e Nates", "Night Club Zana e Natës"},
        {"Porta Mengjesit", "Night Club Porta e Mëngjesit"},
        // English
        {"Copper Parot Lounge", "Lounge Copper Parrot"},
        {"Motel Silent Horsehsoe", "Motel Silent Horseshoe"},
    };
    for (auto& [query, listed] : pairs) {
        INFO(query << " | " << listed << " = " << name_similarity(query, listed));
        CHECK(name_similarity(query, listed) >= kNameMatchThreshold);
    }
}

TEST_CASE("name_similarity: near misses stay below the threshold", "[names]") {
    const std::vector<std::pair<const char*, const char*>> pairs = {
        {"Bar Zlatna Vila", "Bar Zlatna Reka"},
        {"Bar Zlatna Vila", "Бар Златна Липа"},
        {"Бар Тиха Вила", "Бар Златна Вила"},
        {"Hotel Lumi", "Hotel Luna"},
        {"Zana e Nates", "Kafe Bar Zana e Qytetit"},
        {"Kafe Bar Rrufeja e Qytetit", "Kafe Bar Rrufeja e Mëngjesit"},
        {"Dallendyshja e Jugut", "Klub Nate Dallëndyshja e Lindjes"},
        {"Zlatna Ribica", "Кафић Жута Рибица"},
        {"Copper Parrot", "Motel Neon Parrot"},
        {"Kalaja e Natës", "Shtëpia Kulla e Natës"},
        // one word of a two-word name is not the name
        {"Zlatna", "Бар Златна Вила"},
        {"Vila", "Бар Златна Вила"},
        // no translation: English does not find the Serbian name
        {"Blue Chestnut Motel", "Мотел Плави Кестен"},
        // one query word is not credited to two similar words of the name
        {"Zlatna Vila", "Бар Виса Вира"},
    };
    for (auto& [query, listed] : pairs) {
        INFO(query << " | " << listed << " = " << name_similarity(query, listed));
        CHECK(name_similarity(query, listed) < kNameMatchThreshold);
    }
}

TEST_CASE("name_similarity: sharing only category and function words scores low", "[names]") {
    CHECK(name_similarity("Night Club", "Night Club Zana e Natës") < 0.4);
    CHECK(name_similarity("Noćni klub", "Ноћни клуб Ëndrra") < 0.5);  // a one-word name: 0.44
    CHECK(name_similarity("Kafe Bar e", "Kafe Bar Pëllumbi i Fushës") < 0.4);
    CHECK(name_similarity("Hotel Motel Bar", "Hotel Luna") < 0.5);
}

TEST_CASE("NameIndex: finds venues through typos in every script", "[names]") {
    const NameIndex& index = sample_index();
    const std::vector<std::pair<const char*, std::int64_t>> queries = {
        {"Zlatna Vla", 4},          {"Plavi Kesten", 3},          {"Плави Кестен", 3},
        {"nocni klub endra", 7},    {"Pellumbi i Fushes", 1},     {"Zuta Ribca", 10},
        {"Жута Рибица", 10},        {"copper parot", 8},          {"Dallendyshja Lindjes", 9},
        {"Zana e Natës", 2},        {"Motel Nocni Zdral", 15},    {"Silent Horseshoe", 12},
        {"Hotel Luna", 6},          {"bar zlatna reka", 5},       {"ZLATNA ZVEZDA", 13},
        {"Djerdan", 16},            {"Đerdan", 16},               {"Kafana Derdan", 16},
        {"Dallendyshes", 17},       {"Bar Dallëndyshe’s", 17},
    };
    for (auto& [query, venue] : queries) {
        INFO(query);
        auto hits = index.search(query);
        REQUIRE_FALSE(hits.empty());
        CHECK(hits.front().venue_id == venue);
        CHECK(hits.front().score >= kNameMatchThreshold);
    }
}

TEST_CASE("NameIndex: near misses and category-only queries do not reach the threshold", "[names]") {
    const NameIndex& index = sample_index();
    for (const char* query : {"Hotel Lumi", "Bar Zlatna Lipa", "Бар Тиха Вила", "Night Club", "Kafe Bar",
                              "Ноћни клуб", "Blue Chestnut Motel", "Zana e Qytetit", "Porta e Veriut"}) {
        INFO(query);
        auto hits = index.search(query, 0.0);
        CHECK((hits.empty() || hits.front().score < kNameMatchThreshold));
        CHECK(index.search(query, kNameMatchThreshold).empty());
    }
    // "Bar Zlatna Vila" is listed, "Bar Zlatna Reka" too: each query finds its own and not the other.
    auto vila = index.search("Bar Zlatna Vila", kNameMatchThreshold);
    REQUIRE(vila.size() == 1);
    CHECK(vila[0].venue_id == 4);
    auto reka = index.search("Bar Zlatna Reka", kNameMatchThreshold);
    REQUIRE(reka.size() == 1);
    CHECK(reka[0].venue_id == 5);
}

TEST_CASE("NameIndex: ranking puts the exact name before typos, highest first", "[names]") {
    const NameIndex index({name(1, "Bar Zlatna Vile"), name(2, "Bar Zlatna Vila"), name(3, "Hotel Zlatna Vilaa"),
                           name(4, "Bar Zlatna Reka"), name(5, "Motel Iron Gate")});
    auto hits = index.search("Бар Златна Вила", 0.0);
    REQUIRE(hits.size() >= 4);
    CHECK(hits[0].venue_id == 2);
    CHECK(hits[0].score == 1.0);
    CHECK(hits[0].matched == "Bar Zlatna Vila");
    CHECK(hits[1].score < 1.0);
    CHECK(hits[1].score >= kNameMatchThreshold);
    for (std::size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1].score >= hits[i].score);
    CHECK(hits.back().venue_id == 4);  // the different name comes last (Iron Gate shares nothing)
    for (auto& h : hits) CHECK(h.venue_id != 5);

    CHECK(index.search("Бар Златна Вила", 0.0, 2).size() == 2);
    auto strict = index.search("Бар Златна Вила", 0.999);
    REQUIRE(strict.size() == 1);
    CHECK(strict[0].venue_id == 2);
}

TEST_CASE("NameIndex: aliases and former names are found with their kind", "[names]") {
    const NameIndex& index = sample_index();

    auto by_alias = index.search("Kafe Bar Guri i Fushes");
    REQUIRE_FALSE(by_alias.empty());
    CHECK(by_alias[0].venue_id == 11);
    CHECK(by_alias[0].kind == NameKind::alias);
    CHECK(by_alias[0].matched == "Kafe Bar Guri i Fushës");
    CHECK(by_alias[0].score == 1.0);

    auto by_former = index.search("Drita e Veriut");
    REQUIRE_FALSE(by_former.empty());
    CHECK(by_former[0].venue_id == 8);
    CHECK(by_former[0].kind == NameKind::former);
    CHECK(by_former[0].matched == "Kafe Bar Drita e Veriut");
    CHECK(by_former[0].score >= kNameMatchThreshold);

    auto former_typo = index.search("Bar Era e Lindjs");
    REQUIRE_FALSE(former_typo.empty());
    CHECK(former_typo[0].venue_id == 13);
    CHECK(former_typo[0].kind == NameKind::former);

    // Name and alias fold the same: the venue comes once, credited to its name.
    auto both = index.search("Bar Zlatna Vila");
    REQUIRE_FALSE(both.empty());
    CHECK(both[0].venue_id == 4);
    CHECK(both[0].kind == NameKind::name);
    CHECK(both[0].matched == "Бар Златна Вила");
    std::size_t times = 0;
    for (auto& h : index.search("Bar Zlatna Vila", 0.0, 100)) times += h.venue_id == 4;
    CHECK(times == 1);

    // A typo nearer the alias than the name is credited to the alias.
    auto ribica = index.search("Kafic Zuta Ribica", kNameMatchThreshold);
    REQUIRE(ribica.size() == 1);
    CHECK(ribica[0].venue_id == 10);
    CHECK(ribica[0].score == 1.0);
}

TEST_CASE("NameIndex: empty queries, empty index, limits", "[names]") {
    const NameIndex& index = sample_index();
    CHECK(index.search("").empty());
    CHECK(index.search("   ").empty());
    CHECK(index.search("?!—").empty());
    CHECK(index.search("Hotel Luna", 0.5, 0).empty());
    CHECK(index.search("zzzzqqqq").empty());

    const NameIndex none({});
    CHECK(none.search("Hotel Luna").empty());
    const NameIndex blanks({name(1, ""), name(2, "  ...  ")});
    CHECK(blanks.search("Hotel Luna", 0.0).empty());

    NameIndex moved(sample_entries());
    NameIndex target = std::move(moved);
    CHECK(top_venue(target, "Hotel Luna") == 6);
}

TEST_CASE("NameIndex: search agrees with name_similarity", "[names]") {
    const NameIndex& index = sample_index();
    const auto entries = sample_entries();
    for (const char* query : {"Zlatna Vla", "Kafe Pelumbi e Fushes", "Night Club", "Motel Lumi", "Ždral",
                              "Copper Parot Lounge", "Bar e Lindjes"}) {
        for (auto& hit : index.search(query, 0.0, 100)) {
            double best = 0;
            for (auto& e : entries)
                if (e.venue_id == hit.venue_id) best = std::max(best, name_similarity(query, e.text));
            INFO(query << " | venue " << hit.venue_id);
            CHECK(hit.score == best);  // the same computation, bit for bit
        }
    }
}

TEST_CASE("NameIndex: concurrent searches give the same answers", "[names]") {
    const NameIndex& index = sample_index();
    const std::vector<const char*> queries = {"Zlatna Vla", "Плави Кестен", "nocni klub endra", "Pellumbi i Fushes",
                                              "Жута Рибица", "Hotel Lumi"};
    std::vector<std::vector<NameMatch>> expected;
    for (auto q : queries) expected.push_back(index.search(q, 0.0));

    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round)
                for (std::size_t i = 0; i < queries.size(); ++i) {
                    auto got = index.search(queries[i], 0.0);
                    bool same = got.size() == expected[i].size();
                    for (std::size_t k = 0; same && k < got.size(); ++k)
                        same = got[k].venue_id == expected[i][k].venue_id && got[k].score == expected[i][k].score;
                    if (!same) ++mismatches[t];
                    if (fold_name("Ђурђевак Ноћни") != "djurdjevak nocni") ++mismatches[t];
                }
        });
    for (auto& th : threads) th.join();
    for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("NameIndex: 20k generated entries still return the right venue, fast", "[names]") {
    // Invented syllable names with category prefixes and Cyrillic spellings, fixed seed.
    std::mt19937 rng(20240611u);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> latin_syllables = {"ko", "ra", "vi", "lu", "me", "do", "ni", "sa", "te", "bu",
                                                      "ze", "ma", "go", "ri", "pa", "ve", "lo", "ka", "mi", "to"};
    const std::vector<std::string> cyrillic_syllables = {"ко", "ра", "ви", "лу", "ме", "до", "ни", "са", "те", "бу",
                                                         "зе", "ма", "го", "ри", "па", "ве", "ло", "ка", "ми", "то"};
    const std::vector<std::string> latin_prefixes = {"Bar ", "Kafe Bar ", "Hotel ", "Motel ", "Night Club ", "Restorant "};
    const std::vector<std::string> cyrillic_prefixes = {"Бар ", "Кафе бар ", "Хотел ", "Мотел ", "Ноћни клуб ", "Ресторан "};

    std::vector<NameEntry> entries;
    std::int64_t id = 100;
    std::int64_t cyrillic_venue = 0;
    std::string cyrillic_venue_latin;
    while (entries.size() < 20000) {
        const std::size_t prefix = pick(latin_prefixes.size());
        std::string latin = latin_prefixes[prefix], cyrillic = cyrillic_prefixes[prefix];
        for (int word = 0; word < 2; ++word) {
            const std::size_t syllables = 2 + pick(2);
            std::string lw, cw;
            for (std::size_t s = 0; s < syllables; ++s) {
                const std::size_t k = pick(latin_syllables.size());
                lw += latin_syllables[k];
                cw += cyrillic_syllables[k];
            }
            lw[0] = static_cast<char>(lw[0] - 'a' + 'A');
            latin += (word ? " " : "") + lw;
            cyrillic += (word ? " " : "") + cw;
        }
        if (pick(2) == 0) {
            if (cyrillic_venue == 0 && entries.size() > 10000) {
                cyrillic_venue = id;
                cyrillic_venue_latin = latin;
            }
            entries.push_back(name(id, cyrillic));
            entries.push_back(alias(id, latin));
        } else {
            entries.push_back(name(id, latin));
        }
        ++id;
    }
    // The venues we look for, among the generated ones.
    entries.push_back(name(1, "Kafe Bar Pëllumbi i Fushës"));
    entries.push_back(name(2, "Мотел Плави Кестен"));
    entries.push_back(alias(2, "Motel Plavi Kesten"));
    entries.push_back(name(3, "Night Club Zana e Natës"));
    entries.push_back(former(3, "Bar Hëna e Perëndimit"));
    const NameIndex index(std::move(entries));

    const std::vector<std::pair<const char*, std::int64_t>> queries = {
        {"Pellumbi i Fushes", 1}, {"Plavi Kesten", 2}, {"плави кестен", 2}, {"Zana e Nats", 3},
        {"Hena e Perendimit", 3}};
    for (auto& [query, venue] : queries) {
        INFO(query);
        auto hits = index.search(query);
        REQUIRE_FALSE(hits.empty());
        CHECK(hits.front().venue_id == venue);
        CHECK(hits.front().score >= kNameMatchThreshold);
    }
    // A generated Cyrillic-named venue, asked for in Latin with its last letter dropped.
    REQUIRE(cyrillic_venue != 0);
    const std::string typo = cyrillic_venue_latin.substr(0, cyrillic_venue_latin.size() - 1);
    INFO(typo);
    CHECK(top_venue(index, typo) == cyrillic_venue);
    CHECK(top_score(index, typo) >= kNameMatchThreshold);
    CHECK(top_score(index, "Night Club") < kNameMatchThreshold);

    // The candidates among them: a distinctive word, a prefix, a Cyrillic query for the Latin alias.
    auto pellumbi = index.candidates("Pellumbi");
    REQUIRE(pellumbi.full.size() == 1);
    CHECK(pellumbi.full[0].venue_id == 1);
    auto prefix = index.candidates("Pellu");
    REQUIRE_FALSE(prefix.full.empty());
    CHECK(prefix.full[0].venue_id == 1);
    auto kesten = index.candidates("Плави Кестен");
    REQUIRE(kesten.full.size() == 1);
    CHECK(kesten.full[0].matched == "Мотел Плави Кестен");
    auto generated = index.candidates(cyrillic_venue_latin);
    REQUIRE_FALSE(generated.full.empty());
    CHECK(generated.full[0].venue_id == cyrillic_venue);
    CHECK(generated.full[0].exact);
    CHECK(index.candidates("Night Club").distinctive_words == 0);
}

// ---------------------------------------------------------------------------------------------
// Candidates: names as people type them

namespace {

// Names from data/kosovo/venues.geojson (every venue whose name has one of the words the tests
// ask for, so the counts are those of the sample) and from the Lebanon sample.
std::vector<NameEntry> kosovo_entries() {
    return {
        name(1, "Kafe Bar Pëllumbi i Fushës"),
        name(107, "Restorant Pëllumbi i Veriut"),
        name(128, "Kafe Pëllumbi i Sharrit"),
        name(137, "Motel Pëllumbi i Drinit"), alias(137, "Kafe Bar Mjegulla e Qytetit"),
        name(2, "Night Club Zana e Natës"),
        name(20, "Kafe Bar Zana e Qytetit"),
        name(23, "Hotel Zana e Jugut"),
        name(72, "Masazh Zana e Mëngjesit"), alias(72, "Kafe Bar Bujtina e Jugut"),
        name(131, "Motel Mjellma e Mëngjesit"), alias(131, "Bar Zana e Moravës"),
        name(162, "Kafe Bar Zana e Drinit"),
        name(167, "Restorant Zana e Llapit"), alias(167, "Kafe Bar Dielli i Perëndimit"),
        name(16, "Мотел Плави Кестен"), alias(16, "Motel Plavi Kesten"),
        name(90, "Кафе бар Шумски Кестен"), alias(90, "Kafe bar Šumski Kesten"),
        name(18, "Бар Златна Вила"), alias(18, "Bar Zlatna Vila"),
        name(22, "Мотел Тиха Вила"), alias(22, "Motel Tiha Vila"),
        name(9, "Hotel Porta e Natës"),
        name(11, "Hotel Drita e Llapit"),
        name(160, "Бар Ноћна Липа"), alias(160, "Bar Noćna Lipa"), alias(160, "Kafe Bar Drita e Llapit"),
        name(75, "Motel Blue Compass"),
        // Invented for the near misses.
        name(900, "Hotel Luna"),
        name(901, "Hotel Lumi"),
        // Lebanon: Arabic names with Latin aliases, French names.
        name(2006, "نادي تينة الشلال"), alias(2006, "Nadi Tinet el-Shallal"), alias(2006, "Nadi Tinet esh Shallal"),
        name(2022, "بار زيتونة الشلال"), alias(2022, "Bar Zaytounet el-Shallal"), alias(2022, "Bar L'Olivier de la Cascade"),
        name(2032, "شقق بستان الشلال"), alias(2032, "Shouqaq Bustan el-Shallal"),
        name(2013, "Hôtel Le Caroubier du Jardin"), alias(2013, "فندق خروبة الحديقة"),
    };
}

std::vector<PlaceEntry> kosovo_places() {
    return {{2, "Prishtinë"}, {2, "Rr. Agim Ramadani 23, Prishtinë"}, {20, "Prishtinë"}, {23, "Prizren"},
            {72, "Mitrovicë"}, {131, "Prishtinë"}, {162, "Lipjan"}, {167, "Pejë"}, {1, "Prizren"}, {16, "Zveçan"}};
}

const NameIndex& kosovo_index() {
    static const NameIndex index(kosovo_entries(), kosovo_places());
    return index;
}

std::vector<std::int64_t> ids(const std::vector<NameCandidate>& cs) {
    std::vector<std::int64_t> out;
    for (auto& c : cs) out.push_back(c.venue_id);
    std::sort(out.begin(), out.end());
    return out;
}

const NameCandidate* find(const std::vector<NameCandidate>& cs, std::int64_t venue) {
    for (auto& c : cs)
        if (c.venue_id == venue) return &c;
    return nullptr;
}

}  // namespace

TEST_CASE("fold_name: Arabic through Any-Latin, as people type it", "[names]") {
    CHECK(fold_name("نادي تينة الشلال") == "nady tynh al shlal");
    // Vowel marks, tatweel and presentation forms change nothing; alef and ta marbuta variants meet.
    CHECK(fold_name("نَادِي") == fold_name("نادي"));
    CHECK(fold_name("\uFEE7\uFE8E\uFEA9\uFEF1") == fold_name("نادي"));
    CHECK(fold_name("الـشلال") == "al shlal");
    CHECK(fold_name("الشلال") == "al shlal");
    CHECK(fold_name("أوتيل") == fold_name("اوتيل"));
    CHECK(fold_name("إوتيل") == fold_name("اوتيل"));
    CHECK(fold_name("تينه") == fold_name("تينة"));
    CHECK(fold_name("مقهى") == fold_name("مقهي"));
    // ع leaves no mark behind: the folded form is plain letters.
    CHECK(fold_name("شبعا").find_first_not_of("abcdefghijklmnopqrstuvwxyz ") == std::string::npos);
    // Latin spellings of the same names fold as before.
    CHECK(fold_name("Nadi Tinet el-Shallal") == "nadi tinet el shallal");
}

TEST_CASE("candidates: one distinctive word finds every venue that has it", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    // "Pellumbi": the four venues called "… Pëllumbi …", none of them whole.
    auto pellumbi = index.candidates("Pellumbi");
    CHECK(ids(pellumbi.full) == std::vector<std::int64_t>{1, 107, 128, 137});
    CHECK(pellumbi.full_total == 4);
    CHECK(pellumbi.full_complete == 0);
    CHECK(pellumbi.distinctive_words == 1);
    for (auto& c : pellumbi.full) {
        CHECK(c.anchored);
        CHECK_FALSE(c.exact);
        CHECK(c.kind == NameKind::name);
    }
    // "Zana": seven venues, one by an alias.
    auto zana = index.candidates("Zana");
    CHECK(ids(zana.full) == std::vector<std::int64_t>{2, 20, 23, 72, 131, 162, 167});
    REQUIRE(find(zana.full, 131));
    CHECK(find(zana.full, 131)->matched == "Bar Zana e Moravës");
    CHECK(find(zana.full, 131)->kind == NameKind::alias);
    // In Cyrillic, with the article of the category in another language.
    CHECK(ids(index.candidates("Кестен").full) == std::vector<std::int64_t>{16, 90});
    CHECK(ids(index.candidates("kesten").full) == std::vector<std::int64_t>{16, 90});
}

TEST_CASE("candidates: prefixes of four letters or more, with one typo from five", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    for (const char* q : {"Pellu", "Pëllu", "pell", "PELLUMB", "Pelum", "Pellunbi"}) {
        INFO(q);
        CHECK(ids(index.candidates(q).full) == std::vector<std::int64_t>{1, 107, 128, 137});
    }
    CHECK(index.candidates("Pel").full.empty());   // three letters are not enough for a prefix
    // A word one letter shorter than the name's is a typo of the whole word or nothing: "Kompas"
    // is two edits from "Compass", though one from its beginning "Compas".
    CHECK(index.candidates("Kompas").full.empty());
    CHECK(ids(index.candidates("Compa").full) == std::vector<std::int64_t>{75});
    CHECK(ids(index.candidates("Kompass").full) == std::vector<std::int64_t>{75});
    CHECK(index.candidates("Pelx").full.empty());  // a four-letter prefix must be exact
    // A prefix is a good match, a whole word a better one.
    auto whole = index.candidates("Pellumbi").full, part = index.candidates("Pellu").full;
    CHECK(whole.front().score > part.front().score);
}

TEST_CASE("candidates: every distinctive word must be there; category words may be left out", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    // Missing words: "Zana e Natës" is the one venue with both.
    auto nates = index.candidates("Zana e Natës");
    REQUIRE(nates.full.size() == 1);
    CHECK(nates.full[0].venue_id == 2);
    CHECK(nates.full[0].complete);
    CHECK_FALSE(nates.full[0].exact);
    // Extra and different category words.
    for (const char* q : {"Bar Zana e Nates", "Kafe Zana Nates", "Club Zana Natës", "Nocni klub Zana e Nates"}) {
        INFO(q);
        auto c = index.candidates(q);
        REQUIRE(c.full.size() == 1);
        CHECK(c.full[0].venue_id == 2);
    }
    // Typos in each word.
    CHECK(ids(index.candidates("Zanna Natse").full) == std::vector<std::int64_t>{2});
    CHECK(ids(index.candidates("Pelumbi Fushes").full) == std::vector<std::int64_t>{1});
    // The exact name.
    auto exact = index.candidates("NIGHT CLUB ZANA E NATES");
    REQUIRE(exact.full.size() == 1);
    CHECK(exact.full[0].exact);
    CHECK(exact.full[0].score == 1.0);
    CHECK(exact.full_exact == 1);
}

TEST_CASE("candidates: a town word may match the municipality or the address", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    auto c = index.candidates("Zana Prishtinë");
    CHECK(ids(c.full) == std::vector<std::int64_t>{2, 20, 131});  // not the Zanas of Prizren, Pejë, …
    for (auto& x : c.full) CHECK(x.place_words == 1);
    CHECK(ids(index.candidates("Zana Pristina").full) == std::vector<std::int64_t>{2, 20, 131});
    CHECK(ids(index.candidates("Zana Prizren").full) == std::vector<std::int64_t>{23});
    CHECK(ids(index.candidates("Zana Agim Ramadani").full) == std::vector<std::int64_t>{2});
    CHECK(ids(index.candidates("Plavi Kesten Zvecan").full) == std::vector<std::int64_t>{16});
    // A town alone is not a venue: the name must hold a word of the query.
    CHECK(index.candidates("Prishtinë").full.empty());
    CHECK(index.candidates("Hotel Prishtinë").full.empty());
}

TEST_CASE("candidates: near misses stay apart", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    // Luna and Lumi differ in two of four letters: two names, not a typo.
    CHECK(ids(index.candidates("Hotel Luna").full) == std::vector<std::int64_t>{900});
    CHECK(ids(index.candidates("Hotel Lumi").full) == std::vector<std::int64_t>{901});
    CHECK(ids(index.candidates("Luna").full) == std::vector<std::int64_t>{900});
    // One letter from Luna and two from Lumi: only Luna.
    CHECK(ids(index.candidates("Hotel Lune").full) == std::vector<std::int64_t>{900});
    // Zlatna Vila and Tiha Vila share Vila only.
    CHECK(ids(index.candidates("Zlatna Vila").full) == std::vector<std::int64_t>{18});
    CHECK(ids(index.candidates("Vila").full) == std::vector<std::int64_t>{18, 22});
    // No translation: English words do not find the Serbian name.
    CHECK(index.candidates("Blue Chestnut").full.empty());
    CHECK(index.candidates("Blue Chestnut").near.empty());
    // Words are not gathered from different names of one venue: 72 is "Masazh Zana e Mëngjesit"
    // also known as "Kafe Bar Bujtina e Jugut".
    CHECK(ids(index.candidates("Zana Jugut").full) == std::vector<std::int64_t>{23});
}

TEST_CASE("candidates: a word the list does not have leaves near candidates", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    auto c = index.candidates("Zana e Natës Nightlife");
    CHECK(c.full.empty());
    REQUIRE(c.near.size() >= 1);
    CHECK(c.near.front().venue_id == 2);
    // One or two distinctive words: one word found is too little to go on.
    CHECK(index.candidates("Nightlife").near.empty());
    CHECK(index.candidates("Zana Nightlife").near.empty());
    CHECK(index.candidates("Hotel Compass Veternik").near.empty());
}

TEST_CASE("candidates: category words alone", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    auto hotel = index.candidates("hotel");
    CHECK(hotel.distinctive_words == 0);
    CHECK(ids(hotel.full) == std::vector<std::int64_t>{9, 11, 23, 900, 901, 2013});
    for (auto& c : hotel.full) CHECK_FALSE(c.anchored);
    // Prefixes of category words are category words; a typo of one anchors nothing.
    CHECK(index.candidates("hote").distinctive_words == 0);
    CHECK(index.candidates("Night Clu").distinctive_words == 0);
    for (auto& c : index.candidates("Hotle").full) CHECK_FALSE(c.anchored);
    CHECK(index.candidates("Hotle").full.empty());
}

TEST_CASE("candidates: the matched name is in the script of the query", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    auto cyr = index.candidates("Плави Кестен");
    REQUIRE(cyr.full.size() == 1);
    CHECK(cyr.full[0].matched == "Мотел Плави Кестен");
    auto lat = index.candidates("Plavi Kesten");
    REQUIRE(lat.full.size() == 1);
    CHECK(lat.full[0].matched == "Motel Plavi Kesten");
    CHECK(lat.full[0].kind == NameKind::alias);
    // A venue named in Latin with a Cyrillic alias, asked in Cyrillic.
    const NameIndex latin_named({name(5, "Motel Plavi Kesten"), alias(5, "Мотел Плави Кестен"), name(6, "Hotel Luna")});
    auto c = latin_named.candidates("мотел плави кестен");
    REQUIRE(c.full.size() == 1);
    CHECK(c.full[0].matched == "Мотел Плави Кестен");
    CHECK(c.full[0].kind == NameKind::alias);
    CHECK(c.full[0].exact);
}

TEST_CASE("candidates: Arabic names and their Latin aliases", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    auto ar = index.candidates("نادي تينة الشلال");
    REQUIRE(ar.full.size() == 1);
    CHECK(ar.full[0].venue_id == 2006);
    CHECK(ar.full[0].exact);
    CHECK(ar.full[0].matched == "نادي تينة الشلال");
    // Typed without the category word, with ه for ة, and without the article.
    CHECK(ids(index.candidates("تينه الشلال").full) == std::vector<std::int64_t>{2006});
    CHECK(ids(index.candidates("تينة شلال").full) == std::vector<std::int64_t>{2006});
    // One word shared by three venues, in either script.
    CHECK(ids(index.candidates("الشلال").full) == std::vector<std::int64_t>{2006, 2022, 2032});
    CHECK(ids(index.candidates("Shallal").full) == std::vector<std::int64_t>{2006, 2022, 2032});
    // The Latin alias, answered in Latin.
    auto lat = index.candidates("Tinet el Shallal");
    REQUIRE(lat.full.size() == 1);
    CHECK(lat.full[0].venue_id == 2006);
    CHECK(lat.full[0].matched.rfind("Nadi Tinet", 0) == 0);
    // A French name with an Arabic alias, asked in Arabic and in French without accents.
    auto fr = index.candidates("خروبة الحديقة");
    REQUIRE(fr.full.size() == 1);
    CHECK(fr.full[0].matched == "فندق خروبة الحديقة");
    CHECK(ids(index.candidates("Hotel Caroubier Jardin").full) == std::vector<std::int64_t>{2013});
    CHECK(ids(index.candidates("Olivier Cascade").full) == std::vector<std::int64_t>{2022});
}

TEST_CASE("candidates: long, empty and hostile queries", "[names][candidates]") {
    const NameIndex& index = kosovo_index();
    CHECK(index.candidates("").full.empty());
    CHECK(index.candidates("?!—").folded.empty());
    // Words past kMaxQueryWords are not read.
    std::string many;
    for (int k = 0; k < 500; ++k) many += "zana ";
    auto c = index.candidates(many);
    CHECK(c.folded.size() == 5 * kMaxQueryWords - 1);
    std::string long_word(5000, 'z');
    CHECK(index.candidates(long_word).full.empty());
    CHECK(index.candidates(std::string("Zana\0Nates", 10)).full.size() == 1);
}
