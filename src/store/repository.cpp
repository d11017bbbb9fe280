#include "store/repository.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <unordered_map>

#include "store/schema.hpp"

namespace keepout::store {

using namespace keepout::model;
using nlohmann::json;

namespace {

std::optional<Date> optional_date(const Statement& st, int col) {
    if (st.is_null(col)) return std::nullopt;
    return Date::parse(st.text(col));
}

std::string reasons_json(const std::vector<Reason>& reasons) { return json(reason_codes(reasons)).dump(); }

std::vector<Reason> parse_reasons_json(std::string_view text) {
    std::vector<Reason> out;
    // What insert_listing writes, ["code","code"], read without a JSON parser: a snapshot reads
    // every listing. Anything else (spaces, escapes) goes through nlohmann below.
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        std::string_view rest = text.substr(1, text.size() - 2);
        bool plain = true;
        while (plain && !rest.empty()) {
            const std::size_t end = rest.find(',');
            const std::string_view item = rest.substr(0, end);
            std::optional<Reason> r;
            if (item.size() >= 2 && item.front() == '"' && item.back() == '"' &&
                item.substr(1, item.size() - 2).find_first_of("\\\"") == std::string_view::npos)
                r = parse_reason(item.substr(1, item.size() - 2));
            if (!r) {
                plain = false;
                break;
            }
            out.push_back(*r);
            if (end == std::string_view::npos) break;
            rest.remove_prefix(end + 1);
            plain = !rest.empty();  // a trailing comma is not JSON
        }
        if (plain) return out;
        out.clear();
    }
    for (auto& v : json::parse(text)) {
        auto r = parse_reason(v.get<std::string>());
        if (!r) throw StoreError("stored listing has unknown reason " + v.dump());
        out.push_back(*r);
    }
    return out;
}

const char* kVenueColumns =
    "SELECT id, coalesce(external_id, ''), name, category, address, municipality, AsBinary(geom) FROM venues";

}  // namespace

std::string to_json(const Directive& d) {
    json j{{"ref", d.ref},
           {"title", d.title},
           {"authority", d.authority},
           {"signed", d.signed_on.iso()},
           {"effective", d.effective_on.iso()},
           {"status", to_string(d.status)},
           {"emergency", d.emergency}};
    if (d.review_on) j["review"] = d.review_on->iso();
    if (d.ended_on) j["ended"] = d.ended_on->iso();
    if (!d.superseded_by.empty()) j["superseded_by"] = d.superseded_by;
    if (!d.drafted_by.empty()) j["drafted_by"] = d.drafted_by;
    if (!d.submitted_by.empty()) j["submitted_by"] = d.submitted_by;
    if (!d.issued_by.empty()) j["issued_by"] = d.issued_by;
    return j.dump();
}

std::string to_json(const Listing& l, std::string_view ref, std::string_view venue_key) {
    json j{{"directive", ref},
           {"venue", venue_key},
           {"action", to_string(l.action)},
           {"reasons", reason_codes(l.reasons)},
           {"effective_from", l.effective_from.iso()}};
    if (l.until) j["until"] = l.until->iso();
    if (!l.added_by.empty()) j["added_by"] = l.added_by;
    return j.dump();
}

Store::Store(std::unique_ptr<Database> db) : db_(std::move(db)), audit_(*db_) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string& path, int busy_timeout_ms) {
    if (!std::filesystem::exists(path))
        throw StoreError("database " + path + " does not exist: run `keepout --db " + path + " init` first");
    // The version is read on a read-only connection first: a file from a newer keepout is refused
    // before anything (not even the journal mode) is written to it.
    if (const int found = read_schema_version(path); found > latest_schema_version())
        throw SchemaTooNew(path, found, latest_schema_version());
    auto db = std::make_unique<Database>(path, false, busy_timeout_ms);
    const auto version = db->scalar("PRAGMA user_version");
    if (version == 0)
        throw StoreError(path + " is not a keepout database: run `keepout --db " + path + " init`");
    if (version != latest_schema_version()) migrate(*db);  // newer: SchemaTooNew
    return std::unique_ptr<Store>(new Store(std::move(db)));
}

