#include "store/changes.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace keepout::store {

using nlohmann::json;

namespace {

// The audit actions that change what the list or a check answers; the other rows of a write
// (drafts, tokens, keys) are not news to a reader of the list.
bool list_action(const std::string& action) {
    static const std::set<std::string> actions = {
        "directive.issue", "directive.revoke", "directive.supersede", "directive.import", "venue.create",
        "venue.update",    "venue.import",     "site.import",         "sector.import",    "mission.import",
        "mission.update"};
    return actions.count(action) > 0;
}

json venue_ref(std::int64_t id, const std::string& external_id, const std::string& name) {
    return {{"id", id}, {"external_id", external_id}, {"name", name}};
}

// The venues a directive places and lifts, as its listings say.
void directive_venues(Store& s, const std::string& ref, json& placed, json& lifted, bool ended) {
    Statement st = s.db().prepare(
        "SELECT l.action, v.id, coalesce(v.external_id, ''), v.name FROM listings l"
        " JOIN directives d ON d.id = l.directive_id JOIN venues v ON v.id = l.venue_id"
        " WHERE d.ref = ? ORDER BY l.id");
    st.bind(1, ref);
    while (st.step()) {
        const bool place = st.text(0) == "place";
        json v = venue_ref(st.integer(1), st.text(2), st.text(3));
        // An issued directive places and lifts; one revoked or superseded ends its placements.
        if (!ended) (place ? placed : lifted).push_back(std::move(v));
        else if (place) lifted.push_back(std::move(v));
    }
}

json publication_json(Store& s, std::int64_t number) {
    Statement st = s.db().prepare(
        "SELECT as_of, time_zone, list_version, venue_count, sha256, key_fingerprint, note FROM publications"
        " WHERE number = ?");
    st.bind(1, number);
    if (!st.step()) return json{{"number", number}};
    const std::string path = "/api/v1/publications/" + std::to_string(number);
    return {{"number", number},
            {"as_of", st.text(0)},
            {"time_zone", st.text(1)},
            {"list_version", st.integer(2)},
            {"venue_count", st.integer(3)},
            {"sha256", st.text(4)},
            {"key_fingerprint", st.text(5)},
            {"note", st.text(6)},
            {"links", {{"document", path}, {"signature", path + ".sig"}, {"key", "/api/v1/publication-key.pem"}}}};
}

// What one list change was: the audit rows between the previous change and this one.
void describe_list_change(Store& s, std::int64_t from_audit, std::int64_t to_audit, json& event) {
    json directives = json::array(), placed = json::array(), lifted = json::array(), created = json::array(),
         updated = json::array(), imports = json::array();
    Statement st = s.db().prepare(
        "SELECT seq, action, entity, entity_key, after FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq");
    st.bind(1, from_audit).bind(2, to_audit);
    while (st.step()) {
        const std::string action = st.text(1);
        if (!list_action(action)) continue;
        const std::string entity = st.text(2), key = st.text(3);
        json after = json::object();
        if (auto text = st.optional_text(4)) after = json::parse(*text, nullptr, false);
        if (after.is_discarded() || !after.is_object()) after = json::object();
        if (entity == "directive") {
            std::string change = action.substr(action.find('.') + 1);
            const std::string status = after.value("status", "");
            if (action == "directive.import") change = "imported";
            else if (change == "issue") change = "issued";
            else if (change == "revoke") change = "revoked";
            else if (change == "supersede") change = "superseded";
            directives.push_back({{"ref", key}, {"change", change}, {"status", status}});
            if (status == "issued" && (action == "directive.issue" || action == "directive.import"))
                directive_venues(s, key, placed, lifted, false);
            else if (action == "directive.revoke" || action == "directive.supersede")
                directive_venues(s, key, placed, lifted, true);
        } else if (action == "venue.create" || action == "venue.update") {
            json v = venue_ref(after.value("id", std::int64_t{0}), after.value("external_id", ""), after.value("name", ""));
            (action == "venue.create" ? created : updated).push_back(std::move(v));
        } else {
            imports.push_back({{"action", action}, {"source", key}, {"summary", after}});
        }
    }
    event["directives"] = std::move(directives);
    event["venues"] = {{"placed", std::move(placed)}, {"lifted", std::move(lifted)}, {"created", std::move(created)},
                       {"updated", std::move(updated)}};
    if (!imports.empty()) event["imports"] = std::move(imports);
}

}  // namespace

std::vector<Change> changes_after(Store& s, std::int64_t after, std::size_t limit) {
    std::vector<Change> out;
    // The audit row that ended the change before each one bounds what that one covers.
    Statement st = s.db().prepare(
        "SELECT c.seq, c.at, c.kind, c.list_version, c.publication, c.audit_seq,"
        " coalesce((SELECT p.audit_seq FROM changes p WHERE p.seq < c.seq ORDER BY p.seq DESC LIMIT 1), 0)"
        " FROM changes c WHERE c.seq > ? ORDER BY c.seq LIMIT ?");
    st.bind(1, after).bind(2, std::int64_t(limit));
    struct Row {
        std::int64_t seq;
        std::string at, kind;
        std::int64_t version;
        std::optional<std::int64_t> publication;
        std::int64_t audit, previous_audit;
    };
    std::vector<Row> rows;
    while (st.step())
        rows.push_back({st.integer(0), st.text(1), st.text(2), st.integer(3),
                        st.is_null(4) ? std::nullopt : std::optional<std::int64_t>(st.integer(4)), st.integer(5),
                        st.integer(6)});
    for (const Row& r : rows) {
        json event{{"id", r.seq}, {"at", r.at}, {"kind", r.kind}, {"list_version", r.version}};
        if (r.kind == "publication" && r.publication) {
            event["publication"] = publication_json(s, *r.publication);
        } else {
            event["publication"] = nullptr;
            describe_list_change(s, r.previous_audit, r.audit, event);
        }
        out.push_back({r.seq, event.dump()});
    }
    return out;
}

