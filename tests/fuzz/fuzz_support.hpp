#pragma once
// What the fuzz targets share: the libFuzzer entry point's signature, a temporary folder that
// lives as long as the process, and a check that aborts (so that libFuzzer and the regression
// runner both see it) when a documented property does not hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace keepout::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
    return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

// A property the code under test promises (a range, a round trip) was broken: abort, so that the
// input is kept as a crash; the message says which property.
[[noreturn]] inline void broken(const char* what, const std::string& detail) {
    std::fprintf(stderr, "\nkeepout fuzz: property broken: %s\n  %s\n", what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

// Whether a known crash, by name, is to be let through (KEEPOUT_FUZZ_TOLERATE=name,name…): so
// that a long run can look past a crash already reported and not yet fixed. Never set in ctest.
inline bool tolerated(std::string_view name) {
    const char* list = std::getenv("KEEPOUT_FUZZ_TOLERATE");
    if (!list) return false;
    std::string_view rest(list);
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        if (rest.substr(0, comma) == name) return true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return false;
}

// A folder under $TMPDIR (or /tmp) for the databases and files a target needs, removed at exit.
inline const std::filesystem::path& scratch_dir() {
    // Never destroyed, so that the exit handler can still read it.
    static const std::filesystem::path* dir = [] {
        const char* base = std::getenv("TMPDIR");
        std::string templ = std::string(base && *base ? base : "/tmp") + "/keepout-fuzz-XXXXXX";
        if (!mkdtemp(templ.data())) {
            std::perror("keepout fuzz: mkdtemp");
            std::abort();
        }
        auto* d = new std::filesystem::path(templ);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(*dir, ec);
        });
        return d;
    }();
    return *dir;
}

// The source tree (sample data, styles, web page), compiled in.
inline std::filesystem::path source_dir() { return KEEPOUT_SOURCE_DIR; }

}  // namespace keepout::fuzz
