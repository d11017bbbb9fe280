#include "store/schema.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "store/backup.hpp"

namespace keepout::store {

namespace {

// Migrations are append-only: never edit one that has shipped, add the next number instead.
const std::vector<const char*>& migrations() {
    static const std::vector<const char*> list = {
        // 1: the foundation — venues, directives, listings, sites, sectors, audit log, meta.
        R"SQL(
        SELECT InitSpatialMetadata(0, 'WGS84');

        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('list_version', '0'), ('audit_head', '');

        CREATE TABLE venues (
            id INTEGER PRIMARY KEY,
            external_id TEXT UNIQUE,
            name TEXT NOT NULL CHECK (length(name) > 0),
            category TEXT NOT NULL CHECK (category IN ('bar','nightclub','brothel','hotel','motel',
                'restaurant','cafe','massage','private-house','other')),
            address TEXT NOT NULL DEFAULT '',
            municipality TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        SELECT AddGeometryColumn('venues', 'geom', 4326, 'GEOMETRY', 'XY', 1);
        SELECT CreateSpatialIndex('venues', 'geom');
        CREATE INDEX venues_name ON venues (name);

        -- Aliases and former names: a new owner or a new sign does not lift a listing.
        CREATE TABLE venue_names (
            venue_id INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(name) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('alias', 'former')),
            PRIMARY KEY (venue_id, kind, name)
        );
        CREATE INDEX venue_names_name ON venue_names (name);

        CREATE TABLE directives (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            authority TEXT NOT NULL DEFAULT '',
            signed_on TEXT NOT NULL,
            effective_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft','issued','revoked','superseded')),
            emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
            review_on TEXT,
            ended_on TEXT,
            superseded_by TEXT,
            drafted_by TEXT NOT NULL DEFAULT '',
            issued_by TEXT NOT NULL DEFAULT '',
            CHECK (effective_on >= signed_on),
            CHECK (emergency = 0 OR review_on IS NOT NULL)
        );

        CREATE TABLE listings (
            id INTEGER PRIMARY KEY,
            directive_id INTEGER NOT NULL REFERENCES directives (id),
            venue_id INTEGER NOT NULL REFERENCES venues (id),
            action TEXT NOT NULL CHECK (action IN ('place', 'lift')),
            reasons TEXT NOT NULL CHECK (json_valid(reasons) AND json_array_length(reasons) > 0),
            effective_from TEXT NOT NULL,
            until TEXT,
            UNIQUE (directive_id, venue_id),
            CHECK (until IS NULL OR (action = 'place' AND until >= effective_from))
        );
        CREATE INDEX listings_venue ON listings (venue_id);

        CREATE TABLE sites (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('military','police','civilian','hq','other')),
            contingent TEXT NOT NULL DEFAULT '',
            personnel INTEGER NOT NULL DEFAULT 0 CHECK (personnel >= 0)
        );
        SELECT AddGeometryColumn('sites', 'geom', 4326, 'GEOMETRY', 'XY', 1);
        SELECT CreateSpatialIndex('sites', 'geom');

        CREATE TABLE sectors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            unit TEXT NOT NULL DEFAULT ''
        );
        SELECT AddGeometryColumn('sectors', 'geom', 4326, 'GEOMETRY', 'XY', 1);
        SELECT CreateSpatialIndex('sectors', 'geom');

