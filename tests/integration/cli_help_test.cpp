// A command line that helps: mistakes answered with what was meant, help for every option, dates
// and reasons said plainly, venues found as people name them, imports summarised.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "integration/run.hpp"
#include "with_data_dir.hpp"

using namespace keepout::test;
using nlohmann::json;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One sample database for the tests that only read it (or change it in ways they undo).
struct Sample {
    TempDir tmp;
    std::string db = tmp.file("k.sqlite");
    Sample() { load_sample(db); }
};
Sample& sample_db() {
    static Sample s;
    return s;
}

std::int64_t audit_rows(const std::string& db) {
    auto r = run_keepout(db, {"audit", "verify"});
    REQUIRE(r.exit_code == 0);
    // "audit log intact: N rows, …"
    const auto at = r.out.find(": ") + 2;
    return std::stoll(r.out.substr(at, r.out.find(' ', at) - at));
}

std::int64_t list_version(const std::string& db) {
    return run_keepout(db, {"list", "--format", "json"}).json()["list_version"].get<std::int64_t>();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The entries of one section ("Options:", "Positionals:", "Subcommands:") of CLI11's help, each with
// whether it has a description: CLI11 starts descriptions at column 30, on the next line when the
// name is longer.
struct HelpEntry {
    std::string name;
    bool described = false;
};
std::vector<HelpEntry> help_section(const std::string& help, const std::string& title) {
    const auto lines = lines_of(help);
    std::vector<HelpEntry> out;
    bool in = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        if (!l.empty() && l[0] != ' ') {
            in = l == title;
            continue;
        }
        if (!in || l.size() < 3 || l[0] != ' ' || l[1] != ' ' || l[2] == ' ') continue;
        HelpEntry e;
        e.name = l.substr(2, l.find(' ', 2) - 2);
        const bool inline_text = l.size() > 30 && l.find_first_not_of(' ', 30) != std::string::npos &&
                                 l.substr(0, 30).find_last_not_of(' ') < 29;
        const bool next_line = i + 1 < lines.size() && lines[i + 1].size() > 30 &&
                               lines[i + 1].find_first_not_of(' ') == 30;
        e.described = inline_text || next_line;
        out.push_back(e);
    }
    return out;
}

}  // namespace

TEST_CASE("a mistyped command or option: did you mean, exit code 2, nothing done", "[cli][usage]") {
    TempDir tmp;
    SECTION("a command that does not exist creates no database") {
        const auto db = tmp.file("never.sqlite");
        auto r = run_keepout(db, {"lsit"});
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "unknown command \"lsit\"; did you mean \"list\"?"));
        CHECK(r.out.empty());
        CHECK_FALSE(std::filesystem::exists(db));
        auto init = run_keepout(db, {"int"});
        CHECK(init.exit_code == 2);
        CHECK(has(init.err, "did you mean \"init\"?"));
        CHECK_FALSE(std::filesystem::exists(db));
    }
    auto& s = sample_db();
    const auto rows = audit_rows(s.db);
    const auto version = list_version(s.db);
    SECTION("at the second level, with its arguments: the directive is not issued") {
        auto r = run_keepout(s.db, {"directive", "isue", "HOM/OL/2026/001"}, "approver");
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "unknown command \"directive isue\"; did you mean \"directive issue\"?"));
    }
    SECTION("options at every level") {
        auto list = run_keepout(s.db, {"list", "--fromat", "json"});
        CHECK(list.exit_code == 2);
        CHECK(has(list.err, "unknown option \"--fromat\" for keepout list; did you mean \"--format\"?"));
        CHECK(list.out.empty());
        auto create = run_keepout(s.db, {"directive", "create", "HOM/T/1", "--tilte", "T", "--signed", "2026-01-01",
                                         "--effective", "2026-01-01"});
        CHECK(create.exit_code == 2);
        CHECK(has(create.err, "did you mean \"--title\"?"));
        CHECK(run_keepout(s.db, {"directive", "show", "HOM/T/1"}).exit_code != 0);  // not drafted
        auto imp = run_keepout(s.db, {"import", "venues", with_data_dir("import/venues_bad.geojson"), "--skip-invaild"});
        CHECK(imp.exit_code == 2);
        CHECK(has(imp.err, "did you mean \"--skip-invalid\"?"));
        auto global = run_keepout(s.db, {"--acter", "x", "list"});
        CHECK(global.exit_code == 2);
        CHECK(has(global.err, "did you mean \"--actor\"?"));
    }
    SECTION("a command group without its command says which there are") {
        auto r = run_keepout(s.db, {"token"});
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "keepout: token needs a command: create, list, revoke, failures"));
    }
    SECTION("other command lines it cannot take are usage errors too") {
        auto r = run_keepout(s.db, {"list", "--format", "xml"});
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "--format"));
    }
    CHECK(audit_rows(s.db) == rows);
    CHECK(list_version(s.db) == version);
}

