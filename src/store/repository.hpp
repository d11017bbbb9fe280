#pragma once
// Repositories over one SpatiaLite file: venues, directives, listings, sites, sectors and the
// list version. Each method is one statement; callers wrap related writes in a Transaction and
// append to the audit log in the same transaction.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/rules.hpp"
#include "model/types.hpp"
#include "store/audit.hpp"
#include "store/sqlite.hpp"

namespace keepout::store {

struct NotFound : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One venue on the list as of a date, with the act that keeps it there.
struct ListEntry {
    model::Venue venue;
    model::ListedVenue listing;
    std::string directive_ref;
};

// One stored venue as a single pass over the table sees it (Snapshot::build): the views point
// into SQLite's current row and are valid only during the call they are passed to.
struct VenueRow {
    model::Id id = 0;
    std::string_view external_id;  // empty when the source had none
    std::string_view name;
    model::Category category = model::Category::other;
    std::string_view address;
    std::string_view municipality;
    std::string_view wkb;  // ISO WKB, as venues() would copy into Venue::geometry
};

class Store {
public:
    // Opens an existing keepout database; throws if it is missing or needs `keepout init`.
    // `busy_timeout_ms`: how long a write waits for another connection's lock before Busy.
    static std::unique_ptr<Store> open(const std::string& path, int busy_timeout_ms = Database::kDefaultBusyTimeoutMs);
    // Creates the file if needed and migrates it to the latest schema.
    static std::unique_ptr<Store> init(const std::string& path);
    ~Store();

    Database& db() { return *db_; }
    AuditLog& audit() { return audit_; }
    // The actor is who the audit log names ("Ana (token 3)"); the person is who the four-eyes rule
    // counts ("Ana"), the same unless set apart after set_actor.
    void set_actor(std::string actor) {
        person_ = actor;
        actor_ = std::move(actor);
    }
    void set_person(std::string person) { person_ = std::move(person); }
    const std::string& actor() const { return actor_; }
    const std::string& person() const { return person_; }
    // Appends an audit row by the current actor.
    void record(std::string action, std::string entity, std::string key, std::optional<std::string> before,
                std::optional<std::string> after);

    // --- list version: bumped by every write that can change what the list or a check answers
    // (an act of an issued directive, a venue, a site, a sector). It names the snapshots and the
    // ETags of the read API, so a write that changes an answer must bump it.
    std::int64_t list_version();
    std::int64_t bump_list_version();
    // --- draft revision: bumped by the writes to drafts and submissions instead, which the list
    // does not show.
    std::int64_t draft_revision();
    std::int64_t bump_draft_revision();

    // --- venues
    model::Id insert_venue(const model::Venue&);
    // Rewrites the attributes and names of an existing venue (not its geometry).
    void update_venue(const model::Venue&);
    bool external_id_exists(std::string_view external_id);
    // By id, external_id or exact name (also an alias); throws NotFound or a RuleError when ambiguous.
    model::Venue resolve_venue(std::string_view key);
    std::optional<model::Venue> venue(model::Id id);
    std::vector<model::Venue> venues();
    std::vector<model::Venue> venues(const std::vector<model::Id>& ids);
    std::int64_t venue_count();
    // The same rows as venues(), in id order, handed over one at a time without copies; then every
    // alias and former name in venue id order, each venue's in the order venues() lists them.
    void scan_venues(const std::function<void(const VenueRow&)>& f);
    void scan_venue_names(const std::function<void(model::Id venue_id, std::string_view name, bool alias)>& f);

    // --- directives and listings
    model::Id insert_directive(model::Directive&);
    void update_directive(const model::Directive&);
    std::optional<model::Directive> find_directive(std::string_view ref);
    model::Directive directive(std::string_view ref);  // throws NotFound
    std::vector<model::Directive> directives();
    // Records the store's person as the one who added it when the listing names nobody.
    model::Id insert_listing(model::Listing&);
    std::vector<model::Listing> listings();
    std::vector<model::Listing> listings_of(model::Id directive_id);
    model::ListHistory history();
    // The Off-Limits list as of a date, ordered by venue id.
    std::vector<ListEntry> list_as_of(model::Date);

    // --- deployment sites and sectors
    model::Id insert_site(const model::Site&);
    std::vector<model::Site> sites();
    model::Id insert_sector(const model::Sector&);
    std::vector<model::Sector> sectors();

private:
    explicit Store(std::unique_ptr<Database> db);
    std::vector<model::Venue> read_venues(Statement& st);
    void attach_names(std::vector<model::Venue>&);

    std::unique_ptr<Database> db_;
    AuditLog audit_;
    std::string actor_, person_;
    std::unique_ptr<Statement> insert_venue_, insert_name_, external_id_exists_;
};

// JSON text of entities for the audit log and machine output.
std::string to_json(const model::Directive&);
std::string to_json(const model::Listing&, std::string_view directive_ref, std::string_view venue_key);

}  // namespace keepout::store
