#pragma once
// API tokens: printed once at creation, stored only as a salted SHA-256 hash. A token reads
// "ko_<id>_<secret>", so verification finds its row without trying every hash.
#include <optional>
#include <string>

#include "model/types.hpp"
#include "store/sqlite.hpp"

namespace keepout::store {

struct TokenHolder {
    model::Id id = 0;
    std::string name;
    model::Role role = model::Role::reader;
};

// Creates a token in the caller's transaction and returns its text (the only time it exists in clear).
std::string create_token(Database& db, model::Role role, const std::string& name);

// The holder of a valid, unrevoked token; nullopt otherwise (wrong secret, unknown, revoked, malformed).
std::optional<TokenHolder> verify_token(Database& db, const std::string& token);

bool revoke_token(Database& db, model::Id id);

}  // namespace keepout::store
