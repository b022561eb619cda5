// The nlibcurl bridge: for an emulator that serves nlibcurl with a host libcurl and hands it an
// NSSL context (nlibcurl's option 210). It reads a context back (trusted CAs, client certificate,
// CRLs, flags, versions) to configure the host TLS library, and judges a peer chain exactly as
// NSSLDoHandshake would, from inside that library's verify callback (docs/embedding.md, "Serving
// nlibcurl with a host libcurl").
//
// Plain std types only, like every public header: no Boost, spdlog, fmt, BearSSL or OpenSSL
// header is reached from here. Every call is thread-safe and copies what it returns.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/tls_failure.h>

namespace wiiu {

class Process;

namespace curl_bridge {

using Bytes = std::vector<std::uint8_t>;

/// One CA the context trusts, DER.
struct TrustedCa {
    enum class Origin {
        Internal,  ///< NSSLAddServerPKI / NSSLAddServerPKIGroups: resolved from the certificate store
        External,  ///< NSSLAddServerPKIExternal
        Extra,     ///< nssl::Config::extraTrustedCas, which every context trusts
    };
    Bytes der;
    Origin origin = Origin::External;
    std::int32_t certId = -1;  ///< the store's ID for Internal, else -1
};

/// The hash a digest to sign was made with. Md5Sha1: TLS 1.0/1.1's MD5 || SHA-1 (36 bytes, RSA).
enum class SignatureHash { Md5Sha1, Sha1, Sha224, Sha256, Sha384, Sha512 };

/// Signs a digest with the context's private key inside the module (RSA PKCS#1 v1.5 with the
/// hash's DigestInfo, none for Md5Sha1; ECDSA as DER), as a TLS client's CertificateVerify does.
/// Empty when the digest's size does not fit the hash. The function shares ownership of the key:
/// it stays usable after the context is destroyed, and the key is wiped when the last copy goes.
using SignFunction = std::function<Bytes(SignatureHash hash, std::span<const std::uint8_t> digest)>;

/// NSSLSetClientPKI / NSSLSetClientPKIExternal's certificate and key.
struct ClientCertificate {
    enum class KeyType { Rsa, Ec };
    std::vector<Bytes> chain;  ///< the client certificate first (the module presents no intermediates)
    KeyType keyType = KeyType::Rsa;
    SignFunction sign;         ///< preferred: the key never leaves the module
    /// The private key DER as the guest or the store gave it (PKCS#1, PKCS#8 or SEC1), only with
    /// DescribeOptions::exportPrivateKey. A secret: the caller wipes it when done.
    Bytes privateKeyDer;
};

/// A context as one copy, taken at the call: later changes to the context are not seen.
struct ContextDescription {
    /// The guest's CAs in the order added (each once), then the configured extra CAs.
    std::vector<TrustedCa> trustedCas;
    std::optional<ClientCertificate> client;
    std::vector<Bytes> crls;      ///< NSSLAddCRLExternal's CRLs, DER, in the order added
    std::uint32_t flags = 0;      ///< NSSLContextSetFlags: 0x1 check revocation, 0x2 require a CRL
    std::int32_t mode = 0;        ///< NSSLContextSetMode's value (its meaning is unknown)
    std::uint16_t minVersion = 0; ///< TLS protocol numbers: 0x0301 TLS 1.0 .. 0x0303 TLS 1.2
    std::uint16_t maxVersion = 0;
    /// nssl::VerifyProfile::AcceptAny: the handshake verifies nothing; verifyPeer() accepts
    /// any chain whose leaf has a usable key.
    bool acceptAnyCertificate = false;
};

struct DescribeOptions {
    bool exportPrivateKey = false;  ///< fill ClientCertificate::privateKeyDer
};

/// Describes context handle `context` of `process` into `out`. Returns the NSSL code: 0, or
/// NSSL_ERROR_LIB_NOT_READY / NSSL_ERROR_INVALID_NSSL_CONTEXT (out untouched).
std::int32_t describeContext(Process& process, std::int32_t context, ContextDescription& out,
                             DescribeOptions options = {});

/// NSSLCreateConnection's verify options: 0x1 chain, 0x2 host name, 0x4 dates.
inline constexpr std::uint32_t kVerifyAll = 0x7;

/// What NSSLDoHandshake would conclude of a peer chain.
struct Verdict {
    /// The NSSL code: 0 (accepted), NSSL_ERROR_HANDSHAKE_ERROR as the handshake returns it, or
    /// NSSL_ERROR_LIB_NOT_READY / NSSL_ERROR_INVALID_NSSL_CONTEXT for a bad handle.
    std::int32_t error = 0;
    tls::FailureReason reason = tls::FailureReason::NoFailure;  ///< as Service::failure() reports it
    std::string text;                                       ///< for logs
    /// The console quirks (tls::quirk bits, <wiiu_nssl/firmware.h>) an acceptance relied on.
    std::uint32_t quirks = 0;
    bool accepted() const { return error == 0; }
};

/// Judges `chain` (DER, leaf first, as the server sent it) for `host` with verify `options`,
/// `context`'s CAs, CRLs and flags, the configured verify profile and the emulated clock
/// (EmbeddingHooks::now), by the verifier NSSLDoHandshake uses. Only the chain: that the server
/// holds the leaf's key is the host TLS library's part of the handshake.
Verdict verifyPeer(Process& process, std::int32_t context, std::string_view host,
                   std::span<const Bytes> chain, std::uint32_t options = kVerifyAll);

}  // namespace curl_bridge
}  // namespace wiiu
