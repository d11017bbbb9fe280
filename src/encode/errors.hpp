#pragma once
#include <stdexcept>

namespace keepout::encode {

// A document cannot be written (an impossible image size, a failing compressor or driver).
struct EncodeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace keepout::encode