std::int64_t last_change(Store& s) { return s.db().scalar("SELECT coalesce(max(seq), 0) FROM changes"); }

model::Id add_webhook(Store& s, const std::string& url, const std::string& secret) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw model::RuleError("a webhook URL starts with http:// or https://");
    if (secret.empty()) throw model::RuleError("a webhook needs a secret to sign its deliveries");
    Transaction tx(s.db());
    Statement ins = s.db().prepare("INSERT INTO webhooks (url, secret, created_at, created_by) VALUES (?,?,?,?)");
    ins.bind(1, url).bind(2, secret).bind(3, utc_timestamp()).bind(4, s.actor());
    ins.run();
    const model::Id id = s.db().last_insert_id();
    s.record("webhook.create", "webhook", std::to_string(id), std::nullopt, json{{"url", url}}.dump());
    tx.commit();
    return id;
}

std::vector<Webhook> webhooks(Store& s) {
    Statement st = s.db().prepare(
        "SELECT w.id, w.url, w.created_at, w.created_by, w.removed_at,"
        " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'pending'),"
        " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'done'),"
        " (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.state = 'failed'),"
        " coalesce((SELECT d.last_error FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.last_error <> ''"
        "   ORDER BY d.change_seq DESC LIMIT 1), '')"
        " FROM webhooks w ORDER BY w.id");
    std::vector<Webhook> out;
    while (st.step())
        out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.optional_text(4), st.integer(5),
                       st.integer(6), st.integer(7), st.text(8)});
    return out;
}

void remove_webhook(Store& s, model::Id id) {
    Transaction tx(s.db());
    Statement find = s.db().prepare("SELECT removed_at FROM webhooks WHERE id = ?");
    find.bind(1, id);
    if (!find.step()) throw NotFound("unknown webhook " + std::to_string(id));
    if (!find.is_null(0)) throw model::RuleError("webhook " + std::to_string(id) + " is already removed");
    Statement upd = s.db().prepare("UPDATE webhooks SET removed_at = ? WHERE id = ?");
    upd.bind(1, utc_timestamp()).bind(2, id).run();
    Statement drop = s.db().prepare(
        "UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook removed'"
        " WHERE webhook_id = ? AND state = 'pending'");
    drop.bind(1, id).run();
    s.record("webhook.remove", "webhook", std::to_string(id), std::nullopt, json{{"removed", true}}.dump());
    tx.commit();
}

std::vector<Delivery> due_deliveries(Store& s, std::int64_t now_ms, std::size_t limit) {
    Statement st = s.db().prepare(
        "SELECT d.webhook_id, d.change_seq, w.url, w.secret, d.attempts FROM webhook_deliveries d"
        " JOIN webhooks w ON w.id = d.webhook_id"
        " WHERE d.state = 'pending' AND w.removed_at IS NULL"
        "   AND d.change_seq = (SELECT min(e.change_seq) FROM webhook_deliveries e"
        "                       WHERE e.webhook_id = d.webhook_id AND e.state = 'pending')"
        "   AND d.next_attempt_ms <= ?"
        " ORDER BY d.next_attempt_ms, d.change_seq LIMIT ?");
    st.bind(1, now_ms).bind(2, std::int64_t(limit));
    std::vector<Delivery> out;
    while (st.step()) out.push_back({st.integer(0), st.integer(1), st.text(2), st.text(3), int(st.integer(4))});
    return out;
}

void delivery_done(Store& s, model::Id webhook_id, std::int64_t change_seq, int status) {
    Statement st = s.db().prepare(
        "UPDATE webhook_deliveries SET state = 'done', attempts = attempts + 1, last_status = ?, last_error = '',"
        " delivered_at = ? WHERE webhook_id = ? AND change_seq = ?");
    st.bind(1, status).bind(2, utc_timestamp()).bind(3, webhook_id).bind(4, change_seq).run();
}

void delivery_failed(Store& s, model::Id webhook_id, std::int64_t change_seq, std::optional<int> status,
                     const std::string& error, std::int64_t next_attempt_ms, bool give_up) {
    Statement st = s.db().prepare(
        "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,"
        " next_attempt_ms = ? WHERE webhook_id = ? AND change_seq = ?");
    st.bind(1, give_up ? "failed" : "pending").bind(2, status ? std::optional<std::int64_t>(*status) : std::nullopt);
    st.bind(3, error.substr(0, 500)).bind(4, next_attempt_ms).bind(5, webhook_id).bind(6, change_seq).run();
}

}  // namespace keepout::store
