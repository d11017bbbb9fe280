#include "encode/reports.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "encode/detail/json.hpp"
#include "geo/geos.hpp"
#include "text/csv.hpp"
#include "text/format.hpp"

namespace keepout::encode {

using namespace keepout::analysis;
using namespace keepout::model;
using nlohmann::json;

double round_distance(double m) { return std::round(m * 10.0) / 10.0; }
double round_bearing(double d) {
    double r = std::round(d * 10.0) / 10.0;
    return r >= 360.0 ? r - 360.0 : r;
}

std::string venue_mgrs(const VenueView& v) { return geo::to_mgrs(geo::representative_point(v.shape), 5); }

namespace {

std::string ring_key(double r) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", r);
    return b;
}

json venue_json(const VenueView& v) {
    return {{"venue_id", v.venue.id},
            {"external_id", v.venue.external_id},
            {"name", v.venue.name},
            {"category", to_string(v.venue.category)},
            {"address", v.venue.address},
            {"municipality", v.venue.municipality},
            {"directive", v.listed ? json(v.directive_ref) : json(nullptr)},
            {"listed_since", v.listed ? json(v.listed_since.iso()) : json(nullptr)},
            {"mgrs", venue_mgrs(v)},
            {"reasons", reason_codes(v.reasons)}};
}

// Writes a document exactly as nlohmann::json::dump(2) would print it, without building the
// json tree first: the point check is the hot path of the server, and the tree (a std::map per
// object, a heap string per key) cost more than the check itself. The caller writes keys in
// sorted order, as nlohmann's std::map holds them; tests/unit/analysis checks the output is
// byte-identical to parse(output).dump(2).
class PrettyWriter {
public:
    explicit PrettyWriter(std::string& out) : out_(out) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    // A key of the current object; the value follows.
    PrettyWriter& key(std::string_view k) {
        item();
        string_literal(k);
        out_ += ": ";
        pending_value_ = true;
        return *this;
    }
    void value(std::string_view v) {
        item();
        string_literal(v);
    }
    void value(const char* v) { value(std::string_view(v)); }
    void value(std::int64_t v) {
        item();
        char b[24];
        out_.append(b, std::to_chars(b, b + sizeof b, v).ptr);
    }
    void value(double v) {
        item();
        out_ += text::json_number(v);  // as nlohmann::json::dump prints it; null when not finite
    }
    void value(bool v) {
        item();
        out_ += v ? "true" : "false";
    }
    void null() {
        item();
        out_ += "null";
    }

private:
    void open(char c) {
        item();
        out_ += c;
        if (depth_ == kMaxDepth) throw std::logic_error("PrettyWriter: nested too deep");
        empty_[depth_++] = true;
    }
    void close(char c) {
        if (!empty_[--depth_]) newline();
        out_ += c;
    }
    // Before any value or key: the separator and indentation, unless it follows its key.
    void item() {
        if (pending_value_) {
            pending_value_ = false;
            return;
        }
        if (depth_ == 0) return;
        if (!empty_[depth_ - 1]) out_ += ',';
        empty_[depth_ - 1] = false;
        newline();
    }
    void newline() {
        out_ += '\n';
        out_.append(2 * depth_, ' ');
    }
    // As nlohmann escapes with ensure_ascii off: the seven short escapes, other control
    // characters as \u00xx, everything else (UTF-8 included) as is. Invalid UTF-8 goes through
    // nlohmann itself, so it fails with the same exception as before.
    void string_literal(std::string_view v) {
        // Most keys and values are plain printable ASCII: copied in one go.
        const bool plain = std::all_of(v.begin(), v.end(), [](char ch) {
            const auto c = static_cast<unsigned char>(ch);
            return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
        });
        if (plain) {
            out_ += '"';
            out_ += v;
            out_ += '"';
            return;
        }
        if (!valid_utf8(v)) {
            out_ += json(std::string(v)).dump();
            return;
        }
        out_ += '"';
        std::size_t run = 0;  // start of the bytes not yet copied
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto c = static_cast<unsigned char>(v[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out_.append(v.data() + run, i - run);
            run = i + 1;
            switch (c) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\b': out_ += "\\b"; break;
                case '\t': out_ += "\\t"; break;
                case '\n': out_ += "\\n"; break;
                case '\f': out_ += "\\f"; break;
                case '\r': out_ += "\\r"; break;
                default: {
                    static constexpr char hex[] = "0123456789abcdef";
                    const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    out_.append(esc, sizeof esc);
                }
            }
        }
        out_.append(v.data() + run, v.size() - run);
        out_ += '"';
    }
    // Well-formed UTF-8 (Unicode table 3-7): what nlohmann's decoder accepts.
    static bool valid_utf8(std::string_view v) {
        const auto* p = reinterpret_cast<const unsigned char*>(v.data());
        const auto* end = p + v.size();
        while (p < end) {
            const unsigned c = *p;
            if (c < 0x80) {
                ++p;
                continue;
            }
            // n continuation bytes; the first of them in [lo, hi] (no overlongs, surrogates or
            // code points past U+10FFFF), the others in [0x80, 0xBF].
            int n = 0;
            unsigned lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                if (c == 0xE0) lo = 0xA0;
                if (c == 0xED) hi = 0x9F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                if (c == 0xF0) lo = 0x90;
                if (c == 0xF4) hi = 0x8F;
            } else {
                return false;
            }
            if (end - p <= n) return false;
            if (p[1] < lo || p[1] > hi) return false;
            for (int k = 2; k <= n; ++k)
                if (p[k] < 0x80 || p[k] > 0xBF) return false;
            p += n + 1;
        }
        return true;
    }

