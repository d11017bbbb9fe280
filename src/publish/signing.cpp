#include "publish/signing.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "publish/errors.hpp"
#include "store/audit.hpp"

namespace keepout::publish {

namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxDeleter {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using Bio = std::unique_ptr<BIO, BioDeleter>;

// OpenSSL's reason for the last failure, and its queue emptied so that it does not leak into the
// next call's answer.
std::string openssl_reason() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "no reason given";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

Bio memory_bio(std::string_view bytes) {
    Bio b(BIO_new_mem_buf(bytes.data(), int(bytes.size())));
    if (!b) throw KeyError("out of memory reading a key");
    return b;
}

std::string bio_text(BIO* b) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    return std::string(data, std::size_t(n));
}

// Never prompts for a passphrase: an encrypted key is refused instead.
int no_passphrase(char*, int, int, void*) { return -1; }

void require_ed25519(EVP_PKEY* k, std::string_view source) {
    if (EVP_PKEY_id(k) != EVP_PKEY_ED25519)
        throw KeyError(std::string(source) + " is not an Ed25519 key (make one with keepout key create)");
}

}  // namespace

struct VerifyKey::Handle {
    Pkey key;
};
struct SigningKey::Handle {
    Pkey key;
};

VerifyKey::VerifyKey(std::unique_ptr<Handle> h) : key_(std::move(h)) {}
VerifyKey::VerifyKey(VerifyKey&&) noexcept = default;
VerifyKey& VerifyKey::operator=(VerifyKey&&) noexcept = default;
VerifyKey::~VerifyKey() = default;

VerifyKey VerifyKey::from_pem(std::string_view pem, std::string_view source) {
    Bio in = memory_bio(pem);
    Pkey k(PEM_read_bio_PUBKEY(in.get(), nullptr, no_passphrase, nullptr));
    if (!k)
        throw KeyError(std::string(source) + " is not a public key in PEM (-----BEGIN PUBLIC KEY-----): " +
                       openssl_reason());
    require_ed25519(k.get(), source);
    return VerifyKey(std::make_unique<Handle>(Handle{std::move(k)}));
}

std::string VerifyKey::pem() const {
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PUBKEY(out.get(), key_->key.get()) != 1)
        throw KeyError("cannot write the public key: " + openssl_reason());
    return bio_text(out.get());
}

std::string VerifyKey::fingerprint() const {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key_->key.get(), &der);
    if (n <= 0) throw KeyError("cannot encode the public key: " + openssl_reason());
    std::string bytes(reinterpret_cast<const char*>(der), std::size_t(n));
    OPENSSL_free(der);
    return store::sha256_hex(bytes);
}

bool VerifyKey::verifies(std::string_view message, std::string_view signature) const {
    if (signature.size() != 64) return false;
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_->key.get()) != 1)
        throw KeyError("cannot verify with this key: " + openssl_reason());
    const int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                    signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                    message.size());
    ERR_clear_error();  // a mismatch leaves a reason in the queue; it is the answer, not a failure
    return rc == 1;
}

SigningKey::SigningKey(std::unique_ptr<Handle> h) : key_(std::move(h)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

SigningKey SigningKey::generate() {
    PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
        throw KeyError("cannot generate an Ed25519 key: " + openssl_reason());
    return SigningKey(std::make_unique<Handle>(Handle{Pkey(raw)}));
}

SigningKey SigningKey::from_pem(std::string_view pem, std::string_view source) {
    Bio in = memory_bio(pem);
    Pkey k(PEM_read_bio_PrivateKey(in.get(), nullptr, no_passphrase, nullptr));
    if (!k)
        throw KeyError(std::string(source) +
                       " is not an unencrypted private key in PEM (-----BEGIN PRIVATE KEY-----): " + openssl_reason());
    require_ed25519(k.get(), source);
    return SigningKey(std::make_unique<Handle>(Handle{std::move(k)}));
}

std::string SigningKey::private_pem() const {
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PrivateKey(out.get(), key_->key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw KeyError("cannot write the private key: " + openssl_reason());
    return bio_text(out.get());
}

VerifyKey SigningKey::public_key() const {
    // Through the PEM of the public half: the copy holds no private material.
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PUBKEY(out.get(), key_->key.get()) != 1)
        throw KeyError("cannot take the public key: " + openssl_reason());
    return VerifyKey::from_pem(bio_text(out.get()), "the public half of the signing key");
}

std::string SigningKey::sign(std::string_view message) const {
    MdCtx ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_->key.get()) != 1)
        throw KeyError("cannot sign with this key: " + openssl_reason());
    std::string sig(64, '\0');
    std::size_t len = sig.size();
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        len != 64)
        throw KeyError("cannot sign: " + openssl_reason());
    return sig;
}

void write_private_key_file(const std::string& path, const SigningKey& key) {
    const std::string pem = key.private_pem();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) throw KeyFileExists(path + " exists: a key file is never overwritten");
        throw KeyError("cannot create " + path + ": " + std::strerror(errno));
    }
    struct Close {
        int fd;
        ~Close() { ::close(fd); }
    } close{fd};
    // The umask may only take bits away; the mode is set outright all the same.
    if (::fchmod(fd, 0600) != 0) throw KeyError("cannot set the mode of " + path + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < pem.size()) {
        const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            ::unlink(path.c_str());
            throw KeyError("cannot write " + path + ": " + why);
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(path.c_str());
        throw KeyError("cannot write " + path + ": " + why);
    }
}

std::string read_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw KeyError("cannot read the key file " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace keepout::publish
