#pragma once
#include "store/sqlite.hpp"

namespace keepout::store {

// The schema version this build writes; PRAGMA user_version in the file.
int latest_schema_version();

// Brings the database to the latest schema, one transaction per numbered migration. Idempotent.
// Returns the version the file had before. Refuses a file written by a newer keepout.
int migrate(Database& db);

}  // namespace keepout::store
