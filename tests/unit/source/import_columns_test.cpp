// docs/import.md documents every column the importers recognise, and no column they do not: the
// names are read from the importer's own source, so the table cannot drift from the code.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every name in the importer's field({"a", "b", …}) look-ups.
std::set<std::string> recognised_columns() {
    const std::string code = slurp(std::filesystem::path(KEEPOUT_SOURCE_DIR) / "src/source/import.cpp");
    std::set<std::string> names;
    const std::regex lookup(R"(field\(\{([^}]*)\}\))"), literal(R"xx("([^"]+)")xx");
    for (auto m = std::sregex_iterator(code.begin(), code.end(), lookup); m != std::sregex_iterator(); ++m) {
        const std::string list = (*m)[1];
        for (auto n = std::sregex_iterator(list.begin(), list.end(), literal); n != std::sregex_iterator(); ++n)
            names.insert((*n)[1]);
    }
    return names;
}

}  // namespace

TEST_CASE("docs/import.md names every column the importers recognise", "[io][import][docs]") {
    const auto names = recognised_columns();
    // The scan found the look-ups (venues, sites, sectors, WKT and lat/lon), not nothing.
    REQUIRE(names.size() >= 25);
    CHECK(names.count("external_id") == 1);
    CHECK(names.count("longitude") == 1);
    const std::string doc = slurp(std::filesystem::path(KEEPOUT_SOURCE_DIR) / "docs/import.md");
    for (const auto& n : names) {
        CAPTURE(n);
        CHECK(doc.find("`" + n + "`") != std::string::npos);
    }
}

TEST_CASE("the column tables of docs/import.md list only columns the importers read", "[io][import][docs]") {
    const auto names = recognised_columns();
    const std::string doc = slurp(std::filesystem::path(KEEPOUT_SOURCE_DIR) / "docs/import.md");
    std::istringstream in(doc);
    const std::regex code(R"(`([^`]+)`)");
    std::size_t rows = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("| `", 0) != 0) continue;  // a row of a column table: | `name` | `alias`, … | …
        ++rows;
        // The first two cells: the column and the other names it is read as.
        std::size_t end = line.find('|', 1);
        end = line.find('|', end + 1);
        const std::string cells = line.substr(0, end);
        for (auto m = std::sregex_iterator(cells.begin(), cells.end(), code); m != std::sregex_iterator(); ++m) {
            CAPTURE(line);
            CHECK(names.count((*m)[1]) == 1);
        }
    }
    CHECK(rows >= 13);
}
