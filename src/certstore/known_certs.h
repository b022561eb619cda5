// The console's certificate IDs, their files in title 0005001B-10054000, groups and fingerprints.
// This is the only table of known IDs in the project; everything else asks it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include <wiiu_nssl/cert_entry.h>

namespace wiiu::certstore {

/// NSSLAddServerPKIGroups mask bits (shared/reference/abi.md).
inline constexpr std::uint32_t kGroupNintendo = 0x1;         ///< IDs 100-105
inline constexpr std::uint32_t kGroupCommercial = 0x2;       ///< IDs 1001-1033
inline constexpr std::uint32_t kGroupCommercial4096 = 0x4;   ///< IDs 1900-1901 (bit chosen)
inline constexpr std::uint32_t kAllGroups = kGroupNintendo | kGroupCommercial | kGroupCommercial4096;

struct KnownCert {
    std::int32_t id;
    std::string_view name;      ///< wut enum suffix, e.g. "NINTENDO_CA_G3"
    Kind kind;
    std::uint32_t groups;       ///< 0 for client certificates
    std::string_view certPath;  ///< relative to content/
    std::string_view keyPath;   ///< relative to content/; empty for CAs
    bool pathGuessed;           ///< file name not confirmed by any source
    std::string_view sha1;      ///< lower-case hex of the DER's SHA-1; empty when unknown
};

std::span<const KnownCert> knownCerts();
const KnownCert* findKnown(std::int32_t id);

/// The permissions given to a known ID when the console's metadata is not there (no metadata
/// file, or a CA taken from a public bundle): type and encoding of its kind, exportable, any
/// process (chosen; docs/certstore.md).
Permissions unrestrictedPermissions(const KnownCert& known);

}  // namespace wiiu::certstore
