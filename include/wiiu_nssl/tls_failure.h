// Why a TLS connection failed: one precise reason, the BearSSL code behind it and a text.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wiiu::tls {

/// The reason kept on a failed connection. Verification reasons come from the X.509 wrapper,
/// the rest from BearSSL's engine error or the transport.
enum class FailureReason {
    NoFailure,  ///< not "None": X11 defines None as a macro
    // certificate verification
    Untrusted,             ///< chain does not lead to a trust anchor (or is broken)
    Expired,
    NotYetValid,
    NameMismatch,          ///< host name not in the leaf's SAN dNSName / CN
    BadSignature,          ///< a certificate or handshake signature does not verify
    Revoked,               ///< the extra chain check (CRL) refused it
    CrlMissing,            ///< the context requires a CRL for every issuer and one has none usable
    NotCA,                 ///< an issuing certificate is not a CA
    KeyUsage,              ///< key usage forbids what the handshake needs
    CriticalExtension,     ///< unsupported critical extension
    NoCertificate,         ///< the peer sent an empty chain
    UnsupportedKey,        ///< weak or unusable public key (e.g. RSA below the minimum size)
    UnsupportedAlgorithm,  ///< signature/hash/suite BearSSL cannot handle
    Malformed,             ///< undecodable certificate
    ChainTooLarge,         ///< more certificates or bytes than the verifier buffers (docs/abi.md)
    // protocol and transport
    AlertReceived,         ///< the peer sent a fatal alert (see `alert`)
    AlertSent,             ///< BearSSL aborted and told the peer so (see `alert`)
    ProtocolVersion,       ///< no common protocol version
    Protocol,              ///< any other protocol violation
    Io,                    ///< transport error, reset, or end of stream without close_notify
    BadConfig,             ///< the client configuration itself was refused
    Internal,
};

std::string_view failureReasonName(FailureReason reason);

struct TlsFailure {
    FailureReason reason = FailureReason::NoFailure;
    int bearsslError = 0;  ///< BR_ERR_* (alerts: BR_ERR_RECV_FATAL_ALERT + n ...), 0 if none
    int alert = -1;        ///< TLS alert number for AlertReceived / AlertSent
    std::string text;

    explicit operator bool() const { return reason != FailureReason::NoFailure; }
};

/// Maps a BearSSL engine or X.509 error code (BR_ERR_*) to a failure with a readable text.
TlsFailure failureFromBearSsl(int error);

/// The BR_ERR_* constant name of `error` ("BR_ERR_X509_EXPIRED"), or "" when unknown.
std::string_view bearSslErrorName(int error);

}  // namespace wiiu::tls
