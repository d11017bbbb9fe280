#include "source/import.hpp"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>
#include <functional>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include <cpl_string.h>

#include "geo/geos.hpp"
#include "source/gdal_internal.hpp"
#include "source/validate.hpp"
#include "text/csv.hpp"
#include "model/rules.hpp"
#include "store/import.hpp"
#include "text/utf8.hpp"

namespace keepout::source {

using namespace keepout::model;
using gdal::ends_with_ci;
using store::ImportReport;
using store::RowKey;
using store::RowProblem;

namespace {

struct RowRejected {
    RowRejected() = default;
    RowRejected(std::string field_, std::string reason_, RowProblem problem_ = RowProblem::invalid)
        : field(std::move(field_)), reason(std::move(reason_)), problem(problem_) {}

    std::string field;
    std::string reason;
    RowProblem problem = RowProblem::invalid;
};

// GDAL hands text fields over as C strings, so a NUL inside one would cut a name short without
// a word ("Bar\u0000…" read as "Bar"). Text formats are scanned for it, raw or escaped in JSON,
// before GDAL reads them: one pass over the bytes.
void refuse_nul_characters(const std::string& path, bool json) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;  // GDAL says why it cannot open it
    std::vector<char> buf(std::size_t(1) << 20);
    std::size_t backslashes = 0;
    int zeros = -1;  // within a \u escape: the zeros seen so far
    std::int64_t line = 1;
    const auto refuse = [&](const char* what) {
        throw IoError(path + ": line " + std::to_string(line) + " holds " + what +
                      "; GDAL would cut the text there, so nothing was read");
    };
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        const auto n = std::size_t(in.gcount());
        for (std::size_t i = 0; i < n; ++i) {
            const char c = buf[i];
            if (c == '\0') refuse("a NUL byte");
            if (c == '\n') ++line;
            if (!json) continue;
            if (zeros >= 0) {
                if (c == '0') {
                    if (++zeros == 4) refuse("the escape \\u0000 (a NUL character) in a text");
                    backslashes = 0;
                    continue;
                }
                zeros = -1;
            }
            if (c == 'u' && backslashes % 2 == 1) zeros = 0;
            backslashes = c == '\\' ? backslashes + 1 : 0;
        }
    }
}

// One layer of a source file, read feature by feature with its fields looked up by name.
class SourceLayer {
public:
    SourceLayer(const std::string& path, const ImportOptions& opts, FeatureKind kind)
        : path_(path), kind_(kind), max_object_(max_object_mb(kind)) {
        std::vector<std::string> options;
        // CSV: take every column as text so numbers are checked by us, strictly.
        if (ends_with_ci(path, ".csv")) options = {"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES"};
        // GeoJSON: arrays (aliases) as their JSON text, parsed by us in linear time; as a native
        // list GDAL builds it in time quadratic in its length.
        const bool json = ends_with_ci(path, ".geojson") || ends_with_ci(path, ".json") || ends_with_ci(path, ".geojsonl");
        if (json) options = {"ARRAY_AS_STRING=YES"};
        if (json || ends_with_ci(path, ".csv") || ends_with_ci(path, ".kml")) refuse_nul_characters(path, json);
        gdal::ThreadConfig bound("OGR_GEOJSON_MAX_OBJ_SIZE", max_object_);
        ds_ = gdal::open_vector(path, options);
        layer_ = gdal::pick_layer(ds_.get(), path, opts.layer);
        defn_ = OGR_L_GetLayerDefn(layer_);
        csv_ = ends_with_ci(path, ".csv");
        to_wgs84_.emplace(ds_.get(), layer_, path, gdal::CrsOptions{opts.assume_crs, false});
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

    // GDAL's bound on the memory of one GeoJSON feature, for the thread that reads the rows.
    gdal::ThreadConfig reader_bound() const { return {"OGR_GEOJSON_MAX_OBJ_SIZE", max_object_}; }

    // The next feature; a failure of GDAL while reading is the file's error, not its end.
    bool next() {
        gdal::clear_error();
        feature_.reset(OGR_L_GetNextFeature(layer_));
        if (!feature_) {
            if (gdal::failed())
                throw IoError(path_ + ": reading stopped after row " + std::to_string(row_) + ": " + gdal::last_error() +
                              "; nothing was written");
            return false;
        }
        ++row_;
        read_failure_ = gdal::failed() ? gdal::last_error() : "";
        return true;
    }
    std::int64_t row() const { return row_; }
    // The fields that say who a row is, for the report of a row that is refused before it is read.
    void key_fields(int external_id, int name) {
        key_external_id_ = external_id;
        key_name_ = name;
    }
    RowKey row_key() const {
        const auto raw = [&](int idx) -> std::string {
            try {
                std::string t = trim(text(idx, "").value_or(""));
                check_text("", t);  // a key too long or with control characters is left out
                return t;
            } catch (...) {
                return "";  // not readable as text: the row's error says so
            }
        };
        return {raw(key_external_id_), raw(key_name_)};
    }
    // GDAL's complaint about the current row, read all the same: the row is refused.
    void require_read_cleanly() const {
        if (!read_failure_.empty())
            throw RowRejected{"", "GDAL could not read this row: " + text::quote(read_failure_), RowProblem::unreadable};
    }

    // Text of a field, or nullopt when absent or null; invalid UTF-8 is a row error.
    std::optional<std::string> text(int idx, const char* name) const {
        if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(feature_.get(), idx)) return std::nullopt;
        std::string v = OGR_F_GetFieldAsString(feature_.get(), idx);
        if (!is_valid_utf8(v)) throw RowRejected{name, "text is not valid UTF-8"};
        if (csv_) v = text::strip_inert_prefix(v);
        return v;
    }
    // A single-line text field, trimmed and checked against the bounds (check_text).
    std::string checked_text(int idx, const char* name) const {
        std::string v = trim(text(idx, name).value_or(""));
        check_text(name, v);
        return v;
    }

