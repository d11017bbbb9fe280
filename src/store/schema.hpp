#pragma once
#include <string>

#include "store/sqlite.hpp"

namespace keepout::store {

// A database written by a newer keepout: this build neither migrates nor writes it.
struct SchemaTooNew : StoreError {
    SchemaTooNew(const std::string& path, int found, int supported);
    int found = 0;      // the file's user_version
    int supported = 0;  // latest_schema_version() of this build
};

// The schema version this build writes; PRAGMA user_version in the file.
int latest_schema_version();

// The user_version of a database file, read without writing anything to it.
int read_schema_version(const std::string& path);

// Brings the database to the latest schema, one transaction per numbered migration. Idempotent.
// Returns the version the file had before. Refuses a file written by a newer keepout
// (SchemaTooNew). Before it changes an existing file it keeps a verified copy next to it,
// <db>.before-v<N>.<UTC time>.sqlite, and says so on stderr; a copy that cannot be made or does
// not pass its checks stops the migration before anything is changed.
int migrate(Database& db);
// The same, up to `target` only (to build a file as an older keepout left it).
int migrate_to(Database& db, int target);

}  // namespace keepout::store
