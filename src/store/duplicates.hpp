#pragma once
// The duplicate rule of the store: a venue within kDuplicateRadiusM of another with a similar name
// is that venue entered a second time, unless whoever writes it confirms that it is another one.
// Similar is text::names_alike on any of the names each goes by (name, aliases, former names);
// the distance is geodesic, between the nearest points of the two geometries (a point, or the
// edge of a footprint; 0 when they overlap). Stored venues are found through the spatial index,
// the venues of a running import through an index of their own, so a check costs a few lookups
// however many venues there are.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "geo/grid_index.hpp"
#include "model/types.hpp"

namespace keepout::store {

class Store;

inline constexpr double kDuplicateRadiusM = 25.0;

// Whether a venue like another within kDuplicateRadiusM may be written.
enum class Duplicates { refuse, confirmed };

struct DuplicateCandidate {
    model::Id id = 0;          // 0: a venue of the same import, not written
    std::int64_t row = 0;      // its row in the same import; 0 for a venue stored before
    std::string external_id;
    std::string name;          // its name
    std::string matched;       // its name, alias or former name that is like…
    std::string like;          // …this name of the venue being written
    double distance_m = 0;
};

// A write refused by the duplicate rule; the candidates nearest first (at most kMaxCandidates),
// never none.
struct DuplicateVenue : model::RuleError {
    explicit DuplicateVenue(std::vector<DuplicateCandidate> candidates);
    std::vector<DuplicateCandidate> candidates;
};
inline constexpr std::size_t kMaxCandidates = 10;

// Finds the venues that one being written may duplicate.
class DuplicateFinder {
public:
    explicit DuplicateFinder(Store& store);
    ~DuplicateFinder();
    DuplicateFinder(const DuplicateFinder&) = delete;
    DuplicateFinder& operator=(const DuplicateFinder&) = delete;

    // Venues within kDuplicateRadiusM of `v` with a name like one of `names` (all of v's names
    // when empty), nearest first, at most kMaxCandidates; `exclude` is left out (v itself).
    // `box`: v's envelope.
    std::vector<DuplicateCandidate> find(const model::Venue& v, const geo::Box& box, model::Id exclude = 0,
                                         const std::vector<std::string>& names = {});
    // Throws DuplicateVenue when find() finds any.
    void refuse_duplicates(const model::Venue& v, const geo::Box& box, model::Id exclude = 0,
                           const std::vector<std::string>& names = {});

    // A venue of the running import that the spatial index does not hold yet: `id` when written
    // (it is read back when it is a candidate), else 0 and the venue is kept.
    void remember(const model::Venue& v, const geo::Box& box, model::Id id, std::int64_t row);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The envelope of a venue's geometry (for callers without one at hand).
geo::Box venue_box(const model::Venue& v);

}  // namespace keepout::store