std::unique_ptr<Store> Store::init(const std::string& path) {
    if (std::filesystem::exists(path))
        if (const int found = read_schema_version(path); found > latest_schema_version())
            throw SchemaTooNew(path, found, latest_schema_version());
    auto db = std::make_unique<Database>(path, true);
    migrate(*db);
    return std::unique_ptr<Store>(new Store(std::move(db)));
}

void Store::record(std::string action, std::string entity, std::string key, std::optional<std::string> before,
                   std::optional<std::string> after) {
    audit_.append({actor_, std::move(action), std::move(entity), std::move(key), std::move(before), std::move(after)});
}

std::int64_t Store::list_version() {
    return db_->scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'list_version'");
}

std::int64_t Store::bump_list_version() {
    db_->exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'list_version'");
    return list_version();
}

std::int64_t Store::draft_revision() {
    return db_->scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'draft_revision'");
}

std::int64_t Store::bump_draft_revision() {
    db_->exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'draft_revision'");
    return draft_revision();
}

Id Store::insert_venue(const Venue& v) {
    if (!insert_venue_) {
        insert_venue_ = std::make_unique<Statement>(db_->prepare(
            "INSERT INTO venues (external_id, name, category, address, municipality, created_at, updated_at, geom)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?7, ?7, GeomFromWKB(?6, 4326))"));
        insert_name_ = std::make_unique<Statement>(
            db_->prepare("INSERT OR IGNORE INTO venue_names (venue_id, name, kind) VALUES (?, ?, ?)"));
    }
    auto& st = *insert_venue_;
    if (v.external_id.empty())
        st.bind(1, std::nullopt);
    else
        st.bind(1, v.external_id);
    st.bind(2, v.name).bind(3, to_string(v.category)).bind(4, v.address).bind(5, v.municipality);
    st.bind_blob(6, v.geometry);
    st.bind(7, utc_timestamp());
    st.run();
    const Id id = db_->last_insert_id();
    for (auto& [names, kind] : {std::pair{&v.aliases, "alias"}, std::pair{&v.former_names, "former"}})
        for (auto& n : *names) insert_name_->bind(1, id).bind(2, n).bind(3, kind).run();
    return id;
}

void Store::update_venue(const Venue& v) {
    Statement st = db_->prepare(
        "UPDATE venues SET name = ?, category = ?, address = ?, municipality = ?, updated_at = datetime('now')"
        " WHERE id = ?");
    st.bind(1, v.name).bind(2, to_string(v.category)).bind(3, v.address).bind(4, v.municipality).bind(5, v.id);
    st.run();
    Statement del = db_->prepare("DELETE FROM venue_names WHERE venue_id = ?");
    del.bind(1, v.id).run();
    Statement ins = db_->prepare("INSERT OR IGNORE INTO venue_names (venue_id, name, kind) VALUES (?, ?, ?)");
    for (auto& [names, kind] : {std::pair{&v.aliases, "alias"}, std::pair{&v.former_names, "former"}})
        for (auto& n : *names) ins.bind(1, v.id).bind(2, n).bind(3, kind).run();
}

bool Store::external_id_exists(std::string_view external_id) {
    if (!external_id_exists_)
        external_id_exists_ =
            std::make_unique<Statement>(db_->prepare("SELECT 1 FROM venues WHERE external_id = ?"));
    external_id_exists_->bind(1, external_id);
    bool found = external_id_exists_->step();
    external_id_exists_->reset();
    return found;
}

std::vector<Venue> Store::read_venues(Statement& st) {
    std::vector<Venue> out;
    while (st.step()) {
        Venue v;
        v.id = st.integer(0);
        v.external_id = st.text(1);
        v.name = st.text(2);
        v.category = parse_category(st.text(3)).value_or(Category::other);
        v.address = st.text(4);
        v.municipality = st.text(5);
        v.geometry = st.blob(6);
        out.push_back(std::move(v));
    }
    attach_names(out);
    return out;
}

