#include "render/sources.hpp"

#include <algorithm>

namespace keepout::render {

std::vector<double> proximity_rings(const Style& style, double extra) {
    auto rings = style.ring_radii();
    if (rings.empty()) rings = {1000, 2000, 5000};
    if (extra > 0 && std::find(rings.begin(), rings.end(), extra) == rings.end()) rings.push_back(extra);
    std::sort(rings.begin(), rings.end());
    return rings;
}

void build_sources(Sources& s, const analysis::Snapshot& snap, const Style& style, const VenueNumbers& numbers) {
    s.per_layer.clear();
    for (const Layer& l : style.layers) {
        switch (l.source.kind) {
        case SourceKind::file:
        case SourceKind::mission: s.per_layer.push_back(l.source.data.get()); break;
        case SourceKind::venues: {
            auto& slot = l.source.listed_only ? s.venues_listed : s.venues_all;
            if (!slot) slot = std::make_unique<FeatureData>(venue_features(snap, l.source.listed_only, numbers));
            s.per_layer.push_back(slot.get());
            break;
        }
        case SourceKind::sites:
            if (!s.sites) s.sites = std::make_unique<FeatureData>(site_features(snap, s.report));
            s.per_layer.push_back(s.sites.get());
            break;
        case SourceKind::sectors:
            if (!s.sectors) s.sectors = std::make_unique<FeatureData>(sector_features(snap));
            s.per_layer.push_back(s.sectors.get());
            break;
        }
    }
}

}  // namespace keepout::render
