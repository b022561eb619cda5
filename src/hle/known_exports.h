// Every export the module knows of: all of nsysnet.rpl's socket and NSSL exports and the NSSL
// exports of nn_nets2.rpl (wiiu-nssl-facts §1.1 and §7.1). Each library registers the exports
// it implements; the rest are registered from this list as not implemented, so an emulator can
// resolve every import and print the coverage.
#pragma once

#include <span>
#include <string_view>

namespace wiiu {

/// What a not-implemented export returns in r3 (besides logging once per process).
enum class UnimplementedResult {
    MinusOne,     ///< socket-style call: -1, socketlasterr() = SO_EOPNOTSUPP
    NullPointer,  ///< call returning a pointer (gethostbyname, inet_ntoa, ...): NULL
    NsslUnknown,  ///< NSSL call: NSSL_ERROR_UNKNOWN
};

struct KnownExport {
    std::string_view library;  ///< without ".rpl"
    std::string_view name;
    UnimplementedResult unimplemented;
};

std::span<const KnownExport> knownExports();

}  // namespace wiiu
