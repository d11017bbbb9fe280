// Strict numbers: what a client may send as a number, and what it may not.
#include "text/numbers.hpp"

#include <catch2/catch.hpp>

using keepout::text::parse_double;
using keepout::text::parse_int64;

TEST_CASE("whole numbers are plain decimal digits and nothing else", "[text][numbers]") {
    CHECK(parse_int64("0") == 0);
    CHECK(parse_int64("12") == 12);
    CHECK(parse_int64("-12") == -12);
    CHECK(parse_int64("007") == 7);
    CHECK(parse_int64("9223372036854775807") == INT64_MAX);
    CHECK(parse_int64("-9223372036854775808") == INT64_MIN);
    for (const char* refused : {"", "12.0", "12.", ".5", "+12", " 12", "12 ", "1e3", "0x10", "x10", "1_000", "1,000",
                                "9223372036854775808", "-9223372036854775809", "99999999999999999999", "-", "--1",
                                "12a", "\xef\xbc\x91", "1\n"}) {
        INFO("'" << refused << "'");
        CHECK_FALSE(parse_int64(refused).has_value());
    }
}

TEST_CASE("numbers are finite decimals without blanks or a plus sign", "[text][numbers]") {
    CHECK(parse_double("0") == 0.0);
    CHECK(parse_double("12") == 12.0);
    CHECK(parse_double("-12.5") == -12.5);
    CHECK(parse_double(".5") == 0.5);
    CHECK(parse_double("-.5") == -0.5);
    CHECK(parse_double("1e3") == 1000.0);
    CHECK(parse_double("42.6629") == Approx(42.6629));
    for (const char* refused : {"", "+1", " 1", "1 ", "1,5", "0x10", "inf", "-inf", "nan", "NaN", "infinity", "1e999",
                                "-1e999", ".", "-", "1..2", "1e", "e3", "12a", "--1"}) {
        INFO("'" << refused << "'");
        CHECK_FALSE(parse_double(refused).has_value());
    }
}