    static constexpr std::size_t kMaxDepth = 8;
    std::string& out_;
    bool empty_[kMaxDepth] = {};  // per open container: nothing written in it yet
    std::size_t depth_ = 0;
    bool pending_value_ = false;
};

// A match: venue_json's members plus distance_m and bearing_deg, in nlohmann's (sorted) key order.
void write_position(PrettyWriter& w, const PositionMatch& m) {
    const VenueView& v = *m.venue;
    w.begin_object();
    w.key("address").value(v.venue.address);
    w.key("bearing_deg").value(round_bearing(m.bearing_deg));
    w.key("category").value(to_string(v.venue.category));
    w.key("directive");
    if (v.listed) w.value(v.directive_ref);
    else w.null();
    w.key("distance_m").value(round_distance(m.distance_m));
    w.key("external_id").value(v.venue.external_id);
    w.key("listed_since");
    if (v.listed) w.value(v.listed_since.iso());
    else w.null();
    w.key("mgrs").value(venue_mgrs(v));
    w.key("municipality").value(v.venue.municipality);
    w.key("name").value(v.venue.name);
    w.key("reasons");
    w.begin_array();
    for (Reason r : v.reasons) w.value(to_string(r));
    w.end_array();
    w.key("venue_id").value(std::int64_t(v.venue.id));
    w.end_object();
}

json pair_json(const ProximityPair& p) {
    return {{"site", p.site->site.name},
            {"site_id", p.site->site.id},
            {"venue", p.venue->venue.name},
            {"venue_id", p.venue->venue.id},
            {"external_id", p.venue->venue.external_id},
            {"distance_m", round_distance(p.distance_m)},
            {"bearing_deg", round_bearing(p.bearing_deg)}};
}

}  // namespace

