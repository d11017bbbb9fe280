#pragma once
// A thin, typed layer over the SQLite C API with SpatiaLite loaded. Statements reset on reuse and
// every error carries the SQL that failed.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace keepout::store {

// Every failure of the database, by kind. The message names the SQL for the server's log; it is
// never shown to a client (the HTTP layer maps the type to a status and a fixed text).
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Another connection holds the write lock beyond the busy timeout (SQLITE_BUSY, SQLITE_LOCKED):
// worth trying again shortly.
struct Busy : StoreError {
    using StoreError::StoreError;
};
// The disk or the database's size limit is full (SQLITE_FULL, or a write failing with ENOSPC).
struct StorageFull : StoreError {
    using StoreError::StoreError;
};
// A constraint refused the write (SQLITE_CONSTRAINT: a duplicate unique key, a foreign key).
struct Conflict : StoreError {
    using StoreError::StoreError;
    bool unique = false;  // a UNIQUE or PRIMARY KEY constraint, rather than another kind
};

// Throws the StoreError subtype for an SQLite result code, with `what` and the SQL in the message.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& what, std::string_view sql);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    // Positional binds, 1-based as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::nullopt_t);
    Statement& bind_blob(int index, std::string_view bytes);
    template <class T>
    Statement& bind(int index, const std::optional<T>& v) {
        return v ? bind(index, *v) : bind(index, std::nullopt);
    }

    // Steps once: true while a row is available, false when done.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool is_null(int col) const;
    std::int64_t integer(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    // The column's bytes where SQLite holds them, without a copy: valid until the next step,
    // reset or read of the same column as another type.
    std::string_view text_view(int col) const;
    std::string_view blob_view(int col) const;
    std::optional<std::string> optional_text(int col) const;

    const std::string& sql() const { return sql_; }

private:
    [[noreturn]] void fail(std::string_view what) const;
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

class Database {
public:
    // Opens (creating when asked) a database file with SpatiaLite, WAL, foreign keys and a busy
    // timeout: how long a write waits for another connection's write lock before Busy.
    static constexpr int kDefaultBusyTimeoutMs = 10000;
    Database(const std::string& path, bool create, int busy_timeout_ms = kDefaultBusyTimeoutMs);
    // Opens a file for reading only: no pragma that writes, no journal mode change, so a file that
    // is only looked at (a backup, a database too new for this build) keeps its bytes.
    static std::unique_ptr<Database> open_read_only(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    // Single value of a one-row query, for counts and pragmas.
    std::int64_t scalar(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;
    const std::string& path() const { return path_; }
    sqlite3* handle() { return db_; }

private:
    struct ReadOnly {};
    Database(const std::string& path, ReadOnly);
    void open(int flags);
    sqlite3* db_ = nullptr;
    void* spatialite_cache_ = nullptr;
    std::string path_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back unless committed (an exception on the way out undoes all).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace keepout::store
