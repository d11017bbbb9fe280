// The publications over HTTP (docs/contract.md#4-http): the list of them, each one's JSON exactly
// as it was signed, its signature, its documents (the list and the pocket card as PDF, rendered
// from the signed bytes), the public key at a stable URL, so that a copy fetched here verifies
// offline with openssl alone; and publishing, for approvers, with the key the server was given.
#include <algorithm>
#include <cctype>
#include <functional>
#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/handlers.hpp"
#include "http/params.hpp"
#include "publish/errors.hpp"
#include "publish/publication.hpp"
#include "publish/signing.hpp"
#include "render/publication_documents.hpp"
#include "render/style.hpp"
#include "store/mission.hpp"
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
              {"key", std::string(kKeyPath) + "?fingerprint=" + p.key_fingerprint},
              {"list_pdf", document_path(p.number) + ".pdf"},
              {"card_pdf", document_path(p.number) + "/card.pdf"}}}};
}

// The language of a document: lang= when it is one of the mission's, else the mission's first.
std::string document_language(Service& service, const Request& r) {
    const Params params = validate(r, schemas::publication);
    const auto m = service.read([](store::Store& s) { return store::mission_settings(s); });
    const std::vector<std::string> known = m ? m->languages : std::vector<std::string>{};
    const auto wanted = params.text("lang");
    if (!wanted) return known.empty() ? std::string("en") : known.front();
    if (!known.empty() && std::find(known.begin(), known.end(), *wanted) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw HttpError(400, "bad-parameter", "lang " + text::quote(*wanted, 20) + " is not a language of the mission (" + list + ")");
    }
    return *wanted;
}

