#pragma once
// What an import did, for people: rows alike counted together with a few examples instead of one
// line per row, and the full row report as CSV for the rest.
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "store/import.hpp"

namespace keepout::cli {

// Rows refused for the same kind of problem in the same field, in the order first seen.
struct ProblemGroup {
    store::RowProblem problem = store::RowProblem::invalid;
    std::string field;
    std::vector<const store::RowError*> rows;
};
std::vector<ProblemGroup> group_problems(const store::ImportReport&);

// Up to this many refused rows are each printed on a line of their own; beyond, the summary.
inline constexpr std::size_t kRowsPrintedInFull = 10;
// Examples the summary shows of each kind of problem.
inline constexpr std::size_t kExamplesPerProblem = 3;

// The refused rows on `err`: each on its line ("FILE: row 6 [external_id]: duplicate …") when
// few, else per kind of problem its count and first rows. `report_path`: where every row went, if
// anywhere.
void print_row_problems(std::ostream& err, const store::ImportReport&, const std::string& report_path);

// The full row report: one CSV line per row read, in file order, with the header
// row,external_id,name,outcome,problem,field,message. outcome is written, not written (the import
// was refused as a whole), rejected (a bad row of such an import) or skipped (--skip-invalid).
// `accepted` rows must be in the report (ImportOptions::keep_accepted_rows).
void write_row_report(std::ostream& out, const store::ImportReport&);

}  // namespace keepout::cli