std::string position_check_json(const Snapshot& s, const PositionCheck& c, std::string_view at_text, geo::LonLat at,
                                double radius_m) {
    // Written directly (see PrettyWriter); the same text as building the json and dump(2).
    std::string out;
    out.reserve(512 + 512 * c.matches.size());
    PrettyWriter w(out);
    w.begin_object();
    w.key("as_of").value(s.as_of().iso());
    w.key("list_version").value(std::int64_t(s.list_version()));
    w.key("matches");
    w.begin_array();
    for (auto& m : c.matches) write_position(w, m);
    w.end_array();
    w.key("nearest");
    if (c.nearest) write_position(w, *c.nearest);
    else w.null();
    w.key("outside_mission_area").value(c.outside_mission_area);
    w.key("query");
    w.begin_object();
    w.key("at").value(at_text);
    w.key("lat").value(at.lat);
    w.key("lon").value(at.lon);
    w.key("mgrs").value(geo::to_mgrs(at, 5));
    w.key("radius_m").value(radius_m);
    w.end_object();
    w.key("time_zone").value(s.time_zone());
    w.key("verdict").value(c.off_limits ? "off-limits" : c.ambiguous ? "ambiguous" : "not-listed");
    w.key("warnings");
    w.begin_array();
    for (auto& warning : c.warnings) {
        w.begin_object();
        if (!warning.alternative_at.empty()) {
            w.key("alternative");
            w.begin_object();
            w.key("at").value(warning.alternative_at);
            w.end_object();
        }
        w.key("code").value(warning.code);
        w.key("message").value(warning.message);
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return out;
}

namespace {

const char* kind_code(NameKind k) { return k == NameKind::name ? "name" : k == NameKind::alias ? "alias" : "former"; }

json lifted_json(const VenueView& v) {
    if (v.listed || !v.last_act || v.last_act->action != Action::lift) return nullptr;
    return {{"directive", v.last_act->directive_ref},
            {"effective", v.last_act->effective_from.iso()},
            {"reasons", reason_codes(v.last_act->reasons)}};
}

json warnings_json(const std::vector<CheckWarning>& warnings) {
    json out = json::array();
    for (auto& w : warnings) {
        json j{{"code", w.code}, {"message", w.message}};
        if (!w.alternative_at.empty()) j["alternative"] = {{"at", w.alternative_at}};
        out.push_back(j);
    }
    return out;
}

double score3(double s) { return std::round(s * 1000.0) / 1000.0; }

}  // namespace

std::string name_check_json(const Snapshot& s, const NameCheck& c, std::string_view query) {
    json out{{"verdict", to_string(c.verdict)},
             {"as_of", s.as_of().iso()},
             {"time_zone", s.time_zone()},
             {"list_version", s.list_version()},
             {"query", {{"name", query}, {"folded", c.folded}}},
             {"candidates", c.candidates},
             {"warnings", warnings_json(c.warnings)}};
    out["matches"] = json::array();
    for (auto& [v, m] : c.matches) {
        json j = venue_json(*v);  // "name" is the venue's own name, whatever was typed
        j["status"] = v->listed ? "off-limits" : "not-listed";
        j["score"] = score3(m.score);
        j["matched_name"] = m.matched;
        j["match_kind"] = kind_code(m.kind);
        j["lifted_by"] = lifted_json(*v);
        out["matches"].push_back(j);
    }
    out["not_listed"] = json::array();
    for (auto& [v, m] : c.not_listed) {
        json j{{"venue_id", v->venue.id},
               {"external_id", v->venue.external_id},
               {"name", v->venue.name},
               {"category", to_string(v->venue.category)},
               {"address", v->venue.address},
               {"municipality", v->venue.municipality},
               {"score", score3(m.score)},
               {"matched_name", m.matched},
               {"match_kind", kind_code(m.kind)}};
        json lifted = lifted_json(*v);
        j["status"] = lifted.is_null() ? "not listed" : "lifted";
        if (!lifted.is_null()) j["lifted_by"] = lifted;
        out["not_listed"].push_back(j);
    }
    return out.dump(2);
}

namespace {

std::string reasons_text(const std::vector<Reason>& rs) {
    std::string out;
    for (Reason r : rs) out += (out.empty() ? "" : ", ") + std::string(to_string(r));
    return out;
}

void venue_lines(std::string& out, const VenueView& v, const NameCandidate& m, const char* indent) {
    out += v.venue.name + " [" + v.venue.external_id + "], " + std::string(to_string(v.venue.category));
    if (!v.venue.address.empty()) out += ", " + v.venue.address;
    if (!v.venue.municipality.empty() && v.venue.address.find(v.venue.municipality) == std::string::npos)
        out += ", " + v.venue.municipality;
    out += "\n";
    out += indent + std::string("MGRS ") + venue_mgrs(v) + "\n";
    out += indent;
    if (v.listed) {
        out += "OFF-LIMITS: directive " + v.directive_ref + ", listed since " + v.listed_since.iso() +
               ", reasons: " + reasons_text(v.reasons);
    } else if (v.last_act && v.last_act->action == Action::lift) {
        out += "not listed: lifted by " + v.last_act->directive_ref + " from " + v.last_act->effective_from.iso() +
               " (" + reasons_text(v.last_act->reasons) + ")";
    } else {
        out += "not listed";
    }
    out += "\n";
    out += indent;
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    out += "matched \"" + m.matched + "\" (" + kind_code(m.kind) + "), score " + score + "\n";
}

}  // namespace

std::string name_check_text(const Snapshot& s, const NameCheck& c, std::string_view query) {
    std::string out = "Name \"" + std::string(query) + "\", as of " + s.as_of().iso() + " (" + s.time_zone() + ", list version " +
                      std::to_string(s.list_version()) + ")\n\n";
    for (auto& w : c.warnings) out += "Warning: " + w.message + "\n";
    if (!c.warnings.empty()) out += "\n";
    switch (c.verdict) {
        case Verdict::off_limits:
            out += "OFF-LIMITS:\n  ";
            venue_lines(out, *c.matches.front().venue, c.matches.front().match, "    ");
            break;
        case Verdict::not_listed:
            if (c.matches.empty()) {
                out += "NOT LISTED: no listed venue matches. Not listed does not mean approved.\n";
            } else {
                out += "NOT LISTED: the venue this names is known and is not on the list. Not listed does not mean "
                       "approved.\n  ";
                venue_lines(out, *c.matches.front().venue, c.matches.front().match, "    ");
            }
            break;
        case Verdict::ambiguous: {
            out += "AMBIGUOUS: " + std::to_string(c.candidates) + " venues match; pick yours (best first):\n";
            int k = 0;
            for (auto& [v, m] : c.matches) {
                out += "  " + std::to_string(++k) + ". ";
                venue_lines(out, *v, m, "     ");
            }
            break;
        }
    }
    if (c.verdict != Verdict::ambiguous)
        for (auto& [v, m] : c.not_listed) {
            if (!c.matches.empty() && c.matches.front().venue == v) continue;
            out += "Similar name not on the list: " + v->venue.name + " [" + v->venue.external_id + "]";
            if (v->last_act && v->last_act->action == Action::lift)
                out += ", lifted by " + v->last_act->directive_ref + " from " + v->last_act->effective_from.iso() +
                       " (" + reasons_text(v->last_act->reasons) + ")";
            out += "\n";
        }
    return out;
}

std::string proximity_json(const Snapshot& s, const ProximityReport& r) {
    json out{{"as_of", s.as_of().iso()},
             {"time_zone", s.time_zone()},
             {"list_version", s.list_version()},
             {"rings", r.rings}};
    out["pairs"] = json::array();
    for (auto& p : r.pairs) out["pairs"].push_back(pair_json(p));
    out["sites"] = json::array();
    for (auto& e : r.sites) {
        json ring_counts = json::object();
        for (std::size_t i = 0; i < r.rings.size(); ++i) ring_counts[ring_key(r.rings[i])] = e.ring_counts[i];
        out["sites"].push_back({{"site", e.site->site.name},
                                {"site_id", e.site->site.id},
                                {"kind", to_string(e.site->site.kind)},
                                {"personnel", e.site->site.personnel},
                                {"rings", ring_counts},
                                {"nearest_venue", e.nearest ? json(e.nearest->venue->venue.name) : json(nullptr)},
                                {"nearest_venue_id", e.nearest ? json(e.nearest->venue->venue.id) : json(nullptr)},
                                {"nearest_m", e.nearest ? json(round_distance(e.nearest->distance_m)) : json(nullptr)},
                                {"exposure", std::round(e.exposure * 10.0) / 10.0}});
    }
    out["venues"] = json::array();
    for (auto& v : r.venues)
        out["venues"].push_back({{"venue", v.venue->venue.name},
                                 {"venue_id", v.venue->venue.id},
                                 {"external_id", v.venue->venue.external_id},
                                 {"nearest_site", v.nearest.site->site.name},
                                 {"nearest_m", round_distance(v.nearest.distance_m)}});
    return out.dump(2);
}

std::string proximity_geojson(const Snapshot& s, const ProximityReport& r) {
    json features = json::array();
    for (auto& p : r.pairs)
        features.push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "LineString"}, {"coordinates", {{p.from.lon, p.from.lat}, {p.to.lon, p.to.lat}}}}},
             {"properties", pair_json(p)}});
    return json{{"type", "FeatureCollection"},
                {"as_of", s.as_of().iso()},
                {"time_zone", s.time_zone()},
                {"list_version", s.list_version()},
                {"features", features}}
        .dump();
}

