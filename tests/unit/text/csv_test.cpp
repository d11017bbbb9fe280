// CSV cells: formula triggers made inert on the way out and back on the way in, RFC 4180 quoting.
#include "text/csv.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace keepout::text;
using namespace std::string_literals;

TEST_CASE("make_csv_cell_inert neutralises formula triggers", "[text][csv]") {
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

TEST_CASE("strip_inert_prefix removes exactly the added apostrophe", "[text][csv]") {
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

TEST_CASE("make_csv_cell_inert then strip_inert_prefix gives the cell back", "[text][csv]") {
    for (const std::string& cell : {"=1+1"s, "+1"s, "-1"s, "@SUM(1)"s, "\tx"s, "\rx"s, "Bar Eden"s, ""s, "'"s,
                                   "'quoted"s, "a=b"s, "Ëndrra"s}) {
        CAPTURE(cell);
        CHECK(strip_inert_prefix(make_csv_cell_inert(cell)) == cell);
    }
}

TEST_CASE("a cell that already starts with an apostrophe and a trigger survives the round trip",
          "[text][csv]") {
    // "'=x" is written out unchanged (it starts with '), and the importer then strips its
    // apostrophe: the value comes back as "=x".
    for (const std::string& cell : {"'=x"s, "'+1"s, "'-1"s, "'@x"s}) {
        CAPTURE(cell);
        CHECK(strip_inert_prefix(make_csv_cell_inert(cell)) == cell);
    }
}

TEST_CASE("csv_cell makes a cell inert, then quotes it when it must", "[text][csv]") {
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
