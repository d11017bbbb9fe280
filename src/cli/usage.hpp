#pragma once
// What to tell someone whose command line CLI11 could not take: the command or option they
// mistyped and the nearest ones there are, from the parsed state of the command tree.
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace keepout::cli {

// For a parse that failed (CLI::ParseError from the root app): the message when a word was not
// known where it stood ("unknown command \"lsit\"; did you mean \"list\"?", the same for options at
// every level, a stray argument) or a command was left out ("directive needs a command: create,
// place, …"); nullopt when the failure was something else (a bad value, a missing option).
std::optional<std::string> unknown_argument_message(const CLI::App& root, bool required_error);

}  // namespace keepout::cli
