#pragma once
// Bulk writes: many venues, sites, sectors or a directives file in one transaction. A reader
// (source/) reads and checks a file and hands its rows over; the writes are here, beside
// store/operations.hpp, so that the transaction, the audit record, the duplicate rules and the
// list version are the store's whichever way rows arrive. By default one bad row means nothing
// is written and every bad row is reported.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "geo/box.hpp"
#include "model/types.hpp"
#include "store/duplicates.hpp"
#include "store/repository.hpp"

namespace keepout::store {

// ---- The report of an import ----

// What kind of problem a row has, so that rows alike are counted together; the reason says the rest.
enum class RowProblem {
    invalid,     // a value that breaks a rule of its field (shape, range, length, code)
    missing,     // a required value is absent (name, geometry)
    duplicate,   // the same key as a row already in the database or earlier in the file
    unreadable,  // the reader could not read the row
    refused,     // the database or a rule of directives refused it
    similar,     // like a venue within 25 m with a similar name (store/duplicates.hpp), not confirmed
};
inline const char* to_string(RowProblem p) {
    switch (p) {
        case RowProblem::missing: return "missing";
        case RowProblem::duplicate: return "duplicate";
        case RowProblem::unreadable: return "unreadable";
        case RowProblem::refused: return "refused";
        case RowProblem::similar: return "similar-venue";
        case RowProblem::invalid: break;
    }
    return "invalid";
}

// Who a row is, as far as its fields could be read: for a report a person can match to the file.
struct RowKey {
    std::string external_id;
    std::string name;
};

// One rejected row of an import: its number in the source (1-based, in reading order), the
// field at fault when there is one, and why.
struct RowError {
    RowError() = default;
    RowError(std::int64_t row_, std::string field_, std::string reason_, RowProblem problem_ = RowProblem::invalid,
             RowKey key_ = {})
        : row(row_), field(std::move(field_)), reason(std::move(reason_)), problem(problem_), key(std::move(key_)) {}

    std::int64_t row = 0;
    std::string field;
    std::string reason;
    RowProblem problem = RowProblem::invalid;
    RowKey key;
};

// A row that passed every check: written, unless the import as a whole was not.
struct RowAccepted {
    std::int64_t row = 0;
    RowKey key;
};

// A row refused by the duplicate rule (also in `errors`), with the venues it looks like.
struct DuplicateRow {
    std::int64_t row = 0;
    std::vector<DuplicateCandidate> like;
};

struct ImportReport {
    std::string source;
    std::int64_t rows_read = 0;
    std::int64_t written = 0;
    std::vector<RowError> errors;
    std::vector<RowAccepted> accepted;  // only when asked for (BulkOptions::keep_accepted_rows)
    std::vector<DuplicateRow> duplicates;
    bool committed = false;
    std::int64_t list_version = 0;
};

// ---- Venues, sites and sectors ----

// One row as the reader hands it over: the record, checked by store/validate.hpp (the reader
// runs the checks on its own thread), or why the reader refused it (row, field, reason,
// problem and key of `refused` set).
template <class Record>
struct IncomingRow {
    std::int64_t row = 0;  // in the source, 1-based
    std::optional<Record> record;
    RowError refused;
};
// The next rows, in source order; an empty batch is the end. A throw aborts the import and
// nothing is written.
template <class Record>
using RowFeed = std::function<std::vector<IncomingRow<Record>>()>;

// A venue and its envelope (as store::check_geometry returns it).
struct ImportedVenue {
    model::Venue venue;
    geo::Box box;
};

struct BulkOptions {
    std::string source;                 // the file, for the report and the audit record
    bool skip_invalid = false;          // write the good rows, report the bad ones
    bool keep_accepted_rows = false;    // list the good rows in ImportReport::accepted
};
struct VenueImportOptions : BulkOptions {
    std::string directive_ref;          // place each imported venue on this draft
    std::vector<model::Reason> reasons; // required with directive_ref
    Duplicates duplicates = Duplicates::refuse;  // a row like a venue within 25 m (store/duplicates.hpp)
};

// One transaction: the rules of each row (external_id once, names like a venue near by, a site
// or sector name once), the audit record "venue.import" / "site.import" / "sector.import" and
// the list version. With skip_invalid a row that fails is undone on its own; without, a failure
// leaves nothing and later rows are still checked, not written.
ImportReport import_venues(Store&, const RowFeed<ImportedVenue>& rows, const VenueImportOptions&);
ImportReport import_sites(Store&, const RowFeed<model::Site>& rows, const BulkOptions&);
ImportReport import_sectors(Store&, const RowFeed<model::Sector>& rows, const BulkOptions&);

// ---- A directives file: a mission's list and its history ----

// A listing as read from the file. A refusal before the venue is looked up (`refused_early`:
// the venue, action or reasons) or after (`refused_late`: its dates) comes with the report's
// words already; the venue and its place in the directive are checked here.
struct IncomingListing {
    std::int64_t row = 0;
    std::string venue;  // external_id, id or exact name
    model::Listing listing;  // action, reasons, effective_from, until
    bool from_given = false;
    std::optional<RowError> refused_early, refused_late;
};
struct IncomingDirective {
    std::int64_t row = 0;
    std::string ref;  // as far as it was read, for the words of a refusal
    std::optional<model::Directive> directive;  // none when the reader refused it
    std::optional<RowError> refused;
    bool listings_readable = true;       // false: 'listings' is not an array (in `shape_errors`)
    std::vector<RowError> shape_errors;  // of the directive's row, after its own checks
    std::vector<IncomingListing> listings;
};
// All or nothing: each directive once and not yet stored, each listing's venue known and once
// per directive, the listing rules of model/rules.hpp; an audit record "directive.import" per
// directive and the list version.
ImportReport import_directives(Store&, const std::string& source, const std::vector<IncomingDirective>&);

}  // namespace keepout::store
