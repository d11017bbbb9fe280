// The duplicate rule's name comparison (text::names_alike): the same venue written in another
// script, with or without its category words, with a typo, or with words left out is alike; two
// venues whose distinctive words differ are not. Names are invented, in the style of the sample.
#include "text/name_fold.hpp"

#include <catch2/catch.hpp>

using keepout::text::fold_name;
using keepout::text::names_alike;

TEST_CASE("names_alike: one venue in two scripts, spellings and lengths", "[names][duplicates]") {
    // Serbian Cyrillic and Latin, Albanian with and without its letters, case.
    CHECK(names_alike("Бар Златна Вила", "Bar Zlatna Vila"));
    CHECK(names_alike("Кафана Ђердан", "Kafana Djerdan"));
    CHECK(names_alike("Кафана Ђердан", "Đerdan"));
    CHECK(names_alike("Kafe Pëllumbi", "KAFE PELLUMBI"));
    CHECK(names_alike("Bar Dallëndyshe's", "bar dallendyshes"));
    // Category words say nothing: the night club is the club is "Zana".
    CHECK(names_alike("Ноћни клуб Зана", "Night Club Zana"));
    CHECK(names_alike("Night Club Zana e Natës", "Zana"));
    CHECK(names_alike("Zana", "Night Club Zana e Natës"));
    // A typo (one edit in 4 letters or more, two in 8 or more), words in another order.
    CHECK(names_alike("Kafe Bar Pëllumbi i Fushës", "Pelumbi i Fushes"));
    CHECK(names_alike("Motel Silent Horseshoe", "Silent Horsehsoe Motel"));
    CHECK(names_alike("Hotel Rrufeja e Llapit", "Hotel Rufeja"));
}

TEST_CASE("names_alike: near misses stay apart", "[names][duplicates]") {
    // One distinctive word differs: two venues on one street.
    CHECK_FALSE(names_alike("Bar Zlatna Vila", "Bar Zlatna Reka"));
    CHECK_FALSE(names_alike("Бар Златна Вила", "Bar Zlatna Zvezda"));
    CHECK_FALSE(names_alike("Motel Silent Horseshoe", "Motel Silent River"));
    CHECK_FALSE(names_alike("Hotel Luna", "Hotel Sunce"));
    // Words of three letters or fewer only match exactly; numbers are words.
    CHECK_FALSE(names_alike("Bar 7", "Bar 8"));
    CHECK_FALSE(names_alike("Hotel Sirius 2000", "Hotel Sirius 2001"));
    CHECK_FALSE(names_alike("Kafe No17", "Kafe No18"));
    CHECK_FALSE(names_alike("Kafe Ora", "Kafe Ura"));
    // Each word of the shorter name needs its own word in the other: "vika" cannot reuse "vila".
    CHECK_FALSE(names_alike("Bar Vila Vika", "Bar Vila Reka"));
    // Category words alone name no venue unless the names fold the same.
    CHECK_FALSE(names_alike("Kafe Bar", "Bar"));
    CHECK(names_alike("Kafe-Bar", "kafe bar"));
    // Nothing to compare.
    CHECK_FALSE(names_alike("", ""));
    CHECK_FALSE(names_alike("!!", "!!"));
    CHECK_FALSE(names_alike("Zana", ""));
}

TEST_CASE("fold_name is the one folding: analysis and the store agree", "[names]") {
    CHECK(fold_name("Ноћни клуб Ëndrra") == "nocni klub endrra");
    CHECK(keepout::text::name_words("Night Club Zana e Natës").distinctive.size() == 2);  // zana, nates
    CHECK(keepout::text::is_distinctive_word("nates"));
    CHECK_FALSE(keepout::text::is_distinctive_word("nate"));
}
