// Field-level checks shared by the importers.
#include "io/validate.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace keepout::io;
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

TEST_CASE("make_csv_cell_inert neutralises formula triggers", "[io][validate]") {
    CHECK(make_csv_cell_inert("=SUM(A1:A9)") == "'=SUM(A1:A9)");
    CHECK(make_csv_cell_inert("+381 38 123") == "'+381 38 123");
    CHECK(make_csv_cell_inert("-21.16") == "'-21.16");
    CHECK(make_csv_cell_inert("@cmd") == "'@cmd");
    CHECK(make_csv_cell_inert("\tx") == "'\tx");
    CHECK(make_csv_cell_inert("\rx") == "'\rx");
    CHECK(make_csv_cell_inert("Bar Eden") == "Bar Eden");
    CHECK(make_csv_cell_inert("a=b") == "a=b");
    CHECK(make_csv_cell_inert("") == "");
    CHECK(make_csv_cell_inert("'quoted") == "'quoted");
}

TEST_CASE("strip_inert_prefix removes exactly the added apostrophe", "[io][validate]") {
    CHECK(strip_inert_prefix("'=SUM(A1)") == "=SUM(A1)");
    CHECK(strip_inert_prefix("'+1") == "+1");
    CHECK(strip_inert_prefix("'-1") == "-1");
    CHECK(strip_inert_prefix("'@x") == "@x");
    CHECK(strip_inert_prefix("'quoted") == "'quoted");  // not one of ours
    CHECK(strip_inert_prefix("'") == "'");
    CHECK(strip_inert_prefix("''=x") == "'=x");  // the inert form of the value '=x
    CHECK(strip_inert_prefix("=x") == "=x");
    CHECK(strip_inert_prefix("") == "");
}

TEST_CASE("make_csv_cell_inert then strip_inert_prefix gives the cell back", "[io][validate]") {
    for (const std::string& cell : {"=1+1"s, "+1"s, "-1"s, "@SUM(1)"s, "\tx"s, "\rx"s, "Bar Eden"s, ""s, "'"s,
                                   "'quoted"s, "a=b"s, "Ëndrra"s}) {
        CAPTURE(cell);
        CHECK(strip_inert_prefix(make_csv_cell_inert(cell)) == cell);
    }
}

TEST_CASE("a cell that already starts with an apostrophe and a trigger survives the round trip",
          "[io][validate]") {
    // "'=x" is written out unchanged (it starts with '), and the importer then strips its
    // apostrophe: the value comes back as "=x".
    for (const std::string& cell : {"'=x"s, "'+1"s, "'-1"s, "'@x"s}) {
        CAPTURE(cell);
        CHECK(strip_inert_prefix(make_csv_cell_inert(cell)) == cell);
    }
}

TEST_CASE("csv_cell makes a cell inert, then quotes it when it must", "[io][validate]") {
    CHECK(csv_cell("Bar Eden") == "Bar Eden");
    CHECK(csv_cell("Bar \"Eden\"") == "\"Bar \"\"Eden\"\"\"");
    CHECK(csv_cell("Prishtinë, Kosovo") == "\"Prishtinë, Kosovo\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    CHECK(csv_cell("a\rb") == "\"a\rb\"");
    CHECK(csv_cell("=1,2") == "\"'=1,2\"");
    CHECK(csv_cell("'=x") == "''=x");  // round trip: strip_inert_prefix gives '=x back
    CHECK(csv_cell("") == "");
    CHECK(csv_row({"1", "Bar, Eden", "-21.16"}) == "1,\"Bar, Eden\",'-21.16");
    CHECK(csv_row({}) == "");
}
