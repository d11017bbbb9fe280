#pragma once
// mission.json: the settings of a mission and the files of its area and reference layers, paths
// relative to the file. Everything is read and checked before anything is stored.
#include <string>

#include "source/errors.hpp"
#include "model/mission.hpp"

namespace keepout::source {

// Reads the file and every file it names; throws IoError naming the file and the field at fault.
model::MissionProfile read_mission_file(const std::string& path);

}  // namespace keepout::source
