// Every export the module knows of: all of nsysnet.rpl's socket and NSSL exports and the NSSL
// exports of nn_nets2.rpl (wiiu-nssl-facts §1.1 and §7.1). Each library registers the exports
// it implements; the rest are registered from this list as not implemented, so an emulator can
// resolve every import and print the coverage.
#pragma once

#include <span>
#include <string_view>

namespace wiiu {

/// What an export returns in r3 when it cannot do its work: when it is not implemented (logged
/// once per process), or when the host failed under it (an exception caught at the boundary).
enum class FailureResult {
    MinusOne,  ///< socket-style call: -1 and socketlasterr() (SO_EOPNOTSUPP, SO_ENOMEM, SO_EUNKNOWN)
    Zero,      ///< call returning a pointer or a truth value (gethostbyname, inet_aton, ...): NULL / 0,
               ///< and socketlasterr() as for MinusOne
    Nssl,      ///< NSSL call: NSSL_ERROR_UNKNOWN, or NSSL_ERROR_OUT_OF_MEMORY
    Eai,       ///< getaddrinfo / getnameinfo: EAI_MEMORY, else EAI_SYSTEM with socketlasterr()
};

struct KnownExport {
    std::string_view library;  ///< without ".rpl"
    std::string_view name;
    FailureResult failure;
};

std::span<const KnownExport> knownExports();

}  // namespace wiiu
