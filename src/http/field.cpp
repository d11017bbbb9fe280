// The list for devices in the field: GET /api/v1/offlimits.kmz and /api/v1/offlimits.tak.zip, the
// documents `keepout export --format kmz|tak` writes (encode/field.hpp), as of `as_of`.
#include "encode/field.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"

namespace keepout::http {

Response handle_field_package(Service& service, const Request& r, bool kmz) {
    const Params params = validate(r, schemas::field, service.time_zone());
    const auto as_of = params.date("as_of");
    auto snap = service.snapshot(as_of);
    const encode::FieldOptions options{*params.number("radius"), params.numbers("ring")};
    Response resp;
    resp.content_type = kmz ? "application/vnd.google-earth.kmz" : "application/zip";
    std::string etag = etag_for(*snap, as_of.has_value());
    // The options change the document: they are part of its tag.
    std::string tag = kmz ? ".kmz" : ".tak";
    for (const auto& [key, value] : r.query)
        if (key != "as_of") tag += "." + key + "-" + url_encode(value);
    etag.insert(etag.size() - 1, tag);
    if (not_modified(r, etag, resp)) return resp;
    resp.body = kmz ? encode::field_kmz(*snap, options) : encode::tak_package(*snap, options);
    resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"offlimits-" + snap->as_of().iso() +
                                                         (kmz ? ".kmz" : ".tak.zip") + "\"");
    return resp;
}

}  // namespace keepout::http
