#include "cli/args.hpp"

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/suggest.hpp"
#include "model/rules.hpp"
#include "model/time_zone.hpp"
#include "store/mission.hpp"
#include "text/utf8.hpp"

namespace keepout::cli {

using namespace keepout::model;

Date date_arg(const std::string& typed, std::string_view option) {
    if (auto d = Date::try_parse(typed)) return *d;
    // Text of the right shape is digits and dashes, safe to show as it is; anything else is quoted.
    const bool shaped = typed.size() == 10 && typed.find_first_not_of("0123456789-") == std::string::npos;
    throw UsageError(std::string(option) + " " + (shaped ? typed : text::quote(typed, 40)) +
                     " is not a date: " + date_problem(typed));
}

std::string mission_time_zone(store::Store& s) {
    const auto m = store::mission_settings(s);
    return m ? m->time_zone : "UTC";
}

Date date_or_today(store::Store& s, const std::string& text, std::string_view option) {
    const std::string zone = mission_time_zone(s);
    if (text.empty()) return today_in(zone);
    if (text.size() <= 10) return date_arg(text, option);
    try {
        return parse_date_or_instant(text, zone);
    } catch (const DateError& e) {
        throw UsageError(std::string(option) + " " + text::quote(text, 40) + ": " + e.what());
    }
}

std::vector<Reason> reason_args(const std::vector<std::string>& codes, Action action) {
    const auto fitting = reason_codes_for(action);
    std::string list;
    for (auto code : fitting) list += (list.empty() ? "" : ", ") + std::string(code);
    const std::string doing(to_string(action));
    std::vector<Reason> out;
    for (auto& c : codes) {
        auto r = parse_reason(c);
        if (!r) {
            const auto near = closest_words(c, std::vector<std::string>(fitting.begin(), fitting.end()));
            throw UsageError("unknown reason " + text::quote(c, 40) +
                             (near.empty() ? "" : "; did you mean " + or_list(near) + "?") + " (a " + doing +
                             " takes " + list + ")");
        }
        if (!reason_fits(*r, action))
            throw UsageError("reason " + std::string(to_string(*r)) + " is not one for a " + doing + " (a " + doing +
                             " takes " + list + ")");
        if (std::find(out.begin(), out.end(), *r) == out.end()) out.push_back(*r);
    }
    return out;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

}  // namespace keepout::cli
