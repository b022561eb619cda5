// OID content octets the PKI layer recognises (DER value of the OBJECT IDENTIFIER, no tag).
#pragma once

#include <cstdint>

namespace wiiu::pki::oid {

// Public key algorithms and named curves.
inline constexpr std::uint8_t kRsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
inline constexpr std::uint8_t kEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
inline constexpr std::uint8_t kSecp256r1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
inline constexpr std::uint8_t kSecp224r1[] = {0x2b, 0x81, 0x04, 0x00, 0x21};
inline constexpr std::uint8_t kSecp256k1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
inline constexpr std::uint8_t kSecp384r1[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
inline constexpr std::uint8_t kSecp521r1[] = {0x2b, 0x81, 0x04, 0x00, 0x23};

// Certificate extensions.
inline constexpr std::uint8_t kBasicConstraints[] = {0x55, 0x1d, 0x13};
inline constexpr std::uint8_t kSubjectAltName[] = {0x55, 0x1d, 0x11};
inline constexpr std::uint8_t kSubjectKeyId[] = {0x55, 0x1d, 0x0e};
inline constexpr std::uint8_t kAuthorityKeyId[] = {0x55, 0x1d, 0x23};

// Name attributes.
inline constexpr std::uint8_t kCommonName[] = {0x55, 0x04, 0x03};

}  // namespace wiiu::pki::oid
