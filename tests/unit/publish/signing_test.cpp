// Ed25519 as RFC 8032 defines it: the test vector signs and verifies here byte for byte, keys
// round-trip through PEM, and what is not an Ed25519 key or signature is refused.
#include "publish/signing.hpp"

#include <catch2/catch.hpp>

#include "publish/errors.hpp"

using namespace keepout::publish;

namespace {

// RFC 8032 section 7.1, TEST 1: the secret key 9d61b1…7f60 and its public key d75a98…511a.
const char* kRfcPrivate =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
const char* kRfcPublic =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "-----END PUBLIC KEY-----\n";

std::string unhex(const std::string& h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(char(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

}  // namespace

TEST_CASE("the RFC 8032 test vector signs and verifies byte for byte", "[publish]") {
    const SigningKey key = SigningKey::from_pem(kRfcPrivate, "rfc");
    const std::string expected = unhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f059"
        "5bbe24655141438e7a100b");
    CHECK(key.sign("") == expected);
    const VerifyKey pub = VerifyKey::from_pem(kRfcPublic, "rfc");
    CHECK(pub.verifies("", expected));
    CHECK(key.public_key().pem() == kRfcPublic);
    // SHA-256 of the DER SubjectPublicKeyInfo, as openssl pkey -outform DER | sha256sum prints it.
    CHECK(pub.fingerprint() == "06e3fd8fda29bb60ab59557de61edb0aecdb231134be30e75b455f8e1b792fa9");
    std::string flipped = expected;
    flipped[0] = char(flipped[0] ^ 0x80);
    CHECK_FALSE(pub.verifies("", flipped));
    CHECK_FALSE(pub.verifies("x", expected));
    CHECK_FALSE(pub.verifies("", expected.substr(0, 63)));
}

TEST_CASE("a generated key round-trips through PEM and signs what it verifies", "[publish]") {
    const SigningKey a = SigningKey::generate();
    const SigningKey again = SigningKey::from_pem(a.private_pem(), "a");
    const std::string message = "publication \xd8\xad\x00 bytes";
    CHECK(again.sign(message) == a.sign(message));  // Ed25519 is deterministic
    CHECK(a.public_key().verifies(message, again.sign(message)));
    const SigningKey b = SigningKey::generate();
    CHECK(a.public_key().fingerprint() != b.public_key().fingerprint());
    CHECK_FALSE(b.public_key().verifies(message, a.sign(message)));
}

TEST_CASE("what is not an Ed25519 key is refused with KeyError", "[publish]") {
    CHECK_THROWS_AS(SigningKey::from_pem("", "empty"), KeyError);
    CHECK_THROWS_AS(SigningKey::from_pem(kRfcPublic, "public"), KeyError);
    CHECK_THROWS_AS(VerifyKey::from_pem(kRfcPrivate, "private"), KeyError);
    CHECK_THROWS_AS(VerifyKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "junk"),
                    KeyError);
    // An EC P-256 public key: PEM, but not Ed25519.
    const char* p256 =
        "-----BEGIN PUBLIC KEY-----\n"
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjkfAJ/sJaZ7QV1MTBciexiGHbwGQ\n"
        "tW8wjq8QxSrJfnF/4oOUVS6HHqrXba7Q5kCgwIWe7UMUWx5owM0nNLt2Jw==\n"
        "-----END PUBLIC KEY-----\n";
    CHECK_THROWS_WITH(VerifyKey::from_pem(p256, "p256.pem"), Catch::Contains("not an Ed25519 key"));
}
