#include "http/errors.hpp"

#include <cmath>
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "analysis/errors.hpp"
#include "geo/coordinates.hpp"
#include "model/date.hpp"
#include "model/types.hpp"
#include "store/duplicates.hpp"
#include "store/repository.hpp"
#include "store/sqlite.hpp"
#include "text/utf8.hpp"

namespace keepout::http {

namespace {

constexpr std::size_t kMaxMessageBytes = 2000;

// Cuts on a character boundary and repairs malformed UTF-8, so the text can always be JSON.
std::string safe_message(const std::string& message) {
    std::string out = text::to_valid_utf8(message);
    if (out.size() > kMaxMessageBytes) {
        std::size_t n = kMaxMessageBytes;
        while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0u) == 0x80u) --n;
        out.resize(n);
        out += "…";
    }
    return out;
}

Response json_error(int status, nlohmann::json error) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

// The server's own record of a failure it does not show: one line on stderr, with the request
// quoted safely (a hostile target cannot forge log lines).
void log_internal(const Request& r, std::string_view request_id, std::string_view what) noexcept {
    try {
        const std::string line = "keepout: request " + std::string(request_id) + " " + text::quote(r.method, 16) + " " +
                                 text::quote(r.target, 300) + ": internal error: " + text::quote(what, 2000) + "\n";
        std::fputs(line.c_str(), stderr);
    } catch (...) {
        std::fputs("keepout: internal error (and no memory to describe it)\n", stderr);
    }
}

Response internal(const Request& r, std::string_view request_id, std::string_view what) {
    log_internal(r, request_id, what);
    return json_error(500, {{"code", "internal"},
                            {"message", "internal error; the server's log has the details under this request id"},
                            {"request_id", std::string(request_id)}});
}

}  // namespace

Response error_response(int status, const std::string& code, const std::string& message) {
    return json_error(status, {{"code", code}, {"message", safe_message(message)}});
}

Response error_for_current_exception(const Request& r, std::string_view request_id) noexcept {
    try {
        try {
            throw;
        }
        // --- The table: error type → status and code. Order matters only between a type and its base.
        catch (const HttpError& e) {
            Response resp = error_response(e.status, e.code, e.what());
            resp.headers = e.headers;  // Retry-After of a throttled sign-in
            return resp;
        } catch (const geo::CoordinateError& e) {
            Response resp = json_error(400, {{"code", "bad-coordinate"},
                                             {"message", safe_message(e.what())},
                                             {"examples", geo::position_examples()}});
            return resp;
        } catch (const model::DateError& e) {
            return error_response(400, "bad-date", e.what());
        } catch (const store::NotFound& e) {
            return error_response(404, "not-found", e.what());
        } catch (const analysis::UnknownReference& e) {
            return error_response(404, "not-found", e.what());
        } catch (const model::FourEyesViolation& e) {
            return error_response(409, "four-eyes", e.what());
        } catch (const model::OverrideRefused& e) {
            return error_response(409, "override-refused", e.what());
        } catch (const store::DuplicateVenue& e) {
            // The candidates, so the client can show them and confirm with "duplicate_ok": true.
            nlohmann::json candidates = nlohmann::json::array();
            for (auto& c : e.candidates)
                candidates.push_back({{"id", c.id}, {"external_id", c.external_id}, {"name", c.name},
                                      {"matched", c.matched}, {"like", c.like},
                                      {"distance_m", std::round(c.distance_m * 10) / 10}});
            return json_error(409, {{"code", "duplicate-venue"},
                                    {"message", safe_message(std::string(e.what()) +
                                                             "; send it again with \"duplicate_ok\": true if it is another venue")},
                                    {"candidates", std::move(candidates)}});
        } catch (const model::RuleError& e) {
            return error_response(409, "rule-violation", e.what());
        } catch (const store::Busy& e) {
            // Another writer holds the database beyond the wait: try again shortly. The SQL stays in the log.
            log_internal(r, request_id, e.what());
            Response resp = error_response(503, "busy", "the database is busy with another change; try again shortly");
            resp.headers.emplace_back("Retry-After", "2");
            return resp;
        } catch (const store::StorageFull& e) {
            log_internal(r, request_id, e.what());
            return error_response(507, "storage-full", "the server's storage is full; nothing was written");
        } catch (const store::Conflict& e) {
            log_internal(r, request_id, e.what());
            return error_response(409, "conflict", "the change conflicts with data already stored (a duplicate?)");
        } catch (const store::StoreError& e) {
            return internal(r, request_id, e.what());
        } catch (const nlohmann::json::exception& e) {
            return error_response(400, "bad-json", std::string("request body is not the JSON expected: ") + e.what());
        } catch (const std::invalid_argument& e) {
            return error_response(400, "bad-request", e.what());
        } catch (const std::bad_alloc&) {
            return internal(r, request_id, "out of memory");
        } catch (const std::exception& e) {
            return internal(r, request_id, e.what());
        } catch (...) {
            return internal(r, request_id, "unknown exception");
        }
    } catch (...) {
        // Building the answer failed too (no memory): a fixed body that needs no allocation to be right.
        log_internal(r, request_id, "failed to build the error answer");
        Response resp;
        resp.status = 500;
        try {
            resp.body = "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}";
        } catch (...) {
        }
        return resp;
    }
}

}  // namespace keepout::http
