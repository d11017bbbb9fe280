// The store's bulk imports: one transaction that writes every row or none, one audit record, one
// list version; the rules of a row (external_id once, a site or sector name once, a directive's
// listings) are the store's, whatever reader hands the rows over.
#include "store/import.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/repository.hpp"
#include "with_data_dir.hpp"

using namespace keepout::store;
using namespace keepout::model;
using keepout::test::TempDir;

namespace {

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
void put_double(std::string& out, double d) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFFu));
}
std::string point_wkb(double lon, double lat) {
    std::string out(1, '\x01');
    put_u32(out, 1);
    put_double(out, lon);
    put_double(out, lat);
    return out;
}

// Venues a kilometre apart, so that the duplicate rule has nothing to say about them.
ImportedVenue venue_row(int k, std::string external_id = "") {
    ImportedVenue r;
    r.venue.name = "Bar Import " + std::to_string(k);
    r.venue.external_id = external_id.empty() ? "KS-IMP-" + std::to_string(k) : external_id;
    r.venue.category = Category::bar;
    const double lon = 21.1 + 0.01 * k, lat = 42.6;
    r.venue.geometry = point_wkb(lon, lat);
    r.box = {lon, lat, lon, lat};
    return r;
}

// A feed of the given batches, in order, then the end.
template <class Record>
RowFeed<Record> feed_of(std::vector<std::vector<IncomingRow<Record>>> batches) {
    auto next = std::make_shared<std::size_t>(0);
    auto held = std::make_shared<decltype(batches)>(std::move(batches));
    return [next, held]() -> std::vector<IncomingRow<Record>> {
        if (*next == held->size()) return {};
        return (*held)[(*next)++];
    };
}
std::vector<IncomingRow<ImportedVenue>> venue_batch(int first, int count) {
    std::vector<IncomingRow<ImportedVenue>> out;
    for (int k = first; k < first + count; ++k) out.push_back({k, venue_row(k), {}});
    return out;
}

struct Fixture {
    TempDir dir;
    std::unique_ptr<Store> store = Store::init(dir.file("import.sqlite"));
    Fixture() { store->set_actor("tester"); }
    std::int64_t audit_rows() { return store->audit().verify().rows; }
    std::int64_t venue_actions(const std::string& action) {
        Statement st = store->db().prepare("SELECT count(*) FROM audit_log WHERE action = ?");
        st.bind(1, action);
        st.step();
        return st.integer(0);
    }
};

}  // namespace

TEST_CASE("a bulk venue import is one audited transaction", "[store][import]") {
    Fixture f;
    const auto version = f.store->list_version();
    const auto rows = f.audit_rows();
    VenueImportOptions o;
    o.source = "venues.geojson";
    const ImportReport r = import_venues(*f.store, feed_of<ImportedVenue>({venue_batch(1, 3), venue_batch(4, 2)}), o);
    CHECK(r.committed);
    CHECK(r.rows_read == 5);
    CHECK(r.written == 5);
    CHECK(r.errors.empty());
    CHECK(f.store->venues().size() == 5);
    CHECK(r.list_version == version + 1);
    CHECK(f.store->list_version() == version + 1);
    // One audit record for the whole import, naming the file and the ids written; the chain holds.
    CHECK(f.audit_rows() == rows + 1);
    CHECK(f.venue_actions("venue.import") == 1);
    const auto check = f.store->audit().verify();
    CHECK(check.ok);
    Statement st = f.store->db().prepare("SELECT entity_key, after FROM audit_log WHERE action = 'venue.import'");
    REQUIRE(st.step());
    CHECK(st.text(0) == "venues.geojson");
    const auto after = nlohmann::json::parse(st.text(1));
    CHECK(after["written"] == 5);
    CHECK(after["ids"].size() == 2);
}

