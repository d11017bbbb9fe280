#pragma once
// Publication N of the Off-Limits list: one canonical JSON document (keys sorted, no whitespace
// between tokens, UTF-8, numbers as the JSON writer prints them), its Ed25519 signature, and the
// checks a reader makes of a copy: the signature offline, and against the audit chain.
//
// The document holds: format, number, mission (name, full_name, head_of_mission, time_zone,
// languages), as_of (the mission's local date) and time_zone, created_at (UTC), published_by,
// note, list_version, directives_in_force, venues (each with names, category, address,
// municipality, geometry, position and MGRS, directive, listed_since, until, reasons),
// venue_count, changes (since, added, lifted, changed: venue ids), reviews_due (the reviews
// overdue on the date: kind, directive, venue_id, due; analysis/reviews), audit (rows and head: the chain
// as it stood before this publication's own audit row) and key_fingerprint.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.hpp"
#include "publish/signing.hpp"
#include "store/publications.hpp"

namespace keepout::publish {

inline constexpr std::string_view kPublicationFormat = "keepout-publication/1";

struct PublishOptions {
    model::Date as_of;
    std::string note;
};

struct Changes {
    std::int64_t since = 0;  // the previous publication's number, 0 for the first
    std::vector<std::int64_t> added, lifted, changed;  // venue ids, ascending
};

struct Published {
    store::PublicationSummary summary;
    std::string document;   // the bytes written to publication-N.json
    std::string signature;  // the bytes written to publication-N.json.sig
    Changes changes;
};

// Makes and stores the next publication of the list as of `o.as_of`, signed with `key`, in one
// transaction with its audit row. Throws NoMissionProfile, KeyNotStored (the key's public half
// is not in the database), ListChanged.
Published publish(store::Store&, const SigningKey& key, const PublishOptions& o);

// The fields of a publication a reader needs first, read without checking the signature.
struct PublicationFacts {
    std::int64_t number = 0;
    std::string mission;  // the mission's short name
    std::string as_of, time_zone, created_at;
    std::int64_t list_version = 0;
    std::int64_t venue_count = 0;
    std::string key_fingerprint;
    std::int64_t audit_rows = 0;
    std::string audit_head;
};
// PublicationUnreadable unless the bytes are a keepout publication.
PublicationFacts read_facts(std::string_view document);

// Checks the signature of a copy; SignatureInvalid when it does not match, PublicationUnreadable
// when the signature is not 64 bytes or the document is not a publication.
PublicationFacts verify(std::string_view document, std::string_view signature, const VerifyKey& key);

// Whether the audit chain of the database still holds what publication `document` recorded: the
// chain verifies, its row `audit.rows` has the hash `audit.head`, and a later row records this
// publication with the SHA-256 of these bytes. A chain rewritten after the publication fails even
// when every hash in it was recomputed.
struct AuditAgainst {
    bool ok = false;
    std::string problem;      // when not ok
    std::int64_t chain_rows = 0;
    std::int64_t publication_row = 0;  // the audit row that records the publication, when found
    PublicationFacts facts;
};
AuditAgainst audit_against(store::Store&, std::string_view document);

// The document of one directive, for `publish --directive`: canonical JSON {"format":
// "keepout-directive/1", "mission", "created_at", "directive" (as in directives_in_force, with
// status and drafted_by), "places" and "lifts": each venue with names, category, address,
// municipality, position, mgrs, reasons, effective_from, until, added_by}. Any state: a draft's
// document says it is one. Not numbered nor signed: the directive is the Head of Mission's act;
// the publication of the list that follows it is what keepout signs. NotFound for an unknown ref.
std::string directive_document(store::Store&, const std::string& ref);
// "directive-HOM-OL-2026-003" for HOM/OL/2026/003: a file name of the reference.
std::string directive_file_stem(const std::string& ref);

// "publication-N.json" and "publication-N.json.sig".
std::string document_file_name(std::int64_t number);
std::string signature_file_name(std::int64_t number);

}  // namespace keepout::publish
