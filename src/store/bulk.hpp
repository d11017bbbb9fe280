#pragma once
// Fast inserts of many venues inside one import transaction. SpatiaLite keeps its spatial index
// and bookkeeping with triggers that run once per row; for a bulk import that is two thirds of the
// time. The writer lifts those triggers for the transaction, fills the R-tree once at the end in
// spatial order, and puts the triggers back before commit. Everything happens inside the caller's
// transaction, so a rollback restores the triggers too. The writer keeps the duplicate rule
// (store/duplicates.hpp) against the stored venues and the ones it wrote or checked before.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geo/box.hpp"
#include "geo/grid_index.hpp"
#include "store/duplicates.hpp"
#include "store/repository.hpp"

namespace keepout::store {

class BulkVenueWriter {
public:
    // Call inside a Transaction. `duplicates`: refuse a venue like one within kDuplicateRadiusM
    // (DuplicateVenue), or write it as confirmed.
    explicit BulkVenueWriter(Store& store, Duplicates duplicates = Duplicates::refuse);
    BulkVenueWriter(const BulkVenueWriter&) = delete;
    BulkVenueWriter& operator=(const BulkVenueWriter&) = delete;

    // The caller has validated the geometry (type, SRID 4326, coordinates); `box` is its envelope,
    // `row` the venue's row in the source (named in the candidates of later rows).
    model::Id insert(const model::Venue& venue, const geo::Box& box, std::int64_t row = 0);
    // The duplicate rule only, for a venue that will not be written (an import that has already
    // failed goes on checking its rows); later rows are compared with it too.
    void check(const model::Venue& venue, const geo::Box& box, std::int64_t row = 0);
    // Fills the spatial index and restores the triggers; call before committing.
    void finish();

private:
    Store& store_;
    std::optional<DuplicateFinder> duplicates_;  // none when confirmed
    std::vector<std::pair<std::string, std::string>> triggers_;  // name, SQL
public:
    // An R-tree cell: an id and a box rounded outward to single precision, as SQLite's R-tree
    // keeps it (24 bytes a venue while the import runs).
    struct Cell {
        std::int64_t id;
        float xmin, xmax, ymin, ymax;
    };

private:
    std::vector<Cell> entries_;
    bool finished_ = false;
};

}  // namespace keepout::store
