// What a process holds right now, for an emulator's debug view and for tools: its open NSSL
// contexts, connections (host, state, cipher, the last failure with its precise reason, the
// console quirk a verification relied on, the peer chain, resumption) and socket descriptors.
// A snapshot: copied at the call, thread-safe, never blocks on a guest call in progress.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <wiiu_nssl/nssl_errors.h>
#include <wiiu_nssl/tls_failure.h>

namespace wiiu {

class Process;

namespace nssl {

/// One NSSL connection as the host sees it.
struct ConnectionStatus {
    std::int32_t handle = -1;
    std::string host;
    std::string state;  ///< "created", "handshaking", "established", "failed", "closed"
    std::uint16_t version = 0;  ///< 0x0301..0x0303 once established
    std::string suite;          ///< the cipher suite's IANA name once established
    bool resumed = false;       ///< the handshake resumed a session
    std::uint64_t bytesRead = 0;
    std::uint64_t bytesWritten = 0;
    /// The console code of the last call that failed on it (OK: none), and the same with the
    /// precise reason as one line: "NSSL_ERROR_HANDSHAKE_ERROR: certificate expired".
    NsslError lastErrorCode = NsslError::OK;
    std::string lastError;
    /// Why the TLS connection failed (NoFailure while it has not), with BearSSL's text.
    tls::FailureReason failureReason = tls::FailureReason::NoFailure;
    std::string failureText;
    /// The console quirks (tls::quirk bits, <wiiu_nssl/firmware.h>) the accepted peer chain
    /// relied on; 0 when plain X.509 accepted it.
    std::uint32_t quirksUsed = 0;
    /// The peer's certificates, DER, leaf first (for a resumed session: as first received).
    std::vector<std::vector<std::uint8_t>> peerChain;
};

/// A process's NSSL library.
struct ServiceStatus {
    std::vector<std::int32_t> contexts;  ///< open context handles
    std::vector<ConnectionStatus> connections;
    std::size_t sessions = 0;            ///< sessions held (NSSLGetSession, not yet freed)
};

namespace debug {
/// "TLS 1.2" for 0x0303, "-" for 0, hex for anything else.
std::string versionName(std::uint16_t version);
/// A fixed-width text table of `status` (contexts; per connection host, state, version, suite,
/// bytes, last error; sessions), what a debugger pane or a tool prints. Ends in a newline.
std::string formatStatusTable(const ServiceStatus& status);
}  // namespace debug

}  // namespace nssl

/// One process: its NSSL library and its nsysnet sockets.
struct ProcessStatus {
    nssl::ServiceStatus nssl;
    std::vector<std::int32_t> sockets;  ///< open guest socket descriptors, ascending
};

/// The process's state now. After shutdown() everything is empty.
ProcessStatus inspect(const Process& process);

}  // namespace wiiu
