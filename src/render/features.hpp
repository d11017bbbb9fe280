#pragma once
// Features as the renderer reads them: a geometry in lon/lat and attribute values, from a file
// (through the reader a front end hands over, source::read_features) or from a snapshot (venues, sites with their ring counts, sectors).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "analysis/proximity.hpp"
#include "analysis/snapshot.hpp"
#include "render/geometry.hpp"
#include "render/style.hpp"

namespace keepout::render {

using Value = std::variant<std::monostate, double, std::string>;

struct Feature {
    Geom geom;
    std::vector<Value> values;  // aligned with FeatureData::fields
    const analysis::VenueView* venue = nullptr;  // store sources: the record behind the feature
    const analysis::SiteView* site = nullptr;
};

struct FeatureData {
    std::string source;
    std::vector<std::string> fields;
    std::vector<Feature> features;
    geo::Box bounds{0, 0, 0, 0};
    bool has_bounds = false;

    int field(const std::string& name) const;  // -1 when absent
    void compute_bounds();
};

// The features of a file, read through `read`; throws std::runtime_error naming the file.
std::shared_ptr<const FeatureData> load_file(const std::string& path, const std::string& layer,
                                             const FeatureFileReader& read);

// The features of the mission's area (kMissionArea: fields name, full_name) or of one of its
// reference layers (its properties), each with the label fields (style.hpp); nullptr when the
// profile has no such layer.
std::shared_ptr<const FeatureData> mission_features(const model::MissionProfile&, const std::string& name);

// The fields each store source offers (for checking templates and filters when a style loads).
std::vector<std::string> store_fields(SourceKind kind, const std::vector<double>& rings);
bool is_store_field(SourceKind kind, const std::string& field);

// venue index (into snapshot.venues()) → number on the map and in the table.
using VenueNumbers = std::map<std::uint32_t, int>;

FeatureData venue_features(const analysis::Snapshot&, bool listed_only, const VenueNumbers& numbers);
FeatureData site_features(const analysis::Snapshot&, const analysis::ProximityReport&);
FeatureData sector_features(const analysis::Snapshot&);

// Whether a feature passes a rule's filter (every condition holds; numbers compare as numbers).
bool matches(const Filter& filter, const FeatureData& data, const Feature& f);

// A template filled from a feature (values markup-escaped when `markup`).
std::string fill_template(const TextTemplate& t, const FeatureData& data, const Feature& f, bool markup);

// Text of a value: integers without a decimal point, other numbers to 6 significant digits.
std::string value_text(const Value& v);
// The number in a value (numeric text counts); nullopt otherwise.
bool value_number(const Value& v, double& out);

}  // namespace keepout::render
