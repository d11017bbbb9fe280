#include "io/import.hpp"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <functional>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "geo/geos.hpp"
#include "io/gdal_internal.hpp"
#include "io/validate.hpp"
#include "model/rules.hpp"
#include "store/bulk.hpp"

namespace keepout::io {

using namespace keepout::model;

namespace {

bool ends_with_ci(const std::string& s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        char c = s[s.size() - suffix.size() + i];
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

struct RowRejected {
    std::string field;
    std::string reason;
};

// One layer of a source file, read feature by feature with its fields looked up by name.
class SourceLayer {
public:
    SourceLayer(const std::string& path, const std::string& layer_name) : path_(path) {
        std::vector<std::string> options;
        // CSV: take every column as text so numbers are checked by us, strictly.
        if (ends_with_ci(path, ".csv")) options = {"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES"};
        ds_ = gdal::open_vector(path, options);
        layer_ = gdal::pick_layer(ds_.get(), path, layer_name);
        defn_ = OGR_L_GetLayerDefn(layer_);
        csv_ = ends_with_ci(path, ".csv");
        to_wgs84_.emplace(layer_, path);
        wkt_field_ = field({"wkt", "geometry", "geom", "the_geom"});
        lat_field_ = field({"lat", "latitude", "y"});
        lon_field_ = field({"lon", "lng", "long", "longitude", "x"});
    }

    int field(std::initializer_list<const char*> names) const {
        for (const char* n : names) {
            int i = OGR_FD_GetFieldIndex(defn_, n);
            if (i >= 0) return i;
        }
        return -1;
    }

    bool next() {
        feature_.reset(OGR_L_GetNextFeature(layer_));
        if (!feature_) return false;
        ++row_;
        return true;
    }
    std::int64_t row() const { return row_; }

    // Text of a field, or nullopt when absent or null; invalid UTF-8 is a row error.
    std::optional<std::string> text(int idx, const char* name) const {
        if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(feature_.get(), idx)) return std::nullopt;
        std::string v = OGR_F_GetFieldAsString(feature_.get(), idx);
        if (!is_valid_utf8(v)) throw RowRejected{name, "text is not valid UTF-8"};
        if (csv_) v = strip_inert_prefix(v);
        return v;
    }

    // A name list field: a native string list (GeoJSON arrays) or text for parse_name_list.
    std::vector<std::string> names(int idx, const char* name) const {
        if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(feature_.get(), idx)) return {};
        if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn_, idx)) == OFTStringList) {
            std::string joined = "[";
            nlohmann::json arr = nlohmann::json::array();
            for (char** p = OGR_F_GetFieldAsStringList(feature_.get(), idx); p && *p; ++p) {
                if (!is_valid_utf8(*p)) throw RowRejected{name, "text is not valid UTF-8"};
                arr.push_back(*p);
            }
            return parse_name_list(arr.dump());
        }
        auto t = text(idx, name);
        if (!t) return {};
        try {
            return parse_name_list(*t);
        } catch (const std::invalid_argument& e) {
            throw RowRejected{name, e.what()};
        }
    }

    // The feature's geometry as 2D WKB in EPSG:4326, checked: allowed type, not empty,
    // coordinates in range, polygons valid (or repaired when asked).
    std::string geometry(const std::vector<std::string>& allowed, bool repair, bool& repaired, geo::Box* box = nullptr) {
        gdal::Geometry owned;
        OGRGeometryH g = OGR_F_GetGeometryRef(feature_.get());
        if (!g || OGR_G_IsEmpty(g)) {
            owned = geometry_from_fields();
            g = owned.get();
        } else {
            owned.reset(OGR_G_Clone(g));
            g = owned.get();
        }
        if (!to_wgs84_->apply(g))
            throw RowRejected{"geometry", "cannot transform to EPSG:4326: " + gdal::last_error()};
        const std::string type = OGR_G_GetGeometryName(g);
        std::string type_name = type.empty() ? type : std::string(1, type[0]) + lower(type.substr(1));
        if (type_name == "Multipolygon") type_name = "MultiPolygon";
        if (std::find(allowed.begin(), allowed.end(), type_name) == allowed.end()) {
            std::string list;
            for (auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            throw RowRejected{"geometry", type_name + " is not accepted here (expected " + list + ")"};
        }
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        if (!std::isfinite(env.MinX) || !std::isfinite(env.MaxX) || !std::isfinite(env.MinY) ||
            !std::isfinite(env.MaxY))
            throw RowRejected{"geometry", "coordinates are not finite numbers"};
        if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90)
            throw RowRejected{"geometry", "coordinates out of range (longitude " + num(env.MinX) + ".." +
                                              num(env.MaxX) + ", latitude " + num(env.MinY) + ".." +
                                              num(env.MaxY) + "): expected lon -180..180, lat -90..90"};
        std::string wkb = gdal::to_wkb(g);
        if (box) *box = {env.MinX, env.MinY, env.MaxX, env.MaxY};
        repaired = false;
        if (type_name != "Point") {
            std::string why;
            try {
                why = geo::invalid_reason(wkb);
            } catch (const geo::GeometryError& e) {
                throw RowRejected{"geometry", e.what()};
            }
            if (!why.empty()) {
                if (!repair) throw RowRejected{"geometry", "invalid polygon: " + why + " (use --repair to fix it)"};
                wkb = geo::make_valid(wkb);
                const std::string fixed_type = geo::geometry_type(wkb);
                if (fixed_type != "Polygon" && fixed_type != "MultiPolygon")
                    throw RowRejected{"geometry", "invalid polygon: " + why + "; repair gave a " + fixed_type};
                repaired = true;
            }
        }
        return wkb;
    }

