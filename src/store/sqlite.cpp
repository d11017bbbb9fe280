#include "store/sqlite.hpp"

// spatialite.h needs sqlite3.h first.
#include <sqlite3.h>
#include <spatialite.h>

#include <cerrno>

namespace keepout::store {

void throw_sqlite_error(sqlite3* db, int rc, const std::string& what, std::string_view sql) {
    const std::string message =
        what + " failed: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + " [SQL: " + std::string(sql) + "]";
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    switch (rc & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw Busy(message);
        case SQLITE_FULL:
            throw StorageFull(message);
        case SQLITE_IOERR:
            if (db && sqlite3_system_errno(db) == ENOSPC) throw StorageFull(message);
            break;
        case SQLITE_CONSTRAINT: {
            Conflict c(message);
            c.unique = extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY;
            throw c;
        }
        default:
            break;
    }
    throw StoreError(message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    if (const int rc = sqlite3_prepare_v2(db_, sql_.data(), int(sql_.size()), &stmt_, nullptr); rc != SQLITE_OK)
        throw_sqlite_error(db_, rc, "prepare", sql_);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), sql_(std::move(o.sql_)) {
    o.stmt_ = nullptr;
}

void Statement::fail(std::string_view what) const {
    throw_sqlite_error(db_, sqlite3_errcode(db_), std::string(what), sql_);
}

Statement& Statement::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) fail("bind");
    return *this;
}
Statement& Statement::bind(int i, double v) {
    if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) fail("bind");
    return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
    if (sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
        fail("bind");
    return *this;
}
Statement& Statement::bind(int i, std::nullopt_t) {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) fail("bind");
    return *this;
}
Statement& Statement::bind_blob(int i, std::string_view v) {
    if (sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT) != SQLITE_OK) fail("bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // The error is read before the reset, which would report it again under a generic code.
    try {
        throw_sqlite_error(db_, rc, "step", sql_);
    } catch (...) {
        sqlite3_reset(stmt_);
        throw;
    }
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
std::int64_t Statement::integer(int c) const { return sqlite3_column_int64(stmt_, c); }
double Statement::real(int c) const { return sqlite3_column_double(stmt_, c); }
std::string Statement::text(int c) const {
    auto* p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, c)))
             : std::string();
}
std::string Statement::blob(int c) const {
    auto* p = sqlite3_column_blob(stmt_, c);
    return p ? std::string(static_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, c)))
             : std::string();
}
std::string_view Statement::text_view(int c) const {
    auto* p = sqlite3_column_text(stmt_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, c)))
             : std::string_view();
}
std::string_view Statement::blob_view(int c) const {
    auto* p = sqlite3_column_blob(stmt_, c);
    return p ? std::string_view(static_cast<const char*>(p), std::size_t(sqlite3_column_bytes(stmt_, c)))
             : std::string_view();
}
std::optional<std::string> Statement::optional_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
}

Database::Database(const std::string& path, bool create, int busy_timeout_ms) : path_(path) {
    open(SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0));
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA cache_size = -65536");
    // Statement journals of big transactions stay in memory instead of thousands of small temp-file writes.
    exec("PRAGMA temp_store = MEMORY");
}

Database::Database(const std::string& path, ReadOnly) : path_(path) {
    open(SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db_, kDefaultBusyTimeoutMs);
}

std::unique_ptr<Database> Database::open_read_only(const std::string& path) {
    return std::unique_ptr<Database>(new Database(path, ReadOnly{}));
}

void Database::open(int flags) {
    if (sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("cannot open database " + path_ + ": " + message);
    }
    spatialite_cache_ = spatialite_alloc_connection();
    spatialite_init_ex(db_, spatialite_cache_, 0);
}

Database::~Database() {
    sqlite3_close_v2(db_);
    if (spatialite_cache_) spatialite_cleanup_ex(spatialite_cache_);
}

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        sqlite3_free(err);  // sqlite3_errmsg still holds the same message
        throw_sqlite_error(db_, rc, "SQL", s);
    }
}

std::int64_t Database::scalar(std::string_view sql) {
    Statement st = prepare(sql);
    if (!st.step()) throw StoreError("query returned no row [SQL: " + std::string(sql) + "]");
    return st.integer(0);
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}
void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace keepout::store
