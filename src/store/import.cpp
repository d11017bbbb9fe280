#include "store/import.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "model/rules.hpp"
#include "store/bulk.hpp"
#include "store/validate.hpp"
#include "text/utf8.hpp"

namespace keepout::store {

using namespace keepout::model;

namespace {

// A row the writer refuses: the field at fault, why, and the kind of problem.
struct Refused {
    std::string field;
    std::string reason;
    RowProblem problem = RowProblem::invalid;
};

nlohmann::json summary(const ImportReport& r, const std::string& kind) {
    return {{"source", r.source}, {"kind", kind}, {"rows", r.rows_read}, {"written", r.written},
            {"rejected", r.errors.size()}};
}

// The all-or-nothing loop of the bulk imports. `write(record, row, writing)` checks one row
// against the database and, when `writing`, writes it; `start` runs once the transaction is
// open, `finish` before the commit.
template <class Record>
ImportReport run_import(Store& store, const RowFeed<Record>& rows, const BulkOptions& opts,
                        const std::function<void(Record&, std::int64_t row, bool writing)>& write,
                        const std::function<void(ImportReport&)>& finish,
                        const std::function<RowKey(const Record&)>& key, const std::function<void()>& start = [] {}) {
    ImportReport report;
    report.source = opts.source;
    Transaction tx(store.db());
    start();
    for (auto batch = rows(); !batch.empty(); batch = rows()) {
        for (auto& p : batch) {
            ++report.rows_read;
            if (!p.record) {
                report.errors.push_back(std::move(p.refused));
                continue;
            }
            // With skip_invalid a row that fails half-way is undone on its own through a savepoint.
            if (opts.skip_invalid) store.db().exec("SAVEPOINT import_row");
            auto reject = [&](std::string field, std::string reason, RowProblem problem) {
                report.errors.push_back({p.row, std::move(field), std::move(reason), problem, key(*p.record)});
                if (opts.skip_invalid) store.db().exec("ROLLBACK TO import_row; RELEASE import_row");
            };
            try {
                // Once a row has failed and nothing will be committed, keep checking without writing.
                const bool writing = opts.skip_invalid || report.errors.empty();
                write(*p.record, p.row, writing);
                if (writing) ++report.written;
                if (opts.skip_invalid) store.db().exec("RELEASE import_row");
                if (opts.keep_accepted_rows) report.accepted.push_back({p.row, key(*p.record)});
            } catch (const Refused& r) {
                reject(r.field, r.reason, r.problem);
            } catch (const InvalidField& e) {
                reject(e.field, e.what(), RowProblem::invalid);
            } catch (const DuplicateVenue& e) {
                reject("name", e.what(), RowProblem::similar);
                report.duplicates.push_back({p.row, e.candidates});
            } catch (const StoreError& e) {
                reject("", e.what(), RowProblem::refused);
            } catch (const RuleError& e) {
                reject("", e.what(), RowProblem::refused);
            }
        }
    }
    if (!report.errors.empty() && !opts.skip_invalid) {
        report.written = 0;
        return report;  // the transaction rolls back
    }
    finish(report);
    report.list_version = store.bump_list_version();
    tx.commit();
    report.committed = true;
    return report;
}

// Site and sector names are each kind's key: once in the database and in the file.
template <class Record>
ImportReport import_named(Store& store, const RowFeed<Record>& rows, const BulkOptions& opts,
                          const std::vector<Record>& stored, const char* kind, const char* plural,
                          Id (Store::*insert)(const Record&)) {
    std::unordered_set<std::string> names;
    for (auto& s : stored) names.insert(s.name);
    std::function<void(Record&, std::int64_t, bool)> write = [&](Record& r, std::int64_t, bool writing) {
        if (!names.insert(r.name).second)
            throw Refused{"name", std::string("duplicate ") + kind + " name " + text::quote(r.name), RowProblem::duplicate};
        if (writing) (store.*insert)(r);
    };
    std::function<void(ImportReport&)> finish = [&](ImportReport& r) {
        store.record(std::string(kind) + ".import", kind, opts.source, std::nullopt, summary(r, plural).dump());
    };
    return run_import<Record>(store, rows, opts, write, finish, [](const Record& r) { return RowKey{"", r.name}; });
}

}  // namespace

ImportReport import_venues(Store& store, const RowFeed<ImportedVenue>& rows, const VenueImportOptions& opts) {
    std::optional<Directive> directive;
    if (!opts.directive_ref.empty()) {
        directive = store.directive(opts.directive_ref);
        require_draft(*directive, "place venues");
        if (opts.reasons.empty()) throw RuleError("--directive needs --reason");
    }
    // Duplicates of rows already written are found in the database (same transaction); only the
    // ids seen once writing has stopped need remembering here.
    std::unordered_set<std::string> seen_unwritten;
    Id first_id = 0, last_id = 0;
    std::optional<BulkVenueWriter> writer;  // made inside the import transaction
    // `row_number`: in the source, for the candidates the duplicate rule names to later rows.
    std::function<void(ImportedVenue&, std::int64_t, bool)> write = [&](ImportedVenue& row, std::int64_t row_number, bool writing) {
        const Venue& v = row.venue;
        const auto duplicate = [&] {
            return Refused{"external_id",
                           "duplicate external_id " + text::quote(v.external_id) +
                               ": already in the database or earlier in this file",
                           RowProblem::duplicate};
        };
        if (!writing) {
            // Nothing more is written: compare with the database and the rows seen since.
            if (!v.external_id.empty() &&
                (store.external_id_exists(v.external_id) || !seen_unwritten.insert(v.external_id).second))
                throw duplicate();
            writer->check(v, row.box, row_number);
            return;
        }
        // A known external_id is the same venue again (a re-import), not a near duplicate.
        if (!v.external_id.empty() && store.external_id_exists(v.external_id)) throw duplicate();
        Listing l;  // checked before the venue is written, so a failure leaves nothing half-done
        if (directive) {
            l.directive_id = directive->id;
            l.action = Action::place;
            l.reasons = opts.reasons;
            prepare_listing(*directive, l, false);
        }
        Id id = 0;
        try {
            id = writer->insert(v, row.box, row_number);  // the unique index finds a duplicate external_id
        } catch (const Conflict& e) {
            // external_id is the venues table's only unique key beside its rowid
            if (e.unique) throw duplicate();
            throw;
        }
        if (!first_id) first_id = id;
        last_id = id;
        if (directive) {
            l.venue_id = id;
            store.insert_listing(l);
        }
    };
    std::function<void(ImportReport&)> finish = [&](ImportReport& r) {
        writer->finish();
        auto after = summary(r, "venues");
        if (first_id) after["ids"] = {first_id, last_id};
        if (directive) after["directive"] = directive->ref;
        store.record("venue.import", "venue", opts.source, std::nullopt, after.dump());
    };
    const auto key = [](const ImportedVenue& row) { return RowKey{row.venue.external_id, row.venue.name}; };
    return run_import<ImportedVenue>(store, rows, opts, write, finish, key,
                                [&] { writer.emplace(store, opts.duplicates); });
}

ImportReport import_sites(Store& store, const RowFeed<Site>& rows, const BulkOptions& opts) {
    return import_named<Site>(store, rows, opts, store.sites(), "site", "sites", &Store::insert_site);
}

ImportReport import_sectors(Store& store, const RowFeed<Sector>& rows, const BulkOptions& opts) {
    return import_named<Sector>(store, rows, opts, store.sectors(), "sector", "sectors", &Store::insert_sector);
}

ImportReport import_directives(Store& store, const std::string& source, const std::vector<IncomingDirective>& file) {
    ImportReport report;
    report.source = source;
    Transaction tx(store.db());
    std::set<std::string> refs;
    // Row numbers count directives and their listings in file order: directive 1, its listings, …
    for (const IncomingDirective& item : file) {
        ++report.rows_read;
        std::optional<Directive> d;
        if (item.refused) {
            report.errors.push_back(*item.refused);
        } else {
            const auto refuse = [&](const std::string& reason) {
                report.errors.push_back({item.row, "ref", "directive " + item.ref + ": " + reason});
            };
            if (!refs.insert(item.directive->ref).second) {
                refuse("directive " + item.ref + " appears twice in the file");
            } else if (store.find_directive(item.directive->ref)) {
                refuse("directive " + item.ref + " is already in the database");
            } else {
                d = *item.directive;
                d->drafted_by = store.actor();
                if (d->status == DirectiveStatus::issued) d->issued_by = d->authority;
                store.insert_directive(*d);
            }
        }
        for (const RowError& e : item.shape_errors) report.errors.push_back(e);
        if (!item.listings_readable) continue;
        std::set<Id> venues_in_directive;
        for (const IncomingListing& l : item.listings) {
            ++report.rows_read;
            if (l.refused_early) {
                report.errors.push_back(*l.refused_early);
                continue;
            }
            const auto refuse = [&](const std::string& field, const std::string& reason) {
                report.errors.push_back({l.row, field, "directive " + item.ref + " listing: " + reason});
            };
            Venue v;
            try {
                v = store.resolve_venue(l.venue);
            } catch (const std::exception& e) {
                refuse("venue", e.what());
                continue;
            }
            if (!venues_in_directive.insert(v.id).second) {
                refuse("venue", "venue " + l.venue + " is listed twice in directive " + item.ref);
                continue;
            }
            if (l.refused_late) {
                report.errors.push_back(*l.refused_late);
                continue;
            }
            if (!d) continue;  // checked all the same, nothing to attach it to
            Listing listing = l.listing;
            listing.directive_id = d->id;
            listing.venue_id = v.id;
            // Listings are recorded on the draft, then the directive's status applies.
            Directive as_draft = *d;
            as_draft.status = DirectiveStatus::draft;
            try {
                prepare_listing(as_draft, listing, l.from_given);
                store.insert_listing(listing);
            } catch (const RuleError& e) {
                refuse("", e.what());
            }
        }
        if (d && report.errors.empty()) {
            ++report.written;
            store.record("directive.import", "directive", d->ref, std::nullopt, to_json(*d));
        }
    }
    if (!report.errors.empty()) {
        report.written = 0;
        return report;
    }
    report.list_version = store.bump_list_version();
    tx.commit();
    report.committed = true;
    return report;
}

}  // namespace keepout::store
