#include "render/features.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include <stdexcept>

namespace keepout::render {

int FeatureData::field(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == name) return int(i);
    return -1;
}

void FeatureData::compute_bounds() {
    has_bounds = false;
    geo::Box b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
               std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    for (auto& f : features) {
        if (f.geom.kind == GeomKind::none) continue;
        b.min_lon = std::min(b.min_lon, f.geom.box.min_lon), b.max_lon = std::max(b.max_lon, f.geom.box.max_lon);
        b.min_lat = std::min(b.min_lat, f.geom.box.min_lat), b.max_lat = std::max(b.max_lat, f.geom.box.max_lat);
        has_bounds = true;
    }
    if (has_bounds) bounds = b;
}

std::shared_ptr<const FeatureData> load_file(const std::string& path, const std::string& layer,
                                             const FeatureFileReader& read) {
    model::FeatureTable t = read(path, layer);
    auto out = std::make_shared<FeatureData>();
    out->source = path;
    out->fields = t.fields;
    out->features.reserve(t.rows.size());
    for (auto& row : t.rows) {
        Feature f;
        try {
            f.geom = geom_from_wkb(row.wkb);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(path + ": feature " + std::to_string(out->features.size() + 1) + ": " + e.what());
        }
        f.values.reserve(row.values.size());
        for (auto& v : row.values) {
            if (auto* i = std::get_if<std::int64_t>(&v)) f.values.emplace_back(double(*i));
            else if (auto* d = std::get_if<double>(&v)) f.values.emplace_back(*d);
            else if (auto* s = std::get_if<std::string>(&v)) f.values.emplace_back(*s);
            else f.values.emplace_back(std::monostate{});
        }
        out->features.push_back(std::move(f));
    }
    out->compute_bounds();
    return out;
}

namespace {

const std::vector<std::string> kVenueFields{"id",        "external_id",  "name",      "aliases",
                                            "category",  "address",      "municipality", "directive",
                                            "listed_since", "reasons",   "number",    "listed"};
const std::vector<std::string> kSiteFields{"id", "name", "kind", "contingent", "personnel", "nearest_m",
                                           "nearest_venue", "exposure"};
const std::vector<std::string> kSectorFields{"id", "name", "unit"};

std::string ring_field(double r) {
    char b[40];
    std::snprintf(b, sizeof b, "count_%g", r);
    return b;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

}  // namespace

std::vector<std::string> store_fields(SourceKind kind, const std::vector<double>& rings) {
    switch (kind) {
    case SourceKind::venues: return kVenueFields;
    case SourceKind::sites: {
        auto f = kSiteFields;
        for (double r : rings) f.push_back(ring_field(r));
        return f;
    }
    case SourceKind::sectors: return kSectorFields;
    case SourceKind::file:
    case SourceKind::mission: break;
    }
    return {};
}

bool is_store_field(SourceKind kind, const std::string& field) {
    for (auto& f : store_fields(kind, {}))
        if (f == field) return true;
    if (kind == SourceKind::sites && field.rfind("count_", 0) == 0 && field.size() > 6) {
        for (std::size_t i = 6; i < field.size(); ++i)
            if (!(std::isdigit(static_cast<unsigned char>(field[i])) || field[i] == '.')) return false;
        return true;
    }
    return false;
}

FeatureData venue_features(const analysis::Snapshot& snap, bool listed_only, const VenueNumbers& numbers) {
    FeatureData d;
    d.source = "venues";
    d.fields = kVenueFields;
    const auto& venues = snap.venues();
    auto add = [&](std::uint32_t i) {
        const auto& v = venues[i];
        Feature f;
        f.venue = &v;
        f.geom = geom_from_shape(v.shape);
        std::vector<std::string> reasons;
        for (auto r : v.reasons) reasons.emplace_back(model::to_string(r));
        auto n = numbers.find(i);
        f.values = {double(v.venue.id),
                    v.venue.external_id,
                    v.venue.name,
                    join(v.venue.aliases, "; "),
                    std::string(model::to_string(v.venue.category)),
                    v.venue.address,
                    v.venue.municipality,
                    v.listed ? Value(v.directive_ref) : Value(),
                    v.listed ? Value(v.listed_since.iso()) : Value(),
                    join(reasons, ", "),
                    n == numbers.end() ? Value() : Value(double(n->second)),
                    std::string(v.listed ? "yes" : "no")};
        d.features.push_back(std::move(f));
    };
    if (listed_only) {
        d.features.reserve(snap.listed().size());
        for (std::uint32_t i : snap.listed()) add(i);
    } else {
        d.features.reserve(venues.size());
        for (std::uint32_t i = 0; i < venues.size(); ++i) add(i);
    }
    d.compute_bounds();
    return d;
}

FeatureData site_features(const analysis::Snapshot& snap, const analysis::ProximityReport& report) {
    FeatureData d;
    d.source = "sites";
    d.fields = store_fields(SourceKind::sites, report.rings);
    std::map<const analysis::SiteView*, const analysis::SiteExposure*> exposure;
    for (auto& e : report.sites) exposure[e.site] = &e;
    for (const auto& s : snap.sites()) {
        Feature f;
        f.site = &s;
        f.geom = geom_from_shape(s.shape);
        const auto* e = exposure.count(&s) ? exposure[&s] : nullptr;
        f.values = {double(s.site.id),   s.site.name, std::string(model::to_string(s.site.kind)),
                    s.site.contingent,   double(s.site.personnel),
                    e && e->nearest ? Value(std::round(e->nearest->distance_m)) : Value(),
                    e && e->nearest ? Value(e->nearest->venue->venue.name) : Value(),
                    e ? Value(e->exposure) : Value()};
        for (std::size_t k = 0; k < report.rings.size(); ++k)
            f.values.emplace_back(e && k < e->ring_counts.size() ? double(e->ring_counts[k]) : 0.0);
        d.features.push_back(std::move(f));
    }
    d.compute_bounds();
    return d;
}

FeatureData sector_features(const analysis::Snapshot& snap) {
    FeatureData d;
    d.source = "sectors";
    d.fields = kSectorFields;
    for (const auto& s : snap.sectors()) {
        Feature f;
        f.geom = geom_from_shape(s.shape);
        f.values = {double(s.sector.id), s.sector.name, s.sector.unit};
        d.features.push_back(std::move(f));
    }
    d.compute_bounds();
    return d;
}

std::string value_text(const Value& v) {
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    if (auto* d = std::get_if<double>(&v)) {
        char b[40];
        if (std::abs(*d) < 1e15 && *d == std::floor(*d)) std::snprintf(b, sizeof b, "%.0f", *d);
        else std::snprintf(b, sizeof b, "%.6g", *d);
        return b;
    }
    return "";
}

bool value_number(const Value& v, double& out) {
    if (auto* d = std::get_if<double>(&v)) {
        out = *d;
        return true;
    }
    if (auto* s = std::get_if<std::string>(&v)) {
        if (s->empty()) return false;
        char* end = nullptr;
        const double x = std::strtod(s->c_str(), &end);
        if (end && *end == '\0' && std::isfinite(x)) {
            out = x;
            return true;
        }
    }
    return false;
}

}  // namespace keepout::render