    // A name list field: a native string list (GeoJSON arrays) or text for parse_name_list.
    std::vector<std::string> names(int idx, const char* name) const {
        if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(feature_.get(), idx)) return {};
        if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn_, idx)) == OFTStringList) {
            char** list = OGR_F_GetFieldAsStringList(feature_.get(), idx);
            const std::size_t given = std::size_t(CSLCount(list));
            if (given > 4 * kMaxNames)  // far too many even with duplicates: refused before copying
                throw InvalidField(name, std::to_string(given) + " " + name + " given, at most " +
                                             std::to_string(kMaxNames) + " per venue");
            return clean_name_list(std::vector<std::string>(list, list + given), name);
        }
        auto t = text(idx, name);
        if (!t) return {};
        try {
            return parse_name_list(*t, name);
        } catch (const InvalidField&) {
            throw;
        } catch (const std::invalid_argument& e) {
            throw RowRejected{name, e.what()};
        }
    }

    // The feature's geometry as 2D WKB in EPSG:4326, checked by check_geometry for its kind;
    // polygons valid (or repaired when asked). The vertex bound is checked on the source
    // geometry, before anything copies, transforms or exports it.
    std::string geometry(bool repair, bool& repaired, geo::Box* box = nullptr) {
        gdal::Geometry owned;
        OGRGeometryH g = OGR_F_GetGeometryRef(feature_.get());
        if (!g || OGR_G_IsEmpty(g)) {
            if (g && wkt_field_ < 0 && (lat_field_ < 0 || lon_field_ < 0))
                throw RowRejected{"geometry", "the geometry is empty", RowProblem::missing};
            owned = geometry_from_fields();
            g = owned.get();
        }
        const auto scan = gdal::scan_vertices(g, geometry_bounds(kind_).max_vertices);
        if (scan.too_deep) throw RowRejected{"geometry", "geometry collections nested too deep"};
        check_vertex_count(scan.vertices, kind_);
        if (scan.non_finite) throw RowRejected{"geometry", "coordinates (or Z/M values) are not finite numbers"};
        const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
        if (type != wkbPoint && type != wkbPolygon && type != wkbMultiPolygon) {
            // Named as check_geometry names it, before the geometry is copied.
            const std::string name = OGR_G_GetGeometryName(g);
            throw RowRejected{"geometry", name + " is not accepted here (expected " +
                                              (geometry_bounds(kind_).points_allowed ? "Point, " : "") +
                                              "Polygon or MultiPolygon)"};
        }
        if (!owned) owned.reset(OGR_G_Clone(g));
        g = owned.get();
        if (!to_wgs84_->apply(g))
            throw RowRejected{"geometry", "cannot transform to EPSG:4326: " + gdal::last_error()};
        std::string wkb = gdal::to_wkb(g);
        owned.reset();
        geo::Box envelope = check_geometry(wkb, kind_);
        repaired = false;
        if (type != wkbPoint) {
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
                envelope = check_geometry(wkb, kind_);
                repaired = true;
            }
        }
        if (box) *box = envelope;
        return wkb;
    }

