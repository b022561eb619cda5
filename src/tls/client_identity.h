// A client certificate chain and its private key, decoded once for BearSSL and shared by every
// connection that presents it. The private key bytes are wiped when the identity is freed.
#pragma once

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

private:
    ClientIdentity() = default;
    std::vector<pki::Bytes> chainDer_;
    std::vector<br_x509_certificate> chain_;
    unsigned keyType_ = 0;
    unsigned issuerKeyType_ = BR_KEYTYPE_RSA;  // matters for static ECDH with TLS 1.0/1.1
    std::vector<unsigned char> secret_;         // all private key components, wiped on free
    br_rsa_private_key rsa_{};
    br_ec_private_key ec_{};
};

}  // namespace wiiu::tls
