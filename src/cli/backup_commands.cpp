// keepout backup and keepout restore: consistent copies of the database while it is served, and
// putting one back.
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "store/audit.hpp"
#include "store/backup.hpp"
#include "store/schema.hpp"

namespace keepout::cli {

namespace {

using nlohmann::json;

struct BackupArgs {
    std::string file;
    bool force = false;
};

json summary_json(const store::DatabaseSummary& s) {
    json j{{"file", s.path},
           {"schema_version", s.schema_version},
           {"list_version", s.list_version},
           {"draft_revision", s.draft_revision ? json(*s.draft_revision) : json(nullptr)},
           {"venues", s.venues},
           {"directives", s.directives},
           {"listings", s.listings},
           {"sites", s.sites},
           {"sectors", s.sectors},
           {"audit_rows", s.audit_rows},
           {"audit_head", s.audit_head},
           {"sha256", s.sha256},
           {"bytes", s.bytes},
           {"checked_at", s.checked_at},
           {"checks", {{"integrity_check", "ok"}, {"foreign_keys", "ok"}, {"audit_chain", "ok"}}}};
    return j;
}

void print_summary(std::ostream& out, const store::DatabaseSummary& s) {
    std::vector<std::vector<std::string>> rows{
        {"schema version", std::to_string(s.schema_version)},
        {"list version", std::to_string(s.list_version)},
        {"draft revision", s.draft_revision ? std::to_string(*s.draft_revision) : "-"},
        {"venues", std::to_string(s.venues)},
        {"directives", std::to_string(s.directives)},
        {"listings", std::to_string(s.listings)},
        {"sites", std::to_string(s.sites)},
        {"sectors", std::to_string(s.sectors)},
        {"audit rows", std::to_string(s.audit_rows)},
        {"audit head", s.audit_head.empty() ? "-" : s.audit_head},
        {"sha256", s.sha256},
        {"bytes", std::to_string(s.bytes)},
        {"checked at", s.checked_at},
    };
    for (auto& row : rows) out << "  " << row[0] << std::string(16 - row[0].size(), ' ') << row[1] << '\n';
}

// The exit codes of sysexits.h, so a backup script can tell a busy server from a bad file.
int report_failure(const std::exception& e, int code) {
    std::cerr << "keepout: " << e.what() << '\n';
    return code;
}

int run_guarded(const std::function<int()>& body) {
    try {
        return body();
    } catch (const store::FileExists& e) {
        return report_failure(e, 73);  // EX_CANTCREAT
    } catch (const store::InvalidDatabase& e) {
        return report_failure(e, 65);  // EX_DATAERR
    } catch (const store::SchemaTooNew& e) {
        return report_failure(e, 65);
    } catch (const store::DatabaseInUse& e) {
        return report_failure(e, 75);  // EX_TEMPFAIL
    }
}

int cmd_backup(const Global& g, const BackupArgs& a) {
    return run_guarded([&] {
        const std::string started = store::utc_timestamp();
        store::BackupOptions o;
        o.overwrite = a.force;
        const store::DatabaseSummary s = store::backup_database(g.db, a.file, o);
        if (g.format == "json") {
            json j = summary_json(s);
            j["database"] = g.db;
            j["taken_at"] = started;
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        std::cout << "backup of " << g.db << " as of " << started << " written to " << a.file
                  << "\nchecks: integrity_check ok, foreign keys ok, audit chain ok (" << s.audit_rows << " rows)\n";
        print_summary(std::cout, s);
        return 0;
    });
}

int cmd_restore(const Global& g, const BackupArgs& a) {
    return run_guarded([&] {
        const store::RestoreResult r = store::restore_database(g.db, a.file, g.actor);
        if (!r.previous_problem.empty())
            std::cerr << "keepout: the database that was replaced does not pass its checks (" << r.previous_problem
                      << "); it is kept as it was in " << r.previous->path << '\n';
        if (g.format == "json") {
            json j{{"database", g.db}, {"file", summary_json(r.file)}, {"restored", summary_json(r.restored)}};
            j["previous"] = r.previous ? json{{"file", r.previous->path},
                                              {"sha256", r.previous->sha256},
                                              {"problem", r.previous_problem.empty() ? json(nullptr)
                                                                                     : json(r.previous_problem)}}
                                       : json(nullptr);
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        std::cout << "restored " << g.db << " from " << a.file << " (sha256 " << r.file.sha256 << ")\n";
        if (r.previous) std::cout << "the database it replaced is kept in " << r.previous->path << '\n';
        std::cout << "recorded as database.restore by " << g.actor << " in the audit log; list version "
                  << r.restored.list_version << "\n";
        print_summary(std::cout, r.restored);
        return 0;
    });
}

}  // namespace

void add_backup_commands(CLI::App& app, Global& g, int& rc) {
    static BackupArgs a;
    const std::vector<std::string> formats{"table", "json"};
    auto* backup = app.add_subcommand(
        "backup", "copy the database to FILE while it may be served, check the copy and say what it holds");
    backup->add_option("FILE", a.file, "the copy to write (refused when it exists, unless --force)")->required();
    backup->add_flag("--force", a.force, "replace FILE when it exists");
    backup->add_option("--format", g.format, "output format: table or json")->check(CLI::IsMember(formats));
    backup->callback([&] { rc = cmd_backup(g, a); });

    auto* restore = app.add_subcommand(
        "restore",
        "replace the database (--db) with a backup FILE after checking it; keeps a copy of the current one and "
        "records the restore in the audit log. Stop the server first: a database open in another process is "
        "refused");
    restore->add_option("FILE", a.file, "a file written by keepout backup")->required()->check(CLI::ExistingFile);
    restore->add_option("--format", g.format, "output format: table or json")->check(CLI::IsMember(formats));
    restore->callback([&] { rc = cmd_restore(g, a); });
}

}  // namespace keepout::cli
