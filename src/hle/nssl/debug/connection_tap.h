// The one debugging hook a connection holds: it feeds the PCAP stream, the key log and the chain
// dump that nssl::Config switches on. Absent (nullptr) when none is, so the normal path pays one
// pointer test. Called under the connection's lock.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hle/nssl/debug/pcap_writer.h"

namespace wiiu::nssl::debug {

/// Where the outputs go, "" = off: nssl::Config's pcapPath, keyLogPath and chainDumpDir.
struct Outputs {
    std::string pcapPath;
    std::string keyLogPath;
    std::string chainDumpDir;
};

class ConnectionTap {
public:
    /// nullptr when every output is off.
    static std::unique_ptr<ConnectionTap> create(const Outputs& outputs, std::string host);
    ~ConnectionTap();

    /// A host-wide connection number (files are named after it; guest handles are reused).
    std::uint64_t id() const { return id_; }

    /// The first handshake ended; `hostFd` is the host socket (for the real addresses in the
    /// PCAP). PCAP only when established; the chain is dumped either way. Once per connection.
    void handshakeEnded(bool established, std::intptr_t hostFd, std::span<const std::vector<std::uint8_t>> chain);
    /// Whether the keys of the handshake with this client random are in the key log already.
    bool keysLogged(std::span<const std::uint8_t> clientRandom) const;
    /// A handshake completed (the first or a renegotiation): its key log line, once.
    void logKeys(std::span<const std::uint8_t> clientRandom, const std::string& keyLogLine);
    void wrote(std::span<const std::uint8_t> data);  ///< plaintext the guest wrote
    void read(std::span<const std::uint8_t> data);   ///< plaintext the guest read

private:
    ConnectionTap(const Outputs& outputs, std::string host);

    std::uint64_t id_;
    std::string host_;
    std::string pcapPath_, keyLogPath_, chainDumpDir_;
    bool reported_ = false;
    std::array<std::uint8_t, 32> loggedRandom_{};  ///< of the last handshake logged (none: zeros)
    std::unique_ptr<PcapStream> pcap_;
};

}  // namespace wiiu::nssl::debug