TEST_CASE("every command's --help prints help with a description for every option", "[cli][help]") {
    std::vector<std::vector<std::string>> todo{{}};
    std::set<std::string> seen;
    std::size_t options = 0;
    while (!todo.empty()) {
        auto path = todo.back();
        todo.pop_back();
        std::vector<std::string> argv{KEEPOUT_BINARY};
        argv.insert(argv.end(), path.begin(), path.end());
        argv.push_back("--help");
        auto r = run_program(argv);
        std::string name = "keepout";
        for (auto& p : path) name += " " + p;
        CAPTURE(name);
        INFO(r.out);
        CHECK(r.exit_code == 0);
        CHECK(has(r.out, "Usage: "));
        for (const char* section : {"Options:", "Positionals:"})
            for (auto& e : help_section(r.out, section)) {
                CAPTURE(e.name);
                CHECK(e.described);
                ++options;
            }
        for (auto& e : help_section(r.out, "Subcommands:")) {
            CAPTURE(e.name);
            CHECK(e.described);
            auto sub = path;
            sub.push_back(e.name);
            if (seen.insert(name + " " + e.name).second) todo.push_back(sub);
        }
    }
    // The walk reached the commands (the parsing of the help found them).
    CHECK(seen.count("keepout directive place") == 1);
    CHECK(seen.count("keepout import venues") == 1);
    CHECK(seen.count("keepout token failures") == 1);
    CHECK(seen.size() > 25);
    CHECK(options > 100);
    // The options of issue 16 that had none.
    auto show = run_program({KEEPOUT_BINARY, "directive", "show", "--help"});
    CHECK(has(show.out, "the directive's reference"));
    CHECK(has(run_program({KEEPOUT_BINARY, "token", "failures", "--help"}).out, "the latest first"));
    CHECK(has(run_program({KEEPOUT_BINARY, "directive", "create", "--help"}).out, "the title, as on the signed"));
}

TEST_CASE("a date that is not one says what is wrong with it", "[cli][dates]") {
    auto& s = sample_db();
    auto err_of = [&](const std::vector<std::string>& args) {
        auto r = run_keepout(s.db, args);
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        return r.err;
    };
    CHECK(has(err_of({"list", "--as-of", "2026-02-30"}), "--as-of 2026-02-30 is not a date: February 2026 has 28 days"));
    CHECK(has(err_of({"list", "--as-of", "2028-02-30"}), "February 2028 has 29 days"));
    CHECK(has(err_of({"list", "--as-of", "2026-04-31"}), "April 2026 has 30 days"));
    CHECK(has(err_of({"list", "--as-of", "2026-13-01"}), "2026-13-01 is not a date: there is no month 13 (months are 01 to 12)"));
    CHECK(has(err_of({"list", "--as-of", "2026-00-10"}), "there is no month 00"));
    CHECK(has(err_of({"list", "--as-of", "2026-03-00"}), "there is no day 00"));
    CHECK(has(err_of({"list", "--as-of", "1.3.2026"}), "\"1.3.2026\" is not a date: expected YYYY-MM-DD, e.g. 2026-03-01"));
    CHECK(has(err_of({"list", "--as-of", "2026-3-1"}), "expected YYYY-MM-DD"));
    // Every command that takes a date says it the same way, naming its option.
    CHECK(has(err_of({"check", "--name", "Zana", "--as-of", "2026-02-29"}), "--as-of 2026-02-29 is not a date"));
    CHECK(has(err_of({"proximity", "--as-of", "2026-02-29"}), "February 2026 has 28 days"));
    CHECK(has(err_of({"sectors", "--as-of", "2026-02-29"}), "February 2026 has 28 days"));
    CHECK(has(err_of({"directive", "create", "HOM/T/2", "--title", "T", "--signed", "2026-06-31", "--effective",
                      "2026-07-01"}),
              "--signed 2026-06-31 is not a date: June 2026 has 30 days"));
}

