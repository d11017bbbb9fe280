// Field conversions shared by the importers (the bounds of a row: tests/unit/store/validate_test.cpp).
#include "source/validate.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

using namespace keepout::source;
using keepout::store::InvalidField;
using namespace std::string_literals;
using Names = std::vector<std::string>;

TEST_CASE("is_valid_utf8 accepts well-formed text", "[io][validate]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("Bar Restaurant Kosova"));
    CHECK(is_valid_utf8("Kafe Ëndrra, Rruga Nënë Tereza, Prishtinë"));  // Albanian
    CHECK(is_valid_utf8("Ноћни клуб Приштина"));                       // Serbian Cyrillic
    CHECK(is_valid_utf8("Çarshia e Gjatë — “quoted” €"));
    CHECK(is_valid_utf8("\xF0\x9F\x8D\xBA"));  // 4-byte sequence (beer mug emoji)
    CHECK(is_valid_utf8("a\0b"s));              // an embedded NUL is a valid code point
}

TEST_CASE("is_valid_utf8 rejects malformed bytes", "[io][validate]") {
    for (const std::string& bad : {"\xC3\x28"s,           // bad continuation byte
                                  "\xFF"s,               // never valid
                                  "\xFE"s,               //
                                  "abc\xC3"s,            // truncated 2-byte sequence at the end
                                  "\xE2\x82"s,           // truncated 3-byte sequence
                                  "\xF0\x9F\x8D"s,       // truncated 4-byte sequence
                                  "\xC0\xAF"s,           // overlong '/'
                                  "\xE0\x80\xAF"s,       // overlong 3-byte '/'
                                  "\xED\xA0\x80"s,       // UTF-16 surrogate half
                                  "\xF4\x90\x80\x80"s,   // beyond U+10FFFF
                                  "\x80"s,               // lone continuation byte
                                  "Prishtin\xEB"s}) {    // Latin-1 ë, not UTF-8
        CAPTURE(bad);
        CHECK_FALSE(is_valid_utf8(bad));
    }
}

TEST_CASE("trim removes surrounding whitespace only", "[io][validate]") {
    CHECK(trim("  bar  ") == "bar");
    CHECK(trim("\t\r\n bar \f\v") == "bar");
    CHECK(trim("a b") == "a b");
    CHECK(trim("  a  b  ") == "a  b");
    CHECK(trim("") == "");
    CHECK(trim(" \t\n ") == "");
    CHECK(trim("x") == "x");
}

TEST_CASE("normalise_code lowercases, trims and reads '_' and ' ' as '-'", "[io][validate]") {
    CHECK(normalise_code("Private House") == "private-house");
    CHECK(normalise_code("  ORGANIZED_CRIME ") == "organized-crime");
    CHECK(normalise_code("private-house") == "private-house");
    CHECK(normalise_code("Bar") == "bar");
    CHECK(normalise_code("") == "");
    CHECK(normalise_code("Health Safety") == "health-safety");
}

TEST_CASE("parse_name_list reads a JSON array of strings", "[io][validate]") {
    CHECK(parse_name_list(R"(["Club Eden", "Eden Bar"])") == Names{"Club Eden", "Eden Bar"});
    CHECK(parse_name_list(R"(  ["a"]  )") == Names{"a"});
    CHECK(parse_name_list("[]").empty());
    CHECK(parse_name_list(R"(["  padded  ", "", "   ", "x"])") == Names{"padded", "x"});
    CHECK(parse_name_list(R"(["dup", "other", "dup", " dup "])") == Names{"dup", "other"});
    CHECK(parse_name_list(R"(["Ноћни клуб", "Klubi i natës"])") == Names{"Ноћни клуб", "Klubi i natës"});
    CHECK(parse_name_list(R"(["a;b"])") == Names{"a;b"});  // a ';' inside a JSON string is not a separator
}

TEST_CASE("parse_name_list reads semicolon-separated text", "[io][validate]") {
    CHECK(parse_name_list("Club Eden; Eden Bar") == Names{"Club Eden", "Eden Bar"});
    CHECK(parse_name_list("one") == Names{"one"});
    CHECK(parse_name_list(";;a;; b ;") == Names{"a", "b"});
    CHECK(parse_name_list("x;y;x;y;z") == Names{"x", "y", "z"});
    CHECK(parse_name_list("").empty());
    CHECK(parse_name_list("   ").empty());
    CHECK(parse_name_list(" ; ; ").empty());
}

