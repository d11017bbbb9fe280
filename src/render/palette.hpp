#pragma once
// The colours of the printed products in one place: the slide, the atlas and the patrol card draw
// their furniture, tables and markings from these, so no product carries a blue of its own.
#include "render/style.hpp"

namespace keepout::render::palette {

inline constexpr Color ink{0.1, 0.1, 0.12, 1};         // text, neatlines, the dark half of the north arrow
inline constexpr Color grey{0.4, 0.4, 0.42, 1};        // secondary text: notes, footers, keys
inline constexpr Color rule{0.6, 0.6, 0.62, 1};        // thin separating lines, the boxes to tick
inline constexpr Color un_blue{0.0, 0.62, 0.86, 1};    // #009EDB, the United Nations blue: the title band
inline constexpr Color paper{1, 1, 1, 1};
inline constexpr Color halo{1, 1, 1, 0.85};            // behind text and furniture drawn over a map
inline constexpr Color zebra{0.93, 0.94, 0.96, 1};     // every other table row
inline constexpr Color marking{0.647, 0.059, 0.082, 1};  // #a50f15, the handling marking
inline constexpr Color notice{0.55, 0, 0, 1};          // the title block's notice
inline constexpr Color locator_paper{0.97, 0.98, 1, 1};
inline constexpr Color locator_frame{0.8, 0, 0, 1};    // the main map's outline on the locator
inline constexpr Color size_sample_fill{0.82, 0.85, 0.9, 1}, size_sample_stroke{0.3, 0.35, 0.45, 1};
inline constexpr Color site_blue{0.114, 0.306, 0.537, 1};  // a patrol's start: its square, name and table row
inline constexpr Color route{0.70, 0.07, 0.09, 1};
inline constexpr Color stop{0.84, 0.10, 0.11, 1};
inline constexpr Color card_grid{0.18, 0.37, 0.6, 0.55};
inline constexpr Color card_map{0.965, 0.96, 0.94, 1};  // a patrol map without a backdrop style

}  // namespace keepout::render::palette
