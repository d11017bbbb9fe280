// The whole command tree: every command and every option says what it is for, and a mistyped
// command or option is answered with the nearest one, at every level of the tree.
#include "cli/command_line.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cli/usage.hpp"

using keepout::cli::CommandLine;

namespace {

std::string path_of(const CLI::App& app) {
    return app.get_parent() ? path_of(*app.get_parent()) + " " + app.get_name() : std::string("keepout");
}

void walk(const CLI::App& app, const std::function<void(const CLI::App&)>& visit) {
    visit(app);
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) walk(*sub, visit);
}

// Parses a command line with a fresh tree (nothing runs: each case fails to parse) and returns
// the message keepout prints for it.
std::string message_for(std::vector<std::string> args) {
    CommandLine cli;
    CLI::App& app = cli.tree();
    args.insert(args.begin(), "keepout");
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    try {
        app.parse(int(argv.size()), argv.data());
    } catch (const CLI::RequiredError&) {
        return keepout::cli::unknown_argument_message(app, true).value_or("(none)");
    } catch (const CLI::ParseError&) {
        return keepout::cli::unknown_argument_message(app, false).value_or("(none)");
    }
    return "(parsed)";
}

}  // namespace

TEST_CASE("every command and every option and positional of the tree has help text", "[cli][help]") {
    const CommandLine cli;
    std::size_t commands = 0, options = 0;
    walk(cli.tree(), [&](const CLI::App& app) {
        ++commands;
        CAPTURE(path_of(app));
        CHECK_FALSE(app.get_description().empty());
        for (const CLI::Option* o : app.get_options()) {
            ++options;
            CAPTURE(o->get_name());
            CHECK_FALSE(o->get_description().empty());
        }
    });
    // The walk saw the tree, not an empty app: the commands of issue 16 and their options.
    CHECK(commands > 30);
    CHECK(options > 100);
}

TEST_CASE("every option name is unique within its command and none is only dashes", "[cli][help]") {
    CommandLine cli;
    walk(cli.tree(), [&](const CLI::App& app) {
        CAPTURE(path_of(app));
        std::vector<std::string> seen;
        for (const CLI::Option* o : app.get_options())
            for (auto& l : o->get_lnames()) {
                CHECK(std::find(seen.begin(), seen.end(), l) == seen.end());
                seen.push_back(l);
            }
    });
}

TEST_CASE("a mistyped command is answered with the nearest one, at every level", "[cli][usage]") {
    CHECK(message_for({"lsit"}) == "unknown command \"lsit\"; did you mean \"list\"?");
    CHECK(message_for({"directive", "isue", "HOM/1"}) == "unknown command \"directive isue\"; did you mean \"directive issue\"?");
    CHECK(message_for({"import", "venu", "x.geojson"}) == "unknown command \"import venu\"; did you mean \"import venues\"?");
    CHECK(message_for({"token", "revokee", "3"}) == "unknown command \"token revokee\"; did you mean \"token revoke\"?");
    CHECK(message_for({"audit", "verfy"}) == "unknown command \"audit verfy\"; did you mean \"audit verify\"?");
    // Global options before the command do not hide the mistake.
    CHECK(message_for({"--db", "x.sqlite", "chek", "--at", "1,2"}) ==
          "unknown command \"chek\"; did you mean \"check\"?");
    // Nothing near: the commands there are.
    const std::string far = message_for({"frobnicate"});
    CHECK(far.find("unknown command \"frobnicate\"") == 0);
    CHECK(far.find("init, import, directive") != std::string::npos);
    CHECK(far.find("did you mean") == std::string::npos);
}

TEST_CASE("a mistyped option is answered with the nearest option of its command", "[cli][usage]") {
    CHECK(message_for({"list", "--fromat", "json"}) == "unknown option \"--fromat\" for keepout list; did you mean \"--format\"?");
    CHECK(message_for({"list", "--fromat=json"}) == "unknown option \"--fromat\" for keepout list; did you mean \"--format\"?");
    CHECK(message_for({"list", "--asof", "2026-01-01"}) == "unknown option \"--asof\" for keepout list; did you mean \"--as-of\"?");
    CHECK(message_for({"directive", "create", "R", "--tilte", "T", "--signed", "2026-01-01", "--effective", "2026-01-01"}) ==
          "unknown option \"--tilte\" for keepout directive create; did you mean \"--title\"?");
    CHECK(message_for({"--dbb", "x", "list"}) == "unknown option \"--dbb\" for keepout; did you mean \"--db\"?");
    // An option of keepout itself after the command: where it goes.
    const std::string misplaced = message_for({"list", "--db", "x.sqlite"});
    CHECK(misplaced.find("--db is an option of keepout: give it before list") == 0);
    const std::string far = message_for({"list", "--zzzzzz"});
    CHECK(far.find("unknown option \"--zzzzzz\" for keepout list (its options: ") == 0);
    CHECK(far.find("--as-of") != std::string::npos);
}

TEST_CASE("a command left out and a stray argument are said plainly", "[cli][usage]") {
    CHECK(message_for({"directive"}).find("directive needs a command: create, place, lift") == 0);
    CHECK(message_for({}).find("a command is needed: init, import") == 0);
    CHECK(message_for({"directive", "show", "HOM/1", "extra"}) ==
          "unexpected argument \"extra\" for keepout directive show (a value with spaces goes in quotes)");
    // A bad value is not an unknown word: CLI11's own message stands.
    CHECK(message_for({"list", "--format", "xml"}) == "(none)");
    // Untrusted text in the message is quoted safely.
    const std::string odd = message_for({"li\x1bst"});
    CHECK(odd.find('\x1b') == std::string::npos);
}
