#include "render/format.hpp"

#include <cmath>
#include <cstdio>

#include "render/layout.hpp"

namespace keepout::render {

std::string number_text(const char* printf_format, double v) {
    char b[64];
    std::snprintf(b, sizeof b, printf_format, v);
    return b;
}

std::string distance_text(double m) {
    return m < 1000 ? number_text("%.0f m", m) : number_text("%.2f km", m / 1000);
}

std::string radius_text(double m) {
    return m >= 1000 ? number_text("%g km", m / 1000) : number_text("%g m", m);
}

std::string km_text(double m) { return number_text("%.2f", m / 1000); }

std::string bearing_text(double deg) { return number_text("%03.0f", deg) + "\xc2\xb0"; }

std::string scale_text(double denominator) { return "1:" + grouped(denominator); }

std::string mgrs_spaced(geo::LonLat p) {
    try {
        const std::string m = geo::to_mgrs(p, 4);  // 10 m: "34TDN13562339"
        if (m.size() == 13) return m.substr(0, 3) + " " + m.substr(3, 2) + " " + m.substr(5, 4) + " " + m.substr(9, 4);
        return m;
    } catch (const std::exception&) {
        return "";
    }
}

std::string printed_date(const std::string& given) { return given.empty() ? model::Date::today_utc().iso() : given; }

std::string footer_text(const model::Date& as_of, std::string_view time_zone, std::int64_t list_version,
                        const std::string& printed) {
    return "keepout \xc2\xb7 Off-Limits list as of " + as_of.iso() + " (" + std::string(time_zone) + "), list version " +
           std::to_string(list_version) +
           " \xc2\xb7 printed " + printed;
}

std::string page_number_text(int page, int pages) {
    return "Page " + std::to_string(page) + " of " + std::to_string(pages);
}

}  // namespace keepout::render
