#include "publish/publication.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/patrol.hpp"
#include "analysis/reviews.hpp"
#include "analysis/snapshot.hpp"
#include "encode/reviews.hpp"
#include "encode/venues.hpp"
#include "geo/coordinates.hpp"
#include "model/rules.hpp"
#include "model/time_zone.hpp"
#include "publish/errors.hpp"
#include "store/audit.hpp"
#include "store/mission.hpp"

namespace keepout::publish {

using nlohmann::json;

namespace {

// nlohmann's default object keeps its keys in a std::map, so dump() without indent is the
// canonical form: keys sorted by their bytes, no whitespace, UTF-8 as it is.
std::string canonical(const json& j) { return j.dump(); }

bool in_force(const model::Directive& d, model::Date on) {
    return model::was_issued(d.status) && d.effective_on <= on && !(d.ended_on && on >= *d.ended_on);
}

json directive_entry(const model::Directive& d) {
    json j{{"ref", d.ref},
           {"title", d.title},
           {"authority", d.authority},
           {"signed", d.signed_on.iso()},
           {"effective", d.effective_on.iso()},
           {"emergency", d.emergency},
           {"review", d.review_on ? json(d.review_on->iso()) : json(nullptr)},
           {"ends", d.ended_on ? json(d.ended_on->iso()) : json(nullptr)},
           {"issued_by", d.issued_by}};
    return j;
}

// A listed venue as the list API shows it (encode/venues), with the point to go to and its MGRS.
json venue_entry(const analysis::VenueView& v) {
    json feature = json::parse(encode::venue_feature(v));
    json entry = std::move(feature["properties"]);
    entry["geometry"] = std::move(feature["geometry"]);
    const geo::LonLat at = analysis::visit_point(v.shape);
    entry["position"] = {{"lat", at.lat}, {"lon", at.lon}};
    entry["mgrs"] = geo::to_mgrs(at);
    return entry;
}

Changes changes_since(const json* previous, std::int64_t previous_number, const json& venues) {
    Changes c;
    c.since = previous_number;
    std::map<std::int64_t, const json*> before, now;
    if (previous && previous->contains("venues"))
        for (const json& v : (*previous)["venues"]) before[v.at("id").get<std::int64_t>()] = &v;
    for (const json& v : venues) now[v.at("id").get<std::int64_t>()] = &v;
    for (auto& [id, v] : now) {
        auto it = before.find(id);
        if (it == before.end())
            c.added.push_back(id);
        else if (*it->second != *v)
            c.changed.push_back(id);
    }
    for (auto& [id, v] : before)
        if (!now.count(id)) c.lifted.push_back(id);
    return c;
}

json changes_json(const Changes& c) {
    return {{"since", c.since ? json(c.since) : json(nullptr)},
            {"added", c.added},
            {"lifted", c.lifted},
            {"changed", c.changed}};
}

// Everything but the snapshot is read inside the write transaction, so that the number, the
// audit head and the list version belong together.
Published make(store::Store& s, const SigningKey& key, const std::string& fingerprint, const PublishOptions& o,
               const analysis::Snapshot& snap, const model::MissionProfile& m) {
    const std::int64_t number = store::next_publication_number(s);
    std::optional<json> previous;
    if (number > 1)
        if (auto p = store::publication(s, number - 1)) previous = json::parse(p->document);

    json directives = json::array();
    for (const model::Directive& d : s.directives())
        if (in_force(d, o.as_of)) directives.push_back(directive_entry(d));
    std::sort(directives.begin(), directives.end(),
              [](const json& a, const json& b) { return a["ref"].get<std::string>() < b["ref"].get<std::string>(); });

    std::vector<const analysis::VenueView*> listed;
    for (std::uint32_t i : snap.listed()) listed.push_back(&snap.venues()[i]);
    std::sort(listed.begin(), listed.end(), [](auto* a, auto* b) { return a->venue.id < b->venue.id; });
    json venues = json::array();
    for (const auto* v : listed) venues.push_back(venue_entry(*v));

    Published out;
    out.changes = changes_since(previous ? &*previous : nullptr, number - 1, venues);
    const store::AuditHead head = store::audit_head(s);

    store::PublicationSummary& sum = out.summary;
    sum.number = number;
    sum.created_at = store::utc_timestamp();
    sum.as_of = o.as_of.iso();
    sum.time_zone = m.time_zone;
    sum.list_version = snap.list_version();
    sum.venue_count = std::int64_t(listed.size());
    sum.note = o.note;
    sum.key_fingerprint = fingerprint;
    sum.created_by = s.actor();

    // What was overdue for review on the date (analysis/reviews): flagged on the documents.
    const json reviews_due = json::parse(encode::overdue_items_json(analysis::reviews_due(s, snap)));

    const json doc{{"format", kPublicationFormat},
                   {"number", number},
                   {"mission",
                    {{"name", m.name},
                     {"full_name", m.full_name},
                     {"head_of_mission", m.head_of_mission},
                     {"time_zone", m.time_zone},
                     {"languages", m.languages}}},
                   {"as_of", sum.as_of},
                   {"time_zone", m.time_zone},
                   {"created_at", sum.created_at},
                   {"published_by", sum.created_by},
                   {"note", o.note},
                   {"list_version", sum.list_version},
                   {"directives_in_force", std::move(directives)},
                   {"venues", std::move(venues)},
                   {"venue_count", sum.venue_count},
                   {"changes", changes_json(out.changes)},
                   {"reviews_due", reviews_due},
                   {"audit", {{"rows", head.rows}, {"head", head.hash}}},
                   {"key_fingerprint", fingerprint}};
    out.document = canonical(doc);
    out.signature = key.sign(out.document);
    return out;
}

}  // namespace

Published publish(store::Store& s, const SigningKey& key, const PublishOptions& o) {
    const VerifyKey pub = key.public_key();
    const std::string fingerprint = pub.fingerprint();
    if (!store::publication_key(s, fingerprint))
        throw KeyNotStored("the signing key (fingerprint " + fingerprint +
                           ") is not a publication key of this database: keepout key create makes and stores one");
    // The snapshot reads in a transaction of its own; a write between it and the publication's
    // transaction shows as a new list version, and the list is read again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const auto snap = analysis::Snapshot::build(s, o.as_of);
        store::Transaction tx(s.db());
        if (s.list_version() != snap->list_version()) continue;
        const auto m = store::mission_settings(s);
        if (!m)
            throw NoMissionProfile(
                "a publication names the mission and its time zone: import the mission profile first (keepout "
                "mission import mission.json)");
        Published p = make(s, key, fingerprint, o, *snap, *m);
        store::insert_publication(s, {p.summary, p.document, p.signature});
        const auto stored = store::publication(s, p.summary.number);
        p.summary = stored->summary;
        tx.commit();
        return p;
    }
    throw ListChanged("the list kept changing while the publication was made; nothing was published, try again");
}

