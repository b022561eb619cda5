// How a probe run is shown: the text summary (the call log is printed as it happens) and the
// one JSON object of --json.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "probe.h"

namespace wiiu::probe {

/// The handshake result, reason, version, suite, chain, bytes and resumption, for people.
void printSummary(std::ostream& out, const ProbeReport& report);

/// "verdict on firmware 5.5.5: accepted through forged-ca: ..." — which firmware would accept
/// the server's chain and which console quirk (if any) that relied on.
std::string verdictLine(const ProbeReport& report);

/// A call as the text output prints it: "NSSLRead(conn=0, ...) -> NSSL_ERROR_OK (16384 bytes)".
std::string callLine(const CallRecord& call);
/// A run of repeated calls, printed after its first call once it ended:
/// "... this call 16384 times in a row, 268435456 bytes in all: NSSL_ERROR_OK x16384".
std::string runLine(const CallEntry& run);

/// The --json object (docs/server-operators.md lists the fields).
nlohmann::json toJson(const ProbeReport& report);

/// "TLS 1.2" and friends.
std::string protocolName(std::uint16_t version);

}  // namespace wiiu::probe
