// The SSLKEYLOGFILE key log: one "CLIENT_RANDOM <client random> <master secret>" line per
// completed handshake, appended, so Wireshark decrypts a real capture of the same traffic.
// The file is a SECRET and a stream: appended (O_APPEND, mode 0600), never rewritten.
#pragma once

#include <string>

namespace wiiu::nssl::debug {

/// Appends `line` and a newline to `path` (created 0600 when missing). Thread-safe; a failure
/// is logged, never thrown. The first write to a path logs where the secrets go.
void appendKeyLog(const std::string& path, const std::string& line);

}  // namespace wiiu::nssl::debug
