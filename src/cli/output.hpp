#pragma once
// Plain-text output helpers for the command line: aligned tables (CSV rows: text::csv_row).
#include <ostream>
#include <string>
#include <vector>

namespace keepout::cli {

// Columns padded by displayed characters (UTF-8 code points), not bytes.
void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace keepout::cli
