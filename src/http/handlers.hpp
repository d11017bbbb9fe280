#pragma once
// Route handlers of the service, grouped by file: api.cpp (REST), ogc.cpp (OGC API – Features).
#include "encode/venues.hpp"
#include "http/caches.hpp"
#include "http/errors.hpp"
#include "http/service.hpp"
#include "http/types.hpp"

namespace keepout::http {

// --- shared helpers (api.cpp)
// Query parameters are read through each route's table (http/params.hpp).
Response json_response(int status, std::string body);
// 304 when If-None-Match matches, else sets ETag and Cache-Control on `response`.
bool not_modified(const Request& r, const std::string& etag, Response& response);
std::string etag_for(const analysis::Snapshot& s, bool explicit_date);
// A venue as a GeoJSON Feature (text): the one writer in encode/venues.hpp.
using encode::venue_feature;
std::string site_feature(const analysis::SiteView& s);

// --- REST (api.cpp)
Response handle_health(Service&, const Request&);
Response handle_metrics(Service&, const Request&);
Response handle_offlimits(Service&, const Request&);
// field.cpp: /api/v1/offlimits.kmz (kmz) and /api/v1/offlimits.tak.zip (a TAK data package)
Response handle_field_package(Service&, const Request&, bool kmz);
Response handle_check(Service&, const Request&);
Response handle_proximity(Service&, const Request&);
// patrol_routes.cpp: a patrol route as GeoJSON, GPX, KML, CSV or the PDF card (f=)
Response handle_patrol(Service&, const Request&);
Response handle_venue(Service&, const Request&, const std::string& id);
Response handle_sites(Service&, const Request&);
Response handle_directives(Service&, const Request&);
Response handle_directive(Service&, const Request&, const std::string& ref);
Response handle_create_directive(Service&, const Request&);
Response handle_directive_action(Service&, const Request&, const std::string& ref, const std::string& action);
Response handle_create_venue(Service&, const Request&);
Response handle_update_venue(Service&, const Request&, const std::string& id);

// --- publications (publications.cpp): the list, each document and signature as signed, the key
Response handle_publications(Service&, const Request&);
// `rest` is "N", "N.sig", "N.pdf" or "N/card.pdf" (the PDFs take lang=).
Response handle_publication(Service&, const Request&, const std::string& rest);
// POST /api/v1/publications (approver): publish with the server's key (serve --publication-key).
Response handle_create_publication(Service&, const Request&);
Response handle_publication_key(Service&, const Request&);

// --- reviews (reviews.cpp): what is due on a date (reader), a decision recorded (approver)
Response handle_due(Service&, const Request&);
Response handle_create_review(Service&, const Request&);

// --- for the web page (web_api.cpp)
// A search of venue addresses (and municipalities): every word of the query, folded to plain
// Latin like names, must be a word of the address; house numbers exactly, other words also by a
// prefix of three letters or more; street-type words (Rr., ул., Street) are left out.
class AddressQuery {
public:
    explicit AddressQuery(const std::string& text);
    bool matches(const analysis::VenueView& v) const;

private:
    std::vector<std::string> words_;
};
Response handle_venues(Service&, const Request&);
Response handle_token(Service&, const Request&);
// GET /api/v1/mission: the profile's name, time zone and languages (the page offers these).
Response handle_mission(Service&, const Request&);
// --- the mission's area and reference layers for the web map (mission_layers.cpp)
Response handle_mission_layers(Service&, const Request&);
Response handle_mission_layer(Service&, const Request&, const std::string& name);

// --- the web page's files (static_files.cpp): "/" and files below the web root
Response handle_static(Service&, const Request&);

// --- maps (maps.cpp): /map.pdf, /map.png, /tiles/{z}/{x}/{y}.png
Response handle_map(Service&, const Request&, const std::string& extension);
// The revision of the mission profile (store::mission_revision) and a reader of the whole profile,
// for what the maps build from it (http/caches.hpp).
std::string mission_revision(Service&);
MissionReader mission_reader(Service&);
Response handle_tile(Service&, const Request&, const std::string& zxy);

// --- OGC API – Features (ogc.cpp); `rest` is the path after /ogc
Response handle_ogc(Service&, const Request&, const std::string& rest);

}  // namespace keepout::http
