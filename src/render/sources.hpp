#pragma once
// The features a style's layers draw, built from a snapshot: the store's venues, sites and
// sectors as feature data beside the style's own files, one entry per style layer. Internal to
// src/render.
#include <memory>
#include <vector>

#include "analysis/proximity.hpp"
#include "analysis/snapshot.hpp"
#include "render/features.hpp"
#include "render/style.hpp"

namespace keepout::render {

struct Sources {
    analysis::ProximityReport report;
    std::unique_ptr<FeatureData> venues_listed, venues_all, sites, sectors;
    std::vector<const FeatureData*> per_layer;
};

// The ring radii the site labels count venues within: the style's (1, 2 and 5 km when it has
// none), with `extra` added when it is not among them.
std::vector<double> proximity_rings(const Style& style, double extra);

// Fills `s.per_layer` for `style` (s.report already computed: the sites' counts come from it).
void build_sources(Sources& s, const analysis::Snapshot& snap, const Style& style, const VenueNumbers& numbers);

}  // namespace keepout::render
