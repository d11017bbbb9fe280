#pragma once
// How a typed position was read, told to the user: decimal commas, a grid zone taken from the
// sites, a point outside the mission area or far from the mission's data, latitude and longitude
// that look swapped.
#include "analysis/check.hpp"
#include "geo/coordinates.hpp"

namespace keepout::analysis {

// How far outside the box of the data (venues and sites) a position may be before it is flagged:
// the larger of this and a quarter of the box's size, so a small sample is not too strict.
inline constexpr double kDataAreaMarginM = 20000.0;

// Adds the warnings for `parsed` to `check` and, when the point lies outside the data's area but
// the same numbers with latitude and longitude swapped lie inside it, makes the answer
// ambiguous (unless the point as read is off-limits) with the swapped reading as the
// alternative. The check itself stays the check of the position as read.
void review_position(const Snapshot&, const geo::ParsedPosition& parsed, PositionCheck& check);

}  // namespace keepout::analysis
