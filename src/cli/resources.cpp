// The installed layout is bin/keepout next to share/keepout/{web,styles,data}; the relative path
// from the one to the other comes from GNUInstallDirs (KEEPOUT_BIN_TO_DATA).
#include "cli/resources.hpp"

#include <system_error>

namespace keepout::cli {

namespace {
namespace fs = std::filesystem;

bool same_dir(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) && !ec;
}

Resources locate() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && same_dir(exe.parent_path(), KEEPOUT_BUILD_BIN_DIR)) {
        const fs::path src = KEEPOUT_SOURCE_DIR;
        return {src / "web", src / "styles", src / "data"};
    }
    // Without /proc (a chroot, say), the prefix the program was configured for.
    const fs::path share = ec ? fs::path(KEEPOUT_INSTALL_DATA_DIR)
                              : (exe.parent_path() / KEEPOUT_BIN_TO_DATA).lexically_normal();
    return {share / "web", share / "styles", share / "data"};
}
}  // namespace

const Resources& resources() {
    static const Resources r = locate();
    return r;
}

std::string default_web_root() { return resources().web.string(); }

std::string default_style() { return (resources().styles / KEEPOUT_DEFAULT_STYLE_NAME).string(); }

}  // namespace keepout::cli
