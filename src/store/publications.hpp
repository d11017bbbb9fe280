#pragma once
// Signed publications of the list and the public keys that sign them. A publication is written
// once, numbered from 1 without a gap, with its audit row in the same transaction; nothing here
// changes or removes one (the schema refuses it too). The signing itself is not the store's: it
// keeps the bytes and the signature it is handed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/repository.hpp"

namespace keepout::store {

struct PublicationKey {
    std::string fingerprint;     // lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo
    std::string public_key_pem;  // "-----BEGIN PUBLIC KEY-----…"
    std::string created_at;      // UTC
    std::string created_by;
};

// What a list of publications shows, without the document itself.
struct PublicationSummary {
    std::int64_t number = 0;
    std::string created_at;  // UTC
    std::string as_of;       // the mission's local date, YYYY-MM-DD
    std::string time_zone;   // the zone that date is in
    std::int64_t list_version = 0;
    std::int64_t venue_count = 0;
    std::string note;
    std::string sha256;  // of the document's bytes
    std::string key_fingerprint;
    std::string created_by;
    std::int64_t bytes = 0;
};

struct Publication {
    PublicationSummary summary;
    std::string document;   // the exact bytes that were signed
    std::string signature;  // raw 64-byte Ed25519 signature of `document`
};

// Stores a public key (audited as publication_key.create); the same key twice is a Conflict.
void add_publication_key(Store&, const PublicationKey&);
std::optional<PublicationKey> publication_key(Store&, std::string_view fingerprint);
// Every stored key, oldest first.
std::vector<PublicationKey> publication_keys(Store&);

// The number the next publication takes: one more than the last, 1 for the first.
std::int64_t next_publication_number(Store&);
// The audit chain as it stands: its row count and the last row's hash ("" for an empty log).
struct AuditHead {
    std::int64_t rows = 0;
    std::string hash;
};
AuditHead audit_head(Store&);

// Writes publication `p.summary.number` and its audit row (publication.create: number, as-of,
// list version, venue count, sha256, key) within the caller's transaction. The number must be
// next_publication_number() and the key stored; sha256 and bytes are computed here.
void insert_publication(Store&, Publication p);

// Every publication, the first first.
std::vector<PublicationSummary> publications(Store&);
std::optional<Publication> publication(Store&, std::int64_t number);
std::optional<PublicationSummary> latest_publication(Store&);

}  // namespace keepout::store
