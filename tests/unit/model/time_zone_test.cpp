// Mission time: local dates in IANA zones, RFC 3339 instants read as the mission's date.
#include "model/time_zone.hpp"

#include <catch2/catch.hpp>

#include "unit/model/date_catch.hpp"

using namespace keepout::model;

namespace {
std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
    return std::chrono::sys_seconds(std::chrono::sys_days(std::chrono::year(y) / m / d)) + std::chrono::hours(hh) +
           std::chrono::minutes(mm) + std::chrono::seconds(ss);
}
}  // namespace

TEST_CASE("IANA time zones and what is not one") {
    CHECK(is_iana_time_zone("Asia/Beirut"));
    CHECK(is_iana_time_zone("Europe/Belgrade"));
    CHECK(is_iana_time_zone("Africa/Kinshasa"));
    CHECK(is_iana_time_zone("UTC"));
    CHECK_FALSE(is_iana_time_zone(""));
    CHECK_FALSE(is_iana_time_zone("GMT+2"));
    CHECK_FALSE(is_iana_time_zone("GMT+02:00"));
    CHECK_FALSE(is_iana_time_zone("Mars/Olympus_Mons"));
    CHECK_FALSE(is_iana_time_zone(std::string(200, 'A')));
}

TEST_CASE("the local date changes at local midnight, not at UTC midnight") {
    // Beirut is UTC+3 in summer: 21:00Z on 30 June is already 1 July there.
    CHECK(local_date(utc(2026, 6, 30, 20, 59, 59), "Asia/Beirut") == Date::parse("2026-06-30"));
    CHECK(local_date(utc(2026, 6, 30, 21, 0, 0), "Asia/Beirut") == Date::parse("2026-07-01"));
    // Belgrade is UTC+1 in winter.
    CHECK(local_date(utc(2026, 1, 19, 22, 59, 0), "Europe/Belgrade") == Date::parse("2026-01-19"));
    CHECK(local_date(utc(2026, 1, 19, 23, 0, 0), "Europe/Belgrade") == Date::parse("2026-01-20"));
    // West of Greenwich the local date is behind.
    CHECK(local_date(utc(2026, 3, 1, 2, 0, 0), "America/Port-au-Prince") == Date::parse("2026-02-28"));
    CHECK_THROWS_AS(local_date(utc(2026, 1, 1, 0, 0, 0), "Nowhere/Special"), DateError);
}

TEST_CASE("an as-of is a date or an RFC 3339 instant") {
    CHECK(parse_date_or_instant("2026-06-30", "Asia/Beirut") == Date::parse("2026-06-30"));
    CHECK(parse_date_or_instant("2026-06-30T22:30:00Z", "Asia/Beirut") == Date::parse("2026-07-01"));
    CHECK(parse_date_or_instant("2026-06-30T22:30:00Z", "UTC") == Date::parse("2026-06-30"));
    CHECK(parse_date_or_instant("2026-07-01T01:30:00+03:00", "Europe/Belgrade") == Date::parse("2026-07-01"));
    CHECK(parse_date_or_instant("2026-07-01T00:30:00.250+03:00", "UTC") == Date::parse("2026-06-30"));
    CHECK(parse_date_or_instant("2026-06-30t23:59:60z", "UTC") == Date::parse("2026-06-30"));
    for (const char* bad : {"2026-02-30T10:00:00Z", "2026-06-30T10:00:00", "2026-06-30T25:00:00Z",
                            "2026-06-30T10:00Z", "2026-06-30T10:00:00+3:00", "2026-06-30T10:00:00Zjunk", "30/06/2026",
                            "2026-06-30X10:00:00Z", ""})
        CHECK_THROWS_AS(parse_date_or_instant(bad, "UTC"), DateError);
}
