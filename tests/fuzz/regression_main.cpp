// The fuzz targets without libFuzzer: feeds every file of the given folders (or the given files)
// to LLVMFuzzerTestOneInput, as `FUZZER DIR…` does, so that the seed corpus and the saved crash
// inputs run in every build (ctest: "fuzz-regression: TARGET").
//
// A folder may hold a file named KNOWN-CRASHES: one input file name a line ('#' starts a
// comment), inputs that crash today with the fix not yet in. Each runs in a child process; the
// test then reports them and ends as skipped (exit 77) rather than passed, and says so when one
// no longer crashes. Any other input that crashes fails the test.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(const std::vector<std::uint8_t>& bytes) {
    // A copy of exactly the input's size, so that reading past its end is reading past a buffer.
    std::vector<std::uint8_t> copy(bytes);
    LLVMFuzzerTestOneInput(copy.empty() ? nullptr : copy.data(), copy.size());
}

std::set<std::string> known_crashes(const fs::path& dir) {
    std::set<std::string> out;
    std::ifstream in(dir / "KNOWN-CRASHES");
    for (std::string line; std::getline(in, line);) {
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        line.erase(0, line.find_first_not_of(" \t"));
        line.erase(line.find_last_not_of(" \t\r") + 1);
        if (!line.empty()) out.insert(line);
    }
    return out;
}

// Runs one input in a child; a description of how it ended when it did not end well.
std::string run_isolated(const std::vector<std::uint8_t>& bytes) {
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return std::string("fork failed: ") + std::strerror(errno);
    if (pid == 0) {
        run(bytes);
        std::fflush(nullptr);
        _exit(0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return std::string("waitpid failed: ") + std::strerror(errno);
    if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) return "exit status " + std::to_string(WEXITSTATUS(status));
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    std::size_t ran = 0;
    std::vector<std::string> still_crashing, fixed;
    for (int i = 1; i < argc; ++i) {
        const fs::path dir = argv[i];
        if (fs::is_regular_file(dir)) {  // one input, as `FUZZER FILE` runs it
            run(read_all(dir));
            ++ran;
            continue;
        }
        if (!fs::is_directory(dir)) continue;  // a target may have no saved crashes yet
        const auto known = known_crashes(dir);
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file() && e.path().filename() != "KNOWN-CRASHES") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            const auto bytes = read_all(f);
            if (known.count(f.filename().string())) {
                const std::string how = run_isolated(bytes);
                (how.empty() ? fixed : still_crashing).push_back(f.string() + (how.empty() ? "" : ": " + how));
            } else {
                // Named first, so that when it crashes the log says which input it was.
                std::cout << "input " << f.string() << std::endl;
                run(bytes);
            }
            ++ran;
        }
    }
    std::cout << ran << " inputs ran\n";
    for (const auto& f : fixed)
        std::cout << "FIXED (take it off KNOWN-CRASHES, keep the file): " << f << '\n';
    if (!still_crashing.empty()) {
        std::cout << still_crashing.size() << " known crash(es), fix not in yet:\n";
        for (const auto& f : still_crashing) std::cout << "KNOWN CRASH: " << f << '\n';
        return 77;
    }
    return ran == 0 ? 1 : 0;
}
