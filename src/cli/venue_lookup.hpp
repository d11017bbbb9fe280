#pragma once
// Venues named on the command line the way people name them.
#include <string>

#include "model/types.hpp"

namespace keepout::store {
class Store;
}

namespace keepout::cli {

// The venue a reader means: its id, external_id or exact name (also an alias), else a name or part
// of one that the name matching of `check --name` finds one clear venue for ("plavi kesten",
// "Kesten"). When several venues fit, a UsageError lists them with their ids and says to give one
// of those; when none does, it names the closest venues there are.
model::Venue find_venue(store::Store&, const std::string& query);

// For writes, which take only an id, external_id or exact name: a key that names no venue is a
// UsageError that names the closest venues, and an exact name several venues bear lists them.
void require_exact_venue(store::Store&, const std::string& key);

}  // namespace keepout::cli
