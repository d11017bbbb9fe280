// import directives: a mission's existing list and its history, from the directives.json shape.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "source/import.hpp"
#include "source/validate.hpp"
#include "text/utf8.hpp"
#include "model/rules.hpp"

namespace keepout::source {

using namespace keepout::model;
using nlohmann::json;

namespace {

struct Rejected {
    std::string field;
    std::string reason;
};

// A directives file is a mission's list and its history: hundreds of directives, thousands of
// listings, well under a megabyte (the Kosovo sample is 17 kB). 16 MiB is far above any real one
// and keeps the parsed document to a few hundred megabytes at worst.
constexpr std::uintmax_t kMaxFileBytes = 16u << 20;
// {"directives": [{"listings": [{"reasons": ["…"]}]}]} is 5 deep; anything much deeper is not
// this shape, and is refused while parsing, before it is built.
constexpr int kMaxDepth = 8;

std::string required_string(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string() || trim(it->get<std::string>()).empty())
        throw Rejected{key, std::string("'") + key + "' is missing or not a text"};
    std::string v = trim(it->get<std::string>());
    try {
        check_text(key, v);
    } catch (const InvalidField& e) {
        throw Rejected{key, e.what()};
    }
    return v;
}

Date required_date(const json& obj, const char* key) {
    auto text = required_string(obj, key);
    if (auto d = Date::try_parse(text)) return *d;
    throw Rejected{key, "'" + text + "' is not a date (YYYY-MM-DD)"};
}

}  // namespace

store::ImportReport import_directives(store::Store& store, const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw IoError("cannot open " + path + ": " + ec.message());
    if (size > kMaxFileBytes)
        throw IoError(path + " is " + std::to_string(size >> 20) + " MiB, more than a directives file holds (at most " +
                      std::to_string(kMaxFileBytes >> 20) + " MiB)");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    if (!is_valid_utf8(text)) throw IoError(path + " is not valid UTF-8");
    json doc;
    try {
        doc = json::parse(text, [](int depth, json::parse_event_t, json&) {
            if (depth > kMaxDepth) throw std::length_error("nested deeper than " + std::to_string(kMaxDepth) + " levels");
            return true;
        });
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number beyond double range
        throw IoError(path + " is not valid JSON: " + e.what());
    } catch (const std::length_error& e) {
        throw IoError(path + " is not the directives.json shape: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("directives") || !doc["directives"].is_array())
        throw IoError(path + " has no \"directives\" array");

    // Read and checked here, row by row; the store checks each against what it holds and writes.
    std::vector<store::IncomingDirective> file;
    std::int64_t row = 0;
    // Row numbers count directives and their listings in file order: directive 1, its listings, …
    for (const json& item : doc["directives"]) {
        store::IncomingDirective& entry = file.emplace_back();
        entry.row = ++row;
        Directive d;
        try {
            if (!item.is_object()) throw Rejected{"", "a directive must be a JSON object"};
            d.ref = required_string(item, "ref");
            d.title = required_string(item, "title");
            d.authority = item.contains("authority") ? required_string(item, "authority") : "Head of Mission";
            d.signed_on = required_date(item, "signed");
            d.effective_on = required_date(item, "effective");
            if (d.effective_on < d.signed_on) throw Rejected{"effective", "takes effect before it was signed"};
            auto status = parse_status(item.value("status", std::string("draft")));
            if (!status || (*status != DirectiveStatus::draft && *status != DirectiveStatus::issued))
                throw Rejected{"status", "status must be \"draft\" or \"issued\""};
            d.status = *status;
            d.emergency = item.value("emergency", false);
            if (item.contains("review")) d.review_on = required_date(item, "review");
            if (d.emergency && !d.review_on) throw Rejected{"review", "an emergency directive needs a review date"};
            entry.directive = d;
        } catch (const Rejected& r) {
            entry.refused = store::RowError{entry.row, r.field, "directive " + (d.ref.empty() ? "?" : d.ref) + ": " + r.reason};
        } catch (const json::exception& e) {
            entry.refused = store::RowError{entry.row, "", std::string("directive: ") + e.what()};
        }
        entry.ref = d.ref;
        const json empty = json::array();
        const json& listings = item.is_object() && item.contains("listings") ? item["listings"] : empty;
        if (!listings.is_array()) {
            entry.shape_errors.push_back({entry.row, "listings", "'listings' must be an array"});
            entry.listings_readable = false;
            continue;
        }
        if (listings.empty() && d.status == DirectiveStatus::issued)
            entry.shape_errors.push_back({entry.row, "listings", "an issued directive needs listings"});
        for (const json& l : listings) {
            store::IncomingListing& listing = entry.listings.emplace_back();
            listing.row = ++row;
            const auto refused = [&](const Rejected& r) {
                return store::RowError{listing.row, r.field, "directive " + d.ref + " listing: " + r.reason};
            };
            try {
                if (!l.is_object()) throw Rejected{"", "a listing must be a JSON object"};
                listing.venue = required_string(l, "venue");
                auto action = parse_action(required_string(l, "action"));
                if (!action) throw Rejected{"action", "action must be \"place\" or \"lift\""};
                listing.listing.action = *action;
                if (!l.contains("reasons") || !l["reasons"].is_array())
                    throw Rejected{"reasons", "'reasons' must be an array of reason codes"};
                auto& reasons = listing.listing.reasons;
                for (auto& r : l["reasons"]) {
                    auto reason = r.is_string() ? parse_reason(normalise_code(r.get<std::string>())) : std::nullopt;
                    if (!reason) throw Rejected{"reasons", "unknown reason " + text::quote(r.dump(), 40)};
                    // Each reason once: a listing cannot carry more reasons than there are codes.
                    if (std::find(reasons.begin(), reasons.end(), *reason) != reasons.end())
                        throw Rejected{"reasons", "reason " + r.get<std::string>() + " is given twice"};
                    reasons.push_back(*reason);
                }
            } catch (const Rejected& r) {
                listing.refused_early = refused(r);
                continue;
            }
            // The dates are refused only once the venue is known (the store looks it up).
            try {
                if (l.contains("effective_from")) {
                    listing.listing.effective_from = required_date(l, "effective_from");
                    listing.from_given = true;
                }
                if (l.contains("until")) listing.listing.until = required_date(l, "until");
            } catch (const Rejected& r) {
                listing.refused_late = refused(r);
            }
        }
    }
    return store::import_directives(store, path, file);
}

}  // namespace keepout::source
