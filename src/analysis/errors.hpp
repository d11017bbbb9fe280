#pragma once
// Errors of the analysis layer, by kind, so front ends choose a status without reading messages.
#include <stdexcept>

namespace keepout::analysis {

// A site, sector or other name the request gave that the data does not hold (HTTP 404).
struct UnknownReference : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace keepout::analysis
