#include "model/time_zone.hpp"

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>

namespace keepout::model {

namespace {

std::unique_ptr<icu::TimeZone> zone(std::string_view id) {
    if (!is_iana_time_zone(id)) throw DateError("unknown time zone \"" + std::string(id) + "\"");
    return std::unique_ptr<icu::TimeZone>(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), int32_t(id.size())))));
}

// Digits at [pos, pos+n) as a number, or -1.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

}  // namespace

bool is_iana_time_zone(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool system = false;
    icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), int32_t(id.size()))),
                                  canonical, system, status);
    // Custom ids such as "GMT+02:00" are valid for ICU but are not system (IANA) zones.
    return U_SUCCESS(status) && system && canonical != UNICODE_STRING_SIMPLE("Etc/Unknown");
}

Date local_date(std::chrono::sys_seconds t, std::string_view tz) {
    auto z = zone(tz);
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar cal(z.release(), status);  // the calendar adopts the zone
    if (U_FAILURE(status)) throw DateError("no calendar for time zone \"" + std::string(tz) + "\"");
    cal.setTime(UDate(t.time_since_epoch().count()) * 1000.0, status);
    const int y = cal.get(UCAL_EXTENDED_YEAR, status), m = cal.get(UCAL_MONTH, status) + 1,
              d = cal.get(UCAL_DATE, status);
    if (U_FAILURE(status)) throw DateError("cannot convert a time to time zone \"" + std::string(tz) + "\"");
    return Date(std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(unsigned(m)) /
                                      std::chrono::day(unsigned(d))));
}

Date today_in(std::string_view tz) {
    return local_date(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), tz);
}

Date parse_date_or_instant(std::string_view text, std::string_view tz) {
    if (text.size() == 10) return Date::parse(text);
    // RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM); 't', 'z' and a space for 'T' are allowed.
    auto bad = [&](const std::string& why) {
        return DateError("\"" + std::string(text.substr(0, 40)) + "\" is not a date (YYYY-MM-DD) nor an RFC 3339 " +
                         "instant (2026-06-30T22:30:00Z): " + why);
    };
    if (text.size() < 19 || text.size() > 40) throw bad("wrong length");
    const Date day = [&] {
        try {
            return Date::parse(text.substr(0, 10));
        } catch (const DateError& e) {
            throw bad(e.what());
        }
    }();
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') throw bad("expected T after the date");
    const int hh = digits(text, 11, 2), mm = digits(text, 14, 2), ss = digits(text, 17, 2);
    if (hh < 0 || mm < 0 || ss < 0 || text[13] != ':' || text[16] != ':') throw bad("expected HH:MM:SS after T");
    if (hh > 23 || mm > 59 || ss > 60) throw bad("hour, minute or second out of range");
    std::size_t i = 19;
    if (i < text.size() && text[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (i == start) throw bad("expected digits after the decimal point");
    }
    if (i >= text.size()) throw bad("the instant needs its offset: Z or ±HH:MM");
    int offset_min = 0;
    if (text[i] == 'Z' || text[i] == 'z') {
        ++i;
    } else if (text[i] == '+' || text[i] == '-') {
        const int oh = digits(text, i + 1, 2), om = digits(text, i + 4, 2);
        if (oh < 0 || om < 0 || i + 3 >= text.size() || text[i + 3] != ':' || oh > 23 || om > 59)
            throw bad("the offset must be ±HH:MM");
        offset_min = (text[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i += 6;
    } else {
        throw bad("the offset must be Z or ±HH:MM");
    }
    if (i != text.size()) throw bad("unexpected text after the offset");
    // A leap second (:60) is read as the last second of its minute.
    const auto t = std::chrono::sys_seconds(day.days()) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
                   std::chrono::seconds(std::min(ss, 59)) - std::chrono::minutes(offset_min);
    return local_date(t, tz);
}

}  // namespace keepout::model