// The page the card's QR code opens: the server's configured address, else this request's host.
std::string check_page(Service& service, const Request& r) {
    if (!service.options().check_url.empty()) return service.options().check_url;
    std::string host = r.header("host");
    const bool plain = !host.empty() && host.size() <= 255 &&
                       std::all_of(host.begin(), host.end(), [](unsigned char c) {
                           return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
                       });
    if (!plain) host = "localhost";
    return r.scheme + "://" + host + "/#check";
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
    auto ends_with = [&](std::string_view suffix) {
        return rest.size() > suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const bool signature = ends_with(".sig");
    const bool list_pdf = ends_with(".pdf");
    const bool card_pdf = ends_with("/card.pdf");
    const std::size_t cut = signature ? 4 : card_pdf ? 9 : list_pdf ? 4 : 0;
    const std::string number_text = rest.substr(0, rest.size() - cut);
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
    if (list_pdf || card_pdf) {
        const std::string lang = document_language(service, r);
        const std::string n = std::to_string(*number);
        if (list_pdf) {
            // The list's map page, drawn like `keepout publish` draws it: the mission's own map.
            const auto profile = service.read([&](store::Store& s) { return store::mission(s); });
            const render::Style map = render::default_style(profile ? &*profile : nullptr);
            return file_response(r, "application/pdf", render::render_publication_list(p->document, lang, &map),
                                 "publication-" + n + "." + lang + ".pdf", p->summary.sha256 + ".list." + lang);
        }
        const std::string page = check_page(service, r);
        return file_response(r, "application/pdf", render::render_pocket_card(p->document, lang, page),
                             "card-" + n + "." + lang + ".pdf",
                             p->summary.sha256 + ".card." + lang + "." + std::to_string(std::hash<std::string>{}(page)));
    }
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

Response handle_create_publication(Service& service, const Request& r) {
    const store::TokenHolder holder = authenticate(service, r);
    validate(r, schemas::create_publication);
    if (int(holder.role) < int(model::Role::approver))
        throw HttpError(403, "forbidden", "publishing needs the approver role; " + holder.name + " is " +
                                              std::string(model::to_string(holder.role)));
    const std::string& key_file = service.options().publication_key_path;
    if (key_file.empty())
        throw HttpError(503, "no-publication-key",
                        "this server has no signing key: start it with keepout serve --publication-key FILE (a "
                        "key made by keepout key create), or publish with keepout publish --key FILE --out DIR");
    json body = json::object();
    if (!r.body.empty()) {
        body = json::parse(r.body);
        if (!body.is_object()) throw HttpError(400, "bad-json", "the request body must be a JSON object");
    }
    for (const auto& [k, v] : body.items())
        if (k != "as_of" && k != "note" && k != "languages")
            throw HttpError(400, "bad-request", "unknown field " + text::quote(k, 40) + " (as_of, note, languages)");
    publish::PublishOptions o{service.snapshot()->as_of(), ""};
    if (body.contains("as_of")) {
        if (!body["as_of"].is_string()) throw HttpError(400, "bad-date", "as_of is a date YYYY-MM-DD");
        const auto d = model::Date::try_parse(body["as_of"].get<std::string>());
        if (!d) throw HttpError(400, "bad-date", "invalid as_of " + text::quote(body["as_of"].get<std::string>(), 40));
        o.as_of = *d;
    }
    if (body.contains("note")) {
        if (!body["note"].is_string() || body["note"].get<std::string>().size() > 2000)
            throw HttpError(400, "bad-request", "note is a text of at most 2000 bytes");
        o.note = body["note"].get<std::string>();
    }
    std::vector<std::string> languages;
    if (body.contains("languages")) {
        if (!body["languages"].is_array()) throw HttpError(400, "bad-request", "languages is a list of language codes");
        for (const auto& l : body["languages"]) {
            if (!l.is_string()) throw HttpError(400, "bad-request", "languages is a list of language codes");
            languages.push_back(l.get<std::string>());
        }
    }
    const auto mission = service.read([](store::Store& s) { return store::mission_settings(s); });
    if (!mission)
        throw HttpError(409, "no-mission-profile", "publishing needs the mission profile: keepout mission import mission.json");
    for (const auto& l : languages)
        if (std::find(mission->languages.begin(), mission->languages.end(), l) == mission->languages.end())
            throw HttpError(400, "bad-parameter", "language " + text::quote(l, 20) + " is not a language of " + mission->name);
    if (languages.empty()) languages = mission->languages;

    std::optional<publish::SigningKey> key;
    try {
        key.emplace(publish::SigningKey::from_pem(publish::read_key_file(key_file), key_file));
    } catch (const publish::KeyError& e) {
        throw HttpError(503, "publication-key-unreadable", std::string("the server's signing key cannot be used: ") + e.what());
    }
    try {
        const publish::Published p = service.write(holder.name + " (token " + std::to_string(holder.id) + ")",
                                                   [&](store::Store& s) {
                                                       s.set_person(holder.name);
                                                       return publish::publish(s, *key, o);
                                                   });
        json out = summary_json(p.summary);
        out["changes"] = {{"since", p.changes.since ? json(p.changes.since) : json(nullptr)},
                          {"added", p.changes.added},
                          {"lifted", p.changes.lifted},
                          {"changed", p.changes.changed}};
        json docs = json::array();
        const std::string base = document_path(p.summary.number);
        for (const auto& l : languages)
            docs.push_back({{"lang", l}, {"list_pdf", base + ".pdf?lang=" + l}, {"card_pdf", base + "/card.pdf?lang=" + l}});
        out["documents"] = std::move(docs);
        Response resp = json_response(201, out.dump());
        resp.headers.emplace_back("Location", base);
        return resp;
    } catch (const publish::KeyNotStored& e) {
        throw HttpError(409, "publication-key-not-stored", e.what());
    } catch (const publish::NoMissionProfile& e) {
        throw HttpError(409, "no-mission-profile", e.what());
    } catch (const publish::ListChanged& e) {
        throw HttpError(409, "conflict", e.what());
    }
}

}  // namespace keepout::http
