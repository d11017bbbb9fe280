#pragma once
// Runs the real keepout binary (or another program) and captures what it prints.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keepout::test {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    nlohmann::json json() const { return nlohmann::json::parse(out); }
};

// argv[0] is looked up on PATH unless it contains a '/'.
RunResult run_program(const std::vector<std::string>& argv);

// keepout --db DB --actor ACTOR ARGS…
RunResult run_keepout(const std::string& db, const std::vector<std::string>& args, const std::string& actor = "tester");

// Creates DB and loads the Kosovo sample (venues, sites, sectors, directives); REQUIREs success.
void load_sample(const std::string& db);

// The folder of a sample mission under data/ ("kosovo", "lebanon").
std::string sample_dir(const std::string& name);

// init, the mission profile (`mission_file`, else DIR/mission.json), then the venues, sites and
// directives of DIR; REQUIREs success.
void load_mission(const std::string& db, const std::string& dir, const std::string& mission_file = "");

}  // namespace keepout::test
