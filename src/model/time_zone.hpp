#pragma once
// Mission time: a directive takes effect at local midnight, so "today" and every as-of date are
// dates in the mission's IANA time zone, not UTC (ICU's time zone data).
#include <chrono>
#include <string>
#include <string_view>

#include "model/date.hpp"

namespace keepout::model {

// Whether `id` names a zone of the IANA database that ICU knows ("Asia/Beirut"; not "GMT+2").
bool is_iana_time_zone(std::string_view id);

// The calendar date at instant `t` in zone `tz` (an IANA id; throws DateError when unknown).
Date local_date(std::chrono::sys_seconds t, std::string_view tz);

// Today in zone `tz`.
Date today_in(std::string_view tz);

// A date (YYYY-MM-DD, taken as it is) or an RFC 3339 instant (2026-06-30T22:30:00Z,
// 2026-07-01T01:30:00+03:00), read as the local date in `tz`. Throws DateError saying what is wrong.
Date parse_date_or_instant(std::string_view text, std::string_view tz);

}  // namespace keepout::model