TEST_CASE("reasons: a place lists the place reasons, a lift the lift reasons", "[cli][reasons]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(run_keepout(db, {"directive", "create", "HOM/T/3", "--title", "T", "--signed", "2026-06-01", "--effective",
                             "2026-06-01"})
                .exit_code == 0);
    auto place = run_keepout(db, {"directive", "place", "HOM/T/3", "KV-026-0001", "--reason", "drugs"});
    CHECK(place.exit_code == 1);
    CHECK(has(place.err, "unknown reason \"drugs\""));
    CHECK(has(place.err, "a place takes trafficking, prostitution, organized-crime, minors, health-safety, "
                         "force-protection, other"));
    for (const char* lift_reason : {"corrective-action", "closed", "listed-in-error"}) CHECK_FALSE(has(place.err, lift_reason));

    auto lift = run_keepout(db, {"directive", "lift", "HOM/T/3", "KV-026-0001", "--reason", "drugs"});
    CHECK(has(lift.err, "a lift takes corrective-action, closed, listed-in-error, other"));
    CHECK_FALSE(has(lift.err, "trafficking"));

    auto wrong = run_keepout(db, {"directive", "place", "HOM/T/3", "KV-026-0001", "--reason", "closed"});
    CHECK(wrong.exit_code == 1);
    CHECK(has(wrong.err, "reason closed is not one for a place (a place takes trafficking"));

    auto typo = run_keepout(db, {"directive", "place", "HOM/T/3", "KV-026-0001", "--reason", "traficking"});
    CHECK(has(typo.err, "did you mean \"trafficking\"?"));

    // The help of --reason lists the same codes.
    auto help = run_program({KEEPOUT_BINARY, "directive", "place", "--help"});
    CHECK(has(help.out, "trafficking"));
    CHECK_FALSE(has(help.out, "listed-in-error"));
    CHECK(run_keepout(db, {"directive", "show", "HOM/T/3", "--format", "json"}).json()["listings"].empty());
}

TEST_CASE("history finds a venue by its words, unquoted, and lists the candidates when several fit", "[cli][names]") {
    auto& s = sample_db();
    SECTION("unquoted words, in any case, and its other script") {
        for (std::vector<std::string> words : {std::vector<std::string>{"Plavi", "Kesten"}, {"plavi", "kesten"},
                                               {"Мотел Плави Кестен"}, {"Motel", "Plavi", "Kesten"}}) {
            std::vector<std::string> args{"history"};
            args.insert(args.end(), words.begin(), words.end());
            args.insert(args.end(), {"--format", "json"});
            auto r = run_keepout(s.db, args);
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            CHECK(r.json()["venue"]["external_id"] == "KV-026-0016");
        }
        auto table = run_keepout(s.db, {"history", "Plavi", "Kesten"});
        CHECK(table.exit_code == 0);
        CHECK(has(table.out, "KV-026-0016"));
    }
    SECTION("ids and external ids still work") {
        auto r = run_keepout(s.db, {"history", "KV-026-0016", "--format", "json"});
        REQUIRE(r.exit_code == 0);
        CHECK(r.json()["venue"]["name"] == "Мотел Плави Кестен");
    }
    SECTION("a word two venues share: both, with their ids, and how to pick one") {
        auto r = run_keepout(s.db, {"history", "Kesten"});
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        CHECK(has(r.err, "\"Kesten\" fits 2 venues; give the id or external_id of the one you mean"));
        CHECK(has(r.err, "KV-026-0016"));
        CHECK(has(r.err, "KV-026-0090"));
        CHECK(has(r.err, "  id "));
        auto zlatna = run_keepout(s.db, {"history", "Zlatna"});
        CHECK(has(zlatna.err, "fits 4 venues"));
    }
    SECTION("a name no venue has") {
        auto r = run_keepout(s.db, {"history", "Qqqq", "Wwww"});
        CHECK(r.exit_code == 1);
        CHECK(has(r.err, "no venue is called \"Qqqq Wwww\""));
    }
    SECTION("check --name takes unquoted words too") {
        auto r = run_keepout(s.db, {"check", "--name", "Plavi", "Kesten", "--as-of", "2026-06-01", "--format", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.json()["matches"][0]["external_id"] == "KV-026-0016");
    }
}

TEST_CASE("place and lift take exact keys; a miss names the closest venues", "[cli][names]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    REQUIRE(run_keepout(db, {"directive", "create", "HOM/T/4", "--title", "T", "--signed", "2026-06-01", "--effective",
                             "2026-06-01"})
                .exit_code == 0);
    auto r = run_keepout(db, {"directive", "place", "HOM/T/4", "KV-026-0001", "Plavi Kesten", "--reason", "trafficking"});
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "no venue has the id, external_id or exact name \"Plavi Kesten\"; the closest names:"));
    CHECK(has(r.err, "KV-026-0016"));
    // Nothing was placed, not even the venue named right.
    CHECK(run_keepout(db, {"directive", "show", "HOM/T/4", "--format", "json"}).json()["listings"].empty());
    auto ok = run_keepout(db, {"directive", "place", "HOM/T/4", "Motel Plavi Kesten", "--reason", "trafficking"});
    INFO(ok.err);
    CHECK(ok.exit_code == 0);
}

