#include <wiiu_nssl/tls_failure.h>

#include <fmt/format.h>

#include "common/bearssl.h"

namespace wiiu::tls {

std::string_view failureReasonName(FailureReason reason)
{
    switch (reason) {
    case FailureReason::NoFailure: return "NoFailure";
    case FailureReason::Untrusted: return "Untrusted";
    case FailureReason::Expired: return "Expired";
    case FailureReason::NotYetValid: return "NotYetValid";
    case FailureReason::NameMismatch: return "NameMismatch";
    case FailureReason::BadSignature: return "BadSignature";
    case FailureReason::Revoked: return "Revoked";
    case FailureReason::CrlMissing: return "CrlMissing";
    case FailureReason::NotCA: return "NotCA";
    case FailureReason::KeyUsage: return "KeyUsage";
    case FailureReason::CriticalExtension: return "CriticalExtension";
    case FailureReason::NoCertificate: return "NoCertificate";
    case FailureReason::UnsupportedKey: return "UnsupportedKey";
    case FailureReason::UnsupportedAlgorithm: return "UnsupportedAlgorithm";
    case FailureReason::Malformed: return "Malformed";
    case FailureReason::ChainTooLarge: return "ChainTooLarge";
    case FailureReason::AlertReceived: return "AlertReceived";
    case FailureReason::AlertSent: return "AlertSent";
    case FailureReason::ProtocolVersion: return "ProtocolVersion";
    case FailureReason::Protocol: return "Protocol";
    case FailureReason::Io: return "Io";
    case FailureReason::BadConfig: return "BadConfig";
    case FailureReason::Internal: return "Internal";
    }
    return "?";
}

namespace {

struct ErrorInfo {
    int code;
    std::string_view name;
    FailureReason reason;
    std::string_view text;
};

// Every BR_ERR_* constant of bearssl_ssl.h and bearssl_x509.h (0.6), with the reason it maps to.
constexpr ErrorInfo kErrors[] = {
    {BR_ERR_OK, "BR_ERR_OK", FailureReason::NoFailure, "no error"},
    {BR_ERR_BAD_PARAM, "BR_ERR_BAD_PARAM", FailureReason::Internal, "bad parameter"},
    {BR_ERR_BAD_STATE, "BR_ERR_BAD_STATE", FailureReason::Internal, "bad engine state"},
    {BR_ERR_UNSUPPORTED_VERSION, "BR_ERR_UNSUPPORTED_VERSION", FailureReason::ProtocolVersion,
     "peer chose a protocol version we do not offer"},
    {BR_ERR_BAD_VERSION, "BR_ERR_BAD_VERSION", FailureReason::ProtocolVersion,
     "record version changed mid-connection"},
    {BR_ERR_BAD_LENGTH, "BR_ERR_BAD_LENGTH", FailureReason::Protocol, "bad record length"},
    {BR_ERR_TOO_LARGE, "BR_ERR_TOO_LARGE", FailureReason::Protocol, "record too large"},
    {BR_ERR_BAD_MAC, "BR_ERR_BAD_MAC", FailureReason::Protocol, "record MAC/decryption failed"},
    {BR_ERR_NO_RANDOM, "BR_ERR_NO_RANDOM", FailureReason::Internal, "no entropy source"},
    {BR_ERR_UNKNOWN_TYPE, "BR_ERR_UNKNOWN_TYPE", FailureReason::Protocol, "unknown record type"},
    {BR_ERR_UNEXPECTED, "BR_ERR_UNEXPECTED", FailureReason::Protocol, "unexpected message"},
    {BR_ERR_BAD_CCS, "BR_ERR_BAD_CCS", FailureReason::Protocol, "bad ChangeCipherSpec"},
    {BR_ERR_BAD_ALERT, "BR_ERR_BAD_ALERT", FailureReason::Protocol, "bad alert message"},
    {BR_ERR_BAD_HANDSHAKE, "BR_ERR_BAD_HANDSHAKE", FailureReason::Protocol, "bad handshake message"},
    {BR_ERR_OVERSIZED_ID, "BR_ERR_OVERSIZED_ID", FailureReason::Protocol, "session ID too long"},
    {BR_ERR_BAD_CIPHER_SUITE, "BR_ERR_BAD_CIPHER_SUITE", FailureReason::UnsupportedAlgorithm,
     "server chose a cipher suite we did not offer"},
    {BR_ERR_BAD_COMPRESSION, "BR_ERR_BAD_COMPRESSION", FailureReason::Protocol,
     "server chose compression"},
    {BR_ERR_BAD_FRAGLEN, "BR_ERR_BAD_FRAGLEN", FailureReason::Protocol, "bad max fragment length"},
    {BR_ERR_BAD_SECRENEG, "BR_ERR_BAD_SECRENEG", FailureReason::Protocol,
     "secure renegotiation failure"},
    {BR_ERR_EXTRA_EXTENSION, "BR_ERR_EXTRA_EXTENSION", FailureReason::Protocol,
     "server sent an extension we did not ask for"},
    {BR_ERR_BAD_SNI, "BR_ERR_BAD_SNI", FailureReason::Protocol, "bad SNI"},
    {BR_ERR_BAD_HELLO_DONE, "BR_ERR_BAD_HELLO_DONE", FailureReason::Protocol,
     "bad ServerHelloDone"},
    {BR_ERR_LIMIT_EXCEEDED, "BR_ERR_LIMIT_EXCEEDED", FailureReason::Protocol,
     "an internal limit was exceeded"},
    {BR_ERR_BAD_FINISHED, "BR_ERR_BAD_FINISHED", FailureReason::Protocol, "bad Finished message"},
    {BR_ERR_RESUME_MISMATCH, "BR_ERR_RESUME_MISMATCH", FailureReason::Protocol,
     "resumed session does not match (version or suite)"},
    {BR_ERR_INVALID_ALGORITHM, "BR_ERR_INVALID_ALGORITHM", FailureReason::UnsupportedAlgorithm,
     "unsupported or invalid algorithm"},
    {BR_ERR_BAD_SIGNATURE, "BR_ERR_BAD_SIGNATURE", FailureReason::BadSignature,
     "handshake signature does not verify"},
    {BR_ERR_WRONG_KEY_USAGE, "BR_ERR_WRONG_KEY_USAGE", FailureReason::KeyUsage,
     "peer key usage does not fit the suite"},
    {BR_ERR_NO_CLIENT_AUTH, "BR_ERR_NO_CLIENT_AUTH", FailureReason::NoCertificate,
     "no client certificate"},
    {BR_ERR_IO, "BR_ERR_IO", FailureReason::Io, "transport I/O error"},
    {BR_ERR_X509_OK, "BR_ERR_X509_OK", FailureReason::NoFailure, "certificate OK"},
    {BR_ERR_X509_INVALID_VALUE, "BR_ERR_X509_INVALID_VALUE", FailureReason::Malformed,
     "invalid value in certificate"},
    {BR_ERR_X509_TRUNCATED, "BR_ERR_X509_TRUNCATED", FailureReason::Malformed,
     "truncated certificate"},
    {BR_ERR_X509_EMPTY_CHAIN, "BR_ERR_X509_EMPTY_CHAIN", FailureReason::NoCertificate,
     "empty certificate chain"},
    {BR_ERR_X509_INNER_TRUNC, "BR_ERR_X509_INNER_TRUNC", FailureReason::Malformed,
     "inner element truncated"},
    {BR_ERR_X509_BAD_TAG_CLASS, "BR_ERR_X509_BAD_TAG_CLASS", FailureReason::Malformed,
     "bad tag class"},
    {BR_ERR_X509_BAD_TAG_VALUE, "BR_ERR_X509_BAD_TAG_VALUE", FailureReason::Malformed,
     "bad tag value"},
    {BR_ERR_X509_INDEFINITE_LENGTH, "BR_ERR_X509_INDEFINITE_LENGTH", FailureReason::Malformed,
     "indefinite length"},
    {BR_ERR_X509_EXTRA_ELEMENT, "BR_ERR_X509_EXTRA_ELEMENT", FailureReason::Malformed,
     "extra element"},
    {BR_ERR_X509_UNEXPECTED, "BR_ERR_X509_UNEXPECTED", FailureReason::Malformed,
     "unexpected element"},
    {BR_ERR_X509_NOT_CONSTRUCTED, "BR_ERR_X509_NOT_CONSTRUCTED", FailureReason::Malformed,
     "expected constructed element"},
    {BR_ERR_X509_NOT_PRIMITIVE, "BR_ERR_X509_NOT_PRIMITIVE", FailureReason::Malformed,
     "expected primitive element"},
    {BR_ERR_X509_PARTIAL_BYTE, "BR_ERR_X509_PARTIAL_BYTE", FailureReason::Malformed,
     "BIT STRING with partial byte"},
    {BR_ERR_X509_BAD_BOOLEAN, "BR_ERR_X509_BAD_BOOLEAN", FailureReason::Malformed, "bad BOOLEAN"},
    {BR_ERR_X509_OVERFLOW, "BR_ERR_X509_OVERFLOW", FailureReason::Malformed, "value overflow"},
    {BR_ERR_X509_BAD_DN, "BR_ERR_X509_BAD_DN", FailureReason::Malformed, "bad distinguished name"},
    {BR_ERR_X509_BAD_TIME, "BR_ERR_X509_BAD_TIME", FailureReason::Malformed, "bad time value"},
    {BR_ERR_X509_UNSUPPORTED, "BR_ERR_X509_UNSUPPORTED", FailureReason::UnsupportedAlgorithm,
     "unsupported certificate feature or algorithm"},
    {BR_ERR_X509_LIMIT_EXCEEDED, "BR_ERR_X509_LIMIT_EXCEEDED", FailureReason::Malformed,
     "certificate exceeds a decoder limit"},
    {BR_ERR_X509_WRONG_KEY_TYPE, "BR_ERR_X509_WRONG_KEY_TYPE", FailureReason::UnsupportedKey,
     "key type does not match the signature algorithm"},
    {BR_ERR_X509_BAD_SIGNATURE, "BR_ERR_X509_BAD_SIGNATURE", FailureReason::BadSignature,
     "certificate signature does not verify"},
    {BR_ERR_X509_TIME_UNKNOWN, "BR_ERR_X509_TIME_UNKNOWN", FailureReason::Internal,
     "validation time unknown"},
    {BR_ERR_X509_EXPIRED, "BR_ERR_X509_EXPIRED", FailureReason::Expired,
     "certificate expired or not yet valid"},
    {BR_ERR_X509_DN_MISMATCH, "BR_ERR_X509_DN_MISMATCH", FailureReason::Untrusted,
     "issuer/subject mismatch in chain"},
    {BR_ERR_X509_BAD_SERVER_NAME, "BR_ERR_X509_BAD_SERVER_NAME", FailureReason::NameMismatch,
     "host name does not match the certificate"},
    {BR_ERR_X509_CRITICAL_EXTENSION, "BR_ERR_X509_CRITICAL_EXTENSION",
     FailureReason::CriticalExtension, "unsupported critical extension"},
    {BR_ERR_X509_NOT_CA, "BR_ERR_X509_NOT_CA", FailureReason::NotCA,
     "issuing certificate is not a CA"},
    {BR_ERR_X509_FORBIDDEN_KEY_USAGE, "BR_ERR_X509_FORBIDDEN_KEY_USAGE", FailureReason::KeyUsage,
     "key usage forbids this use"},
    {BR_ERR_X509_WEAK_PUBLIC_KEY, "BR_ERR_X509_WEAK_PUBLIC_KEY", FailureReason::UnsupportedKey,
     "public key too small"},
    {BR_ERR_X509_NOT_TRUSTED, "BR_ERR_X509_NOT_TRUSTED", FailureReason::Untrusted,
     "chain does not lead to a trusted anchor"},
};

const ErrorInfo* findError(int code)
{
    for (const auto& e : kErrors)
        if (e.code == code) return &e;
    return nullptr;
}

}  // namespace

std::string_view bearSslErrorName(int error)
{
    const ErrorInfo* e = findError(error);
    return e ? e->name : std::string_view{};
}

TlsFailure failureFromBearSsl(int error)
{
    TlsFailure f;
    f.bearsslError = error;
    if (error >= BR_ERR_SEND_FATAL_ALERT && error < BR_ERR_SEND_FATAL_ALERT + 256) {
        f.alert = error - BR_ERR_SEND_FATAL_ALERT;
        f.reason = FailureReason::AlertSent;
        f.text = fmt::format("sent fatal alert {}", f.alert);
        return f;
    }
    if (error >= BR_ERR_RECV_FATAL_ALERT && error < BR_ERR_SEND_FATAL_ALERT) {
        f.alert = error - BR_ERR_RECV_FATAL_ALERT;
        // protocol_version (70) is the peer refusing every version we offer.
        f.reason = f.alert == 70 ? FailureReason::ProtocolVersion : FailureReason::AlertReceived;
        f.text = fmt::format("peer sent fatal alert {}", f.alert);
        return f;
    }
    if (const ErrorInfo* e = findError(error)) {
        f.reason = e->reason;
        f.text = fmt::format("{} ({})", e->text, e->name);
        return f;
    }
    f.reason = FailureReason::Protocol;
    f.text = fmt::format("BearSSL error {}", error);
    return f;
}

}  // namespace wiiu::tls
