// Fuzz target: `keepout import directives` (source::import_directives) on any bytes, into a database
// holding the Kosovo sample's venues. The reader takes a path, so the bytes go to a file first.
// A file is imported or refused with IoError (row errors in the report); a refused or partly bad
// file writes nothing. After an import that committed, the database is put back as it was, so
// every input meets the same one.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>

#include "fuzz_support.hpp"
#include "source/import.hpp"
#include "store/repository.hpp"

namespace {

namespace fs = std::filesystem;
using namespace keepout;

struct Fixture {
    fs::path pristine = fuzz::scratch_dir() / "directives-pristine.db";
    fs::path db = fuzz::scratch_dir() / "directives.db";
    fs::path input = fuzz::scratch_dir() / "directives.json";
    std::unique_ptr<store::Store> store;

    Fixture() {
        {
            auto s = store::Store::init(pristine.string());
            const auto report = source::import_venues(*s, (fuzz::source_dir() / "data/kosovo/venues.geojson").string(), {});
            if (!report.committed) fuzz::broken("the sample venues import", "data/kosovo/venues.geojson");
        }
        reset();
    }
    void reset() {
        store.reset();
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix);
        fs::copy_file(pristine, db);
        store = store::Store::open(db.string());
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    {
        std::ofstream out(fixture.input, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const std::int64_t version = fixture.store->list_version();
    store::ImportReport report;
    try {
        report = source::import_directives(*fixture.store, fixture.input.string());
    } catch (const source::IoError&) {
        if (fixture.store->list_version() != version) fuzz::broken("a refused file writes nothing", "list version moved");
        return 0;
    } catch (const nlohmann::json::out_of_range& e) {
        // A number beyond double range: a known crash, tolerated on request only.
        if (e.id != 406 || !fuzz::tolerated("json-number-overflow")) throw;
        return 0;
    }
    if (!report.committed && fixture.store->list_version() != version)
        fuzz::broken("a file with a bad row writes nothing", "list version moved");
    if (report.committed) fixture.reset();
    return 0;
}