void Store::attach_names(std::vector<Venue>& venues) {
    if (venues.empty()) return;
    std::unordered_map<Id, Venue*> by_id;
    for (auto& v : venues) by_id[v.id] = &v;
    // A few venues: look each up; many: one pass over the table.
    const bool few = venues.size() < 256;
    Statement st = db_->prepare(few ? "SELECT venue_id, name, kind FROM venue_names WHERE venue_id = ? ORDER BY rowid"
                                    : "SELECT venue_id, name, kind FROM venue_names ORDER BY venue_id, rowid");
    auto next = [&, i = std::size_t{0}]() mutable {
        if (!few) return st.step();
        while (true) {
            if (st.step()) return true;
            if (i == venues.size()) return false;
            st.reset();
            st.bind(1, venues[i++].id);
        }
    };
    while (next()) {
        auto it = by_id.find(st.integer(0));
        if (it == by_id.end()) continue;
        (st.text(2) == "alias" ? it->second->aliases : it->second->former_names).push_back(st.text(1));
    }
}

std::optional<Venue> Store::venue(Id id) {
    Statement st = db_->prepare(std::string(kVenueColumns) + " WHERE id = ?");
    st.bind(1, id);
    auto v = read_venues(st);
    if (v.empty()) return std::nullopt;
    return v.front();
}

Venue Store::resolve_venue(std::string_view key) {
    Id id = 0;
    bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string_view::npos;
    if (numeric && key.size() < 18) {
        id = std::stoll(std::string(key));
        if (auto v = venue(id)) return *v;
    }
    {
        Statement st = db_->prepare(std::string(kVenueColumns) + " WHERE external_id = ?");
        st.bind(1, key);
        auto v = read_venues(st);
        if (!v.empty()) return v.front();
    }
    Statement st = db_->prepare(std::string(kVenueColumns) +
                                " WHERE name = ?1 OR id IN (SELECT venue_id FROM venue_names WHERE name = ?1)");
    st.bind(1, key);
    auto v = read_venues(st);
    if (v.size() == 1) return v.front();
    if (v.size() > 1) {
        std::string ids;
        for (auto& x : v) ids += (ids.empty() ? "" : ", ") + std::to_string(x.id);
        throw RuleError("venue name '" + std::string(key) + "' is ambiguous (ids " + ids +
                        "): give the id or external_id");
    }
    throw NotFound("unknown venue '" + std::string(key) + "' (not an id, external_id or exact name)");
}

std::vector<Venue> Store::venues() {
    Statement st = db_->prepare(std::string(kVenueColumns) + " ORDER BY id");
    return read_venues(st);
}

std::vector<Venue> Store::venues(const std::vector<Id>& ids) {
    db_->exec("CREATE TEMP TABLE IF NOT EXISTS wanted_ids (id INTEGER PRIMARY KEY)");
    db_->exec("DELETE FROM wanted_ids");
    {
        Statement ins = db_->prepare("INSERT OR IGNORE INTO wanted_ids (id) VALUES (?)");
        for (Id id : ids) ins.bind(1, id).run();
    }
    Statement st = db_->prepare(std::string(kVenueColumns) + " WHERE id IN (SELECT id FROM wanted_ids) ORDER BY id");
    return read_venues(st);
}

std::int64_t Store::venue_count() { return db_->scalar("SELECT count(*) FROM venues"); }

void Store::scan_venues(const std::function<void(const VenueRow&)>& f) {
    Statement st = db_->prepare(std::string(kVenueColumns) + " ORDER BY id");
    VenueRow row;
    while (st.step()) {
        row.id = st.integer(0);
        row.external_id = st.text_view(1);
        row.name = st.text_view(2);
        row.category = parse_category(st.text_view(3)).value_or(Category::other);
        row.address = st.text_view(4);
        row.municipality = st.text_view(5);
        row.wkb = st.blob_view(6);
        f(row);
    }
}

void Store::scan_venue_names(const std::function<void(Id, std::string_view, bool)>& f) {
    Statement st = db_->prepare("SELECT venue_id, name, kind = 'alias' FROM venue_names ORDER BY venue_id, rowid");
    while (st.step()) f(st.integer(0), st.text_view(1), st.integer(2) != 0);
}

