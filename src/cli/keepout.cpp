// keepout: the Off-Limits list of a peacekeeping mission, from the command line.
#include "cli/command_line.hpp"

int main(int argc, char** argv) {
    keepout::cli::CommandLine command_line;
    return command_line.run(argc, argv);
}
