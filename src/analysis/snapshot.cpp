#include "analysis/snapshot.hpp"

#include <algorithm>

#include "geo/coordinates.hpp"
#include "model/rules.hpp"
#include "store/mission.hpp"
#include "store/repository.hpp"

namespace keepout::analysis {

using namespace keepout::model;

Snapshot::Snapshot(Date as_of, std::int64_t list_version, std::vector<VenueView> venues, std::vector<SiteView> sites,
                   std::vector<SectorView> sectors, MissionView mission)
    : as_of_(as_of),
      list_version_(list_version),
      mission_(std::move(mission)),
      venues_(std::move(venues)),
      sites_(std::move(sites)),
      sectors_(std::move(sectors)) {
    std::vector<geo::Box> boxes;
    boxes.reserve(venues_.size());
    listed_.reserve(venues_.size());
    by_id_.reserve(venues_.size());
    for (std::uint32_t i = 0; i < venues_.size(); ++i) {
        const auto& v = venues_[i];
        by_id_.emplace_back(v.venue.id, i);
        if (v.listed) {
            listed_.push_back(i);
            boxes.push_back(v.shape.box);
        }
    }
    // Snapshot::build hands venues over in id order already.
    if (!std::is_sorted(by_id_.begin(), by_id_.end())) std::sort(by_id_.begin(), by_id_.end());
    index_ = geo::GridIndex(boxes);

    auto cover = [this](const geo::Box& b) {
        if (!data_bounds_) {
            data_bounds_ = b;
            return;
        }
        data_bounds_->min_lon = std::min(data_bounds_->min_lon, b.min_lon);
        data_bounds_->min_lat = std::min(data_bounds_->min_lat, b.min_lat);
        data_bounds_->max_lon = std::max(data_bounds_->max_lon, b.max_lon);
        data_bounds_->max_lat = std::max(data_bounds_->max_lat, b.max_lat);
    };
    for (const auto& v : venues_) cover(v.shape.box);
    for (const auto& s : sites_) cover(s.shape.box);
    // Zones of the sites; of the venues only when there are no sites. Each distinct zone once,
    // and few of them: a mission spans a handful.
    auto add_zone = [this](const geo::Box& b) {
        if (grid_zones_.size() >= 16) return;
        const geo::LonLat centre{(b.min_lon + b.max_lon) / 2, (b.min_lat + b.max_lat) / 2};
        std::string z;
        try {
            z = geo::grid_zone_of(centre);
        } catch (const geo::CoordinateError&) {
        }
        if (!z.empty() && std::find(grid_zones_.begin(), grid_zones_.end(), z) == grid_zones_.end())
            grid_zones_.push_back(z);
    };
    for (const auto& s : sites_) add_zone(s.shape.box);
    if (sites_.empty()) {
        // A sample of a few hundred venues is enough to find the zones a mission spans.
        const std::size_t step = std::max<std::size_t>(1, venues_.size() / 256);
        for (std::size_t i = 0; i < venues_.size(); i += step) add_zone(venues_[i].shape.box);
    }
}

const NameIndex& Snapshot::names() const {
    std::call_once(names_once_, [this] {
        std::vector<NameEntry> names;
        std::vector<PlaceEntry> places;
        names.reserve(venues_.size());
        places.reserve(2 * venues_.size());
        for (const auto& v : venues_) {
            names.push_back({v.venue.id, v.venue.name, NameKind::name});
            for (auto& a : v.venue.aliases) names.push_back({v.venue.id, a, NameKind::alias});
            for (auto& f : v.venue.former_names) names.push_back({v.venue.id, f, NameKind::former});
            if (!v.venue.municipality.empty()) places.push_back({v.venue.id, v.venue.municipality});
            if (!v.venue.address.empty()) places.push_back({v.venue.id, v.venue.address});
        }
        names_ = std::make_unique<NameIndex>(std::move(names), std::move(places));
    });
    return *names_;
}

const VenueView* Snapshot::venue_by_id(Id id) const {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::pair<Id, std::uint32_t>{id, 0});
    return it != by_id_.end() && it->first == id ? &venues_[it->second] : nullptr;
}

std::shared_ptr<const Snapshot> Snapshot::build(store::Store& store, Date as_of) {
    // One read transaction: venues, acts and the version all belong to the same list version.
    store.db().exec("BEGIN");
    struct Rollback {
        store::Store& s;
        ~Rollback() {
            try {
                s.db().exec("COMMIT");
            } catch (...) {
            }
        }
    } end{store};
    const std::int64_t version = store.list_version();
    const ListHistory history = store.history();
    std::vector<VenueView> venues;
    venues.reserve(std::size_t(std::max<std::int64_t>(0, store.venue_count())));
    // One pass over the rows: each venue built in place, its shape decoded from the blob SQLite
    // holds (no copy of the WKB, no intermediate Venue).
    store.scan_venues([&](const store::VenueRow& row) {
        VenueView& view = venues.emplace_back();
        Venue& v = view.venue;
        v.id = row.id;
        v.external_id = row.external_id;
        v.name = row.name;
        v.category = row.category;
        v.address = row.address;
        v.municipality = row.municipality;
        view.shape = geo::shape_from_wkb(row.wkb);
        if (auto listed = history.venue_as_of(v.id, as_of)) {
            view.listed = true;
            const Directive* d = history.directive(listed->directive_id);
            view.directive_ref = d ? d->ref : "";
            view.listed_since = listed->listed_since;
            view.until = listed->until;
            view.reasons = std::move(listed->reasons);
        }
        for (auto& e : history.venue_history(v.id, as_of))
            if (e.counts_on_date)
                view.last_act = LastAct{e.directive->ref, e.listing->action, e.listing->effective_from,
                                        e.listing->reasons};
    });
    // Names come in venue id order, as the venues did: a cursor finds each one's venue.
    std::size_t at = 0;
    store.scan_venue_names([&](Id venue_id, std::string_view name, bool alias) {
        while (at < venues.size() && venues[at].venue.id < venue_id) ++at;
        if (at == venues.size() || venues[at].venue.id != venue_id) return;
        (alias ? venues[at].venue.aliases : venues[at].venue.former_names).emplace_back(name);
    });
    std::vector<SiteView> sites;
    for (auto& s : store.sites()) {
        SiteView view{s, geo::shape_from_wkb(s.geometry)};
        view.site.geometry.clear();
        sites.push_back(std::move(view));
    }
    std::vector<SectorView> sectors;
    for (auto& s : store.sectors()) {
        SectorView view{s, geo::shape_from_wkb(s.geometry)};
        view.sector.geometry.clear();
        sectors.push_back(std::move(view));
    }
    MissionView mission;
    if (auto m = store::mission_settings(store)) {
        mission.name = m->name;
        mission.time_zone = m->time_zone;
        mission.languages = m->languages;
        if (!m->area_wkb.empty()) mission.area = geo::shape_from_wkb(m->area_wkb);
    }
    return std::make_shared<const Snapshot>(as_of, version, std::move(venues), std::move(sites), std::move(sectors),
                                            std::move(mission));
}

}  // namespace keepout::analysis
