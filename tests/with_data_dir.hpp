#pragma once
// Paths to test data and the sample data, for unit and integration tests alike.
#include <filesystem>
#include <string>
#include <unistd.h>

namespace keepout::test {

inline std::string with_data_dir(const std::string& name) {
    return (std::filesystem::path(KEEPOUT_TEST_DATA) / name).string();
}

inline std::string sample(const std::string& name) {
    return (std::filesystem::path(KEEPOUT_SOURCE_DIR) / "data" / "kosovo" / name).string();
}

// A fresh temporary directory, removed when the object goes.
class TempDir {
public:
    TempDir() {
        auto base = std::filesystem::temp_directory_path();
        for (int i = 0;; ++i) {
            path_ = base / ("keepout-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + "-" +
                            std::to_string(i));
            if (std::filesystem::create_directory(path_)) break;
        }
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path path_;
};

}  // namespace keepout::test
