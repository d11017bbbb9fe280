#pragma once
// Ed25519 keys and signatures through OpenSSL (EVP), as `openssl genpkey -algorithm ed25519` and
// `openssl pkeyutl -sign -rawin` make them: a publication signed here verifies with openssl alone,
// and one signed there verifies here. OpenSSL types stay in signing.cpp.
#include <memory>
#include <string>
#include <string_view>

namespace keepout::publish {

// The public half: checks signatures.
class VerifyKey {
public:
    // A "-----BEGIN PUBLIC KEY-----" PEM (SubjectPublicKeyInfo); KeyError unless Ed25519.
    // `source` names where it came from in messages.
    static VerifyKey from_pem(std::string_view pem, std::string_view source);
    VerifyKey(VerifyKey&&) noexcept;
    VerifyKey& operator=(VerifyKey&&) noexcept;
    ~VerifyKey();

    std::string pem() const;
    // Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, the same as
    // `openssl pkey -pubin -in PUB.pem -outform DER | sha256sum`.
    std::string fingerprint() const;
    // Whether `signature` (64 raw bytes) is this key's signature of `message`.
    bool verifies(std::string_view message, std::string_view signature) const;

private:
    struct Handle;
    explicit VerifyKey(std::unique_ptr<Handle>);
    std::unique_ptr<Handle> key_;
    friend class SigningKey;
};

// The private key: signs. It lives in a file of its own, never in the database.
class SigningKey {
public:
    static SigningKey generate();
    // A "-----BEGIN PRIVATE KEY-----" PEM (PKCS #8, unencrypted); KeyError for anything else,
    // an encrypted key included (no passphrase prompt: the command may run unattended).
    static SigningKey from_pem(std::string_view pem, std::string_view source);
    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) noexcept;
    ~SigningKey();

    std::string private_pem() const;
    VerifyKey public_key() const;
    // The raw 64-byte Ed25519 signature of `message` (PureEdDSA: the message itself, no digest first).
    std::string sign(std::string_view message) const;

private:
    struct Handle;
    explicit SigningKey(std::unique_ptr<Handle>);
    std::unique_ptr<Handle> key_;
};

// Writes a private key to a new file with mode 0600 (KeyFileExists when the path exists).
void write_private_key_file(const std::string& path, const SigningKey&);
// Reads a key file (KeyError when it cannot be read).
std::string read_key_file(const std::string& path);

}  // namespace keepout::publish