Id Store::insert_directive(Directive& d) {
    Statement st = db_->prepare(
        "INSERT INTO directives (ref, title, authority, signed_on, effective_on, status, emergency, review_on,"
        " ended_on, superseded_by, drafted_by, issued_by, submitted_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, d.ref).bind(2, d.title).bind(3, d.authority).bind(4, d.signed_on.iso()).bind(5, d.effective_on.iso());
    st.bind(6, to_string(d.status)).bind(7, d.emergency ? 1 : 0);
    st.bind(8, d.review_on ? std::optional<std::string>(d.review_on->iso()) : std::nullopt);
    st.bind(9, d.ended_on ? std::optional<std::string>(d.ended_on->iso()) : std::nullopt);
    st.bind(10, d.superseded_by.empty() ? std::nullopt : std::optional<std::string>(d.superseded_by));
    st.bind(11, d.drafted_by).bind(12, d.issued_by).bind(13, d.submitted_by);
    st.run();
    d.id = db_->last_insert_id();
    return d.id;
}

void Store::update_directive(const Directive& d) {
    Statement st = db_->prepare(
        "UPDATE directives SET title = ?, authority = ?, signed_on = ?, effective_on = ?, status = ?, emergency = ?,"
        " review_on = ?, ended_on = ?, superseded_by = ?, drafted_by = ?, issued_by = ?, submitted_by = ? WHERE id = ?");
    st.bind(1, d.title).bind(2, d.authority).bind(3, d.signed_on.iso()).bind(4, d.effective_on.iso());
    st.bind(5, to_string(d.status)).bind(6, d.emergency ? 1 : 0);
    st.bind(7, d.review_on ? std::optional<std::string>(d.review_on->iso()) : std::nullopt);
    st.bind(8, d.ended_on ? std::optional<std::string>(d.ended_on->iso()) : std::nullopt);
    st.bind(9, d.superseded_by.empty() ? std::nullopt : std::optional<std::string>(d.superseded_by));
    st.bind(10, d.drafted_by).bind(11, d.issued_by).bind(12, d.submitted_by).bind(13, d.id);
    st.run();
}

namespace {
const char* kDirectiveColumns =
    "SELECT id, ref, title, authority, signed_on, effective_on, status, emergency, review_on, ended_on,"
    " coalesce(superseded_by, ''), drafted_by, issued_by, submitted_by FROM directives";

Directive read_directive(const Statement& st) {
    Directive d;
    d.id = st.integer(0);
    d.ref = st.text(1);
    d.title = st.text(2);
    d.authority = st.text(3);
    d.signed_on = Date::parse(st.text(4));
    d.effective_on = Date::parse(st.text(5));
    d.status = parse_status(st.text(6)).value_or(DirectiveStatus::draft);
    d.emergency = st.integer(7) != 0;
    d.review_on = optional_date(st, 8);
    d.ended_on = optional_date(st, 9);
    d.superseded_by = st.text(10);
    d.drafted_by = st.text(11);
    d.issued_by = st.text(12);
    d.submitted_by = st.text(13);
    return d;
}

const char* kListingColumns =
    "SELECT id, directive_id, venue_id, action, reasons, effective_from, until, added_by FROM listings";

Listing read_listing(const Statement& st) {
    Listing l;
    l.id = st.integer(0);
    l.directive_id = st.integer(1);
    l.venue_id = st.integer(2);
    l.action = parse_action(st.text_view(3)).value_or(Action::place);
    l.reasons = parse_reasons_json(st.text_view(4));
    l.effective_from = Date::parse(st.text_view(5));
    l.until = optional_date(st, 6);
    l.added_by = st.text(7);
    return l;
}
}  // namespace

std::optional<Directive> Store::find_directive(std::string_view ref) {
    Statement st = db_->prepare(std::string(kDirectiveColumns) + " WHERE ref = ?");
    st.bind(1, ref);
    if (!st.step()) return std::nullopt;
    return read_directive(st);
}

Directive Store::directive(std::string_view ref) {
    if (auto d = find_directive(ref)) return *d;
    throw NotFound("unknown directive '" + std::string(ref) + "'");
}

std::vector<Directive> Store::directives() {
    Statement st = db_->prepare(std::string(kDirectiveColumns) + " ORDER BY effective_on, signed_on, id");
    std::vector<Directive> out;
    while (st.step()) out.push_back(read_directive(st));
    return out;
}

Id Store::insert_listing(Listing& l) {
    Statement st = db_->prepare(
        "INSERT INTO listings (directive_id, venue_id, action, reasons, effective_from, until, added_by)"
        " VALUES (?,?,?,?,?,?,?)");
    if (l.added_by.empty()) l.added_by = person_;
    st.bind(1, l.directive_id).bind(2, l.venue_id).bind(3, to_string(l.action)).bind(4, reasons_json(l.reasons));
    st.bind(5, l.effective_from.iso());
    st.bind(6, l.until ? std::optional<std::string>(l.until->iso()) : std::nullopt);
    st.bind(7, l.added_by);
    st.run();
    l.id = db_->last_insert_id();
    return l.id;
}

std::vector<Listing> Store::listings() {
    Statement st = db_->prepare(std::string(kListingColumns) + " ORDER BY id");
    std::vector<Listing> out;
    out.reserve(std::size_t(db_->scalar("SELECT count(*) FROM listings")));  // every snapshot reads them all
    while (st.step()) out.push_back(read_listing(st));
    return out;
}

std::vector<Listing> Store::listings_of(Id directive_id) {
    Statement st = db_->prepare(std::string(kListingColumns) + " WHERE directive_id = ? ORDER BY id");
    st.bind(1, directive_id);
    std::vector<Listing> out;
    while (st.step()) out.push_back(read_listing(st));
    return out;
}

ListHistory Store::history() { return ListHistory(directives(), listings()); }

std::vector<ListEntry> Store::list_as_of(Date on) {
    ListHistory h = history();
    std::vector<ListedVenue> listed = h.as_of(on);
    std::vector<Id> ids;
    for (auto& l : listed) ids.push_back(l.venue_id);
    std::vector<Venue> vs = venues(ids);
    std::vector<ListEntry> out;
    out.reserve(listed.size());
    std::size_t j = 0;
    for (auto& l : listed) {  // both sorted by venue id
        while (j < vs.size() && vs[j].id < l.venue_id) ++j;
        if (j == vs.size() || vs[j].id != l.venue_id) throw StoreError("listed venue missing from the store");
        const Directive* d = h.directive(l.directive_id);
        out.push_back({vs[j], l, d ? d->ref : std::string()});
    }
    return out;
}

Id Store::insert_site(const Site& s) {
    Statement st = db_->prepare(
        "INSERT INTO sites (name, kind, contingent, personnel, geom) VALUES (?, ?, ?, ?, GeomFromWKB(?, 4326))");
    st.bind(1, s.name).bind(2, to_string(s.kind)).bind(3, s.contingent).bind(4, s.personnel).bind_blob(5, s.geometry);
    st.run();
    return db_->last_insert_id();
}

std::vector<Site> Store::sites() {
    Statement st =
        db_->prepare("SELECT id, name, kind, contingent, personnel, AsBinary(geom) FROM sites ORDER BY id");
    std::vector<Site> out;
    while (st.step()) {
        Site s;
        s.id = st.integer(0);
        s.name = st.text(1);
        s.kind = parse_site_kind(st.text(2)).value_or(SiteKind::other);
        s.contingent = st.text(3);
        s.personnel = st.integer(4);
        s.geometry = st.blob(5);
        out.push_back(std::move(s));
    }
    return out;
}

Id Store::insert_sector(const Sector& s) {
    Statement st = db_->prepare("INSERT INTO sectors (name, unit, geom) VALUES (?, ?, GeomFromWKB(?, 4326))");
    st.bind(1, s.name).bind(2, s.unit).bind_blob(3, s.geometry);
    st.run();
    return db_->last_insert_id();
}

std::vector<Sector> Store::sectors() {
    Statement st = db_->prepare("SELECT id, name, unit, AsBinary(geom) FROM sectors ORDER BY id");
    std::vector<Sector> out;
    while (st.step()) out.push_back({st.integer(0), st.text(1), st.text(2), st.blob(3)});
    return out;
}

}  // namespace keepout::store
