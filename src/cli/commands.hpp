#pragma once
// The subcommands of `keepout`, each a function of its parsed options. CLI11 stays in main.cpp.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace keepout::cli {

struct Global {
    std::string db;      // --db, else $KEEPOUT_DB, else ./keepout.sqlite
    std::string actor;   // --actor, else $KEEPOUT_ACTOR, else the login name
    std::string format = "table";
};

// An error in what the user asked: printed without a stack of context, exit code 1.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int cmd_init(const Global&);

struct ImportArgs {
    std::string what;  // venues | sites | sectors | directives
    std::string file;
    std::string layer;
    std::string directive;
    std::vector<std::string> reasons;
    bool skip_invalid = false;
    bool repair = false;
    std::string assume_crs;
    std::string report;  // --report FILE: every row's outcome as CSV
    bool duplicate_ok = false;  // venues: confirm rows like a venue within 25 m
};
int cmd_import(const Global&, const ImportArgs&);

struct DirectiveArgs {
    std::string ref;
    std::string title, authority = "Head of Mission", signed_on, effective_on, review_on, date, by;
    bool emergency = false;
    std::vector<std::string> venues;
    std::vector<std::string> reasons;
    std::string from, until;
    bool emergency_override = false;  // issue: set four eyes aside for an emergency directive
    std::string override_reason;
};
int cmd_directive_create(const Global&, const DirectiveArgs&);
int cmd_directive_listing(const Global&, const DirectiveArgs&, bool place);
int cmd_directive_submit(const Global&, const DirectiveArgs&);
int cmd_directive_withdraw(const Global&, const DirectiveArgs&);
int cmd_directive_issue(const Global&, const DirectiveArgs&);
int cmd_directive_revoke(const Global&, const DirectiveArgs&);
int cmd_directive_supersede(const Global&, const DirectiveArgs&);
int cmd_directive_show(const Global&, const DirectiveArgs&);
int cmd_directive_list(const Global&);

int cmd_list(const Global&, const std::string& as_of);
int cmd_history(const Global&, const std::string& venue, const std::string& as_of);

struct ExportArgs {
    std::string file, format, what = "list", as_of;
    double radius = 75.0;       // kmz, tak
    std::vector<double> rings;  // kmz, tak
};
int cmd_export(const Global&, const ExportArgs&);

struct CheckArgs {
    std::string at, name, as_of;
    double radius = 75.0;
};
int cmd_check(const Global&, const CheckArgs&);

struct ProximityArgs {
    std::vector<double> radii;
    std::string site, as_of;
    int threads = 2;
};
int cmd_proximity(const Global&, const ProximityArgs&);

int cmd_token_create(const Global&, const std::string& role, const std::string& name, const std::string& expires);
int cmd_token_list(const Global&);
int cmd_token_revoke(const Global&, long long id);
int cmd_token_failures(const Global&, int limit);

// Command groups that register themselves (each in its own file).
void add_serve_commands(CLI::App& app, Global& g, int& rc);
void add_mission_commands(CLI::App& app, Global& g, int& rc);
void add_render_commands(CLI::App& app, Global& g, int& rc);
void add_patrol_commands(CLI::App& app, Global& g, int& rc);
void add_backup_commands(CLI::App& app, Global& g, int& rc);
void add_publish_commands(CLI::App& app, Global& g, int& rc);
void add_review_commands(CLI::App& app, Global& g, int& rc);
void add_webhook_commands(CLI::App& app, Global& g, int& rc);

int cmd_audit_verify(const Global&);
// The chain verified and still holding what publication FILE recorded (publish_commands.cpp).
int cmd_audit_verify_against(const Global&, const std::string& file);
int cmd_audit_log(const Global&, int limit);

}  // namespace keepout::cli
