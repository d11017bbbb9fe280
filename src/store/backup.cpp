#include "store/backup.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "store/audit.hpp"
#include "store/schema.hpp"

namespace keepout::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct RawConnection {
    sqlite3* db = nullptr;
    ~RawConnection() { sqlite3_close_v2(db); }
    void exec(const char* sql, const std::string& what) {
        if (const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr); rc != SQLITE_OK)
            throw_sqlite_error(db, rc, what, sql);
    }
};

// Removes a temporary database file and its journals unless released.
class TemporaryFile {
public:
    explicit TemporaryFile(std::string path) : path_(std::move(path)) { remove_all(); }
    ~TemporaryFile() {
        if (!released_) remove_all();
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::string& path() const { return path_; }
    void release() { released_ = true; }

private:
    void remove_all() {
        std::error_code ec;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path_ + suffix, ec);
    }
    std::string path_;
    bool released_ = false;
};

[[noreturn]] void throw_errno(const std::string& what) {
    const int e = errno;
    if (e == ENOSPC || e == EDQUOT) throw StorageFull(what + ": " + std::strerror(e));
    throw StoreError(what + ": " + std::strerror(e));
}

void sync_path(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0) throw_errno("cannot open " + path + " to sync it");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0 && !directory) throw_errno("cannot sync " + path);
}

std::string directory_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// Moves a finished, synced file to its name: without `overwrite`, an existing file stays and the
// move is refused, atomically.
void publish(const std::string& from, const std::string& to, bool overwrite) {
    if (overwrite) {
        if (::rename(from.c_str(), to.c_str()) != 0) throw_errno("cannot rename " + from + " to " + to);
    } else if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno == EEXIST) throw FileExists(to + " exists: give --force to replace it");
        if (errno != EINVAL && errno != ENOSYS) throw_errno("cannot rename " + from + " to " + to);
        // A file system without RENAME_NOREPLACE: a hard link refuses an existing name as well.
        if (::link(from.c_str(), to.c_str()) != 0) {
            if (errno == EEXIST) throw FileExists(to + " exists: give --force to replace it");
            throw_errno("cannot link " + from + " to " + to);
        }
        ::unlink(from.c_str());
    }
    sync_path(directory_of(to), true);
}

// `base`, or base-2, base-3… when that exists: kept copies never replace one another.
std::string unused_name(const std::string& stem, const std::string& extension) {
    std::string name = stem + extension;
    for (int i = 2; fs::exists(name); ++i) name = stem + "-" + std::to_string(i) + extension;
    return name;
}

