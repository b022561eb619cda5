// NSSL's structures in guest memory (big-endian), as the exports write them and a host tool
// making guest calls, or an emulator's debug view, reads them back.
#pragma once

#include <wiiu_nssl/language.h>

#include <wiiu_nssl/endian.h>

namespace wiiu::nssl {

/// NSSLGetCipherInfo's output (68 bytes).
struct GuestCipherInfo {
    guest::be16 suite;    ///< IANA id
    guest::be16 version;  ///< 0x0301..0x0303
    char name[64];        ///< IANA name, NUL-terminated
};
static_assert(sizeof(GuestCipherInfo) == 68);

}  // namespace wiiu::nssl
