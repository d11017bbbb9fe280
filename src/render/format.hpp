#pragma once
// How the printed products write numbers, distances, scales, dates and references: once, so that
// the slide, the atlas and the patrol card say the same thing the same way.
#include <cstdint>
#include <string>
#include <string_view>

#include "geo/coordinates.hpp"
#include "model/date.hpp"

namespace keepout::render {

// One number through a printf format ("%g", "%.2f").
std::string number_text(const char* printf_format, double v);
// 850 → "850 m", 1234 → "1.23 km": a distance in a table or a fact line.
std::string distance_text(double m);
// 500 → "500 m", 2000 → "2 km": a ring's or a radius's round value.
std::string radius_text(double m);
// 1234 → "1.23": kilometres with two decimals, for a column headed in km.
std::string km_text(double m);
// 45 → "045°".
std::string bearing_text(double deg);
// 625000 → "1:625 000".
std::string scale_text(double denominator);
// "34T DN 1356 2339": an MGRS reference to 10 m, spaced for reading; empty outside MGRS.
std::string mgrs_spaced(geo::LonLat p);
// The date a product says it was printed: `given`, else today (UTC).
std::string printed_date(const std::string& given);
// The footer of every page: which list, which version, when printed.
// "… list as of 2026-07-01 (Asia/Beirut), list version 12 · printed …": the date is local to the zone.
std::string footer_text(const model::Date& as_of, std::string_view time_zone, std::int64_t list_version,
                        const std::string& printed);
// "Page 2 of 5".
std::string page_number_text(int page, int pages);

}  // namespace keepout::render