// Copies `source` into a new file at `dest` (a rollback-journal database, synced by SQLite).
void copy_database(Database& source, const std::string& dest, int pages_per_step) {
    RawConnection out;
    if (sqlite3_open_v2(dest.c_str(), &out.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        throw StoreError("cannot create " + dest + ": " + (out.db ? sqlite3_errmsg(out.db) : "out of memory"));
    // One read transaction on the source for the whole copy. In WAL mode it blocks no writer; the
    // pages it reads all belong to the same moment, and the copy never restarts because another
    // connection wrote meanwhile (it would, without the transaction, at every step).
    sqlite3* src = source.handle();
    const bool own_transaction = sqlite3_get_autocommit(src) != 0;
    if (own_transaction) {
        source.exec("BEGIN");
        source.scalar("SELECT count(*) FROM sqlite_master");
    }
    struct EndRead {
        Database& db;
        bool active;
        ~EndRead() {
            if (!active) return;
            try {
                db.exec("COMMIT");
            } catch (...) {
            }
        }
    } end_read{source, own_transaction};

    sqlite3_backup* backup = sqlite3_backup_init(out.db, "main", src, "main");
    if (!backup) throw_sqlite_error(out.db, sqlite3_errcode(out.db), "backup of " + source.path(), dest);
    int rc = SQLITE_OK;
    int busy_rounds = 0;
    do {
        rc = sqlite3_backup_step(backup, pages_per_step);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++busy_rounds > 1000) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int finished = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw_sqlite_error(out.db, rc, "backup of " + source.path(), dest);
    if (finished != SQLITE_OK) throw_sqlite_error(out.db, finished, "backup of " + source.path(), dest);
    // The copied header says WAL like the source; a backup is one file that travels alone.
    out.exec("PRAGMA journal_mode = DELETE", "journal mode of " + dest);
}

std::int64_t meta_integer(Database& db, const char* key, std::int64_t fallback) {
    Statement st = db.prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?");
    st.bind(1, key);
    return st.step() ? st.integer(0) : fallback;
}

DatabaseSummary check_open_database(Database& db, const std::string& path, bool require_audit_chain) {
    DatabaseSummary s;
    s.path = path;
    s.schema_version = int(db.scalar("PRAGMA user_version"));
    if (s.schema_version == 0) throw InvalidDatabase(path + " is not a keepout database (schema version 0)");
    if (s.schema_version > latest_schema_version()) throw SchemaTooNew(path, s.schema_version, latest_schema_version());
    {
        std::vector<std::string> problems;
        Statement st = db.prepare("PRAGMA integrity_check(10)");
        while (st.step()) problems.push_back(st.text(0));
        if (problems != std::vector<std::string>{"ok"}) {
            std::string text;
            for (auto& p : problems) text += (text.empty() ? "" : "; ") + p;
            throw InvalidDatabase(path + " fails PRAGMA integrity_check: " + text);
        }
    }
    if (const auto broken = db.scalar("SELECT count(*) FROM pragma_foreign_key_check"); broken != 0)
        throw InvalidDatabase(path + " has " + std::to_string(broken) + " row(s) whose foreign key points nowhere");
    const AuditVerification audit = AuditLog(db).verify();
    if (!audit.ok) {
        const std::string problem =
            "the audit chain does not verify at row " + std::to_string(audit.first_bad_seq) + ": " + audit.problem;
        if (require_audit_chain) throw InvalidDatabase(path + ": " + problem);
        s.audit_problem = problem;
    }
    s.audit_rows = audit.rows;
    {
        Statement head = db.prepare("SELECT value FROM meta WHERE key = 'audit_head'");
        if (head.step()) s.audit_head = head.text(0);
    }
    s.list_version = meta_integer(db, "list_version", 0);
    if (const auto draft = meta_integer(db, "draft_revision", -1); draft >= 0) s.draft_revision = draft;
    s.venues = db.scalar("SELECT count(*) FROM venues");
    s.directives = db.scalar("SELECT count(*) FROM directives");
    s.listings = db.scalar("SELECT count(*) FROM listings");
    s.sites = db.scalar("SELECT count(*) FROM sites");
    s.sectors = db.scalar("SELECT count(*) FROM sectors");
    s.checked_at = utc_timestamp();
    return s;
}

std::optional<pid_t> lock_holder(const std::string& path, off_t start, off_t length) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = start;
    probe.l_len = length;
    const int rc = ::fcntl(fd, F_GETLK, &probe);
    ::close(fd);
    if (rc == 0 && probe.l_type != F_UNLCK) return probe.l_pid;
    return std::nullopt;
}

json summary_json(const DatabaseSummary& s) {
    json j{{"path", s.path},
           {"sha256", s.sha256},
           {"bytes", s.bytes},
           {"schema_version", s.schema_version},
           {"list_version", s.list_version},
           {"audit_head", s.audit_head},
           {"audit_rows", s.audit_rows}};
    if (s.draft_revision) j["draft_revision"] = *s.draft_revision;
    return j;
}

DatabaseSummary check_file(const std::string& path, bool require_audit_chain);

}  // namespace

std::string file_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StoreError("cannot read " + path);
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw StoreError("SHA-256 unavailable");
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), std::size_t(in.gcount()));
    }
    if (in.bad()) throw StoreError("cannot read " + path);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &n);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < n; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

std::string compact_utc_timestamp() {
    const std::string t = utc_timestamp();  // 2026-01-20T08:15:00.123Z
    std::string out;
    for (char c : t.substr(0, 19))
        if (c != '-' && c != ':') out.push_back(c);
    return out + "Z";
}

DatabaseSummary verify_database_file(const std::string& path) { return check_file(path, true); }

namespace {
DatabaseSummary check_file(const std::string& path, bool require_audit_chain) {
    if (!fs::is_regular_file(path)) throw InvalidDatabase(path + " is not a file");
    DatabaseSummary s;
    try {
        auto db = Database::open_read_only(path);
        s = check_open_database(*db, path, require_audit_chain);
    } catch (const SchemaTooNew&) {
        throw;
    } catch (const InvalidDatabase&) {
        throw;
    } catch (const Busy&) {
        throw;
    } catch (const StoreError& e) {
        // Not SQLite at all, a table keepout needs is missing, a page cannot be read.
        throw InvalidDatabase(path + " cannot be read as a keepout database: " + e.what());
    }
    s.bytes = fs::file_size(path);
    s.sha256 = file_sha256(path);
    return s;
}
}  // namespace

DatabaseSummary backup_database(Database& source, const std::string& file, const BackupOptions& o) {
    if (!o.overwrite && fs::exists(file)) throw FileExists(file + " exists: give --force to replace it");
    TemporaryFile partial(file + ".partial-" + std::to_string(::getpid()));
    copy_database(source, partial.path(), std::max(1, o.pages_per_step));
    DatabaseSummary s = check_file(partial.path(), o.require_audit_chain);
    sync_path(partial.path(), false);
    publish(partial.path(), file, o.overwrite);
    partial.release();
    s.path = file;
    return s;
}

