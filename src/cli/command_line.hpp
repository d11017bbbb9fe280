#pragma once
// The command line of keepout as one CLI11 tree, every option bound to a field of this object, so
// that the program parses with it and the tests can walk every command and option it has.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace keepout::cli {

class CommandLine {
public:
    CommandLine();  // builds the tree (main.cpp)
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    // Parses argv and runs the command it names; the exit code (2 for a command line it cannot take).
    int run(int argc, const char* const* argv);
    const CLI::App& tree() const { return app; }
    CLI::App& tree() { return app; }

private:
    CLI::App app;
    Global g;
    int rc = 0;
    ImportArgs ia;
    DirectiveArgs da;
    std::string as_of;
    std::vector<std::string> venue_words;
    CheckArgs ca;
    std::vector<std::string> name_words;
    ProximityArgs pa;
    ExportArgs ea;
    std::string role, token_name, expires;
    long long token_id = 0;
    int failures_limit = 50;
    int limit = 20;
    std::string against;  // audit verify --against
};

}  // namespace keepout::cli
