#include "text/csv.hpp"

namespace keepout::text {

namespace {
// A cell a spreadsheet would run as a formula, behind any number of apostrophes already added.
bool formula_after_apostrophes(std::string_view cell, std::size_t min_apostrophes) {
    const auto first = cell.find_first_not_of('\'');
    return first != std::string_view::npos && first >= min_apostrophes &&
           std::string_view("=+-@\t\r").find(cell[first]) != std::string_view::npos;
}
}  // namespace

std::string make_csv_cell_inert(std::string_view cell) {
    // One more apostrophe in front of any formula-like cell, even one that already has some, so
    // that strip_inert_prefix gives every value back intact.
    if (formula_after_apostrophes(cell, 0)) return "'" + std::string(cell);
    return std::string(cell);
}

std::string csv_cell(std::string_view cell) {
    std::string c = make_csv_cell_inert(cell);
    if (c.find_first_of(",\"\r\n") == std::string::npos) return c;
    std::string quoted = "\"";
    for (char ch : c) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += csv_cell(cells[i]);
    }
    return out;
}

std::string strip_inert_prefix(std::string_view cell) {
    if (formula_after_apostrophes(cell, 1)) return std::string(cell.substr(1));
    return std::string(cell);
}

}  // namespace keepout::text
