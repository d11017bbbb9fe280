// Strict ISO dates.
#include "model/date.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "unit/model/date_catch.hpp"

using keepout::model::Date;
using keepout::model::DateError;

TEST_CASE("Date::parse accepts strict YYYY-MM-DD and round-trips through iso()", "[model][date]") {
    for (const char* text : {"2026-01-05", "2026-12-31", "2028-02-29", "2000-02-29", "1999-01-01", "0001-01-01"}) {
        CAPTURE(text);
        CHECK(Date::parse(text).iso() == text);
        REQUIRE(Date::try_parse(text));
        CHECK(Date::try_parse(text)->iso() == text);
    }
}

TEST_CASE("Date::parse maps to the right calendar day", "[model][date]") {
    using namespace std::chrono;
    CHECK(Date::parse("2026-01-05").days() == sys_days{year{2026} / January / 5});
    CHECK(Date::parse("1970-01-01").days().time_since_epoch().count() == 0);
    CHECK(Date::parse("1970-01-02").days().time_since_epoch().count() == 1);
    CHECK(Date::parse("2028-02-29").days() + days{1} == Date::parse("2028-03-01").days());
}

TEST_CASE("Date::parse rejects anything that is not a real YYYY-MM-DD date", "[model][date]") {
    for (const char* text :
         {"2026-02-30", "2026-1-5", "", "2026-01-05x", "2027-02-29", "2100-02-29", "2026-13-01", "2026-00-10",
          "2026-01-00", "2026-01-32", "2026/01/05", "20260105", " 2026-01-05", "2026-01-05 ", "2026-01-5 ",
          "+026-01-05", "2026-+1-05", "2026-01--5", "2026-0a-05", "abcd-ef-gh", "05-01-2026", "2026-04-31",
          "2026-01-05T00:00", "２０２６-01-05"}) {
        CAPTURE(text);
        CHECK_THROWS_AS(Date::parse(text), DateError);
        CHECK_FALSE(Date::try_parse(text));
    }
}

TEST_CASE("Date::parse error names the offending text", "[model][date]") {
    CHECK_THROWS_WITH(Date::parse("2026-02-30"), Catch::Contains("2026-02-30") && Catch::Contains("YYYY-MM-DD"));
}

TEST_CASE("Dates compare in calendar order", "[model][date]") {
    const Date a = Date::parse("2026-01-31");
    const Date b = Date::parse("2026-02-01");
    CHECK(a < b);
    CHECK(b > a);
    CHECK(a != b);
    CHECK(a == Date::parse("2026-01-31"));
    CHECK(Date::parse("2025-12-31") < a);
    CHECK(Date::parse("2026-10-01") > Date::parse("2026-09-30"));  // not a string compare trap
}

TEST_CASE("a default Date is the epoch", "[model][date]") {
    CHECK(Date{}.iso() == "1970-01-01");
}

TEST_CASE("Date::today_utc is today's UTC date", "[model][date]") {
    using namespace std::chrono;
    const auto before = floor<days>(system_clock::now());
    const Date today = Date::today_utc();
    const auto after = floor<days>(system_clock::now());
    CHECK(today.days() >= before);
    CHECK(today.days() <= after);
    CHECK(Date::parse(today.iso()) == today);
}

TEST_CASE("utc_now_iso is the current UTC time to the second, ending in Z", "[model][date]") {
    using namespace std::chrono;
    const auto before = floor<seconds>(system_clock::now());
    const std::string stamp = keepout::model::utc_now_iso();
    const auto after = floor<seconds>(system_clock::now());
    REQUIRE(stamp.size() == 20);
    CHECK(stamp[10] == 'T');
    CHECK(stamp.back() == 'Z');
    // Read back field by field and compared with the clock on either side.
    const Date day = Date::parse(stamp.substr(0, 10));
    const auto at = day.days() + hours(std::stoi(stamp.substr(11, 2))) + minutes(std::stoi(stamp.substr(14, 2))) +
                    seconds(std::stoi(stamp.substr(17, 2)));
    CHECK(at >= before);
    CHECK(at <= after);
}

TEST_CASE("Date::iso writes what the calendar says for every week from year 1 to 9999", "[model][date]") {
    using namespace std::chrono;
    const sys_days first{year{1} / January / 1}, last{year{9999} / December / 31};
    for (sys_days d = first; d <= last; d += days{7}) {
        const year_month_day ymd{d};
        char expected[16];
        std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
        const std::string got = Date{d}.iso();
        if (got != expected) FAIL(got << " != " << expected);
    }
    CHECK(Date{last}.iso() == "9999-12-31");
}

TEST_CASE("date_problem says what is wrong with a text that is not a date", "[model][date]") {
    using keepout::model::date_problem;
    CHECK(date_problem("2026-02-28").empty());
    CHECK(date_problem("2026-02-30") == "February 2026 has 28 days");
    CHECK(date_problem("2028-02-30") == "February 2028 has 29 days");
    CHECK(date_problem("2026-09-31") == "September 2026 has 30 days");
    CHECK(date_problem("2026-12-32") == "December 2026 has 31 days");
    CHECK(date_problem("2026-13-01") == "there is no month 13 (months are 01 to 12)");
    CHECK(date_problem("2026-00-01") == "there is no month 00 (months are 01 to 12)");
    CHECK(date_problem("2026-01-00") == "there is no day 00 (days start at 01)");
    for (const char* shape : {"", "2026-1-01", "01.03.2026", "2026/03/01", "2026-03-01T00:00Z", "2026-0a-01", "+026-03-01"}) {
        CAPTURE(shape);
        CHECK(date_problem(shape) == "expected YYYY-MM-DD, e.g. 2026-03-01");
    }
}
