#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "store/duplicates.hpp"

namespace keepout::source {

// The file as a whole cannot be used (missing, unreadable, no such layer, unknown format).
struct IoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What kind of problem a row has, so that rows alike are counted together; the reason says the rest.
enum class RowProblem {
    invalid,     // a value that breaks a rule of its field (shape, range, length, code)
    missing,     // a required value is absent (name, geometry)
    duplicate,   // the same key as a row already in the database or earlier in the file
    unreadable,  // GDAL could not read the row
    refused,     // the database or a rule of directives refused it
    similar,     // like a venue within 25 m with a similar name (store/duplicates.hpp), not confirmed
};
inline const char* to_string(RowProblem p) {
    switch (p) {
        case RowProblem::missing: return "missing";
        case RowProblem::duplicate: return "duplicate";
        case RowProblem::unreadable: return "unreadable";
        case RowProblem::refused: return "refused";
        case RowProblem::similar: return "similar-venue";
        case RowProblem::invalid: break;
    }
    return "invalid";
}

// Who a row is, as far as its fields could be read: for a report a person can match to the file.
struct RowKey {
    std::string external_id;
    std::string name;
};

// One rejected row of an import: its number in the source (1-based, in reading order), the
// field at fault when there is one, and why.
struct RowError {
    RowError() = default;
    RowError(std::int64_t row_, std::string field_, std::string reason_, RowProblem problem_ = RowProblem::invalid,
             RowKey key_ = {})
        : row(row_), field(std::move(field_)), reason(std::move(reason_)), problem(problem_), key(std::move(key_)) {}

    std::int64_t row = 0;
    std::string field;
    std::string reason;
    RowProblem problem = RowProblem::invalid;
    RowKey key;
};

// A row that passed every check: written, unless the import as a whole was not.
struct RowAccepted {
    std::int64_t row = 0;
    RowKey key;
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
    std::vector<RowAccepted> accepted;  // only when asked for (ImportOptions::keep_accepted_rows)
    std::vector<DuplicateRow> duplicates;
    bool committed = false;
    std::int64_t list_version = 0;
};

}  // namespace keepout::source
