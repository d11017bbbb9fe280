#pragma once
// Field-level checks and conversions shared by every importer; pure functions, no GDAL.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keepout::io {

bool is_valid_utf8(std::string_view text);
std::string trim(std::string_view text);

// Lowercase, trimmed, with '_' and ' ' read as '-': "Private House" → "private-house".
std::string normalise_code(std::string_view text);

// Aliases and former names: a JSON array of strings, or ';'-separated text. Blank entries are
// dropped; duplicates kept once. Throws std::invalid_argument on a malformed JSON array.
std::vector<std::string> parse_name_list(std::string_view text);

// Strict decimal number: the whole text must be a finite number.
std::optional<double> parse_number(std::string_view text);
std::optional<long long> parse_integer(std::string_view text);

// Spreadsheet formula injection: a cell starting with = + - @ (or a tab/CR) is prefixed with
// an apostrophe on the way out; the importer removes exactly that prefix on the way in.
std::string make_csv_cell_inert(std::string_view cell);
std::string strip_inert_prefix(std::string_view cell);

// One CSV cell as every exporter writes it: made inert, then quoted (RFC 4180) when it holds a
// comma, a quote or a line break.
std::string csv_cell(std::string_view cell);
// The cells of one row joined with commas, without the line ending.
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace keepout::io
