#pragma once
// Drawing a style's layers into a map frame: projection, rules, symbolizers, then labels placed
// with collision avoidance. Internal to src/render.
#include <functional>
#include <vector>

#include "render/draw.hpp"
#include "render/features.hpp"
#include "render/labels.hpp"
#include "geo/projection.hpp"
#include "render/render.hpp"

namespace keepout::render {

struct MapDrawResult {
    std::vector<LabelRecord> labels;
    std::size_t dropped = 0;
    std::vector<std::string> dropped_labels;
    // hits[layer][rule]: features the rule drew inside the frame.
    std::vector<std::vector<std::size_t>> hits;
    // Smallest and largest attribute value seen per [layer][rule] by a size-by-attribute marker.
    std::vector<std::vector<std::pair<double, double>>> size_range;
    // Marker boxes of the deployment sites drawn (store source "sites"), page points.
    std::vector<Rect> site_symbols;
    // Labels of venues (store source "venues") placed, and the venues inside the frame whose
    // label found no room, with where they are on the page.
    struct VenueLabel {
        const analysis::VenueView* venue = nullptr;
        LabelRecord label;
    };
    std::vector<VenueLabel> venue_labels;
    struct Unlabelled {
        const analysis::VenueView* venue = nullptr;
        XY at;
        std::string text;
    };
    std::vector<Unlabelled> venues_unlabelled;
};

struct MapDrawOptions {
    bool labels = true;
    bool clip = true;
    double label_margin = 1;  // labels stay this far inside the frame
    // Only features whose anchor is in the label area (the frame less the margin) are labelled:
    // a block of tiles labels what lies in it and leaves its buffer's features to their block.
    bool labels_own_anchor_only = false;
    std::vector<Rect> obstacles;                  // labels keep clear of these too
    std::function<void(cairo_t*)> before_labels;  // drawn over the features, under the labels (the grid)
    // Venues whose labels are placed before any other label (a detail inset's venues).
    std::vector<const analysis::VenueView*> venues_first;
    // How far a leader may take a label out from its point (page points); see LabelRequest.
    double max_leader = std::numeric_limits<double>::infinity();
};

// Draws every layer of `style` with the features in `data` (one entry per style layer).
MapDrawResult draw_map(cairo_t* cr, Text& text, const Projection& proj, const MapView& view, const Style& style,
                       const std::vector<const FeatureData*>& data, const MapDrawOptions& options = {});

// The map of `style` over `snap` alone in `frame` of a page, fitted to the style's extent, with a
// neatline and no other furniture; venues numbered by `numbers`. Returns the scale denominator
// (0: nothing to draw). For documents that hold a map among other things (the published list).
double draw_map_region(cairo_t* cr, Text& text, const analysis::Snapshot& snap, const Style& style, const Rect& frame,
                       const VenueNumbers& numbers);

// Geodesic circle of `radius_m` around p, in lon/lat, `n` vertices.
std::vector<geo::LonLat> geodesic_circle(geo::LonLat p, double radius_m, int n);

// The lon/lat box a frame covers (its boundary sampled and inverse-projected), grown by `pad_m`.
geo::Box frame_box(const Projection& proj, const MapView& view, double pad_m);

}  // namespace keepout::render
