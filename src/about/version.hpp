#pragma once
// What keepout reports as its version: CMake's project version and, when it was configured from a
// git checkout, the commit (generated into the build tree as about/version.cpp).
#include <string_view>

namespace keepout::about {

// "0.1.0"
std::string_view version() noexcept;
// "c76aa1d2e3f4", with "-dirty" when the checkout had uncommitted changes; empty outside git.
std::string_view commit() noexcept;
// "0.1.0+c76aa1d2e3f4" (semantic-versioning build metadata), or "0.1.0" without a commit.
std::string_view full_version() noexcept;

}  // namespace keepout::about