PublicationFacts read_facts(std::string_view document) {
    json j;
    try {
        j = json::parse(document);
    } catch (const json::exception&) {
        throw PublicationUnreadable("not a keepout publication: the file is not JSON");
    }
    try {
        if (!j.is_object() || j.value("format", "") != kPublicationFormat)
            throw PublicationUnreadable("not a keepout publication: no \"format\": \"" +
                                        std::string(kPublicationFormat) + "\"");
        PublicationFacts f;
        f.number = j.at("number").get<std::int64_t>();
        f.mission = j.at("mission").at("name").get<std::string>();
        f.as_of = j.at("as_of").get<std::string>();
        f.time_zone = j.at("time_zone").get<std::string>();
        f.created_at = j.at("created_at").get<std::string>();
        f.list_version = j.at("list_version").get<std::int64_t>();
        f.venue_count = j.at("venue_count").get<std::int64_t>();
        f.key_fingerprint = j.at("key_fingerprint").get<std::string>();
        f.audit_rows = j.at("audit").at("rows").get<std::int64_t>();
        f.audit_head = j.at("audit").at("head").get<std::string>();
        if (f.number < 1 || f.audit_rows < 0)
            throw PublicationUnreadable("not a keepout publication: a number below its range");
        return f;
    } catch (const json::exception& e) {
        throw PublicationUnreadable(std::string("not a keepout publication: a field is missing or of another kind (") +
                                    e.what() + ")");
    }
}

PublicationFacts verify(std::string_view document, std::string_view signature, const VerifyKey& key) {
    if (signature.size() != 64)
        throw PublicationUnreadable("the signature file holds " + std::to_string(signature.size()) +
                                    " bytes; an Ed25519 signature is 64");
    if (!key.verifies(document, signature))
        throw SignatureInvalid("the signature does not match: the file was changed after it was signed, or another "
                               "key signed it (key " + key.fingerprint() + ")");
    // Signed but not ours would be odd; the facts are what the caller prints.
    return read_facts(document);
}

