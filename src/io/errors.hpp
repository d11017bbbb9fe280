#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/duplicates.hpp"

namespace keepout::io {

// The file as a whole cannot be used (missing, unreadable, no such layer, unknown format).
struct IoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One rejected row of an import: its number in the source (1-based, in reading order), the
// field at fault when there is one, and why.
struct RowError {
    std::int64_t row = 0;
    std::string field;
    std::string reason;
};

// A row refused by the duplicate rule (also in `errors`), with the venues it looks like.
struct DuplicateRow {
    std::int64_t row = 0;
    std::vector<store::DuplicateCandidate> like;
};

struct ImportReport {
    std::string source;
    std::int64_t rows_read = 0;
    std::int64_t written = 0;
    std::vector<RowError> errors;
    std::vector<DuplicateRow> duplicates;
    bool committed = false;
    std::int64_t list_version = 0;
};

}  // namespace keepout::io
