// A client certificate chain and its private key, decoded once for BearSSL and shared by every
// connection that presents it. The private key bytes are wiped when the identity is freed.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/bearssl.h"
#include "common/expected.h"
#include "pki/types.h"

namespace wiiu::tls {

class ClientIdentity {
public:
    /// `chainDer`: the client certificate first, then any intermediates. `keyDer`: PKCS#1 RSA,
    /// PKCS#8 (RSA or EC) or SEC1 EC private key, DER. The key type must match the certificate.
    static Expected<std::shared_ptr<const ClientIdentity>, std::string> create(
        std::vector<pki::Bytes> chainDer, pki::ByteView keyDer);

    ~ClientIdentity();
    ClientIdentity(const ClientIdentity&) = delete;
    ClientIdentity& operator=(const ClientIdentity&) = delete;

    /// Installs the chain and key on a client context (br_ssl_client_set_single_rsa / _ec).
    /// The context links to this object's memory: keep the identity alive as long as it.
    void install(br_ssl_client_context& cc) const;

    bool isRsa() const { return keyType_ == BR_KEYTYPE_RSA; }
    std::span<const pki::Bytes> chain() const { return chainDer_; }
    /// The private key as given to create(). A secret: whoever copies it wipes the copy.
    std::span<const std::uint8_t> keyDer() const { return keyDer_; }

    /// The hash a digest to sign() was made with; Md5Sha1 is TLS 1.0/1.1's 36-byte MD5 || SHA-1.
    enum class Hash { Md5Sha1, Sha1, Sha224, Sha256, Sha384, Sha512 };
    /// Signs `digest` as a TLS client's CertificateVerify does, the key never leaving this
    /// object: RSA PKCS#1 v1.5 (DigestInfo with the hash's OID; none for Md5Sha1), or ECDSA in
    /// DER (Md5Sha1 is not for EC keys). Empty when the digest's size is not the hash's.
    std::vector<std::uint8_t> sign(Hash hash, std::span<const std::uint8_t> digest) const;

private:
    ClientIdentity() = default;
    std::vector<pki::Bytes> chainDer_;
    std::vector<br_x509_certificate> chain_;
    unsigned keyType_ = 0;
    unsigned issuerKeyType_ = BR_KEYTYPE_RSA;  // matters for static ECDH with TLS 1.0/1.1
    std::vector<unsigned char> secret_;         // all private key components, wiped on free
    std::vector<std::uint8_t> keyDer_;          // wiped on free
    br_rsa_private_key rsa_{};
    br_ec_private_key ec_{};
};

}  // namespace wiiu::tls