TEST_CASE("re-importing the sample: a summary, not a line per row; --report has every row", "[cli][import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    load_sample(db);
    const auto version = list_version(db);
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        const auto report = tmp.file("report-" + std::to_string(round) + ".csv");
        auto r = run_keepout(db, {"import", "venues", sample("venues.geojson"), "--report", report});
        CHECK(r.exit_code == 1);
        INFO(r.err);
        CHECK(lines_of(r.err).size() <= 8);
        CHECK(has(r.err, "180 rows duplicate external_id, the first:"));
        CHECK(has(r.err, "row 1 [external_id]: duplicate external_id \"KV-026-0001\""));
        CHECK(has(r.err, "… and 177 more like them"));
        CHECK_FALSE(has(r.err, "row 4 "));
        CHECK(has(r.err, "every row's outcome is in " + report));
        CHECK(has(r.err, "180 of 180 rows rejected; nothing was written"));

        std::ifstream in(report);
        std::vector<std::string> rows;
        for (std::string line; std::getline(in, line);) rows.push_back(line);
        REQUIRE(rows.size() == 181);
        CHECK(rows[0] == "row,external_id,name,outcome,problem,field,message");
        CHECK(rows[1] == "1,KV-026-0001,Kafe Bar Pëllumbi i Fushës,rejected,duplicate,external_id,"
                         "\"duplicate external_id \"\"KV-026-0001\"\": already in the database or earlier in this file\"");
        CHECK(rows[180].rfind("180,KV-026-0180,", 0) == 0);
    }
    SECTION("without --report the summary says how to get every row") {
        auto r = run_keepout(db, {"import", "venues", sample("venues.geojson")});
        CHECK(has(r.err, "--report FILE writes every row's outcome as CSV"));
        auto sites = run_keepout(db, {"import", "sites", sample("deployment_sites.geojson")});
        CHECK(sites.exit_code == 1);
        CHECK(lines_of(sites.err).size() <= 12);
        CHECK(has(sites.err, "duplicate site name"));
    }
    SECTION("--format json counts the problems") {
        auto j = run_keepout(db, {"import", "venues", sample("venues.geojson"), "--format", "json"}).json();
        REQUIRE(j["problems"].size() == 1);
        CHECK(j["problems"][0]["problem"] == "duplicate");
        CHECK(j["problems"][0]["field"] == "external_id");
        CHECK(j["problems"][0]["rows"] == 180);
        CHECK(j["errors"].size() == 180);
    }
    SECTION("a report that cannot be written stops the import before it starts") {
        auto r = run_keepout(db, {"import", "venues", with_data_dir("import/venues_bad.geojson"), "--skip-invalid",
                                  "--report", tmp.file("no/such/dir/report.csv")});
        CHECK(r.exit_code == 1);
        CHECK(has(r.err, "cannot write the row report"));
    }
    CHECK(list_version(db) == version);
    CHECK(run_keepout(db, {"list", "--format", "json"}).json()["count"].get<int>() > 0);
}

TEST_CASE("an import's --report gives every row its outcome: written, not written, rejected, skipped", "[cli][import]") {
    TempDir tmp;
    const auto db = tmp.file("k.sqlite");
    REQUIRE(run_keepout(db, {"init"}).exit_code == 0);
    const auto bad = with_data_dir("import/venues_bad.geojson");
    auto outcomes = [&](const std::string& path) {
        std::ifstream in(path);
        std::vector<std::string> out;
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::vector<std::string> cells;
            std::stringstream ss(line);
            for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
            REQUIRE(cells.size() >= 4);
            out.push_back(cells[0] + " " + cells[3]);
        }
        return out;
    };
    const auto all_or_nothing = tmp.file("a.csv");
    CHECK(run_keepout(db, {"import", "venues", bad, "--report", all_or_nothing}).exit_code == 1);
    CHECK(outcomes(all_or_nothing) == std::vector<std::string>{"1 not written", "2 rejected", "3 rejected", "4 rejected",
                                                               "5 rejected", "6 rejected", "7 not written"});
    const auto skipping = tmp.file("s.csv");
    CHECK(run_keepout(db, {"import", "venues", bad, "--skip-invalid", "--report", skipping}).exit_code == 0);
    CHECK(outcomes(skipping) == std::vector<std::string>{"1 written", "2 skipped", "3 skipped", "4 skipped", "5 skipped",
                                                         "6 skipped", "7 written"});
}
