#include "cli/usage.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>

#include "cli/suggest.hpp"
#include "text/utf8.hpp"

namespace keepout::cli {

namespace {

// "keepout directive issue": the root is called keepout whatever path started it.
std::string command_path(const CLI::App& app) {
    const CLI::App* parent = app.get_parent();
    return parent ? command_path(*parent) + " " + app.get_name() : std::string("keepout");
}

std::vector<std::string> command_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
        names.push_back(sub->get_name());
    return names;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options()) {
        for (auto& l : o->get_lnames()) names.push_back("--" + l);
        for (auto& s : o->get_snames()) names.push_back("-" + s);
    }
    return names;
}

std::string comma_list(const std::vector<std::string>& words) {
    std::string out;
    for (auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

std::string unknown_option(const CLI::App& app, const std::string& arg) {
    const std::string name = arg.substr(0, arg.find('='));
    const std::string where = command_path(app);
    // An option of a command above this one (--db after the command): CLI11 takes it only there.
    for (const CLI::App* up = app.get_parent(); up; up = up->get_parent()) {
        const auto theirs = option_names(*up);
        if (std::find(theirs.begin(), theirs.end(), name) != theirs.end())
            return name + " is an option of " + command_path(*up) + ": give it before " + app.get_name() + " (" +
                   command_path(*up) + " " + name + " … " + app.get_name() + " …)";
    }
    std::vector<std::string> mine = option_names(app);
    const auto near = closest_words(name, mine);
    if (!near.empty())
        return "unknown option " + text::quote(name, 40) + " for " + where + "; did you mean " + or_list(near) + "?";
    return "unknown option " + text::quote(name, 40) + " for " + where + " (its options: " + comma_list(mine) + ")";
}

std::string unknown_word(const CLI::App& app, const std::string& word) {
    const auto commands = command_names(app);
    if (commands.empty())
        return "unexpected argument " + text::quote(word, 40) + " for " + command_path(app) +
               " (a value with spaces goes in quotes)";
    // The command path without "keepout", so the suggestion reads as what to type.
    const std::string prefix = app.get_parent() ? command_path(app).substr(8) + " " : "";
    std::vector<std::string> full;
    for (auto& c : commands) full.push_back(prefix + c);
    const auto near = closest_words(word, commands);
    std::vector<std::string> near_full;
    for (auto& c : near) near_full.push_back(prefix + c);
    const std::string typed = app.get_parent() ? text::quote(prefix + word, 60) : text::quote(word, 40);
    if (!near.empty()) return "unknown command " + typed + "; did you mean " + or_list(near_full) + "?";
    return "unknown command " + typed + " (the commands of " + command_path(app) + ": " + comma_list(commands) + ")";
}

}  // namespace

std::optional<std::string> unknown_argument_message(const CLI::App& root, bool required_error) {
    // The chain of commands parsed, from the root down; the first word one of them could not take.
    std::vector<const CLI::App*> chain{&root};
    while (!chain.back()->get_subcommands().empty()) chain.push_back(chain.back()->get_subcommands().front());
    for (const CLI::App* app : chain) {
        const auto extras = app->remaining(false);
        if (extras.empty()) continue;
        const std::string& first = extras.front();
        if (first.size() > 1 && first[0] == '-') return unknown_option(*app, first);
        return unknown_word(*app, first);
    }
    const CLI::App& last = *chain.back();
    if (required_error && last.get_require_subcommand_min() > 0 && last.get_subcommands().empty())
        return (last.get_parent() ? command_path(last).substr(8) + " needs a command: " : "a command is needed: ") +
               comma_list(command_names(last)) + " (" + command_path(last) + " --help says what each does)";
    return std::nullopt;
}

}  // namespace keepout::cli