        -- Append-only, hash-chained: each row's hash covers the previous hash and the row.
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        )SQL",
        // 2: API tokens, stored only as salted SHA-256 hashes.
        R"SQL(
        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) > 0),
            role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'approver')),
            salt TEXT NOT NULL,
            hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        )SQL",
        // 3: an approval step and four eyes per person. Directives gain the state `submitted`
        // (the CHECK needs a new table) and who submitted; listings record who added them, taken
        // from the audit log for existing rows (else the drafter, the one who owned the draft);
        // names recorded as "Name (token N)" become the person's name. Tokens may expire, and
        // failed authentications are kept for review.
        R"SQL(
        CREATE TABLE directives_v3 (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            authority TEXT NOT NULL DEFAULT '',
            signed_on TEXT NOT NULL,
            effective_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft','submitted','issued','revoked','superseded')),
            emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
            review_on TEXT,
            ended_on TEXT,
            superseded_by TEXT,
            drafted_by TEXT NOT NULL DEFAULT '',
            submitted_by TEXT NOT NULL DEFAULT '',
            issued_by TEXT NOT NULL DEFAULT '',
            CHECK (effective_on >= signed_on),
            CHECK (emergency = 0 OR review_on IS NOT NULL)
        );
        INSERT INTO directives_v3 (id, ref, title, authority, signed_on, effective_on, status, emergency, review_on,
                                   ended_on, superseded_by, drafted_by, issued_by)
            SELECT id, ref, title, authority, signed_on, effective_on, status, emergency, review_on, ended_on,
                   superseded_by, drafted_by, issued_by FROM directives;
        DROP TABLE directives;
        ALTER TABLE directives_v3 RENAME TO directives;

        ALTER TABLE listings ADD COLUMN added_by TEXT NOT NULL DEFAULT '';
        UPDATE listings SET added_by = coalesce((
            SELECT a.actor FROM audit_log a, directives d, venues v
            WHERE d.id = listings.directive_id AND v.id = listings.venue_id AND a.entity = 'listing'
              AND a.action IN ('listing.place', 'listing.lift')
              AND a.entity_key = d.ref || ' ' || coalesce(nullif(v.external_id, ''), CAST(v.id AS TEXT))
            ORDER BY a.seq DESC LIMIT 1), '');
        UPDATE listings SET added_by = substr(added_by, 1, instr(added_by, ' (token ') - 1)
            WHERE instr(added_by, ' (token ') > 1;
        UPDATE directives SET drafted_by = substr(drafted_by, 1, instr(drafted_by, ' (token ') - 1)
            WHERE instr(drafted_by, ' (token ') > 1;
        UPDATE directives SET issued_by = substr(issued_by, 1, instr(issued_by, ' (token ') - 1)
            WHERE instr(issued_by, ' (token ') > 1;
        UPDATE listings SET added_by = (SELECT drafted_by FROM directives WHERE id = listings.directive_id)
            WHERE added_by = '';

        ALTER TABLE tokens ADD COLUMN expires_on TEXT;

        CREATE TABLE auth_failures (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            remote TEXT NOT NULL,
            token_id INTEGER,
            reason TEXT NOT NULL
        );
        CREATE INDEX auth_failures_at ON auth_failures (at);
        )SQL",
        // 4: drafts have their own revision. The list version names what the list and the checks
        // answer from; drafting, amending, submitting or withdrawing a draft changes neither, and
        // bumps this instead.
        R"SQL(
        INSERT INTO meta (key, value) VALUES ('draft_revision', '0');
        )SQL",
        // 5: the mission profile, one row, and its reference layers copied in so that the
        // database stands alone (the files it came from may be gone).
        R"SQL(
        CREATE TABLE mission (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL CHECK (length(name) > 0),
            full_name TEXT NOT NULL DEFAULT '',
            head_of_mission TEXT NOT NULL DEFAULT '',
            time_zone TEXT NOT NULL,
            languages TEXT NOT NULL,
            default_radius_m REAL NOT NULL CHECK (default_radius_m > 0),
            area BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE mission_layers (
            layer TEXT NOT NULL,
            seq INTEGER NOT NULL,
            properties TEXT NOT NULL,
            geom BLOB NOT NULL,
            PRIMARY KEY (layer, seq)
        );
        )SQL",
        // 6: signed publications of the list. The public keys that sign them (the private key never
        // comes here) and each publication's exact bytes and signature, numbered from 1 without a
        // gap; neither table is ever changed once written.
        R"SQL(
        CREATE TABLE publication_keys (
            fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),
            public_key_pem TEXT NOT NULL CHECK (length(public_key_pem) > 0),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE publications (
            number INTEGER PRIMARY KEY CHECK (number >= 1),
            created_at TEXT NOT NULL,
            as_of TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            list_version INTEGER NOT NULL,
            venue_count INTEGER NOT NULL CHECK (venue_count >= 0),
            note TEXT NOT NULL DEFAULT '',
            document BLOB NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            signature BLOB NOT NULL CHECK (length(signature) = 64),
            key_fingerprint TEXT NOT NULL REFERENCES publication_keys (fingerprint),
            created_by TEXT NOT NULL
        );
        CREATE TRIGGER publications_in_order BEFORE INSERT ON publications
            WHEN NEW.number <> coalesce((SELECT max(number) FROM publications), 0) + 1
            BEGIN SELECT RAISE(ABORT, 'publications are numbered in order, without a gap'); END;
        CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications
            BEGIN SELECT RAISE(ABORT, 'a publication is never changed'); END;
        CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications
            BEGIN SELECT RAISE(ABORT, 'a publication is never deleted'); END;
        CREATE TRIGGER publication_keys_no_update BEFORE UPDATE ON publication_keys
            BEGIN SELECT RAISE(ABORT, 'a publication key is never changed'); END;
        CREATE TRIGGER publication_keys_no_delete BEFORE DELETE ON publication_keys
            BEGIN SELECT RAISE(ABORT, 'a publication key is never deleted'); END;
        )SQL",
        // 7: reviews that happen. The mission's periodic review interval, and every review
        // decision (keep or lift) with who and why, never changed once written: an emergency
        // directive's or a venue's listing stays due until one is recorded.
        R"SQL(
        ALTER TABLE mission ADD COLUMN review_interval_days INTEGER
            CHECK (review_interval_days IS NULL OR review_interval_days BETWEEN 1 AND 3650);
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            decided_at TEXT NOT NULL,
            decided_on TEXT NOT NULL,
            actor TEXT NOT NULL,
            person TEXT NOT NULL,
            directive_id INTEGER REFERENCES directives (id),
            venue_id INTEGER REFERENCES venues (id),
            decision TEXT NOT NULL CHECK (decision IN ('keep', 'lift')),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            next_review TEXT,
            lift_in INTEGER REFERENCES directives (id),
            CHECK (directive_id IS NOT NULL OR venue_id IS NOT NULL),
            CHECK (decision = 'lift' OR (next_review IS NOT NULL AND next_review > decided_on)),
            CHECK (decision = 'keep' OR (next_review IS NULL AND lift_in IS NOT NULL))
        );
        CREATE INDEX reviews_venue ON reviews (venue_id);
        CREATE INDEX reviews_directive ON reviews (directive_id);
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
            BEGIN SELECT RAISE(ABORT, 'a review decision is never changed'); END;
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
            BEGIN SELECT RAISE(ABORT, 'a review decision is never deleted'); END;
        )SQL",
        // 8: the change feed and webhooks. Every bump of the list version and every publication
        // becomes a row of `changes` by trigger, in the writer's own transaction, whichever
        // process wrote (the server, the command line); a change is queued for every webhook in
        // the same transaction, so a delivery survives any crash between the write and the POST.
        R"SQL(
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('list', 'publication')),
            list_version INTEGER NOT NULL,
            publication INTEGER,
            audit_seq INTEGER NOT NULL
        );
        CREATE TRIGGER changes_on_list_version AFTER UPDATE OF value ON meta
            WHEN NEW.key = 'list_version' AND NEW.value <> OLD.value
            BEGIN INSERT INTO changes (at, kind, list_version, audit_seq)
                VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'list', CAST(NEW.value AS INTEGER),
                        coalesce((SELECT max(seq) FROM audit_log), 0)); END;
        CREATE TRIGGER changes_on_publication AFTER INSERT ON publications
            BEGIN INSERT INTO changes (at, kind, list_version, publication, audit_seq)
                VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'publication', NEW.list_version, NEW.number,
                        coalesce((SELECT max(seq) FROM audit_log), 0)); END;
        CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
            BEGIN SELECT RAISE(ABORT, 'a change is never changed'); END;

        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            secret TEXT NOT NULL CHECK (length(secret) > 0),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            removed_at TEXT
        );
        CREATE TABLE webhook_deliveries (
            webhook_id INTEGER NOT NULL REFERENCES webhooks (id),
            change_seq INTEGER NOT NULL REFERENCES changes (seq),
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER,
            last_error TEXT NOT NULL DEFAULT '',
            delivered_at TEXT,
            PRIMARY KEY (webhook_id, change_seq)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_ms);
        CREATE TRIGGER changes_to_webhooks AFTER INSERT ON changes
            BEGIN INSERT INTO webhook_deliveries (webhook_id, change_seq)
                SELECT id, NEW.seq FROM webhooks WHERE removed_at IS NULL; END;
        )SQL",
    };
    return list;
}

}  // namespace

