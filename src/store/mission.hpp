#pragma once
// The mission profile in the database: read by everything that must not assume a mission, written
// only here, in one transaction with its audit row.
#include <optional>

#include "model/mission.hpp"
#include "store/repository.hpp"

namespace keepout::store {

// The profile, or nothing when no mission was imported yet.
std::optional<model::MissionProfile> mission(Store&);
// The profile without its reference layers (cheap: for dates, radii and zones).
std::optional<model::MissionProfile> mission_settings(Store&);
// What names this version of the profile (the time it was stored, to the millisecond): a reader
// that keeps something built from the profile rebuilds it when this changes; empty without one.
std::string mission_revision(Store&);
// Replaces the profile and its layers; the audit log records the settings before and after and
// each layer's feature count.
void set_mission(Store&, const model::MissionProfile&);

}  // namespace keepout::store