private:
    static std::string lower(std::string s) {
        for (char& c : s)
            if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        return s;
    }
    // Megabytes GDAL may hold for one GeoJSON feature while parsing it (its estimate, about 170
    // bytes a vertex): room for a feature at the vertex bound and its names, so a larger one is
    // refused before it is built in memory.
    static std::string max_object_mb(FeatureKind kind) { return kind == FeatureKind::sector ? "256" : "16"; }

    // Tables without a geometry column (CSV, spreadsheets): a WKT column, else lat/lon columns.
    gdal::Geometry geometry_from_fields() const {
        if (wkt_field_ >= 0) {
            if (auto wkt = text(wkt_field_, "wkt"); wkt && !trim(*wkt).empty()) {
                // Longer text than the vertex bound can need is refused before it is parsed.
                if (wkt->size() > 64 * geometry_bounds(kind_).max_vertices)
                    throw RowRejected{"wkt", "the WKT is " + std::to_string(wkt->size()) + " bytes, more than a " +
                                                 kind_name(kind_) + " of at most " +
                                                 std::to_string(geometry_bounds(kind_).max_vertices) + " vertices needs"};
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
                throw RowRejected{"geometry", "missing coordinates (lat/lon empty)", RowProblem::missing};
            auto lat = parse_number(*lat_text);
            auto lon = parse_number(*lon_text);
            if (!lat) throw RowRejected{"lat", text::quote(*lat_text, 40) + " is not a number"};
            if (!lon) throw RowRejected{"lon", text::quote(*lon_text, 40) + " is not a number"};
            gdal::Geometry g(OGR_G_CreateGeometry(wkbPoint));
            OGR_G_SetPoint_2D(g.get(), 0, *lon, *lat);
            return g;
        }
        throw RowRejected{"geometry", "missing or empty geometry (no geometry, WKT or lat/lon columns)",
                          RowProblem::missing};
    }

    std::string path_;
    FeatureKind kind_;
    std::string max_object_;
    std::string read_failure_;
    gdal::Dataset ds_;
    OGRLayerH layer_ = nullptr;
    OGRFeatureDefnH defn_ = nullptr;
    gdal::Feature feature_;
    std::optional<gdal::LayerToWgs84> to_wgs84_;  // set once the layer is picked
    std::int64_t row_ = 0;
    bool csv_ = false;
    int wkt_field_ = -1, lat_field_ = -1, lon_field_ = -1;
    int key_external_id_ = -1, key_name_ = -1;
};

std::string required_name(SourceLayer& src, int idx) {
    std::string name = src.checked_text(idx, "name");
    if (name.empty()) throw RowRejected{"name", "name is missing", RowProblem::missing};
    return name;
}

// Rows travel from the reader thread (GDAL, mapping, checks) to the store's writer (SQLite) in
// batches, so reading the next rows overlaps writing the last ones on a two-core machine.
template <class Record>
class RowPipe {
public:
    using Batch = std::vector<store::IncomingRow<Record>>;
    void push(Batch batch) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return queue_.size() < kMaxBatches || cancelled_; });
        queue_.push_back(std::move(batch));
        not_empty_.notify_one();
    }
    // An empty batch means the reader is done.
    Batch pop() {
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
    std::deque<Batch> queue_;
    bool cancelled_ = false;
};

// The rows of a layer, mapped and checked by `prepare` on a thread of their own (no database
// there), handed to the store's bulk import as its feed on the caller's thread, which owns the
// connection. A failure of the reader is thrown from the feed, so the store writes nothing.
template <class Record>
class RowReader {
public:
    RowReader(SourceLayer& src, std::function<Record()> prepare) : src_(src), prepare_(std::move(prepare)) {
        thread_ = std::thread([this] { read(); });
    }
    ~RowReader() {
        pipe_.cancel();
        if (thread_.joinable()) thread_.join();
    }
    RowReader(const RowReader&) = delete;
    RowReader& operator=(const RowReader&) = delete;

    typename RowPipe<Record>::Batch next() {
        if (done_) return {};
        auto batch = pipe_.pop();
        if (batch.empty()) {
            done_ = true;
            thread_.join();
            if (failure_) std::rethrow_exception(failure_);
        }
        return batch;
    }
    store::RowFeed<Record> feed() {
        return [this] { return next(); };
    }

private:
    void read() {
        try {
            const auto bound = src_.reader_bound();
            typename RowPipe<Record>::Batch batch;
            while (!pipe_.cancelled() && src_.next()) {
                store::IncomingRow<Record> p;
                p.row = src_.row();
                RowRejected rejected;
                try {
                    src_.require_read_cleanly();
                    p.record = prepare_();
                } catch (const RowRejected& r) {
                    rejected = r;
                } catch (const InvalidField& e) {
                    rejected = {e.field, e.what()};
                }
                if (!p.record) p.refused = {p.row, rejected.field, rejected.reason, rejected.problem, src_.row_key()};
                batch.push_back(std::move(p));
                if (batch.size() == 512) pipe_.push(std::exchange(batch, {}));
            }
            if (!batch.empty()) pipe_.push(std::move(batch));
        } catch (...) {
            failure_ = std::current_exception();
        }
        pipe_.push({});
    }

