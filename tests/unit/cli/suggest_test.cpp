// Edit distance and the nearest words for "did you mean".
#include "cli/suggest.hpp"

#include <catch2/catch.hpp>

using namespace keepout::cli;

TEST_CASE("edit_distance counts inserts, deletes, replacements and swaps", "[cli][suggest]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("list", "list") == 0);
    CHECK(edit_distance("lsit", "list") == 1);     // swap
    CHECK(edit_distance("isue", "issue") == 1);    // insert
    CHECK(edit_distance("fromat", "format") == 1); // swap
    CHECK(edit_distance("lists", "list") == 1);    // delete
    CHECK(edit_distance("lost", "list") == 1);     // replace
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ca", "abc") == 3);        // optimal string alignment, not full Damerau
}

TEST_CASE("closest_words suggests only what was plausibly meant", "[cli][suggest]") {
    const std::vector<std::string> commands{"init", "import", "directive", "list", "history", "check", "export"};
    CHECK(closest_words("lsit", commands) == std::vector<std::string>{"list"});
    CHECK(closest_words("dir", commands) == std::vector<std::string>{"directive"});  // a start of one
    CHECK(closest_words("imprt", commands) == std::vector<std::string>{"import"});
    CHECK(closest_words("zzz", commands).empty());
    CHECK(closest_words("", commands).empty());
    CHECK(closest_words("list", commands).empty());  // the word itself is no suggestion
    // Options compare without their dashes.
    const std::vector<std::string> options{"--help", "--as-of", "--format"};
    CHECK(closest_words("--fromat", options) == std::vector<std::string>{"--format"});
    CHECK(closest_words("-format", options) == std::vector<std::string>{"--format"});
    // Only the nearest: "expor" is one edit from export and two from others.
    CHECK(closest_words("expor", commands) == std::vector<std::string>{"export"});
}

TEST_CASE("or_list reads as the end of a question", "[cli][suggest]") {
    CHECK(or_list({"a"}) == "\"a\"");
    CHECK(or_list({"a", "b"}) == "\"a\" or \"b\"");
    CHECK(or_list({"a", "b", "c"}) == "\"a\", \"b\" or \"c\"");
}
