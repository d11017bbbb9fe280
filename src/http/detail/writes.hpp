#pragma once
// What the write routes share (api.cpp, reviews.cpp): the caller's role, the JSON body, dates in
// it, and a write in the name of the token's holder. For the handlers' .cpp files only.
#include <nlohmann/json.hpp>
#include <string>

#include "http/auth.hpp"
#include "http/errors.hpp"
#include "http/service.hpp"
#include "model/date.hpp"
#include "model/types.hpp"
#include "store/repository.hpp"
#include "store/tokens.hpp"

namespace keepout::http {

// The caller's token, at least of role `min`; 401 without a valid token, 403 when too weak.
inline store::TokenHolder require_role(Service& service, const Request& r, model::Role min) {
    const store::TokenHolder holder = authenticate(service, r);
    if (int(holder.role) < int(min))
        throw HttpError(403, "forbidden", "this needs the " + std::string(to_string(min)) + " role; " + holder.name +
                                              " is " + std::string(to_string(holder.role)));
    return holder;
}

inline nlohmann::json parse_body(const Request& r) {
    if (r.body.empty()) return nlohmann::json::object();
    nlohmann::json j = nlohmann::json::parse(r.body);
    if (!j.is_object()) throw HttpError(400, "bad-json", "the request body must be a JSON object");
    return j;
}

inline model::Date body_date(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_string())
        throw HttpError(400, "bad-request", std::string("'") + key + "' is required (YYYY-MM-DD)");
    auto d = model::Date::try_parse(j[key].get<std::string>());
    if (!d) throw HttpError(400, "bad-date", std::string("invalid ") + key + " '" + j[key].get<std::string>() + "'");
    return *d;
}

inline std::string actor_of(const store::TokenHolder& h) { return h.name + " (token " + std::to_string(h.id) + ")"; }

// A write by the token's holder: the audit log names the token, the four-eyes rule the person.
template <class F>
Response write_as(Service& service, const store::TokenHolder& h, F&& f) {
    return service.write(actor_of(h), [&](store::Store& s) {
        s.set_person(h.name);
        return f(s);
    });
}

}  // namespace keepout::http