    SourceLayer& src_;
    std::function<Record()> prepare_;
    RowPipe<Record> pipe_;
    std::exception_ptr failure_;  // written by the thread before its last push
    bool done_ = false;
    std::thread thread_;  // last: started once the rest is built
};

void copy_bulk_options(store::BulkOptions& out, const std::string& path, const ImportOptions& opts) {
    out.source = path;
    out.skip_invalid = opts.skip_invalid;
    out.keep_accepted_rows = opts.keep_accepted_rows;
}

}  // namespace

ImportReport import_venues(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts, FeatureKind::venue);
    const int f_name = src.field({"name"}), f_ext = src.field({"external_id", "external_i", "ext_id"}), f_cat = src.field({"category"}),
              f_addr = src.field({"address"}), f_mun = src.field({"municipality", "municipali"}),
              f_alias = src.field({"aliases"}), f_former = src.field({"former_names", "former_nam"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; venues need a name");
    src.key_fields(f_ext, f_name);

    store::VenueImportOptions to_store;
    copy_bulk_options(to_store, path, opts);
    to_store.directive_ref = opts.directive_ref;
    to_store.reasons = opts.reasons;
    to_store.duplicates = opts.duplicate_ok ? store::Duplicates::confirmed : store::Duplicates::refuse;
    RowReader<store::ImportedVenue> reader(src, [&] {
        store::ImportedVenue row;
        Venue& v = row.venue;
        v.name = required_name(src, f_name);
        v.external_id = src.checked_text(f_ext, "external_id");
        if (auto cat = src.text(f_cat, "category"); cat && !trim(*cat).empty()) {
            auto c = parse_category(normalise_code(*cat));
            if (!c) {
                std::string codes;
                for (auto code : all_category_codes()) codes += (codes.empty() ? "" : ", ") + std::string(code);
                throw RowRejected{"category", "unknown category " + text::quote(*cat, 40) + " (expected one of " + codes + ")"};
            }
            v.category = *c;
        }
        v.address = src.checked_text(f_addr, "address");
        v.municipality = src.checked_text(f_mun, "municipality");
        v.aliases = src.names(f_alias, "aliases");
        v.former_names = src.names(f_former, "former_names");
        bool repaired = false;
        v.geometry = src.geometry(opts.repair, repaired, &row.box);
        return row;
    });
    return store::import_venues(store, reader.feed(), to_store);
}

ImportReport import_sites(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts, FeatureKind::site);
    const int f_name = src.field({"name"}), f_kind = src.field({"kind"}), f_cont = src.field({"contingent"}),
              f_pers = src.field({"personnel", "strength"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; sites need a name");
    src.key_fields(-1, f_name);
    store::BulkOptions to_store;
    copy_bulk_options(to_store, path, opts);
    RowReader<Site> reader(src, [&] {
        Site s;
        s.name = required_name(src, f_name);
        if (auto k = src.text(f_kind, "kind"); k && !trim(*k).empty()) {
            auto kind = parse_site_kind(normalise_code(*k));
            if (!kind)
                throw RowRejected{"kind", "unknown kind " + text::quote(*k, 40) + " (expected military, police, civilian, hq, other)"};
            s.kind = *kind;
        }
        s.contingent = src.checked_text(f_cont, "contingent");
        if (auto p = src.text(f_pers, "personnel"); p && !trim(*p).empty()) {
            auto n = parse_integer(*p);
            if (!n || *n < 0) throw RowRejected{"personnel", text::quote(*p, 40) + " is not a whole number of people"};
            s.personnel = *n;
        }
        bool repaired = false;
        s.geometry = src.geometry(opts.repair, repaired);
        return s;
    });
    return store::import_sites(store, reader.feed(), to_store);
}

ImportReport import_sectors(store::Store& store, const std::string& path, const ImportOptions& opts) {
    SourceLayer src(path, opts, FeatureKind::sector);
    const int f_name = src.field({"name", "shapeName"}), f_unit = src.field({"unit"});
    if (f_name < 0) throw IoError(path + " has no 'name' field; sectors need a name");
    src.key_fields(-1, f_name);
    store::BulkOptions to_store;
    copy_bulk_options(to_store, path, opts);
    RowReader<Sector> reader(src, [&] {
        Sector s;
        s.name = required_name(src, f_name);
        s.unit = src.checked_text(f_unit, "unit");
        bool repaired = false;
        s.geometry = src.geometry(opts.repair, repaired);
        return s;
    });
    return store::import_sectors(store, reader.feed(), to_store);
}

}  // namespace keepout::source
