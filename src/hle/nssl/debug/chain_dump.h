// The peer chain of a connection as DER files, <dir>/conn<N>-<host>-<i>.der (i = 0 the leaf),
// written also when verification failed: what a server operator needs to see what the console
// was sent. Each file is written to a temporary name and renamed, so it is whole or absent.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wiiu::nssl::debug {

/// `host` is reduced to [A-Za-z0-9.-] for the file name. Returns the files written; failures
/// are logged, never thrown.
std::vector<std::string> dumpChain(const std::string& dir, std::uint64_t connection, const std::string& host,
                                   std::span<const std::vector<std::uint8_t>> chain);

}  // namespace wiiu::nssl::debug