DatabaseSummary backup_database(const std::string& db_path, const std::string& file, const BackupOptions& o) {
    if (!fs::is_regular_file(db_path)) throw StoreError("database " + db_path + " does not exist");
    if (const int v = read_schema_version(db_path); v > latest_schema_version())
        throw SchemaTooNew(db_path, v, latest_schema_version());
    Database source(db_path, false);
    return backup_database(source, file, o);
}

std::optional<pid_t> database_holder(const std::string& db_path) {
    // The WAL index's DMS byte (walformat.html: byte 128 of the -shm file) is read-locked by every
    // connection that has the database open in WAL mode, for as long as it stays open.
    if (auto pid = lock_holder(db_path + "-shm", 128, 1)) return pid;
    // A connection inside a transaction (any journal mode) holds a lock in the database file's lock
    // bytes: the pending byte at 1 GiB, the reserved byte and the 510 shared bytes after it.
    return lock_holder(db_path, 0x40000000, 512);
}

RestoreResult restore_database(const std::string& db_path, const std::string& file, const std::string& actor) {
    if (auto pid = database_holder(db_path)) {
        DatabaseInUse e("database " + db_path + " is open in process " + std::to_string(*pid) +
                        " (a running keepout serve?): stop it before restoring; nothing was changed");
        e.holder = *pid;
        throw e;
    }
    RestoreResult r;
    r.file = verify_database_file(file);  // before anything is touched
    std::error_code ec;
    const bool replacing = fs::exists(db_path);
    if (replacing && fs::equivalent(db_path, file, ec))
        throw StoreError(file + " is the database itself; restore a copy of it instead");

    std::int64_t list_floor = r.file.list_version, draft_floor = r.file.draft_revision.value_or(0);
    if (replacing) {
        const std::string copy = unused_name(db_path + ".before-restore." + compact_utc_timestamp(), ".sqlite");
        Database current(db_path, false);
        try {
            BackupOptions faithful;
            faithful.require_audit_chain = false;
            r.previous = backup_database(current, copy, faithful);
            r.previous_problem = r.previous->audit_problem;
        } catch (const InvalidDatabase& e) {
            // A damaged database is the one most worth replacing: its copy is kept as it is.
            r.previous_problem = e.what();
        } catch (const SchemaTooNew& e) {
            r.previous_problem = e.what();
        }
        if (!r.previous) {
            // Not even a readable keepout database: its bytes as they are.
            TemporaryFile partial(copy + ".partial-" + std::to_string(::getpid()));
            copy_database(current, partial.path(), 1024);
            sync_path(partial.path(), false);
            publish(partial.path(), copy, false);
            partial.release();
            DatabaseSummary kept;
            kept.path = copy;
            kept.bytes = fs::file_size(copy);
            kept.sha256 = file_sha256(copy);
            r.previous = kept;
        } else {
            list_floor = std::max(list_floor, r.previous->list_version);
            draft_floor = std::max(draft_floor, r.previous->draft_revision.value_or(0));
        }
        // Frames left in the WAL of the file being replaced would be read into the restored one.
        current.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    if (replacing && fs::exists(db_path + "-wal") && fs::file_size(db_path + "-wal") > 0)
        throw DatabaseInUse("the write-ahead log of " + db_path +
                            " could not be emptied (another process is writing?); nothing was changed");

    TemporaryFile staged(db_path + ".restoring-" + std::to_string(::getpid()));
    {
        auto source = Database::open_read_only(file);
        copy_database(*source, staged.path(), 1024);
    }
    {
        Database db(staged.path(), false);
        Transaction tx(db);
        Statement set = db.prepare("UPDATE meta SET value = ? WHERE key = ?");
        set.bind(1, std::to_string(list_floor + 1)).bind(2, "list_version").run();
        if (r.file.draft_revision) set.bind(1, std::to_string(draft_floor + 1)).bind(2, "draft_revision").run();
        json after = summary_json(r.file);
        after["path"] = fs::absolute(file).string();
        after["list_version_now"] = list_floor + 1;
        std::optional<std::string> before;
        if (r.previous) {
            json prev = summary_json(*r.previous);
            if (!r.previous_problem.empty()) prev["problem"] = r.previous_problem;
            before = json{{"database", fs::absolute(db_path).string()}, {"kept_as", prev}}.dump();
        }
        AuditLog(db).append({actor, "database.restore", "database", fs::path(file).filename().string(), before,
                             after.dump()});
        tx.commit();
        db.exec("PRAGMA journal_mode = DELETE");
    }
    r.restored = verify_database_file(staged.path());
    sync_path(staged.path(), false);
    publish(staged.path(), db_path, true);
    staged.release();
    r.restored.path = db_path;
    return r;
}

}  // namespace keepout::store
