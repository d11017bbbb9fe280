#pragma once
// Values typed on the command line, checked with messages that say what is wrong and what fits.
#include <string>
#include <string_view>
#include <vector>

#include "model/date.hpp"
#include "model/types.hpp"
#include "store/repository.hpp"

namespace keepout::cli {

// A YYYY-MM-DD date given to `option`; UsageError "--as-of 2026-02-30 is not a date: February 2026
// has 28 days" otherwise.
model::Date date_arg(const std::string& text, std::string_view option);
// The date given (YYYY-MM-DD, or an RFC 3339 instant read as the mission's local date), or today in
// the mission's time zone when none was: a directive takes effect at local midnight. Without a
// mission profile the zone is UTC.
model::Date date_or_today(store::Store&, const std::string& text, std::string_view option = "--as-of");
// The mission's IANA time zone, or "UTC" before a mission profile is imported.
std::string mission_time_zone(store::Store&);

// Reason codes for a place or a lift, each once; an unknown code, or one that does not fit the
// action, is a UsageError that lists the codes that do (and the nearest to a typo).
std::vector<model::Reason> reason_args(const std::vector<std::string>& codes, model::Action);

// Words typed without quotes, as the one text they mean ("Plavi" "Kesten" → "Plavi Kesten").
std::string join_words(const std::vector<std::string>& words);

}  // namespace keepout::cli