private:
    static std::string lower(std::string s) {
        for (char& c : s)
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        return s;
    }
    static std::string num(double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%.6g", v);
        return b;
    }

    // Tables without a geometry column (CSV, spreadsheets): a WKT column, else lat/lon columns.
    gdal::Geometry geometry_from_fields() const {
        if (wkt_field_ >= 0) {
            if (auto wkt = text(wkt_field_, "wkt"); wkt && !trim(*wkt).empty()) {
                OGRGeometryH g = nullptr;
                char* p = wkt->data();
                if (OGR_G_CreateFromWkt(&p, nullptr, &g) != OGRERR_NONE || !g)
                    throw RowRejected{"wkt", "not valid WKT"};
                return gdal::Geometry(g);
            }
        }
        if (lat_field_ >= 0 && lon_field_ >= 0) {
            auto lat_text = text(lat_field_, "lat");
            auto lon_text = text(lon_field_, "lon");
            if (!lat_text || !lon_text || trim(*lat_text).empty() || trim(*lon_text).empty())
                throw RowRejected{"geometry", "missing coordinates (lat/lon empty)"};
            auto lat = parse_number(*lat_text);
            auto lon = parse_number(*lon_text);
            if (!lat) throw RowRejected{"lat", "'" + *lat_text + "' is not a number"};
            if (!lon) throw RowRejected{"lon", "'" + *lon_text + "' is not a number"};
            gdal::Geometry g(OGR_G_CreateGeometry(wkbPoint));
            OGR_G_SetPoint_2D(g.get(), 0, *lon, *lat);
            return g;
        }
        throw RowRejected{"geometry", "missing geometry (no geometry, WKT or lat/lon columns)"};
    }

    std::string path_;
    gdal::Dataset ds_;
    OGRLayerH layer_ = nullptr;
    OGRFeatureDefnH defn_ = nullptr;
    gdal::Feature feature_;
    std::optional<gdal::LayerToWgs84> to_wgs84_;  // set once the layer is picked
    std::int64_t row_ = 0;
    bool csv_ = false;
    int wkt_field_ = -1, lat_field_ = -1, lon_field_ = -1;
};

std::string required_name(SourceLayer& src, int idx) {
    auto name = src.text(idx, "name");
    if (!name || trim(*name).empty()) throw RowRejected{"name", "name is missing"};
    return trim(*name);
}

// Rows travel from the reader thread (GDAL, mapping, validation) to the writer (SQLite) in
// batches, so reading the next rows overlaps writing the last ones on a two-core machine.
template <class Record>
struct Prepared {
    std::int64_t row = 0;
    std::optional<Record> record;
    RowRejected rejected;
};

template <class Record>
class RowPipe {
public:
    void push(std::vector<Prepared<Record>> batch) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return queue_.size() < kMaxBatches || cancelled_; });
        queue_.push_back(std::move(batch));
        not_empty_.notify_one();
    }
    // An empty batch means the reader is done.
    std::vector<Prepared<Record>> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return !queue_.empty(); });
        auto batch = std::move(queue_.front());
        queue_.pop_front();
        not_full_.notify_one();
        return batch;
    }
    void cancel() {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        not_full_.notify_all();
    }
    bool cancelled() {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }

private:
    static constexpr std::size_t kMaxBatches = 8;
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<std::vector<Prepared<Record>>> queue_;
    bool cancelled_ = false;
};