TEST_CASE("a reader failing mid-way leaves nothing written and the audit chain whole", "[store][import]") {
    Fixture f;
    const auto version = f.store->list_version();
    const auto rows = f.audit_rows();
    // The first batch is written inside the transaction, then the reader gives up.
    int calls = 0;
    RowFeed<ImportedVenue> failing = [&]() -> std::vector<IncomingRow<ImportedVenue>> {
        if (++calls == 1) return venue_batch(1, 3);
        throw std::runtime_error("reading stopped after row 3");
    };
    VenueImportOptions o;
    o.source = "broken.geojson";
    CHECK_THROWS_WITH(import_venues(*f.store, failing, o), "reading stopped after row 3");
    CHECK(f.store->venues().empty());
    CHECK(f.store->list_version() == version);
    CHECK(f.audit_rows() == rows);
    CHECK(f.venue_actions("venue.import") == 0);
    CHECK(f.store->audit().verify().ok);
    // The spatial-index triggers the writer lifts came back with the rollback.
    CHECK(f.store->db().scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'gii_venues_geom'") == 1);
}

TEST_CASE("a bad row leaves nothing written, and later rows are still checked", "[store][import]") {
    Fixture f;
    const auto version = f.store->list_version();
    auto batch = venue_batch(1, 4);
    batch[1].record->venue.external_id = "KS-IMP-1";  // row 2 repeats row 1's external_id
    batch[3].record->venue.external_id = "KS-IMP-3";  // row 4 repeats row 3's, after writing stopped
    // A row the reader refused comes in as it was refused.
    batch.push_back({5, std::nullopt, RowError{5, "geometry", "the geometry is empty", RowProblem::missing, {"KS-IMP-5", "Bar 5"}}});
    VenueImportOptions o;
    o.source = "venues.csv";
    const ImportReport r = import_venues(*f.store, feed_of<ImportedVenue>({batch}), o);
    CHECK_FALSE(r.committed);
    CHECK(r.written == 0);
    CHECK(r.rows_read == 5);
    REQUIRE(r.errors.size() == 3);
    CHECK(r.errors[0].row == 2);
    CHECK(r.errors[0].problem == RowProblem::duplicate);
    CHECK(r.errors[0].key.external_id == "KS-IMP-1");
    CHECK(r.errors[1].row == 4);
    CHECK(r.errors[1].problem == RowProblem::duplicate);
    CHECK(r.errors[2].row == 5);
    CHECK(r.errors[2].problem == RowProblem::missing);
    CHECK(f.store->venues().empty());
    CHECK(f.store->list_version() == version);
    CHECK(f.venue_actions("venue.import") == 0);

    SECTION("with skip_invalid the good rows are written and the bad ones reported") {
        o.skip_invalid = true;
        o.keep_accepted_rows = true;
        const ImportReport s = import_venues(*f.store, feed_of<ImportedVenue>({batch}), o);
        CHECK(s.committed);
        CHECK(s.written == 2);
        CHECK(s.accepted.size() == 2);
        CHECK(s.errors.size() == 3);
        CHECK(f.store->venues().size() == 2);
        CHECK(f.store->list_version() == version + 1);
        CHECK(f.store->audit().verify().ok);
    }
}

TEST_CASE("a bulk import places venues on a draft, or refuses before reading a row", "[store][import]") {
    Fixture f;
    Directive d;
    d.ref = "HOM-2026-01";
    d.title = "Off-limits";
    d.signed_on = d.effective_on = Date::parse("2026-01-10");
    f.store->insert_directive(d);
    bool read = false;
    RowFeed<ImportedVenue> rows = [&]() -> std::vector<IncomingRow<ImportedVenue>> {
        if (read) return {};
        read = true;
        return venue_batch(1, 2);
    };
    VenueImportOptions o;
    o.directive_ref = d.ref;
    CHECK_THROWS_AS(import_venues(*f.store, rows, o), RuleError);  // no reason given
    CHECK_FALSE(read);
    o.reasons = {Reason::force_protection};
    const ImportReport r = import_venues(*f.store, rows, o);
    CHECK(r.committed);
    CHECK(f.store->listings_of(f.store->directive(d.ref).id).size() == 2);
}

TEST_CASE("site and sector names are each kind's key in a bulk import", "[store][import]") {
    Fixture f;
    Site camp;
    camp.name = "Camp North";
    camp.geometry = point_wkb(21.0, 42.9);
    f.store->insert_site(camp);
    std::vector<IncomingRow<Site>> batch;
    Site other = camp;
    other.name = "Camp South";
    batch.push_back({1, other, {}});
    batch.push_back({2, camp, {}});  // already in the database
    batch.push_back({3, other, {}});  // earlier in the file
    BulkOptions o;
    o.source = "sites.geojson";
    const ImportReport r = import_sites(*f.store, feed_of<Site>({batch}), o);
    CHECK_FALSE(r.committed);
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].row == 2);
    CHECK(r.errors[0].reason == "duplicate site name \"Camp North\"");
    CHECK(r.errors[1].row == 3);
    CHECK(f.store->sites().size() == 1);
}

