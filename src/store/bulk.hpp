#pragma once
// Fast inserts of many venues inside one import transaction. SpatiaLite keeps its spatial index
// and bookkeeping with triggers that run once per row; for a bulk import that is two thirds of the
// time. The writer lifts those triggers for the transaction, fills the R-tree once at the end in
// spatial order, and puts the triggers back before commit. Everything happens inside the caller's
// transaction, so a rollback restores the triggers too.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/box.hpp"
#include "store/repository.hpp"

namespace keepout::store {

class BulkVenueWriter {
public:
    explicit BulkVenueWriter(Store& store);  // call inside a Transaction
    BulkVenueWriter(const BulkVenueWriter&) = delete;
    BulkVenueWriter& operator=(const BulkVenueWriter&) = delete;

    // The caller has validated the geometry (type, SRID 4326, coordinates); `box` is its envelope.
    model::Id insert(const model::Venue& venue, const geo::Box& box);
    // Fills the spatial index and restores the triggers; call before committing.
    void finish();

private:
    Store& store_;
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
