// Certificates as a user hands them to an emulator and as its debug view shows them: a DER or
// PEM file's bytes to DER (what NSSLAddServerPKIExternal and friends take), and a certificate's
// names, validity and fingerprint as text (e.g. of inspect()'s ConnectionStatus::peerChain).
// Read by the module's own strict DER reader, so a certificate shows as the module judged it.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/expected.h>

namespace wiiu::pki {

/// Why some DER or PEM input was refused, and where.
struct ParseError {
    std::string what;         ///< e.g. "truncated length", "trailing bytes after certificate"
    std::size_t offset = 0;   ///< byte offset into the input at which it went wrong
};

/// DER as is, or the first PEM block of `data` when it looks like PEM text (starts with
/// "-----BEGIN " after optional whitespace) whose label is `label` (empty: any label). PEM text
/// without a matching block, or with malformed base64, is an error.
Expected<std::vector<std::uint8_t>, ParseError> derFromDerOrPem(std::span<const std::uint8_t> data,
                                                                std::string_view label = {});

/// What a debug view shows of one DER certificate.
struct CertificateSummary {
    std::string sha256;     ///< SHA-256 of the DER as given, lower-case hex: always set
    bool parsed = false;    ///< false: not a certificate the module accepts as X.509; the rest empty
    std::string subject;    ///< most specific first: "CN=Nintendo CA - G3, O=Nintendo Co., Ltd, C=US"
    std::string issuer;
    std::string notBefore;  ///< ISO 8601 UTC: "2037-12-31T23:59:59Z"
    std::string notAfter;
};

CertificateSummary summarizeCertificate(std::span<const std::uint8_t> der);

}  // namespace wiiu::pki
