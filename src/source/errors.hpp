#pragma once
#include <stdexcept>
#include <string>

namespace keepout::source {

// The file as a whole cannot be used (missing, unreadable, no such layer, unknown format).
struct IoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace keepout::source
