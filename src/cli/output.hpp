#pragma once
// Plain-text output helpers for the command line: aligned tables and inert CSV.
#include <ostream>
#include <string>
#include <vector>

namespace keepout::cli {

// Columns padded by displayed characters (UTF-8 code points), not bytes.
void print_table(std::ostream& out, const std::vector<std::string>& headers,
                 const std::vector<std::vector<std::string>>& rows);

// One RFC 4180 line; cells a spreadsheet would run as a formula are made inert.
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace keepout::cli
