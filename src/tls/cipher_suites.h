// The cipher suites the TLS engine offers, in offer order, and their IANA names.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace wiiu::tls {

/// Offer order: forward-secret AES-GCM first (fastest with AES-NI), ChaCha20 after it (about
/// 13x slower in Debian's BearSSL), then CBC; legacy RSA key exchange, SHA-1 MACs, CCM and 3DES
/// stay available for console-era servers.
std::span<const std::uint16_t> defaultCipherSuites();

/// True when BearSSL's full client profile can negotiate `suite`.
bool isSupportedCipherSuite(std::uint16_t suite);

/// IANA name ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), or "" for a suite BearSSL cannot use.
std::string_view cipherSuiteName(std::uint16_t suite);

/// "TLSv1.0" .. "TLSv1.2" for 0x0301..0x0303, "" otherwise.
std::string_view protocolVersionName(std::uint16_t version);

}  // namespace wiiu::tls
