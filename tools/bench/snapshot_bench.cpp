// Snapshot build from a keepout database, in process: Snapshot::build (one pass over each table,
// names indexed on first use), the name index on its first use, and the snapshot released; beside
// it the row-by-row assembly the build replaced (every venue copied out of the store, then looked
// up in the history, the name index built at once), on the same file in the same run.
// Writes one line per measure to --out/snapshot_results.tsv (best of --repeat).
#include <cstdint>

#include "analysis/snapshot.hpp"
#include "bench_common.hpp"
#include "model/rules.hpp"
#include "store/repository.hpp"

namespace {

using namespace bench;
using analysis::Snapshot;

// The assembly before the one-pass build, for the comparison row.
std::shared_ptr<const Snapshot> row_by_row(store::Store& store, model::Date as_of) {
    store.db().exec("BEGIN");
    const std::int64_t version = store.list_version();
    model::ListHistory history = store.history();
    std::vector<analysis::VenueView> venues;
    for (auto& v : store.venues()) {
        analysis::VenueView view;
        view.shape = geo::shape_from_wkb(v.geometry);
        v.geometry.clear();
        view.venue = std::move(v);
        if (auto listed = history.venue_as_of(view.venue.id, as_of)) {
            view.listed = true;
            const model::Directive* d = history.directive(listed->directive_id);
            view.directive_ref = d ? d->ref : "";
            view.listed_since = listed->listed_since;
            view.reasons = listed->reasons;
        }
        for (auto& e : history.venue_history(view.venue.id, as_of))
            if (e.counts_on_date)
                view.last_act = analysis::LastAct{e.directive->ref, e.listing->action, e.listing->effective_from,
                                                  e.listing->reasons};
        venues.push_back(std::move(view));
    }
    std::vector<analysis::SiteView> sites;
    for (auto& s : store.sites()) sites.push_back({s, geo::shape_from_wkb(s.geometry)});
    std::vector<analysis::SectorView> sectors;
    for (auto& s : store.sectors()) sectors.push_back({s, geo::shape_from_wkb(s.geometry)});
    store.db().exec("COMMIT");
    auto snap = std::make_shared<const Snapshot>(as_of, version, std::move(venues), std::move(sites), std::move(sectors));
    snap->names();  // built at once, as it was
    return snap;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt(argc, argv, {{"db", "keepout.sqlite"}, {"as-of", ""}, {"repeat", "5"}, {"out", "."}},
                "keepout-snapshot-bench: Snapshot::build from a keepout database");
    const std::size_t repeat = std::max<std::size_t>(opt.count("repeat"), 1);
    const model::Date as_of = opt.str("as-of").empty() ? model::Date::today_utc() : model::Date::parse(opt.str("as-of"));
    auto store = store::Store::open(opt.str("db"));

    File results(opt.str("out") + "/snapshot_results.tsv");
    std::fputs("measure\tseconds\tvenues\tlisted\n", results.f);
    double build = 1e300, names = 1e300, release = 1e300, old = 1e300;
    std::size_t venues = 0, listed = 0;
    for (std::size_t r = 0; r < repeat; ++r) {
        double t0 = now_s();
        auto snap = Snapshot::build(*store, as_of);
        double t1 = now_s();
        snap->names();
        double t2 = now_s();
        venues = snap->venues().size();
        listed = snap->listed().size();
        snap.reset();
        double t3 = now_s();
        build = std::min(build, t1 - t0);
        names = std::min(names, t2 - t1);
        release = std::min(release, t3 - t2);

        t0 = now_s();
        auto before = row_by_row(*store, as_of);
        t1 = now_s();
        before.reset();
        old = std::min(old, t1 - t0);
    }
    std::fprintf(stderr, "snapshot: %zu venues (%zu listed): build %.3f s, names %.3f s, release %.3f s; row by row %.3f s\n",
                 venues, listed, build, names, release, old);
    std::fprintf(results.f, "build\t%.4f\t%zu\t%zu\n", build, venues, listed);
    std::fprintf(results.f, "names\t%.4f\t%zu\t%zu\n", names, venues, listed);
    std::fprintf(results.f, "release\t%.4f\t%zu\t%zu\n", release, venues, listed);
    std::fprintf(results.f, "row_by_row\t%.4f\t%zu\t%zu\n", old, venues, listed);
    return 0;
}