SchemaTooNew::SchemaTooNew(const std::string& path, int found_version, int supported_version)
    : StoreError("database " + path + " has schema version " + std::to_string(found_version) +
                 ", newer than this keepout understands (" + std::to_string(supported_version) +
                 "): use the keepout that wrote it, or restore a backup made for this one; the file was not changed"),
      found(found_version),
      supported(supported_version) {}

int latest_schema_version() { return int(migrations().size()); }

int read_schema_version(const std::string& path) {
    // A bare read-only connection: no SpatiaLite, no pragma that writes. Every open of the store
    // asks this first, so it stays cheap.
    sqlite3* db = nullptr;
    struct Close {
        sqlite3*& db;
        ~Close() { sqlite3_close_v2(db); }
    } close{db};
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        throw StoreError("cannot open database " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_busy_timeout(db, Database::kDefaultBusyTimeoutMs);
    const char* sql = "PRAGMA user_version";
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (rc != SQLITE_OK) throw_sqlite_error(db, rc, "reading the schema version of " + path, sql);
    rc = sqlite3_step(st);
    const int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) throw_sqlite_error(db, rc, "reading the schema version of " + path, sql);
    return version;
}

int migrate(Database& db) { return migrate_to(db, latest_schema_version()); }

int migrate_to(Database& db, int target) {
    const int before = int(db.scalar("PRAGMA user_version"));
    const int latest = latest_schema_version();
    if (target > latest) throw StoreError("no schema version " + std::to_string(target));
    if (before > latest) throw SchemaTooNew(db.path(), before, latest);
    // A file that holds a keepout schema is copied before it changes; a new or in-memory one has
    // nothing to keep.
    std::error_code ec;
    if (before > 0 && before < target && std::filesystem::is_regular_file(db.path(), ec)) {
        const std::string copy =
            db.path() + ".before-v" + std::to_string(target) + "." + compact_utc_timestamp() + ".sqlite";
        BackupOptions faithful;  // a broken audit chain is kept as it is, and said
        faithful.require_audit_chain = false;
        const DatabaseSummary kept = backup_database(db, copy, faithful);
        std::cerr << "keepout: kept a verified copy of " << db.path() << " at schema version " << before << " in "
                  << copy << " before migrating it to version " << target << '\n';
        if (!kept.audit_problem.empty())
            std::cerr << "keepout: warning: in " << db.path() << " " << kept.audit_problem
                      << " (run keepout audit verify)\n";
    }
    // A migration may rebuild a table others refer to, so foreign keys are off while it runs (the
    // pragma has no effect inside a transaction) and checked before it commits.
    if (before < target) db.exec("PRAGMA foreign_keys = OFF");
    try {
        for (int v = before; v < target; ++v) {
            Transaction tx(db);
            db.exec(migrations()[std::size_t(v)]);
            if (db.scalar("SELECT count(*) FROM pragma_foreign_key_check") != 0)
                throw StoreError("migration " + std::to_string(v + 1) + " of " + db.path() +
                                 " would break a foreign key; nothing was changed by it");
            db.exec("PRAGMA user_version = " + std::to_string(v + 1));
            tx.commit();
        }
    } catch (...) {
        if (before < target) db.exec("PRAGMA foreign_keys = ON");
        throw;
    }
    if (before < target) db.exec("PRAGMA foreign_keys = ON");
    return before;
}

}  // namespace keepout::store