// The all-or-nothing loop shared by the importers. `prepare` maps and validates one feature on
// the reader thread (no database there); `write` checks against the database and writes it, on
// the caller's thread, which owns the connection.
template <class Record>
ImportReport run_import(store::Store& store, const std::string& path, const ImportOptions& opts, SourceLayer& src,
                        const std::function<Record()>& prepare,
                        const std::function<void(Record&, bool write)>& write,
                        const std::function<void(ImportReport&)>& finish, const std::function<void()>& start = [] {}) {
    ImportReport report;
    report.source = path;
    store::Transaction tx(store.db());
    start();

    RowPipe<Record> pipe;
    std::exception_ptr reader_failure;
    std::thread reader([&] {
        try {
            std::vector<Prepared<Record>> batch;
            while (!pipe.cancelled() && src.next()) {
                Prepared<Record> p;
                p.row = src.row();
                try {
                    p.record = prepare();
                } catch (const RowRejected& r) {
                    p.rejected = r;
                }
                batch.push_back(std::move(p));
                if (batch.size() == 512) pipe.push(std::exchange(batch, {}));
            }
            if (!batch.empty()) pipe.push(std::move(batch));
        } catch (...) {
            reader_failure = std::current_exception();
        }
        pipe.push({});
    });
    struct Join {
        std::thread& t;
        RowPipe<Record>& p;
        ~Join() {
            p.cancel();
            if (t.joinable()) t.join();
        }
    } join{reader, pipe};

    for (auto batch = pipe.pop(); !batch.empty(); batch = pipe.pop()) {
        for (auto& p : batch) {
            ++report.rows_read;
            if (!p.record) {
                report.errors.push_back({p.row, p.rejected.field, p.rejected.reason});
                continue;
            }
            // With --skip-invalid a row that fails half-way is undone on its own through a savepoint.
            if (opts.skip_invalid) store.db().exec("SAVEPOINT import_row");
            auto reject = [&](std::string field, std::string reason) {
                report.errors.push_back({p.row, std::move(field), std::move(reason)});
                if (opts.skip_invalid) store.db().exec("ROLLBACK TO import_row; RELEASE import_row");
            };
            try {
                // Once a row has failed and nothing will be committed, keep validating without writing.
                const bool writing = opts.skip_invalid || report.errors.empty();
                write(*p.record, writing);
                if (writing) ++report.written;
                if (opts.skip_invalid) store.db().exec("RELEASE import_row");
            } catch (const RowRejected& r) {
                reject(r.field, r.reason);
            } catch (const store::StoreError& e) {
                reject("", e.what());
            } catch (const RuleError& e) {
                reject("", e.what());
            }
        }
    }
    reader.join();
    if (reader_failure) std::rethrow_exception(reader_failure);
    if (!report.errors.empty() && !opts.skip_invalid) {
        report.written = 0;
        return report;  // the transaction rolls back
    }
    finish(report);
    report.list_version = store.bump_list_version();
    tx.commit();
    report.committed = true;
    return report;
}

nlohmann::json summary(const ImportReport& r, const std::string& kind) {
    return {{"source", r.source}, {"kind", kind}, {"rows", r.rows_read}, {"written", r.written},
            {"rejected", r.errors.size()}};
}

}  // namespace

