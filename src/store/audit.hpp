#pragma once
// The append-only audit log. Each row carries the SHA-256 of the previous row's hash and its own
// content, so an edit, insertion or deletion behind keepout's back breaks the chain.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace keepout::store {

struct AuditEntry {
    std::string actor;
    std::string action;      // e.g. "venue.import", "directive.issue"
    std::string entity;      // "venue", "directive", …
    std::string entity_key;  // id or reference
    std::optional<std::string> before;  // JSON
    std::optional<std::string> after;   // JSON
};

struct AuditVerification {
    std::int64_t rows = 0;
    bool ok = true;
    std::int64_t first_bad_seq = 0;  // the first row whose hash or link does not match
    std::string problem;
};

class AuditLog {
public:
    explicit AuditLog(Database& db) : db_(db) {}
    // Appends within the caller's transaction.
    void append(const AuditEntry& entry);
    AuditVerification verify();

private:
    Database& db_;
};

// Lowercase hex SHA-256 of the previous hash and the row's fields, length-prefixed so field
// boundaries cannot shift.
std::string audit_hash(const std::string& prev_hash, std::int64_t seq, const std::string& at,
                       const AuditEntry& e);

// Lowercase hex SHA-256 of some bytes (digests of files and geometries in audit rows).
std::string sha256_hex(std::string_view bytes);

// UTC time now as 2026-01-20T08:15:00.123Z.
std::string utc_timestamp();

}  // namespace keepout::store
