// The publications over HTTP (docs/contract.md#4-http): the list of them, each one's JSON exactly
// as it was signed, its signature, and the public key at a stable URL, so that a copy fetched
// here verifies offline with openssl alone.
#include <nlohmann/json.hpp>

#include "http/handlers.hpp"
#include "http/params.hpp"
#include "store/publications.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

using nlohmann::json;

namespace {

constexpr const char* kKeyPath = "/api/v1/publication-key.pem";

std::string document_path(std::int64_t n) { return "/api/v1/publications/" + std::to_string(n); }

json summary_json(const store::PublicationSummary& p) {
    return {{"number", p.number},
            {"created_at", p.created_at},
            {"as_of", p.as_of},
            {"time_zone", p.time_zone},
            {"list_version", p.list_version},
            {"venue_count", p.venue_count},
            {"note", p.note},
            {"sha256", p.sha256},
            {"bytes", p.bytes},
            {"key_fingerprint", p.key_fingerprint},
            {"published_by", p.created_by},
            {"links",
             {{"document", document_path(p.number)},
              {"signature", document_path(p.number) + ".sig"},
              {"key", std::string(kKeyPath) + "?fingerprint=" + p.key_fingerprint}}}};
}

// A file as it is: the bytes, a name to save it under, and its digest as the ETag (a publication
// never changes, so a copy once fetched stays good).
Response file_response(const Request& r, std::string content_type, std::string body, const std::string& name,
                       const std::string& etag) {
    Response resp;
    resp.content_type = std::move(content_type);
    if (not_modified(r, "\"" + etag + "\"", resp)) return resp;
    resp.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + "\"");
    resp.body = std::move(body);
    return resp;
}

}  // namespace

Response handle_publications(Service& service, const Request& r) {
    validate(r, schemas::publications);
    const auto all = service.read([](store::Store& s) { return store::publications(s); });
    json list = json::array();
    for (const auto& p : all) list.push_back(summary_json(p));
    Response resp;
    // Publications are only ever added: their count names the answer.
    if (not_modified(r, "\"publications-" + std::to_string(all.size()) + "\"", resp)) return resp;
    resp.body = json{{"publications", std::move(list)},
                     {"latest", all.empty() ? json(nullptr) : json(all.back().number)},
                     {"key", kKeyPath}}
                    .dump();
    return resp;
}

Response handle_publication(Service& service, const Request& r, const std::string& rest) {
    validate(r, schemas::publication);
    const bool signature = rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".sig") == 0;
    const std::string number_text = signature ? rest.substr(0, rest.size() - 4) : rest;
    const auto number = text::parse_int64(number_text);
    if (!number || *number < 1)
        throw HttpError(400, "bad-parameter",
                        "a publication number is a whole number from 1, not " + text::quote(number_text, 40));
    auto p = service.read([&](store::Store& s) { return store::publication(s, *number); });
    if (!p) throw HttpError(404, "not-found", "no publication " + std::to_string(*number));
    const std::string name = "publication-" + std::to_string(*number) + ".json";
    if (signature)
        return file_response(r, "application/octet-stream", std::move(p->signature), name + ".sig",
                             p->summary.sha256 + ".sig");
    return file_response(r, "application/json", std::move(p->document), name, p->summary.sha256);
}

Response handle_publication_key(Service& service, const Request& r) {
    const Params params = validate(r, schemas::publication_key);
    const auto wanted = params.text("fingerprint");
    const auto key = service.read([&](store::Store& s) -> std::optional<store::PublicationKey> {
        if (wanted) return store::publication_key(s, *wanted);
        // The key of the latest publication; before the first, the latest key made.
        if (auto latest = store::latest_publication(s)) return store::publication_key(s, latest->key_fingerprint);
        auto keys = store::publication_keys(s);
        if (keys.empty()) return std::nullopt;
        return keys.back();
    });
    if (!key)
        throw HttpError(404, "not-found",
                        wanted ? "no publication key " + text::quote(*wanted, 80)
                               : std::string("no publication key yet (keepout key create)"));
    Response resp = file_response(r, "application/x-pem-file", key->public_key_pem, "publication-key.pem",
                                  key->fingerprint);
    resp.headers.emplace_back("X-Key-Fingerprint", key->fingerprint);
    return resp;
}

}  // namespace keepout::http
