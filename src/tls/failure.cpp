#include "tls/failure.h"

#include <fmt/format.h>

#include "common/bearssl.h"

namespace wiiu::tls {

std::string_view verifyFailureName(VerifyFailure reason)
{
    switch (reason) {
    case VerifyFailure::None: return "None";
    case VerifyFailure::Untrusted: return "Untrusted";
    case VerifyFailure::Expired: return "Expired";
    case VerifyFailure::NotYetValid: return "NotYetValid";
    case VerifyFailure::NameMismatch: return "NameMismatch";
    case VerifyFailure::BadSignature: return "BadSignature";
    case VerifyFailure::Revoked: return "Revoked";
    case VerifyFailure::CrlMissing: return "CrlMissing";
    case VerifyFailure::NotCA: return "NotCA";
    case VerifyFailure::KeyUsage: return "KeyUsage";
    case VerifyFailure::CriticalExtension: return "CriticalExtension";
    case VerifyFailure::NoCertificate: return "NoCertificate";
    case VerifyFailure::UnsupportedKey: return "UnsupportedKey";
    case VerifyFailure::UnsupportedAlgorithm: return "UnsupportedAlgorithm";
    case VerifyFailure::Malformed: return "Malformed";
    case VerifyFailure::ChainTooLarge: return "ChainTooLarge";
    case VerifyFailure::AlertReceived: return "AlertReceived";
    case VerifyFailure::AlertSent: return "AlertSent";
    case VerifyFailure::ProtocolVersion: return "ProtocolVersion";
    case VerifyFailure::Protocol: return "Protocol";
    case VerifyFailure::Io: return "Io";
    case VerifyFailure::BadConfig: return "BadConfig";
    case VerifyFailure::Internal: return "Internal";
    }
    return "?";
}

namespace {

struct ErrorInfo {
    int code;
    std::string_view name;
    VerifyFailure reason;
    std::string_view text;
};

// Every BR_ERR_* constant of bearssl_ssl.h and bearssl_x509.h (0.6), with the reason it maps to.
constexpr ErrorInfo kErrors[] = {
    {BR_ERR_OK, "BR_ERR_OK", VerifyFailure::None, "no error"},
    {BR_ERR_BAD_PARAM, "BR_ERR_BAD_PARAM", VerifyFailure::Internal, "bad parameter"},
    {BR_ERR_BAD_STATE, "BR_ERR_BAD_STATE", VerifyFailure::Internal, "bad engine state"},
    {BR_ERR_UNSUPPORTED_VERSION, "BR_ERR_UNSUPPORTED_VERSION", VerifyFailure::ProtocolVersion,
     "peer chose a protocol version we do not offer"},
    {BR_ERR_BAD_VERSION, "BR_ERR_BAD_VERSION", VerifyFailure::ProtocolVersion,
     "record version changed mid-connection"},
    {BR_ERR_BAD_LENGTH, "BR_ERR_BAD_LENGTH", VerifyFailure::Protocol, "bad record length"},
    {BR_ERR_TOO_LARGE, "BR_ERR_TOO_LARGE", VerifyFailure::Protocol, "record too large"},
    {BR_ERR_BAD_MAC, "BR_ERR_BAD_MAC", VerifyFailure::Protocol, "record MAC/decryption failed"},
    {BR_ERR_NO_RANDOM, "BR_ERR_NO_RANDOM", VerifyFailure::Internal, "no entropy source"},
    {BR_ERR_UNKNOWN_TYPE, "BR_ERR_UNKNOWN_TYPE", VerifyFailure::Protocol, "unknown record type"},
    {BR_ERR_UNEXPECTED, "BR_ERR_UNEXPECTED", VerifyFailure::Protocol, "unexpected message"},
    {BR_ERR_BAD_CCS, "BR_ERR_BAD_CCS", VerifyFailure::Protocol, "bad ChangeCipherSpec"},
    {BR_ERR_BAD_ALERT, "BR_ERR_BAD_ALERT", VerifyFailure::Protocol, "bad alert message"},
    {BR_ERR_BAD_HANDSHAKE, "BR_ERR_BAD_HANDSHAKE", VerifyFailure::Protocol, "bad handshake message"},
    {BR_ERR_OVERSIZED_ID, "BR_ERR_OVERSIZED_ID", VerifyFailure::Protocol, "session ID too long"},
    {BR_ERR_BAD_CIPHER_SUITE, "BR_ERR_BAD_CIPHER_SUITE", VerifyFailure::UnsupportedAlgorithm,
     "server chose a cipher suite we did not offer"},
    {BR_ERR_BAD_COMPRESSION, "BR_ERR_BAD_COMPRESSION", VerifyFailure::Protocol,
     "server chose compression"},
    {BR_ERR_BAD_FRAGLEN, "BR_ERR_BAD_FRAGLEN", VerifyFailure::Protocol, "bad max fragment length"},
    {BR_ERR_BAD_SECRENEG, "BR_ERR_BAD_SECRENEG", VerifyFailure::Protocol,
     "secure renegotiation failure"},
    {BR_ERR_EXTRA_EXTENSION, "BR_ERR_EXTRA_EXTENSION", VerifyFailure::Protocol,
     "server sent an extension we did not ask for"},
    {BR_ERR_BAD_SNI, "BR_ERR_BAD_SNI", VerifyFailure::Protocol, "bad SNI"},
    {BR_ERR_BAD_HELLO_DONE, "BR_ERR_BAD_HELLO_DONE", VerifyFailure::Protocol,
     "bad ServerHelloDone"},
    {BR_ERR_LIMIT_EXCEEDED, "BR_ERR_LIMIT_EXCEEDED", VerifyFailure::Protocol,
     "an internal limit was exceeded"},
    {BR_ERR_BAD_FINISHED, "BR_ERR_BAD_FINISHED", VerifyFailure::Protocol, "bad Finished message"},
    {BR_ERR_RESUME_MISMATCH, "BR_ERR_RESUME_MISMATCH", VerifyFailure::Protocol,
     "resumed session does not match (version or suite)"},
    {BR_ERR_INVALID_ALGORITHM, "BR_ERR_INVALID_ALGORITHM", VerifyFailure::UnsupportedAlgorithm,
     "unsupported or invalid algorithm"},
    {BR_ERR_BAD_SIGNATURE, "BR_ERR_BAD_SIGNATURE", VerifyFailure::BadSignature,
     "handshake signature does not verify"},
    {BR_ERR_WRONG_KEY_USAGE, "BR_ERR_WRONG_KEY_USAGE", VerifyFailure::KeyUsage,
     "peer key usage does not fit the suite"},
    {BR_ERR_NO_CLIENT_AUTH, "BR_ERR_NO_CLIENT_AUTH", VerifyFailure::NoCertificate,
     "no client certificate"},
    {BR_ERR_IO, "BR_ERR_IO", VerifyFailure::Io, "transport I/O error"},
    {BR_ERR_X509_OK, "BR_ERR_X509_OK", VerifyFailure::None, "certificate OK"},
    {BR_ERR_X509_INVALID_VALUE, "BR_ERR_X509_INVALID_VALUE", VerifyFailure::Malformed,
     "invalid value in certificate"},
    {BR_ERR_X509_TRUNCATED, "BR_ERR_X509_TRUNCATED", VerifyFailure::Malformed,
     "truncated certificate"},
    {BR_ERR_X509_EMPTY_CHAIN, "BR_ERR_X509_EMPTY_CHAIN", VerifyFailure::NoCertificate,
     "empty certificate chain"},
    {BR_ERR_X509_INNER_TRUNC, "BR_ERR_X509_INNER_TRUNC", VerifyFailure::Malformed,
     "inner element truncated"},
    {BR_ERR_X509_BAD_TAG_CLASS, "BR_ERR_X509_BAD_TAG_CLASS", VerifyFailure::Malformed,
     "bad tag class"},
    {BR_ERR_X509_BAD_TAG_VALUE, "BR_ERR_X509_BAD_TAG_VALUE", VerifyFailure::Malformed,
     "bad tag value"},
    {BR_ERR_X509_INDEFINITE_LENGTH, "BR_ERR_X509_INDEFINITE_LENGTH", VerifyFailure::Malformed,
     "indefinite length"},
    {BR_ERR_X509_EXTRA_ELEMENT, "BR_ERR_X509_EXTRA_ELEMENT", VerifyFailure::Malformed,
     "extra element"},
    {BR_ERR_X509_UNEXPECTED, "BR_ERR_X509_UNEXPECTED", VerifyFailure::Malformed,
     "unexpected element"},
    {BR_ERR_X509_NOT_CONSTRUCTED, "BR_ERR_X509_NOT_CONSTRUCTED", VerifyFailure::Malformed,
     "expected constructed element"},
    {BR_ERR_X509_NOT_PRIMITIVE, "BR_ERR_X509_NOT_PRIMITIVE", VerifyFailure::Malformed,
     "expected primitive element"},
    {BR_ERR_X509_PARTIAL_BYTE, "BR_ERR_X509_PARTIAL_BYTE", VerifyFailure::Malformed,
     "BIT STRING with partial byte"},
    {BR_ERR_X509_BAD_BOOLEAN, "BR_ERR_X509_BAD_BOOLEAN", VerifyFailure::Malformed, "bad BOOLEAN"},
    {BR_ERR_X509_OVERFLOW, "BR_ERR_X509_OVERFLOW", VerifyFailure::Malformed, "value overflow"},
    {BR_ERR_X509_BAD_DN, "BR_ERR_X509_BAD_DN", VerifyFailure::Malformed, "bad distinguished name"},
    {BR_ERR_X509_BAD_TIME, "BR_ERR_X509_BAD_TIME", VerifyFailure::Malformed, "bad time value"},
    {BR_ERR_X509_UNSUPPORTED, "BR_ERR_X509_UNSUPPORTED", VerifyFailure::UnsupportedAlgorithm,
     "unsupported certificate feature or algorithm"},
    {BR_ERR_X509_LIMIT_EXCEEDED, "BR_ERR_X509_LIMIT_EXCEEDED", VerifyFailure::Malformed,
     "certificate exceeds a decoder limit"},
    {BR_ERR_X509_WRONG_KEY_TYPE, "BR_ERR_X509_WRONG_KEY_TYPE", VerifyFailure::UnsupportedKey,
     "key type does not match the signature algorithm"},
    {BR_ERR_X509_BAD_SIGNATURE, "BR_ERR_X509_BAD_SIGNATURE", VerifyFailure::BadSignature,
     "certificate signature does not verify"},
    {BR_ERR_X509_TIME_UNKNOWN, "BR_ERR_X509_TIME_UNKNOWN", VerifyFailure::Internal,
     "validation time unknown"},
    {BR_ERR_X509_EXPIRED, "BR_ERR_X509_EXPIRED", VerifyFailure::Expired,
     "certificate expired or not yet valid"},
    {BR_ERR_X509_DN_MISMATCH, "BR_ERR_X509_DN_MISMATCH", VerifyFailure::Untrusted,
     "issuer/subject mismatch in chain"},
    {BR_ERR_X509_BAD_SERVER_NAME, "BR_ERR_X509_BAD_SERVER_NAME", VerifyFailure::NameMismatch,
     "host name does not match the certificate"},
    {BR_ERR_X509_CRITICAL_EXTENSION, "BR_ERR_X509_CRITICAL_EXTENSION",
     VerifyFailure::CriticalExtension, "unsupported critical extension"},
    {BR_ERR_X509_NOT_CA, "BR_ERR_X509_NOT_CA", VerifyFailure::NotCA,
     "issuing certificate is not a CA"},
    {BR_ERR_X509_FORBIDDEN_KEY_USAGE, "BR_ERR_X509_FORBIDDEN_KEY_USAGE", VerifyFailure::KeyUsage,
     "key usage forbids this use"},
    {BR_ERR_X509_WEAK_PUBLIC_KEY, "BR_ERR_X509_WEAK_PUBLIC_KEY", VerifyFailure::UnsupportedKey,
     "public key too small"},
    {BR_ERR_X509_NOT_TRUSTED, "BR_ERR_X509_NOT_TRUSTED", VerifyFailure::Untrusted,
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
        f.reason = VerifyFailure::AlertSent;
        f.text = fmt::format("sent fatal alert {}", f.alert);
        return f;
    }
    if (error >= BR_ERR_RECV_FATAL_ALERT && error < BR_ERR_SEND_FATAL_ALERT) {
        f.alert = error - BR_ERR_RECV_FATAL_ALERT;
        // protocol_version (70) is the peer refusing every version we offer.
        f.reason = f.alert == 70 ? VerifyFailure::ProtocolVersion : VerifyFailure::AlertReceived;
        f.text = fmt::format("peer sent fatal alert {}", f.alert);
        return f;
    }
    if (const ErrorInfo* e = findError(error)) {
        f.reason = e->reason;
        f.text = fmt::format("{} ({})", e->text, e->name);
        return f;
    }
    f.reason = VerifyFailure::Protocol;
    f.text = fmt::format("BearSSL error {}", error);
    return f;
}

}  // namespace wiiu::tls
