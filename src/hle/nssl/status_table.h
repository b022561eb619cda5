// A fixed-width text table of nssl::Service::status(): what a debugger pane or a tool prints to
// show open contexts, connections (host, state, version, suite, bytes, last error) and sessions.
// It reads the service's own Status type, so it is part of the service target, not of
// wiiu_nssl_debug below it (namespace debug says what it is for).
#pragma once

#include <string>

#include "hle/nssl/service.h"

namespace wiiu::nssl::debug {

/// "TLS 1.2" for 0x0303, "-" for 0, hex for anything else.
std::string versionName(std::uint16_t version);

/// Multi-line table ending in a newline; a summary line when there are no connections.
std::string formatStatusTable(const Service::Status& status);

}  // namespace wiiu::nssl::debug
