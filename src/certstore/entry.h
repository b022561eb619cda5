// One certificate of the console's store, with its permission metadata and (clients) its key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certstore/secret_bytes.h"

namespace wiiu::certstore {

enum class Kind { ServerCa, Client };

std::string_view kindName(Kind kind);  ///< "server" / "client" (manifest and tool output)

/// PROPERTIES bits of certstore_metadata.txt (wiiu-nssl-facts.md §5.2).
inline constexpr std::uint32_t kPropHasKey = 0x1;
inline constexpr std::uint32_t kPropExportable = 0x2;
inline constexpr std::uint32_t kPropEncrypted = 0x4;

/// TYPE and ENCODING values the export calls insist on.
inline constexpr std::int32_t kTypeServer = 1;
inline constexpr std::int32_t kTypeClient = 2;
inline constexpr std::int32_t kEncodingDer = 1;

/// Who may use an entry: the console's per-line metadata, kept as read (checked by the NSSL layer).
struct Permissions {
    std::int32_t type = kTypeServer;
    std::int32_t encoding = kEncodingDer;
    std::uint32_t properties = 0;
    std::uint64_t capabilityMask = 0;
    std::vector<std::int32_t> processIds;   ///< PID list, special values -2/-3/-4 kept as is
    std::vector<std::uint64_t> titleIds;    ///< TID list

    bool operator==(const Permissions&) const = default;
};

struct Entry {
    std::int32_t id = 0;
    std::string name;             ///< e.g. "NINTENDO_CA_G3"
    Kind kind = Kind::ServerCa;
    std::uint32_t groups = 0;     ///< NSSLAddServerPKIGroups bits
    Permissions permissions;
    std::vector<std::uint8_t> certDer;
    SecretBytes keyDer;           ///< PKCS#1 RSAPrivateKey DER; empty for CAs

    bool exportable() const { return (permissions.properties & kPropExportable) != 0; }
    bool hasKey() const { return !keyDer.empty(); }
};

}  // namespace wiiu::certstore
