// Vocabulary shared by every file of the PKI layer (re-exported by pki/x509.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <wiiu_nssl/certificate.h>  // ParseError
#include <wiiu_nssl/expected.h>

namespace wiiu::pki {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
/// Seconds since 1970-01-01T00:00:00Z. 64-bit: X.509 GeneralizedTime reaches year 9999.
using UnixTime = std::int64_t;

enum class KeyType { Rsa, Ec, Other };

}  // namespace wiiu::pki