TEST_CASE("a directives file is written whole or not at all", "[store][import]") {
    Fixture f;
    VenueImportOptions vo;
    REQUIRE(import_venues(*f.store, feed_of<ImportedVenue>({venue_batch(1, 2)}), vo).committed);
    const auto version = f.store->list_version();
    const auto rows = f.audit_rows();

    auto directive = [](std::int64_t row, std::string ref, std::vector<std::string> venues) {
        IncomingDirective in;
        in.row = row;
        in.ref = ref;
        Directive d;
        d.ref = ref;
        d.title = "Off-limits " + ref;
        d.authority = "Head of Mission";
        d.signed_on = d.effective_on = Date::parse("2026-01-10");
        d.status = DirectiveStatus::issued;
        in.directive = d;
        for (auto& v : venues) {
            IncomingListing l;
            l.row = ++row;
            l.venue = v;
            l.listing.action = Action::place;
            l.listing.reasons = {Reason::force_protection};
            in.listings.push_back(l);
        }
        return in;
    };
    // The second directive names a venue the store does not know: nothing of the first is kept.
    std::vector<IncomingDirective> file{directive(1, "HOM-1", {"KS-IMP-1"}), directive(3, "HOM-2", {"KS-IMP-2", "KS-NONE"})};
    const ImportReport bad = import_directives(*f.store, "directives.json", file);
    CHECK_FALSE(bad.committed);
    CHECK(bad.rows_read == 5);
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].row == 5);
    CHECK(bad.errors[0].field == "venue");
    CHECK_FALSE(f.store->find_directive("HOM-1"));
    CHECK(f.store->list_version() == version);
    CHECK(f.audit_rows() == rows);

    file[1] = directive(3, "HOM-2", {"KS-IMP-2", "KS-IMP-2"});
    const ImportReport twice = import_directives(*f.store, "directives.json", file);
    REQUIRE(twice.errors.size() == 1);
    CHECK(twice.errors[0].reason == "directive HOM-2 listing: venue KS-IMP-2 is listed twice in directive HOM-2");

    file[1] = directive(3, "HOM-1", {"KS-IMP-2"});
    const ImportReport again = import_directives(*f.store, "directives.json", file);
    REQUIRE(again.errors.size() == 1);
    CHECK(again.errors[0].reason == "directive HOM-1: directive HOM-1 appears twice in the file");

    file[1] = directive(3, "HOM-2", {"KS-IMP-2"});
    const ImportReport good = import_directives(*f.store, "directives.json", file);
    CHECK(good.committed);
    CHECK(good.written == 2);
    CHECK(f.store->directive("HOM-2").issued_by == "Head of Mission");
    CHECK(f.store->list_version() == version + 1);
    CHECK(f.venue_actions("directive.import") == 2);
    CHECK(f.store->audit().verify().ok);
}
