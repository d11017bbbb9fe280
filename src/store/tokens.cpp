#include "store/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>

#include "store/audit.hpp"

namespace keepout::store {

namespace {

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[p[i] >> 4]);
        out.push_back(digits[p[i] & 15]);
    }
    return out;
}

std::string random_hex(std::size_t bytes) {
    std::string buf(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), int(bytes)) != 1)
        throw StoreError("no secure random bytes available");
    return hex(reinterpret_cast<const unsigned char*>(buf.data()), bytes);
}

std::string salted_hash(const std::string& salt, const std::string& secret) {
    const std::string input = salt + ":" + secret;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &n, EVP_sha256(), nullptr) != 1)
        throw StoreError("SHA-256 unavailable");
    return hex(digest, n);
}

}  // namespace

std::string_view to_string(TokenRefusal r) {
    switch (r) {
        case TokenRefusal::none: return "none";
        case TokenRefusal::malformed: return "malformed";
        case TokenRefusal::unknown: return "unknown";
        case TokenRefusal::wrong_secret: return "wrong-secret";
        case TokenRefusal::revoked: return "revoked";
        case TokenRefusal::expired: return "expired";
    }
    return "?";
}

std::string create_token(Database& db, model::Role role, const std::string& name,
                         std::optional<model::Date> expires_on, model::Date today) {
    if (name.find_first_not_of(" \t\r\n") == std::string::npos) throw StoreError("a token needs the name of its holder");
    if (expires_on && *expires_on < today)
        throw StoreError("the expiry date " + expires_on->iso() + " has passed (today is " + today.iso() + ")");
    const std::string salt = random_hex(16), secret = random_hex(24);
    Statement st = db.prepare(
        "INSERT INTO tokens (name, role, salt, hash, created_at, expires_on) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, name).bind(2, model::to_string(role)).bind(3, salt).bind(4, salted_hash(salt, secret));
    st.bind(5, utc_timestamp());
    st.bind(6, expires_on ? std::optional<std::string>(expires_on->iso()) : std::nullopt);
    st.run();
    return "ko_" + std::to_string(db.last_insert_id()) + "_" + secret;
}

TokenCheck check_token(Database& db, const std::string& token, model::Date today) {
    TokenCheck c;
    c.refusal = TokenRefusal::malformed;
    if (token.size() > 200 || token.rfind("ko_", 0) != 0) return c;
    const auto sep = token.find('_', 3);
    if (sep == std::string::npos) return c;
    model::Id id = 0;
    auto [p, ec] = std::from_chars(token.data() + 3, token.data() + sep, id);
    if (ec != std::errc{} || p != token.data() + sep) return c;
    c.token_id = id;
    const std::string secret = token.substr(sep + 1);
    Statement st = db.prepare("SELECT name, role, salt, hash, revoked_at, expires_on FROM tokens WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) {
        c.refusal = TokenRefusal::unknown;
        return c;
    }
    const std::string expected = st.text(3);
    const std::string got = salted_hash(st.text(2), secret);
    if (got.size() != expected.size() || CRYPTO_memcmp(got.data(), expected.data(), got.size()) != 0) {
        c.refusal = TokenRefusal::wrong_secret;
        return c;
    }
    if (!st.is_null(4)) {
        c.refusal = TokenRefusal::revoked;
        return c;
    }
    if (!st.is_null(5)) {
        auto last = model::Date::try_parse(st.text(5));
        if (!last || *last < today) {
            c.refusal = TokenRefusal::expired;
            c.expired_on = last;
            return c;
        }
    }
    auto role = model::parse_role(st.text(1));
    if (!role) {
        c.refusal = TokenRefusal::unknown;
        return c;
    }
    c.refusal = TokenRefusal::none;
    c.holder = TokenHolder{id, st.text(0), *role};
    return c;
}

std::optional<TokenHolder> verify_token(Database& db, const std::string& token) { return check_token(db, token).holder; }

bool revoke_token(Database& db, model::Id id) {
    Statement st = db.prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    st.bind(1, utc_timestamp()).bind(2, id);
    st.run();
    return db.changes() > 0;
}

std::vector<TokenInfo> list_tokens(Database& db) {
    Statement st = db.prepare("SELECT id, name, role, created_at, expires_on, revoked_at FROM tokens ORDER BY id");
    std::vector<TokenInfo> out;
    while (st.step()) {
        TokenInfo t;
        t.id = st.integer(0);
        t.name = st.text(1);
        t.role = model::parse_role(st.text(2)).value_or(model::Role::reader);
        t.created_at = st.text(3);
        if (!st.is_null(4)) t.expires_on = model::Date::try_parse(st.text(4));
        t.revoked_at = st.optional_text(5);
        out.push_back(std::move(t));
    }
    return out;
}

void record_auth_failure(Database& db, const std::string& remote, std::optional<model::Id> token_id,
                         const std::string& reason) {
    Statement st = db.prepare("INSERT INTO auth_failures (at, remote, token_id, reason) VALUES (?, ?, ?, ?)");
    st.bind(1, utc_timestamp()).bind(2, remote.substr(0, 64)).bind(3, token_id).bind(4, reason);
    st.run();
    // Bounded: the last 100 000 attempts, none older than 90 days.
    const auto last = db.last_insert_id();
    Statement old = db.prepare("DELETE FROM auth_failures WHERE id <= ? OR at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-90 days')");
    old.bind(1, last - 100000);
    old.run();
}

std::vector<AuthFailure> auth_failures(Database& db, int limit) {
    Statement st = db.prepare("SELECT at, remote, token_id, reason FROM auth_failures ORDER BY id DESC LIMIT ?");
    st.bind(1, std::int64_t{limit});
    std::vector<AuthFailure> out;
    while (st.step()) {
        AuthFailure f{st.text(0), st.text(1), st.text(3), std::nullopt};
        if (!st.is_null(2)) f.token_id = st.integer(2);
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace keepout::store
