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

std::string create_token(Database& db, model::Role role, const std::string& name) {
    if (name.empty()) throw StoreError("a token needs a name");
    const std::string salt = random_hex(16), secret = random_hex(24);
    Statement st = db.prepare("INSERT INTO tokens (name, role, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, name).bind(2, model::to_string(role)).bind(3, salt).bind(4, salted_hash(salt, secret));
    st.bind(5, utc_timestamp());
    st.run();
    return "ko_" + std::to_string(db.last_insert_id()) + "_" + secret;
}

std::optional<TokenHolder> verify_token(Database& db, const std::string& token) {
    if (token.rfind("ko_", 0) != 0) return std::nullopt;
    const auto sep = token.find('_', 3);
    if (sep == std::string::npos) return std::nullopt;
    model::Id id = 0;
    auto [p, ec] = std::from_chars(token.data() + 3, token.data() + sep, id);
    if (ec != std::errc{} || p != token.data() + sep) return std::nullopt;
    const std::string secret = token.substr(sep + 1);
    Statement st = db.prepare("SELECT name, role, salt, hash FROM tokens WHERE id = ? AND revoked_at IS NULL");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    const std::string expected = st.text(3);
    const std::string got = salted_hash(st.text(2), secret);
    if (got.size() != expected.size() || CRYPTO_memcmp(got.data(), expected.data(), got.size()) != 0)
        return std::nullopt;
    auto role = model::parse_role(st.text(1));
    if (!role) return std::nullopt;
    return TokenHolder{id, st.text(0), *role};
}

bool revoke_token(Database& db, model::Id id) {
    Statement st = db.prepare("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    st.bind(1, utc_timestamp()).bind(2, id);
    st.run();
    return db.changes() > 0;
}

}  // namespace keepout::store
