#pragma once
// API tokens: printed once at creation, stored only as a salted SHA-256 hash. A token reads
// "ko_<id>_<secret>", so verification finds its row without trying every hash. A token belongs to
// a named person; one person may hold several (the four-eyes rule goes by the name).
#include <optional>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/types.hpp"
#include "store/sqlite.hpp"

namespace keepout::store {

struct TokenHolder {
    model::Id id = 0;
    std::string name;
    model::Role role = model::Role::reader;
};

// Why a token was refused. `expired` and `revoked` are told only when the secret was right.
enum class TokenRefusal { none, malformed, unknown, wrong_secret, revoked, expired };
std::string_view to_string(TokenRefusal);

struct TokenCheck {
    std::optional<TokenHolder> holder;  // set when the token is good
    std::optional<model::Id> token_id;  // when the text names one
    TokenRefusal refusal = TokenRefusal::none;
    std::optional<model::Date> expired_on;
};

// What `token list` shows: never the secret, nor its hash or salt.
struct TokenInfo {
    model::Id id = 0;
    std::string name;
    model::Role role = model::Role::reader;
    std::string created_at;
    std::optional<model::Date> expires_on;  // last day the token works
    std::optional<std::string> revoked_at;
};

// Creates a token in the caller's transaction and returns its text (the only time it exists in clear).
// `expires_on` is the last day it works (the mission's date); it may not be before `today`.
std::string create_token(Database& db, model::Role role, const std::string& name,
                         std::optional<model::Date> expires_on = std::nullopt,
                         model::Date today = model::Date::today_utc());

// Checks a token on `today` (the mission's date): good, or why not.
TokenCheck check_token(Database& db, const std::string& token, model::Date today = model::Date::today_utc());
// The holder of a valid, unrevoked, unexpired token; nullopt otherwise.
std::optional<TokenHolder> verify_token(Database& db, const std::string& token);

bool revoke_token(Database& db, model::Id id);
std::vector<TokenInfo> list_tokens(Database& db);

// A failed authentication, kept for review: client address, the token's id if the text had one,
// and why. Old rows are dropped so the table stays bounded.
void record_auth_failure(Database& db, const std::string& remote, std::optional<model::Id> token_id,
                         const std::string& reason);

struct AuthFailure {
    std::string at, remote, reason;
    std::optional<model::Id> token_id;
};
std::vector<AuthFailure> auth_failures(Database& db, int limit);

}  // namespace keepout::store
