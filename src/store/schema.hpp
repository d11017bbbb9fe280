#pragma once
#include "store/sqlite.hpp"

namespace keepout::store {

// The schema version this build writes; PRAGMA user_version in the file.
int latest_schema_version();

// Brings the database to the latest schema, one transaction per numbered migration. Idempotent.
// Returns the version the file had before. Refuses a file written by a newer keepout.
int migrate(Database& db);
// The same, up to `target` only (to build a file as an older keepout left it).
int migrate_to(Database& db, int target);

}  // namespace keepout::store
