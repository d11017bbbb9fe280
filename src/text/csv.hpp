#pragma once
// CSV cells as every writer and reader of keepout treats them (RFC 4180 quoting, and cells a
// spreadsheet would run as formulas made inert).
#include <string>
#include <string_view>
#include <vector>

namespace keepout::text {

// Spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR) is prefixed with
// an apostrophe on the way out; the importer removes exactly that prefix on the way in.
std::string make_csv_cell_inert(std::string_view cell);
std::string strip_inert_prefix(std::string_view cell);

// One CSV cell as every exporter writes it: made inert, then quoted (RFC 4180) when it holds a
// comma, a quote or a line break.
std::string csv_cell(std::string_view cell);
// The cells of one row joined with commas, without the line ending.
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace keepout::text