AuditAgainst audit_against(store::Store& s, std::string_view document) {
    AuditAgainst r;
    r.facts = read_facts(document);
    const PublicationFacts& f = r.facts;
    auto fail = [&](std::string problem) {
        r.ok = false;
        r.problem = std::move(problem);
        return r;
    };
    const store::AuditVerification chain = s.audit().verify();
    r.chain_rows = chain.rows;
    if (!chain.ok)
        return fail("the audit log is broken at row " + std::to_string(chain.first_bad_seq) + ": " + chain.problem);
    if (f.audit_rows > 0) {
        store::Statement row = s.db().prepare("SELECT hash FROM audit_log WHERE seq = ?");
        row.bind(1, f.audit_rows);
        if (!row.step())
            return fail("publication " + std::to_string(f.number) + " was made when the audit log had " +
                        std::to_string(f.audit_rows) + " rows; it now has " + std::to_string(chain.rows));
        if (row.text(0) != f.audit_head)
            return fail("row " + std::to_string(f.audit_rows) + " of the audit log is not the head publication " +
                        std::to_string(f.number) + " recorded (" + f.audit_head +
                        "): the log was rewritten after the publication");
    }
    // The row that records the publication names the SHA-256 of its bytes.
    const std::string digest = store::sha256_hex(document);
    store::Statement rec = s.db().prepare(
        "SELECT seq, after FROM audit_log WHERE action = 'publication.create' AND entity_key = ? AND seq > ?"
        " ORDER BY seq LIMIT 1");
    rec.bind(1, std::to_string(f.number)).bind(2, f.audit_rows);
    if (!rec.step())
        return fail("the audit log has no record of publication " + std::to_string(f.number) + " after row " +
                    std::to_string(f.audit_rows));
    r.publication_row = rec.integer(0);
    std::string recorded;
    try {
        recorded = json::parse(rec.text(1)).value("sha256", "");
    } catch (const json::exception&) {
    }
    if (recorded != digest)
        return fail("audit row " + std::to_string(r.publication_row) + " records publication " +
                    std::to_string(f.number) + " with SHA-256 " + recorded + ", this file's is " + digest +
                    ": the file is not the publication that was made");
    r.ok = true;
    return r;
}

std::string directive_document(store::Store& s, const std::string& ref) {
    const auto m = store::mission_settings(s);
    if (!m)
        throw NoMissionProfile(
            "a directive document names the mission: import the mission profile first (keepout mission import "
            "mission.json)");
    const model::Directive d = s.directive(ref);
    const auto listings = s.listings_of(d.id);
    // The venues as they are now (names, address, the point to go to), whatever their listing.
    const auto snap = analysis::Snapshot::build(s, model::today_in(m->time_zone));
    json places = json::array(), lifts = json::array();
    for (const model::Listing& l : listings) {
        const analysis::VenueView* v = snap->venue_by_id(l.venue_id);
        if (!v) continue;
        const geo::LonLat at = analysis::visit_point(v->shape);
        json e{{"id", v->venue.id},
               {"external_id", v->venue.external_id},
               {"name", v->venue.name},
               {"aliases", v->venue.aliases},
               {"former_names", v->venue.former_names},
               {"category", model::to_string(v->venue.category)},
               {"address", v->venue.address},
               {"municipality", v->venue.municipality},
               {"position", {{"lat", at.lat}, {"lon", at.lon}}},
               {"mgrs", geo::to_mgrs(at)},
               {"reasons", model::reason_codes(l.reasons)},
               {"effective_from", l.effective_from.iso()},
               {"until", l.until ? json(l.until->iso()) : json(nullptr)},
               {"added_by", l.added_by}};
        (l.action == model::Action::place ? places : lifts).push_back(std::move(e));
    }
    json directive = directive_entry(d);
    directive["status"] = model::to_string(d.status);
    directive["drafted_by"] = d.drafted_by;
    const json doc{{"format", "keepout-directive/1"},
                   {"mission",
                    {{"name", m->name},
                     {"full_name", m->full_name},
                     {"head_of_mission", m->head_of_mission},
                     {"time_zone", m->time_zone},
                     {"languages", m->languages}}},
                   {"created_at", store::utc_timestamp()},
                   {"directive", std::move(directive)},
                   {"places", std::move(places)},
                   {"lifts", std::move(lifts)}};
    return canonical(doc);
}

std::string directive_file_stem(const std::string& ref) {
    std::string stem = "directive-";
    for (unsigned char c : ref) stem += std::isalnum(c) || c == '-' || c == '_' || c == '.' ? char(c) : '-';
    return stem;
}

std::string document_file_name(std::int64_t number) { return "publication-" + std::to_string(number) + ".json"; }
std::string signature_file_name(std::int64_t number) { return document_file_name(number) + ".sig"; }

}  // namespace keepout::publish
