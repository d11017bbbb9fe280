#pragma once
// An immutable in-memory view of one list version on one date: every venue with its state on that
// date, the listed ones in a spatial index, the deployment sites, the sectors and a name index.
// Built in one read transaction and one pass over each table; shared between threads through
// shared_ptr<const Snapshot>.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analysis/names.hpp"
#include "geo/grid_index.hpp"
#include "geo/shapes.hpp"
#include "model/date.hpp"
#include "model/types.hpp"

namespace keepout::store {
class Store;
}

namespace keepout::analysis {

// The act that last changed a venue's state on the snapshot date.
struct LastAct {
    std::string directive_ref;
    model::Action action = model::Action::place;
    model::Date effective_from;
    std::vector<model::Reason> reasons;
};

struct VenueView {
    model::Venue venue;  // geometry WKB dropped after decoding
    geo::Shape shape;
    bool listed = false;
    std::string directive_ref;    // in force, when listed
    model::Date listed_since;     // when listed
    std::optional<model::Date> until;  // when listed for a time only
    std::vector<model::Reason> reasons;
    std::optional<LastAct> last_act;  // latest act that counts on the date, listed or not
};

struct SiteView {
    model::Site site;
    geo::Shape shape;
};

struct SectorView {
    model::Sector sector;
    geo::Shape shape;
};

// What a snapshot keeps of the mission profile: the zone its dates are read in, its languages and
// its area (store/mission.hpp). Before a profile is imported: UTC, no languages, no area.
struct MissionView {
    std::string name;
    std::string time_zone = "UTC";
    std::vector<std::string> languages;  // BCP 47, in order
    std::optional<geo::Shape> area;
};

class Snapshot {
public:
    // Reads venues, directives, listings, sites and sectors in one read transaction, each venue
    // decoded straight from the row SQLite hands over.
    static std::shared_ptr<const Snapshot> build(store::Store& store, model::Date as_of);

    model::Date as_of() const { return as_of_; }
    // The mission's zone, in which as_of() is a local date, and its other settings.
    const MissionView& mission() const { return mission_; }
    const std::string& time_zone() const { return mission_.time_zone; }
    std::int64_t list_version() const { return list_version_; }

    const std::vector<VenueView>& venues() const { return venues_; }  // every venue
    const std::vector<std::uint32_t>& listed() const { return listed_; }  // indexes into venues()
    const std::vector<SiteView>& sites() const { return sites_; }
    const std::vector<SectorView>& sectors() const { return sectors_; }
    // Built on first use (once, whichever thread asks first): folding every name costs more than
    // the rest of the snapshot, and a check by position or a proximity report never needs it.
    const NameIndex& names() const;
    const VenueView* venue_by_id(model::Id id) const;

    // The area the data covers: the box around every venue and site (nullopt when there are
    // none). A position far outside it was probably mistyped (a swapped latitude and longitude).
    const std::optional<geo::Box>& data_bounds() const { return data_bounds_; }
    // The grid zone designations ("34T") of the deployment sites, or of the venues when there
    // are no sites: an MGRS reference typed without its zone is read in these.
    const std::vector<std::string>& grid_zones() const { return grid_zones_; }

    // Calls f(venue_index) for every listed venue whose box lies within `metres` of box b.
    template <class F>
    void listed_near(const geo::Box& b, double metres, F&& f) const {
        index_.query(geo::expand(b, metres), [&](std::uint32_t k) { f(listed_[k]); });
    }

    // For tests and benchmarks: a snapshot from plain data, without a store.
    Snapshot(model::Date as_of, std::int64_t list_version, std::vector<VenueView> venues, std::vector<SiteView> sites,
             std::vector<SectorView> sectors, MissionView mission = {});

private:
    model::Date as_of_;
    std::int64_t list_version_ = 0;
    MissionView mission_;
    std::vector<VenueView> venues_;
    std::vector<std::uint32_t> listed_;
    std::vector<SiteView> sites_;
    std::vector<SectorView> sectors_;
    geo::GridIndex index_;
    mutable std::once_flag names_once_;
    mutable std::unique_ptr<NameIndex> names_;
    std::vector<std::pair<model::Id, std::uint32_t>> by_id_;  // sorted
    std::optional<geo::Box> data_bounds_;
    std::vector<std::string> grid_zones_;
};

}  // namespace keepout::analysis
