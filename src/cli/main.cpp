// The command tree of keepout (cli::CommandLine): every command, its options and their help.
// main() is in keepout.cpp.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <pwd.h>
#include <unistd.h>

#include "about/version.hpp"
#include "cli/args.hpp"
#include "cli/command_line.hpp"
#include "cli/resources.hpp"
#include "cli/commands.hpp"
#include "cli/usage.hpp"
#include "geo/coordinates.hpp"
#include "model/rules.hpp"
#include "store/sqlite.hpp"

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

// "trafficking, prostitution, …": the reason codes an action takes, for the help of --reason.
std::string reason_list(keepout::model::Action a) {
    std::string out;
    for (auto code : keepout::model::reason_codes_for(a)) out += (out.empty() ? "" : ", ") + std::string(code);
    return out;
}

std::string login_name() {
    if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
    return "unknown";
}

}  // namespace

namespace keepout::cli {

CommandLine::CommandLine() : app{"keepout: the mission's Off-Limits locations, their directives and history"} {
    app.require_subcommand(1);
    app.set_version_flag("--version", "keepout " + std::string(keepout::about::full_version()));
    g.db = env_or("KEEPOUT_DB", "keepout.sqlite");
    g.actor = env_or("KEEPOUT_ACTOR", login_name());
    app.add_option("--db", g.db, "database file (default $KEEPOUT_DB, else ./keepout.sqlite)");
    app.add_option("--actor", g.actor, "name recorded in the audit log (default $KEEPOUT_ACTOR, else login)");
    const std::vector<std::string> list_formats{"table", "json", "geojson", "csv"};
    const std::vector<std::string> text_formats{"table", "json"};

    auto* init = app.add_subcommand("init", "create or migrate the database (idempotent)");
    init->callback([&] { rc = cmd_init(g); });

    auto* imp = app.add_subcommand("import", "import venues, sites, sectors or directives");
    imp->require_subcommand(1);
    for (const char* what : {"venues", "sites", "sectors", "directives"}) {
        auto* sub = imp->add_subcommand(what, std::string("import ") + what + " from a file");
        sub->add_option("FILE", ia.file, "any OGR-readable file (directives: directives.json)")->required();
        if (std::string(what) != "directives") {
            sub->add_option("--layer", ia.layer, "layer to read (default: the first)");
            sub->add_flag("--skip-invalid", ia.skip_invalid, "write the good rows and report the bad ones");
            sub->add_flag("--repair", ia.repair, "repair invalid polygons with GEOS instead of rejecting them");
            sub->add_option("--report", ia.report, "write every row's outcome to this CSV file (row, external_id, "
                                                   "name, outcome, problem, field, message)");
            sub->add_option("--assume-crs", ia.assume_crs,
                            "CRS of a file that declares none, e.g. EPSG:4326 (a shapefile without .prj); "
                            "without it such a file is refused. GeoJSON is lon/lat (RFC 7946), CSV lat/lon "
                            "columns are WGS 84; a CRS that PROJ cannot read is always refused");
        }
        if (std::string(what) == "venues") {
            sub->add_option("--directive", ia.directive, "place every imported venue on this draft directive");
            sub->add_option("--reason", ia.reasons, "reason code(s) for --directive (repeat for several): " +
                                                        reason_list(model::Action::place));
            sub->add_flag("--duplicate-ok", ia.duplicate_ok,
                          "write rows within 25 m of a venue with a similar name (refused otherwise, as "
                          "the same venue entered twice)");
        }
        sub->add_option("--format", g.format, "what is printed: table (a summary) or json")
            ->check(CLI::IsMember(text_formats));
        sub->callback([&, what] {
            ia.what = what;
            rc = cmd_import(g, ia);
        });
    }

    auto* dir = app.add_subcommand("directive", "draft, amend, issue and revoke directives");
    dir->require_subcommand(1);
    auto* create = dir->add_subcommand("create", "create a draft directive");
    create->add_option("REF", da.ref, "reference, e.g. HOM/OL/2026/014")->required();
    create->add_option("--title", da.title, "the title, as on the signed directive")->required();
    create->add_option("--signed", da.signed_on, "signed date YYYY-MM-DD")->required();
    create->add_option("--effective", da.effective_on, "effective date YYYY-MM-DD")->required();
    create->add_option("--authority", da.authority, "default: Head of Mission");
    create->add_flag("--emergency", da.emergency, "emergency declaration (needs --review)");
    create->add_option("--review", da.review_on, "review date of an emergency declaration");
    create->callback([&] { rc = cmd_directive_create(g, da); });
    for (bool place : {true, false}) {
        auto* sub = dir->add_subcommand(place ? "place" : "lift",
                                        place ? "place venues off-limits in a draft" : "lift venues in a draft");
        sub->add_option("REF", da.ref, "the draft directive's reference")->required();
        sub->add_option("VENUE", da.venues, "id, external_id or exact name (quoted), one or more")->required();
        sub->add_option("--reason", da.reasons,
                        "reason code (repeat for several): " + reason_list(place ? model::Action::place : model::Action::lift))
            ->required();
        sub->add_option("--from", da.from, "effective from (default: the directive's date)");
        if (place) sub->add_option("--until", da.until, "last day in force (inclusive)");
        sub->callback([&, place] { rc = cmd_directive_listing(g, da, place); });
    }
    auto* submit = dir->add_subcommand("submit", "submit a draft for approval (it is locked until withdrawn)");
    submit->add_option("REF", da.ref, "the draft directive's reference")->required();
    submit->callback([&] { rc = cmd_directive_submit(g, da); });
    auto* withdraw = dir->add_subcommand("withdraw", "withdraw a submission: it is a draft again");
    withdraw->add_option("REF", da.ref, "the submitted directive's reference")->required();
    withdraw->callback([&] { rc = cmd_directive_withdraw(g, da); });
    auto* issue = dir->add_subcommand(
        "issue", "issue a submitted directive (not by its drafter nor anyone who added a listing: --actor)");
    issue->add_option("REF", da.ref, "the submitted directive's reference")->required();
    issue->add_flag("--emergency-override", da.emergency_override,
                    "emergency directive only: issue despite four eyes (audited; needs --reason)");
    issue->add_option("--reason", da.override_reason, "why the four-eyes rule is set aside");
    issue->callback([&] { rc = cmd_directive_issue(g, da); });
    auto* revoke = dir->add_subcommand("revoke", "revoke an issued directive from a date");
    revoke->add_option("REF", da.ref, "the issued directive's reference")->required();
    revoke->add_option("--date", da.date, "revocation date YYYY-MM-DD")->required();
    revoke->callback([&] { rc = cmd_directive_revoke(g, da); });
    auto* supersede = dir->add_subcommand("supersede", "mark an issued directive superseded by another");
    supersede->add_option("REF", da.ref, "the issued directive that is replaced")->required();
    supersede->add_option("--by", da.by, "the issued directive that replaces it")->required();
    supersede->callback([&] { rc = cmd_directive_supersede(g, da); });
    auto* show = dir->add_subcommand("show", "a directive and its listings");
    show->add_option("REF", da.ref, "the directive's reference")->required();
    show->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    show->callback([&] { rc = cmd_directive_show(g, da); });
    auto* dlist = dir->add_subcommand("list", "all directives");
    dlist->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    dlist->callback([&] { rc = cmd_directive_list(g); });

    auto* list = app.add_subcommand("list", "the Off-Limits list as of a date (default today)");
    list->add_option("--as-of", as_of, "date YYYY-MM-DD");
    list->add_option("--format", g.format, "output: table, json, geojson or csv")->check(CLI::IsMember(list_formats));
    list->callback([&] { rc = cmd_list(g, as_of); });

    auto* history = app.add_subcommand("history", "every listing of a venue, with its directives");
    history->add_option("VENUE", venue_words,
                        "id, external_id or name, no quotes needed (Plavi Kesten); part of a name does when one "
                        "venue fits")
        ->required();
    history->add_option("--as-of", as_of, "date the 'in force' column refers to (default today)");
    history->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    history->callback([&] { rc = cmd_history(g, join_words(venue_words), as_of); });

    auto* check = app.add_subcommand("check", "is it off-limits? by position (--at) or by name (--name)");
    check->add_option("--at", ca.at, "lat,lon decimal or DMS, UTM (zone and band or hemisphere, easting, northing) or MGRS");
    check->add_option("--name", name_words, "venue name in any script, typos tolerated, no quotes needed");
    check->add_option("--radius", ca.radius, "metres around the position (default 75)");
    check->add_option("--as-of", ca.as_of, "date YYYY-MM-DD (default today)");
    check->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    check->callback([&] {
        ca.name = join_words(name_words);
        rc = cmd_check(g, ca);
    });

    auto* prox = app.add_subcommand("proximity", "listed venues near deployment sites, rings and exposure");
    prox->add_option("--radius", pa.radii, "ring radius in metres, repeatable (default 500 1000 2000 5000)");
    prox->add_option("--site", pa.site, "only this site (exact name)");
    prox->add_option("--as-of", pa.as_of, "date YYYY-MM-DD (default today)");
    prox->add_option("--threads", pa.threads, "worker threads (default 2)")->check(CLI::Range(1, 64));
    prox->add_option("--format", g.format, "output: table, json, geojson or csv")->check(CLI::IsMember(list_formats));
    prox->callback([&] { rc = cmd_proximity(g, pa); });

    auto* exp = app.add_subcommand("export", "write the list, venues, sites or sectors through GDAL");
    exp->add_option("FILE", ea.file, ".geojson, .gpkg, .shp, .csv, .kml or .kmz")->required();
    exp->add_option("--format", ea.format,
                    "GDAL format (default: from the extension), or kmz (styled KMZ for GPS units) or tak (TAK data "
                    "package with geofences)");
    exp->add_option("--radius", ea.radius, "kmz, tak: check radius drawn around point venues, metres (default 75; 0: none)")
        ->check(CLI::Range(0.0, 100000.0));
    exp->add_option("--ring", ea.rings, "kmz, tak: a ring around each deployment site, metres, repeatable")
        ->check(CLI::Range(1.0, 100000.0));
    exp->add_option("--what", ea.what, "list (default), venues, sites or sectors")
        ->check(CLI::IsMember({"list", "venues", "sites", "sectors"}));
    exp->add_option("--as-of", ea.as_of, "date of the list (default today)");
    exp->callback([&] { rc = cmd_export(g, ea); });

    auto* token = app.add_subcommand("token", "API tokens for writes over HTTP");
    token->require_subcommand(1);
    auto* tcreate = token->add_subcommand("create", "create a token, printed once");
    tcreate->add_option("--role", role, "reader, editor or approver")->required();
    tcreate->add_option("--name", token_name, "the person who holds it (four eyes counts persons, not tokens)")
        ->required();
    tcreate->add_option("--expires", expires, "last day the token works, YYYY-MM-DD (default: no end)");
    tcreate->callback([&] { rc = cmd_token_create(g, role, token_name, expires); });
    auto* tlist = token->add_subcommand("list", "every token: id, holder, role, dates (never the secret)");
    tlist->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    tlist->callback([&] { rc = cmd_token_list(g); });
    auto* trevoke = token->add_subcommand("revoke", "revoke a token; a running server refuses it at once");
    trevoke->add_option("ID", token_id, "the token's id (token list)")->required()->check(CLI::PositiveNumber);
    trevoke->callback([&] { rc = cmd_token_revoke(g, token_id); });
    auto* tfail = token->add_subcommand("failures", "the latest failed authentications over HTTP");
    tfail->add_option("--limit", failures_limit, "how many, the latest first (default 50)")->check(CLI::Range(1, 100000));
    tfail->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    tfail->callback([&] { rc = cmd_token_failures(g, failures_limit); });

    auto* audit = app.add_subcommand("audit", "the append-only audit log");
    audit->require_subcommand(1);
    auto* averify = audit->add_subcommand("verify", "check the audit log's hash chain");
    averify->add_option("--against", against,
                        "a publication-N.json: prove the chain still holds the head it recorded and the "
                        "publication itself (a chain rewritten since fails)");
    averify->callback([&] { rc = against.empty() ? cmd_audit_verify(g) : cmd_audit_verify_against(g, against); });
    auto* alog = audit->add_subcommand("log", "the latest audit rows");
    alog->add_option("--limit", limit, "how many rows, the latest first (default 20)")->check(CLI::Range(1, 1000000));
    alog->add_option("--format", g.format, "output: table or json")->check(CLI::IsMember(text_formats));
    alog->callback([&] { rc = cmd_audit_log(g, limit); });

    add_mission_commands(app, g, rc);
    add_serve_commands(app, g, rc);
    add_patrol_commands(app, g, rc);
    add_render_commands(app, g, rc);
    add_backup_commands(app, g, rc);
    add_publish_commands(app, g, rc);
    add_review_commands(app, g, rc);
    add_webhook_commands(app, g, rc);
}

int CommandLine::run(int argc, const char* const* argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // Nothing has run: CLI11 runs the commands only once the whole line is taken.
        if (auto why = unknown_argument_message(app, dynamic_cast<const CLI::RequiredError*>(&e) != nullptr)) {
            std::cerr << "keepout: " << *why << '\n';
            return 2;
        }
        return app.exit(e) == 0 ? 0 : 2;  // a command line it cannot take, as other programs say it
    } catch (const keepout::geo::CoordinateError& e) {
        // What keepout reads instead, around the mission's own area once its database was read.
        std::cerr << "keepout: " << e.what() << "\nkeepout reads positions such as:";
        for (const auto& example : keepout::geo::position_examples()) std::cerr << "\n  " << example;
        std::cerr << '\n';
        return 1;
    } catch (const keepout::store::Busy&) {
        std::cerr << "keepout: the database is busy: another process is writing to it; nothing was written, try "
                     "again\n";
        return 75;  // EX_TEMPFAIL
    } catch (const keepout::store::StorageFull&) {
        std::cerr << "keepout: the disk (or the database's size limit) is full; nothing was written\n";
        return 74;  // EX_IOERR
    } catch (const std::exception& e) {
        std::cerr << "keepout: " << e.what() << '\n';
        return 1;
    }
    return rc;
}

}  // namespace keepout::cli
