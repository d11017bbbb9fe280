#pragma once
// The mission keepout serves: who it is, where, in which time zone and languages. Everything that
// differs between missions lives here, in the database, and nowhere in the code.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace keepout::model {

// A reference layer (districts, municipalities, towns, …) copied into the database so that it
// stands alone: each feature's geometry as 2D WKB lon/lat and its attributes as a JSON object.
struct ReferenceFeature {
    std::string wkb;
    std::string properties_json;
};
struct ReferenceLayer {
    std::string name;
    std::vector<ReferenceFeature> features;
};

struct MissionProfile {
    std::string name;             // "UNMIK", "UNIFIL"
    std::string full_name;        // "United Nations Interim Force in Lebanon"
    std::string head_of_mission;  // the title that signs directives
    std::string time_zone;        // IANA, e.g. "Asia/Beirut"
    std::vector<std::string> languages;  // BCP 47 tags, in order of preference
    double default_radius_m = 75.0;      // the check radius when a request gives none
    // Every listing is reviewed at least this often (days since it was placed or last kept);
    // 0: no periodic review, only emergency directives' review dates.
    int review_interval_days = 0;
    std::string area_wkb;                // the mission area: one Polygon or MultiPolygon
    std::vector<ReferenceLayer> layers;
};

}  // namespace keepout::model