TEST_CASE("parse_name_list rejects a malformed JSON array", "[io][validate]") {
    CHECK_THROWS_AS(parse_name_list(R"(["unterminated)"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list("[1, 2"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"(["a", 2])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"(["a", null])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"([["nested"]])"), std::invalid_argument);
    CHECK_THROWS_AS(parse_name_list(R"([{"name": "a"}])"), std::invalid_argument);
}

TEST_CASE("parse_number accepts only a whole finite decimal number", "[io][validate]") {
    REQUIRE(parse_number("42.5"));
    CHECK(*parse_number("42.5") == Approx(42.5));
    REQUIRE(parse_number(" 42 "));
    CHECK(*parse_number(" 42 ") == 42.0);
    REQUIRE(parse_number("4e1"));
    CHECK(*parse_number("4e1") == 40.0);
    REQUIRE(parse_number("-21.16"));
    CHECK(*parse_number("-21.16") == Approx(-21.16));
    REQUIRE(parse_number("+3"));
    CHECK(*parse_number("+3") == 3.0);
    REQUIRE(parse_number("0"));
    CHECK(*parse_number("0") == 0.0);

    for (const char* bad : {"abc", "42abc", "", "   ", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "4 2",
                            "42,5", "0x10", "+", "-", "++1", "1.2.3", "e5"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_number(bad));
    }
}

TEST_CASE("parse_number rejects a sign after a plus sign", "[io][validate]") {
    // "+-5" is not a number; the leading '+' is skipped and from_chars then reads "-5".
    INFO("parse_number(\"+-5\") = " << parse_number("+-5").value_or(0.0));
    CHECK_FALSE(parse_number("+-5"));
    INFO("parse_integer(\"+-5\") = " << parse_integer("+-5").value_or(0));
    CHECK_FALSE(parse_integer("+-5"));
}

TEST_CASE("parse_integer accepts whole numbers, also written as 120.0", "[io][validate]") {
    REQUIRE(parse_integer("42"));
    CHECK(*parse_integer("42") == 42);
    REQUIRE(parse_integer(" -7 "));
    CHECK(*parse_integer(" -7 ") == -7);
    REQUIRE(parse_integer("120.0"));
    CHECK(*parse_integer("120.0") == 120);
    REQUIRE(parse_integer("4e1"));
    CHECK(*parse_integer("4e1") == 40);
    REQUIRE(parse_integer("+5"));
    CHECK(*parse_integer("+5") == 5);
    REQUIRE(parse_integer("9223372036854775807"));
    CHECK(*parse_integer("9223372036854775807") == 9223372036854775807LL);

    for (const char* bad : {"abc", "42abc", "", "nan", "inf", "42.5", "0.1", "1e400", "9223372036854775808",
                            "1e17", "4 2"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_integer(bad));
    }
}

TEST_CASE("name lists are bounded and deduplicated in linear time", "[io][validate][names]") {
    std::string many = "[";
    for (int i = 0; i < 100000; ++i) many += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
    many += "]";
    CHECK_THROWS_WITH(parse_name_list(many), Catch::Contains("100000 aliases given, at most 64 per venue"));
    std::string sixty_four = "[";
    for (int i = 0; i < 64; ++i) sixty_four += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
    CHECK(parse_name_list(sixty_four + "]").size() == 64);
    CHECK(parse_name_list(sixty_four + ",\"0\",\" 1 \"]").size() == 64);  // duplicates do not count
    CHECK_THROWS_AS(parse_name_list(sixty_four + ",\"64\"]", "former_names"), InvalidField);
    CHECK_THROWS_AS(parse_name_list(std::string(100000, '[') + std::string(100000, ']')), std::invalid_argument);
    CHECK_THROWS_WITH(parse_name_list("ok;bad\x01"), Catch::Contains("entry 2"));
    CHECK(clean_name_list({" a ", "", "a", "b"}) == Names{"a", "b"});
}
