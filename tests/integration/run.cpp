#include "integration/run.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "with_data_dir.hpp"

extern char** environ;

namespace keepout::test {

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

RunResult run_program(const std::vector<std::string>& argv) {
    TempDir tmp;
    const std::string out_path = tmp.file("stdout"), err_path = tmp.file("stderr");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    RunResult r;
    if (rc != 0) {
        r.err = "cannot start " + argv[0];
        return r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}

RunResult run_keepout(const std::string& db, const std::vector<std::string>& args, const std::string& actor) {
    std::vector<std::string> argv{KEEPOUT_BINARY, "--db", db, "--actor", actor};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv);
}

void load_sample(const std::string& db) {
    for (auto args : std::vector<std::vector<std::string>>{
             {"init"},
             {"import", "venues", sample("venues.geojson")},
             {"import", "sites", sample("deployment_sites.geojson")},
             {"import", "sectors", sample("sectors.geojson")},
             {"import", "directives", sample("directives.json")}}) {
        auto r = run_keepout(db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
}

std::string sample_dir(const std::string& name) {
    return (std::filesystem::path(KEEPOUT_SOURCE_DIR) / "data" / name).string();
}

void load_mission(const std::string& db, const std::string& dir, const std::string& mission_file) {
    for (auto args : std::vector<std::vector<std::string>>{
             {"init"},
             {"mission", "import", mission_file.empty() ? dir + "/mission.json" : mission_file},
             {"import", "venues", dir + "/venues.geojson"},
             {"import", "sites", dir + "/deployment_sites.geojson"},
             {"import", "directives", dir + "/directives.json"}}) {
        auto r = run_keepout(db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
}

}  // namespace keepout::test
