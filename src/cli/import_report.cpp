#include "cli/import_report.hpp"

#include <algorithm>

#include "source/validate.hpp"
#include "text/csv.hpp"

namespace keepout::cli {

std::vector<ProblemGroup> group_problems(const store::ImportReport& r) {
    std::vector<ProblemGroup> groups;
    for (const store::RowError& e : r.errors) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const ProblemGroup& g) { return g.problem == e.problem && g.field == e.field; });
        if (it == groups.end()) it = groups.insert(groups.end(), ProblemGroup{e.problem, e.field, {}});
        it->rows.push_back(&e);
    }
    return groups;
}

namespace {
void print_row(std::ostream& err, const std::string& prefix, const store::RowError& e) {
    err << prefix << "row " << e.row << (e.field.empty() ? "" : " [" + e.field + "]") << ": " << e.reason
        << '\n';
}
}  // namespace

void print_row_problems(std::ostream& err, const store::ImportReport& r, const std::string& report_path) {
    if (r.errors.size() <= kRowsPrintedInFull) {
        for (const store::RowError& e : r.errors) print_row(err, r.source + ": ", e);
    } else {
        for (const ProblemGroup& g : group_problems(r)) {
            err << r.source << ": " << g.rows.size() << " row" << (g.rows.size() == 1 ? "" : "s") << " "
                << store::to_string(g.problem) << (g.field.empty() ? "" : " " + g.field) << ", the first:\n";
            for (std::size_t i = 0; i < g.rows.size() && i < kExamplesPerProblem; ++i)
                print_row(err, "  ", *g.rows[i]);
            if (g.rows.size() > kExamplesPerProblem)
                err << "  … and " << g.rows.size() - kExamplesPerProblem << " more like them\n";
        }
    }
    if (r.errors.empty()) return;
    if (!report_path.empty())
        err << "keepout: every row's outcome is in " << report_path << '\n';
    else if (r.errors.size() > kRowsPrintedInFull)
        err << "keepout: --report FILE writes every row's outcome as CSV\n";
}

void write_row_report(std::ostream& out, const store::ImportReport& r) {
    out << text::csv_row({"row", "external_id", "name", "outcome", "problem", "field", "message"}) << '\n';
    // Both lists are in file order: merged by row number.
    auto e = r.errors.begin();
    auto a = r.accepted.begin();
    while (e != r.errors.end() || a != r.accepted.end()) {
        if (e != r.errors.end() && (a == r.accepted.end() || e->row < a->row)) {
            out << text::csv_row({std::to_string(e->row), e->key.external_id, e->key.name,
                                r.committed ? "skipped" : "rejected", store::to_string(e->problem), e->field, e->reason})
                << '\n';
            ++e;
        } else {
            out << text::csv_row({std::to_string(a->row), a->key.external_id, a->key.name,
                                r.committed ? "written" : "not written", "", "", ""})
                << '\n';
            ++a;
        }
    }
}

}  // namespace keepout::cli
