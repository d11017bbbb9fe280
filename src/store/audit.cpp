#include "store/audit.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace keepout::store {

namespace {
struct DigestDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

void feed(EVP_MD_CTX* ctx, const std::string& field) {
    std::string len = std::to_string(field.size()) + ":";
    EVP_DigestUpdate(ctx, len.data(), len.size());
    EVP_DigestUpdate(ctx, field.data(), field.size());
}
void feed(EVP_MD_CTX* ctx, const std::optional<std::string>& field) {
    if (!field) {
        EVP_DigestUpdate(ctx, "-", 1);  // NULL differs from ""
        return;
    }
    feed(ctx, *field);
}
// Lowercase hex of a digest, as every hash keepout stores is written.
std::string hex_of(const unsigned char* digest, unsigned n) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (unsigned i = 0; i < n; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 15]);
    }
    return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr) != 1)
        throw StoreError("SHA-256 unavailable");
    return hex_of(digest, n);
}

std::string audit_hash(const std::string& prev, std::int64_t seq, const std::string& at, const AuditEntry& e) {
    std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw StoreError("SHA-256 unavailable");
    feed(ctx.get(), prev);
    feed(ctx.get(), std::to_string(seq));
    feed(ctx.get(), at);
    feed(ctx.get(), e.actor);
    feed(ctx.get(), e.action);
    feed(ctx.get(), e.entity);
    feed(ctx.get(), e.entity_key);
    feed(ctx.get(), e.before);
    feed(ctx.get(), e.after);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &n);
    return hex_of(digest, n);
}

std::string utc_timestamp() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto days = floor<std::chrono::days>(now);
    year_month_day ymd{days};
    hh_mm_ss<milliseconds> t{floor<milliseconds>(now - days)};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(t.hours().count()),
                  int(t.minutes().count()), int(t.seconds().count()), int(t.subseconds().count()));
    return buf;
}

void AuditLog::append(const AuditEntry& e) {
    std::string prev;
    std::int64_t seq = 1;
    {
        Statement last = db_.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        if (last.step()) {
            seq = last.integer(0) + 1;
            prev = last.text(1);
        }
    }
    const std::string at = utc_timestamp();
    const std::string hash = audit_hash(prev, seq, at, e);
    Statement ins = db_.prepare(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_key, before, after, prev_hash, hash)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, seq).bind(2, at).bind(3, e.actor).bind(4, e.action).bind(5, e.entity).bind(6, e.entity_key);
    ins.bind(7, e.before).bind(8, e.after).bind(9, prev).bind(10, hash);
    ins.run();
    Statement head = db_.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'");
    head.bind(1, hash).run();
}

AuditVerification AuditLog::verify() {
    AuditVerification result;
    Statement rows = db_.prepare(
        "SELECT seq, at, actor, action, entity, entity_key, before, after, prev_hash, hash"
        " FROM audit_log ORDER BY seq");
    std::string prev;
    std::int64_t expected_seq = 1;
    auto bad = [&](std::int64_t seq, std::string problem) {
        result.ok = false;
        result.first_bad_seq = seq;
        result.problem = std::move(problem);
    };
    while (rows.step()) {
        ++result.rows;
        const std::int64_t seq = rows.integer(0);
        AuditEntry e{rows.text(2), rows.text(3), rows.text(4), rows.text(5), rows.optional_text(6),
                     rows.optional_text(7)};
        if (seq != expected_seq) {
            bad(seq, "row " + std::to_string(expected_seq) + " is missing");
            return result;
        }
        if (rows.text(8) != prev) {
            bad(seq, "its link to the previous row does not match");
            return result;
        }
        std::string hash = audit_hash(prev, seq, rows.text(1), e);
        if (hash != rows.text(9)) {
            bad(seq, "its content does not match its hash (the row was changed)");
            return result;
        }
        prev = hash;
        ++expected_seq;
    }
    Statement head = db_.prepare("SELECT value FROM meta WHERE key = 'audit_head'");
    if (head.step() && head.text(0) != prev)
        bad(expected_seq, "the log ends before its recorded head (rows were removed from the end)");
    return result;
}

}  // namespace keepout::store
