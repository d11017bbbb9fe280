#pragma once
// Copies of a keepout database taken while it is served, the checks a copy must pass, and putting
// one back. A copy is one self-contained SQLite file (rollback journal, not WAL) that opens as a
// database of its own.
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>

#include "store/sqlite.hpp"

namespace keepout::store {

// A file that fails the checks: not a SQLite or keepout database, damaged pages, a broken foreign
// key, an audit chain that does not verify.
struct InvalidDatabase : StoreError {
    using StoreError::StoreError;
};
// The file a copy would go to exists and replacing it was not asked for.
struct FileExists : StoreError {
    using StoreError::StoreError;
};
// Another process has the database open; a restore does not pull a file from under it.
struct DatabaseInUse : StoreError {
    using StoreError::StoreError;
    pid_t holder = 0;
};

// What a database file holds, as backup and restore print it.
struct DatabaseSummary {
    std::string path;
    int schema_version = 0;
    std::int64_t list_version = 0;
    std::optional<std::int64_t> draft_revision;  // schema 4 on
    std::int64_t venues = 0, directives = 0, listings = 0, sites = 0, sectors = 0, audit_rows = 0;
    std::string audit_head;  // the hash of the last audit row, "" when there is none
    std::string sha256;      // of the file's bytes
    std::uintmax_t bytes = 0;
    std::string checked_at;  // UTC, when the checks ran
    std::string audit_problem;  // why the audit chain does not verify, when that was not required
};

// Opens `path` read-only and checks it: a keepout schema this build understands (SchemaTooNew
// when newer), PRAGMA integrity_check, foreign keys, the audit hash chain against its recorded
// head. Throws InvalidDatabase naming the first problem; never writes to the file.
DatabaseSummary verify_database_file(const std::string& path);

struct BackupOptions {
    bool overwrite = false;      // replace an existing file (else FileExists)
    int pages_per_step = 1024;   // pages copied per sqlite3_backup_step
    // A copy kept before a migration or a restore is faithful to a database whose audit chain is
    // already broken: the problem is reported in the summary instead of refusing the copy.
    bool require_audit_chain = true;
};

// Copies the open database `source` to `file` with SQLite's online backup, inside one read
// transaction: in WAL mode writers carry on meanwhile, and the copy is the database as it was when
// the copy began. The copy goes to a temporary file next to `file`, is checked as
// verify_database_file does, synced, and only then renamed to `file`: a copy that is killed or
// fails its checks never leaves anything under that name.
DatabaseSummary backup_database(Database& source, const std::string& file, const BackupOptions& = {});
// The same from a database file (refused when it is newer than this build).
DatabaseSummary backup_database(const std::string& db_path, const std::string& file, const BackupOptions& = {});

// The process that has `db_path` open, if another one does. Reads the locks SQLite holds (the
// WAL index's dead-man-switch byte, the database file's lock bytes) without taking any. Call it
// only while this process has no connection to the file: closing any descriptor of a file drops
// this process's POSIX locks on it.
std::optional<pid_t> database_holder(const std::string& db_path);

struct RestoreResult {
    DatabaseSummary file;                     // the backup as it was checked
    std::optional<DatabaseSummary> previous;  // the copy kept of the database it replaced
    std::string previous_problem;             // why that copy does not pass its checks, if it does not
    DatabaseSummary restored;                 // the database now under db_path
};

// Puts the backup `file` in place of `db_path`. Refuses while another process has the database
// open (DatabaseInUse) and when `file` fails its checks, before anything is touched. Keeps a copy
// of the current database as <db>.before-restore.<UTC time>.sqlite, records a "database.restore"
// row by `actor` in the restored file's audit chain (which file, its hashes, the copy kept), lets
// the list version and draft revision continue past both files' so nothing cached under an old
// number is taken for the restored list, and replaces the database with one rename.
RestoreResult restore_database(const std::string& db_path, const std::string& file, const std::string& actor);

// Lowercase hex SHA-256 of a file's bytes.
std::string file_sha256(const std::string& path);
// UTC time now as 20260120T081500Z, for file names.
std::string compact_utc_timestamp();

}  // namespace keepout::store
