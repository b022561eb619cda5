// One certificate of the console's store, with its permission metadata and (clients) its key.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/secret_bytes.h>

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

/// IOS process numbers the PID list's special values compare with (decaf's numbering: the
/// IOS processes are 0..13, the Cafe OS ones 14..21, COSMASTER = the foreground application).
inline constexpr std::int32_t kIosProcessTest = 13;
inline constexpr std::int32_t kIosProcessCosKernel = 14;
inline constexpr std::int32_t kIosProcessCosMaster = 21;

/// Who calls NSSL, as IOS-NSEC records it when the guest opens /dev/nsec/nssl.
struct Caller {
    std::uint64_t titleId = 0;
    std::int32_t processId = kIosProcessCosMaster;
    std::uint64_t capabilities = 0;  ///< the title's capability mask for NSEC
};

/// Who may use an entry: the console's per-line metadata, kept as read (checked by the NSSL layer).
struct Permissions {
    std::int32_t type = kTypeServer;
    std::int32_t encoding = kEncodingDer;
    std::uint32_t properties = 0;
    std::uint64_t capabilityMask = 0;
    std::vector<std::int32_t> processIds;   ///< PID list, special values -2/-3/-4 kept as is
    std::vector<std::uint64_t> titleIds;    ///< TID list

    /// IOS-NSEC's rule (wiiu-nssl-facts.md §5.4): a shared capability bit, the caller's title in
    /// the TID list, or a PID list entry before the first -1 that matches: -4 any process, -2 the
    /// IOS processes (up to IOSTEST), -3 the Cafe OS ones (COSKERNEL and above), else that number.
    bool allows(const Caller& caller) const;

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