std::string proximity_csv(const ProximityReport& r) {
    std::string out = "site,venue,external_id,distance_m,bearing_deg\n";
    for (auto& p : r.pairs) {
        char d[64];
        std::snprintf(d, sizeof d, ",%.1f,%.1f\n", round_distance(p.distance_m), round_bearing(p.bearing_deg));
        out += text::csv_cell(p.site->site.name) + "," + text::csv_cell(p.venue->venue.name) + "," +
               text::csv_cell(p.venue->venue.external_id) + d;
    }
    return out;
}

json detail::venue_history(const ListHistory& history, Id venue_id, Date on) {
    json acts = json::array();
    for (auto& e : history.venue_history(venue_id, on)) {
        json x{{"directive", e.directive->ref},
               {"directive_status", to_string(e.directive->status)},
               {"action", to_string(e.listing->action)},
               {"reasons", reason_codes(e.listing->reasons)},
               {"effective_from", e.listing->effective_from.iso()},
               {"until", e.listing->until ? json(e.listing->until->iso()) : json(nullptr)},
               {"counts_on_date", e.counts_on_date}};
        if (e.directive->ended_on) x["directive_ended"] = e.directive->ended_on->iso();
        acts.push_back(x);
    }
    return acts;
}

std::string venue_history_json(const ListHistory& history, Id venue_id, Date on) {
    return detail::venue_history(history, venue_id, on).dump();
}

}  // namespace keepout::encode
