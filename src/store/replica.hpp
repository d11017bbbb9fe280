#pragma once
// A sector replica's database: the list of one verified publication of the mission HQ, loaded in
// place of whatever list the file held, so that the snapshot, the checks and the list read it as
// they read any keepout database. Only `keepout serve --replica-of` writes through this.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/types.hpp"
#include "store/repository.hpp"

namespace keepout::store {

struct ReplicaDirective {
    std::string ref, title, authority, issued_by;
    model::Date signed_on, effective_on;
    std::optional<model::Date> ended_on;
};

struct ReplicaVenue {
    model::Venue venue;  // with the HQ's id, kept
    std::string directive_ref;
    model::Date listed_since;
    std::optional<model::Date> until;
    std::vector<model::Reason> reasons;
};

struct ReplicaMission {
    std::string name, full_name, head_of_mission, time_zone;
    std::vector<std::string> languages;
    std::string area_wkb;  // the area the venues cover
};

// Whether a database may serve as a replica's: it holds no venues, or holds them from a replica
// load (a mission's own database is never overwritten by a copy).
bool replica_database(Store&);

// Replaces the venues, directives, listings and mission settings with the publication's in one
// transaction, records replica.load (publication number and SHA-256) and bumps the list version.
void load_replica(Store&, std::int64_t publication, const std::string& sha256, const ReplicaMission& mission,
                  const std::vector<ReplicaDirective>& directives, const std::vector<ReplicaVenue>& venues);

}  // namespace keepout::store
