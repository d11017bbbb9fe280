#include "store/schema.hpp"

#include <string>
#include <vector>

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
    };
    return list;
}

}  // namespace

int latest_schema_version() { return int(migrations().size()); }

int migrate(Database& db) {
    const int before = int(db.scalar("PRAGMA user_version"));
    const int latest = latest_schema_version();
    if (before > latest)
        throw StoreError("database " + db.path() + " has schema version " + std::to_string(before) +
                         ", newer than this keepout understands (" + std::to_string(latest) + ")");
    for (int v = before; v < latest; ++v) {
        Transaction tx(db);
        db.exec(migrations()[std::size_t(v)]);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
    return before;
}

}  // namespace keepout::store
