#include "store/replica.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace keepout::store {

using nlohmann::json;

bool replica_database(Store& s) {
    return s.db().scalar("SELECT count(*) FROM venues") == 0 ||
           s.db().scalar("SELECT count(*) FROM audit_log WHERE action = 'replica.load'") > 0;
}

void load_replica(Store& s, std::int64_t publication, const std::string& sha256, const ReplicaMission& m,
                  const std::vector<ReplicaDirective>& directives, const std::vector<ReplicaVenue>& venues) {
    Transaction tx(s.db());
    s.db().exec("DELETE FROM listings; DELETE FROM venue_names; DELETE FROM venues; DELETE FROM directives;");
    const std::string now = utc_timestamp();
    std::map<std::string, model::Id> ids;
    Statement directive = s.db().prepare(
        "INSERT INTO directives (ref, title, authority, signed_on, effective_on, status, ended_on, drafted_by,"
        " issued_by) VALUES (?,?,?,?,?,'issued',?,'',?)");
    auto add_directive = [&](const ReplicaDirective& d) {
        if (ids.count(d.ref)) return;
        directive.bind(1, d.ref).bind(2, d.title.empty() ? d.ref : d.title).bind(3, d.authority);
        directive.bind(4, d.signed_on.iso()).bind(5, d.effective_on.iso());
        directive.bind(6, d.ended_on ? std::optional<std::string>(d.ended_on->iso()) : std::nullopt);
        directive.bind(7, d.issued_by);
        directive.run();
        ids[d.ref] = s.db().last_insert_id();
    };
    for (const auto& d : directives) add_directive(d);
    Statement venue = s.db().prepare(
        "INSERT INTO venues (id, external_id, name, category, address, municipality, created_at, updated_at, geom)"
        " VALUES (?,?,?,?,?,?,?,?,GeomFromWKB(?, 4326))");
    Statement name = s.db().prepare("INSERT OR IGNORE INTO venue_names (venue_id, name, kind) VALUES (?,?,?)");
    Statement listing = s.db().prepare(
        "INSERT INTO listings (directive_id, venue_id, action, reasons, effective_from, until, added_by)"
        " VALUES (?,?,'place',?,?,?,'')");
    for (const auto& r : venues) {
        const model::Venue& v = r.venue;
        venue.bind(1, v.id).bind(2, v.external_id.empty() ? std::optional<std::string>() : v.external_id);
        venue.bind(3, v.name).bind(4, model::to_string(v.category)).bind(5, v.address).bind(6, v.municipality);
        venue.bind(7, now).bind(8, now).bind_blob(9, v.geometry);
        venue.run();
        for (const auto& a : v.aliases) name.bind(1, v.id).bind(2, a).bind(3, "alias").run();
        for (const auto& f : v.former_names) name.bind(1, v.id).bind(2, f).bind(3, "former").run();
        if (!ids.count(r.directive_ref)) {
            // A directive the publication names only on its venues: its earliest listing dates it.
            ReplicaDirective d;
            d.ref = r.directive_ref;
            d.signed_on = d.effective_on = r.listed_since;
            add_directive(d);
        }
        json reasons = model::reason_codes(r.reasons);
        if (reasons.empty()) reasons.push_back("other");
        listing.bind(1, ids[r.directive_ref]).bind(2, v.id).bind(3, reasons.dump()).bind(4, r.listed_since.iso());
        listing.bind(5, r.until ? std::optional<std::string>(r.until->iso()) : std::nullopt);
        listing.run();
    }
    Statement mission = s.db().prepare(
        "INSERT OR REPLACE INTO mission (id, name, full_name, head_of_mission, time_zone, languages, default_radius_m,"
        " area, updated_at) VALUES (1,?,?,?,?,?,coalesce((SELECT default_radius_m FROM mission WHERE id = 1), 75),?,?)");
    mission.bind(1, m.name.empty() ? std::string("replica") : m.name).bind(2, m.full_name).bind(3, m.head_of_mission);
    mission.bind(4, m.time_zone.empty() ? std::string("UTC") : m.time_zone).bind(5, json(m.languages).dump());
    mission.bind_blob(6, m.area_wkb).bind(7, now);
    mission.run();
    s.record("replica.load", "publication", std::to_string(publication), std::nullopt,
             json{{"number", publication}, {"sha256", sha256}, {"venues", venues.size()}}.dump());
    s.bump_list_version();
    tx.commit();
}

}  // namespace keepout::store