ImportReport import_venues(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts.layer);
    const int f_name = src.field({"name"}), f_ext = src.field({"external_id", "external_i", "ext_id"}), f_cat = src.field({"category"}),
              f_addr = src.field({"address"}), f_mun = src.field({"municipality", "municipali"}),
              f_alias = src.field({"aliases"}), f_former = src.field({"former_names", "former_nam"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; venues need a name");

    std::optional<Directive> directive;
    if (!opts.directive_ref.empty()) {
        directive = store.directive(opts.directive_ref);
        require_draft(*directive, "place venues");
        if (opts.reasons.empty()) throw RuleError("--directive needs --reason");
    }
    // Duplicates of rows already written are found in the database (same transaction); only the
    // ids seen once writing has stopped need remembering here.
    std::unordered_set<std::string> seen_unwritten;
    Id first_id = 0, last_id = 0;
    std::optional<store::BulkVenueWriter> writer;  // made inside the import transaction
    const std::vector<std::string> allowed{"Point", "Polygon", "MultiPolygon"};

    struct Row {
        Venue venue;
        geo::Box box;
    };
    std::function<Row()> prepare = [&] {
        Row row;
        Venue& v = row.venue;
        v.name = required_name(src, f_name);
        if (auto ext = src.text(f_ext, "external_id")) v.external_id = trim(*ext);
        if (auto cat = src.text(f_cat, "category"); cat && !trim(*cat).empty()) {
            auto c = parse_category(normalise_code(*cat));
            if (!c) {
                std::string codes;
                for (auto code : all_category_codes()) codes += (codes.empty() ? "" : ", ") + std::string(code);
                throw RowRejected{"category", "unknown category '" + *cat + "' (expected one of " + codes + ")"};
            }
            v.category = *c;
        }
        v.address = trim(src.text(f_addr, "address").value_or(""));
        v.municipality = trim(src.text(f_mun, "municipality").value_or(""));
        v.aliases = src.names(f_alias, "aliases");
        v.former_names = src.names(f_former, "former_names");
        bool repaired = false;
        v.geometry = src.geometry(allowed, opts.repair, repaired, &row.box);
        return row;
    };
    std::function<void(Row&, bool)> write_row = [&](Row& row, bool write) {
        const Venue& v = row.venue;
        const auto duplicate = [&] {
            return RowRejected{"external_id", "duplicate external_id '" + v.external_id +
                                                  "': already in the database or earlier in this file"};
        };
        if (!write) {
            // Nothing more is written: compare with the database and the rows seen since.
            if (!v.external_id.empty() &&
                (store.external_id_exists(v.external_id) || !seen_unwritten.insert(v.external_id).second))
                throw duplicate();
            return;
        }
        Listing l;  // checked before the venue is written, so a failure leaves nothing half-done
        if (directive) {
            l.directive_id = directive->id;
            l.action = Action::place;
            l.reasons = opts.reasons;
            prepare_listing(*directive, l, false);
        }
        Id id = 0;
        try {
            id = writer->insert(v, row.box);  // the unique index finds a duplicate external_id
        } catch (const store::Conflict& e) {
            // external_id is the venues table's only unique key beside its rowid
            if (e.unique) throw duplicate();
            throw;
        }
        if (!first_id) first_id = id;
        last_id = id;
        if (directive) {
            l.venue_id = id;
            store.insert_listing(l);
        }
    };
    auto finish = [&](ImportReport& r) {
        writer->finish();
        auto after = summary(r, "venues");
        if (first_id) after["ids"] = {first_id, last_id};
        if (directive) after["directive"] = directive->ref;
        store.record("venue.import", "venue", path, std::nullopt, after.dump());
    };
    return run_import<Row>(store, path, opts, src, prepare, write_row, finish, [&] { writer.emplace(store); });
}

ImportReport import_sites(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts.layer);
    const int f_name = src.field({"name"}), f_kind = src.field({"kind"}), f_cont = src.field({"contingent"}),
              f_pers = src.field({"personnel", "strength"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; sites need a name");
    std::unordered_set<std::string> names;
    for (auto& s : store.sites()) names.insert(s.name);
    const std::vector<std::string> allowed{"Point", "Polygon", "MultiPolygon"};
    std::function<Site()> prepare = [&] {
        Site s;
        s.name = required_name(src, f_name);
        if (auto k = src.text(f_kind, "kind"); k && !trim(*k).empty()) {
            auto kind = parse_site_kind(normalise_code(*k));
            if (!kind)
                throw RowRejected{"kind", "unknown kind '" + *k + "' (expected military, police, civilian, hq, other)"};
            s.kind = *kind;
        }
        s.contingent = trim(src.text(f_cont, "contingent").value_or(""));
        if (auto p = src.text(f_pers, "personnel"); p && !trim(*p).empty()) {
            auto n = parse_integer(*p);
            if (!n || *n < 0) throw RowRejected{"personnel", "'" + *p + "' is not a whole number of people"};
            s.personnel = *n;
        }
        bool repaired = false;
        s.geometry = src.geometry(allowed, opts.repair, repaired);
        return s;
    };
    std::function<void(Site&, bool)> write_row = [&](Site& s, bool write) {
        if (!names.insert(s.name).second) throw RowRejected{"name", "duplicate site name '" + s.name + "'"};
        if (write) store.insert_site(s);
    };
    auto finish = [&](ImportReport& r) {
        store.record("site.import", "site", path, std::nullopt, summary(r, "sites").dump());
    };
    return run_import<Site>(store, path, opts, src, prepare, write_row, finish);
}

ImportReport import_sectors(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts.layer);
    const int f_name = src.field({"name", "shapeName"}), f_unit = src.field({"unit"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; sectors need a name");
    std::unordered_set<std::string> names;
    for (auto& s : store.sectors()) names.insert(s.name);
    const std::vector<std::string> allowed{"Polygon", "MultiPolygon"};
    std::function<Sector()> prepare = [&] {
        Sector s;
        s.name = required_name(src, f_name);
        s.unit = trim(src.text(f_unit, "unit").value_or(""));
        bool repaired = false;
        s.geometry = src.geometry(allowed, opts.repair, repaired);
        return s;
    };
    std::function<void(Sector&, bool)> write_row = [&](Sector& s, bool write) {
        if (!names.insert(s.name).second) throw RowRejected{"name", "duplicate sector name '" + s.name + "'"};
        if (write) store.insert_sector(s);
    };
    auto finish = [&](ImportReport& r) {
        store.record("sector.import", "sector", path, std::nullopt, summary(r, "sectors").dump());
    };
    return run_import<Sector>(store, path, opts, src, prepare, write_row, finish);
}

}  // namespace keepout::io
