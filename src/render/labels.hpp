#pragma once
// Label placement with collision avoidance, free of any drawing library: labels are placed by
// priority, each tried at several candidate positions around its anchor (and further out on a
// leader line when allowed), and dropped when no candidate fits inside the bounds clear of every
// placed label and obstacle. Nothing placed overlaps.
//
// Written by hand: the libraries at hand (Cairo, Pango) measure and draw text but do not place
// it, and Mapnik's placement finder is not a library one can call on its own.
#include <cstddef>
#include <limits>
#include <vector>

#include "render/layout.hpp"

namespace keepout::render {

struct LabelRequest {
    double x = 0, y = 0;       // anchor on the page
    double w = 0, h = 0;       // the label's box
    double gap = 2;            // clearance between the anchor (or its symbol) and the box
    double symbol = 0;         // radius of the symbol drawn at the anchor
    int priority = 0;          // higher first; ties keep request order
    bool centred = false;      // polygon labels: centred on the anchor, nudged a little when blocked
    bool leader = false;       // may move further out, joined to the anchor by a line
    bool fixed = false;        // only exactly centred on the anchor (ring labels)
    double clearance = 0;      // kept clear around the box: nothing else is placed nearer
    bool on_anchor = false;    // tried first centred on the anchor (a numbered badge over its point)
    // A leader reaches at most this far past the near positions (page points): a label further
    // out is read as another place's, so it is dropped instead (tiles keep leaders short).
    double max_leader = std::numeric_limits<double>::infinity();
};

struct LabelPlacement {
    std::size_t request = 0;   // index into the requests
    Rect box;
    bool leader = false;       // draw a line from the anchor to the box
    double lx0 = 0, ly0 = 0, lx1 = 0, ly1 = 0;  // the leader: from the symbol's edge to the box
};

class LabelPlacer {
public:
    explicit LabelPlacer(Rect bounds, double cell = 24);

    // Something labels must keep clear of (a symbol, the scale bar, …).
    void add_obstacle(const Rect& r);
    bool is_free(const Rect& r) const;
    // Places every request in priority order; returns the placed ones in that order.
    std::vector<LabelPlacement> place(const std::vector<LabelRequest>& requests);
    std::size_t dropped() const { return dropped_; }
    const std::vector<Rect>& placed_boxes() const { return placed_; }

    // Candidate boxes for a request, best first (exposed for tests).
    static std::vector<Rect> candidates(const LabelRequest& r, bool with_leaders);

private:
    struct Item {
        Rect box;
        bool label;
    };
    void insert(const Rect& r, bool is_label);
    // A leader line from (x0, y0) to (x1, y1) crosses no placed label.
    bool segment_free(double x0, double y0, double x1, double y1) const;
    template <class F>
    void visit(const Rect& r, F&& f) const;
    Rect bounds_;
    double cell_;
    int cols_ = 1, rows_ = 1;
    std::vector<std::vector<Item>> grid_;
    std::vector<Rect> placed_;
    std::size_t dropped_ = 0;
};

}  // namespace keepout::render
