#include "store/publications.hpp"

#include <nlohmann/json.hpp>

namespace keepout::store {

namespace {

constexpr const char* kSummaryColumns =
    "number, created_at, as_of, time_zone, list_version, venue_count, note, sha256, key_fingerprint, created_by,"
    " length(document)";

PublicationSummary read_summary(Statement& st) {
    PublicationSummary s;
    s.number = st.integer(0);
    s.created_at = st.text(1);
    s.as_of = st.text(2);
    s.time_zone = st.text(3);
    s.list_version = st.integer(4);
    s.venue_count = st.integer(5);
    s.note = st.text(6);
    s.sha256 = st.text(7);
    s.key_fingerprint = st.text(8);
    s.created_by = st.text(9);
    s.bytes = st.integer(10);
    return s;
}

PublicationKey read_key(Statement& st) {
    return {st.text(0), st.text(1), st.text(2), st.text(3)};
}

}  // namespace

void add_publication_key(Store& s, const PublicationKey& k) {
    Transaction tx(s.db());
    Statement ins = s.db().prepare(
        "INSERT INTO publication_keys (fingerprint, public_key_pem, created_at, created_by) VALUES (?,?,?,?)");
    ins.bind(1, k.fingerprint).bind(2, k.public_key_pem).bind(3, k.created_at).bind(4, k.created_by);
    ins.run();
    s.record("publication_key.create", "publication_key", k.fingerprint, std::nullopt,
             nlohmann::json{{"fingerprint", k.fingerprint}, {"public_key_pem", k.public_key_pem}}.dump());
    tx.commit();
}

std::optional<PublicationKey> publication_key(Store& s, std::string_view fingerprint) {
    Statement st = s.db().prepare(
        "SELECT fingerprint, public_key_pem, created_at, created_by FROM publication_keys WHERE fingerprint = ?");
    st.bind(1, fingerprint);
    if (!st.step()) return std::nullopt;
    return read_key(st);
}

std::vector<PublicationKey> publication_keys(Store& s) {
    Statement st = s.db().prepare(
        "SELECT fingerprint, public_key_pem, created_at, created_by FROM publication_keys ORDER BY rowid");
    std::vector<PublicationKey> out;
    while (st.step()) out.push_back(read_key(st));
    return out;
}

std::int64_t next_publication_number(Store& s) {
    return s.db().scalar("SELECT coalesce(max(number), 0) + 1 FROM publications");
}

AuditHead audit_head(Store& s) {
    Statement st = s.db().prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!st.step()) return {};
    return {st.integer(0), st.text(1)};
}

void insert_publication(Store& s, Publication p) {
    PublicationSummary& m = p.summary;
    if (m.number != next_publication_number(s))
        throw StoreError("publication " + std::to_string(m.number) + " is not the next number (" +
                         std::to_string(next_publication_number(s)) + ")");
    if (!publication_key(s, m.key_fingerprint))
        throw StoreError("the key " + m.key_fingerprint + " is not a stored publication key");
    m.sha256 = sha256_hex(p.document);
    m.bytes = std::int64_t(p.document.size());
    Statement ins = s.db().prepare(
        "INSERT INTO publications (number, created_at, as_of, time_zone, list_version, venue_count, note, document,"
        " sha256, signature, key_fingerprint, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, m.number).bind(2, m.created_at).bind(3, m.as_of).bind(4, m.time_zone).bind(5, m.list_version);
    ins.bind(6, m.venue_count).bind(7, m.note).bind_blob(8, p.document).bind(9, m.sha256);
    ins.bind_blob(10, p.signature).bind(11, m.key_fingerprint).bind(12, m.created_by);
    ins.run();
    s.record("publication.create", "publication", std::to_string(m.number), std::nullopt,
             nlohmann::json{{"number", m.number},
                            {"as_of", m.as_of},
                            {"time_zone", m.time_zone},
                            {"list_version", m.list_version},
                            {"venue_count", m.venue_count},
                            {"note", m.note},
                            {"sha256", m.sha256},
                            {"bytes", m.bytes},
                            {"key_fingerprint", m.key_fingerprint}}
                 .dump());
}

std::vector<PublicationSummary> publications(Store& s) {
    Statement st = s.db().prepare(std::string("SELECT ") + kSummaryColumns + " FROM publications ORDER BY number");
    std::vector<PublicationSummary> out;
    while (st.step()) out.push_back(read_summary(st));
    return out;
}

std::optional<Publication> publication(Store& s, std::int64_t number) {
    Statement st = s.db().prepare(std::string("SELECT ") + kSummaryColumns +
                                  ", document, signature FROM publications WHERE number = ?");
    st.bind(1, number);
    if (!st.step()) return std::nullopt;
    Publication p;
    p.summary = read_summary(st);
    p.document = st.blob(11);
    p.signature = st.blob(12);
    return p;
}

std::optional<PublicationSummary> latest_publication(Store& s) {
    Statement st = s.db().prepare(std::string("SELECT ") + kSummaryColumns +
                                  " FROM publications ORDER BY number DESC LIMIT 1");
    if (!st.step()) return std::nullopt;
    return read_summary(st);
}

}  // namespace keepout::store
