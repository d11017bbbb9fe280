#pragma once
// Errors of the analysis layer, by kind, so front ends choose a status without reading messages.
#include <stdexcept>

namespace keepout::analysis {

// A site, sector or other name the request gave that the data does not hold (HTTP 404).
struct UnknownReference : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A name to check that cannot be read: not UTF-8, too long, no letter or digit (HTTP 400). An
// error, never a verdict.
struct NameQueryError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace keepout::analysis
