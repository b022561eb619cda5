#include "hle/nssl/debug/connection_tap.h"

#include <algorithm>
#include <atomic>


#include "hle/nssl/debug/chain_dump.h"
#include "hle/nssl/debug/key_log.h"
#include "platform/socket.h"

namespace wiiu::nssl::debug {

namespace {

// Host-wide, so files of several processes in one dump folder never collide.
std::atomic<std::uint64_t> nextConnectionId{1};

/// The socket's IPv4 endpoint; `fallback` when unknown (not IPv4, not connected).
Endpoint endpointOf(platform::NativeSocket fd, bool peer, Endpoint fallback)
{
    platform::Ipv4 ep;
    if (fd == platform::invalidSocket || (peer ? platform::peerName(fd, ep) : platform::localName(fd, ep)) != 0)
        return fallback;
    return {ep.address, ep.port};
}

}  // namespace

std::unique_ptr<ConnectionTap> ConnectionTap::create(const Outputs& outputs, std::string host)
{
    if (outputs.pcapPath.empty() && outputs.keyLogPath.empty() && outputs.chainDumpDir.empty())
        return nullptr;
    return std::unique_ptr<ConnectionTap>(new ConnectionTap(outputs, std::move(host)));
}

ConnectionTap::ConnectionTap(const Outputs& outputs, std::string host)
    : id_(nextConnectionId++), host_(std::move(host)), pcapPath_(outputs.pcapPath), keyLogPath_(outputs.keyLogPath),
      chainDumpDir_(outputs.chainDumpDir)
{
}

ConnectionTap::~ConnectionTap() = default;

void ConnectionTap::handshakeEnded(bool established, std::intptr_t hostFd, std::span<const std::vector<std::uint8_t>> chain)
{
    if (reported_)
        return;
    reported_ = true;
    if (!chainDumpDir_.empty() && !chain.empty())
        dumpChain(chainDumpDir_, id_, host_, chain);
    if (!established)
        return;
    if (!pcapPath_.empty()) {
        if (auto writer = PcapWriter::forPath(pcapPath_)) {
            // Unknown addresses get a private-range stand-in, one client port per connection.
            const Endpoint client = endpointOf(hostFd, false, {0x0a000001, static_cast<std::uint16_t>(40000 + id_ % 20000)});
            const Endpoint server = endpointOf(hostFd, true, {0x0a000002, 443});
            pcap_ = std::make_unique<PcapStream>(std::move(writer), client, server);
        }
    }
}

bool ConnectionTap::keysLogged(std::span<const std::uint8_t> clientRandom) const
{
    return keyLogPath_.empty() || std::equal(clientRandom.begin(), clientRandom.end(), loggedRandom_.begin(),
                                             loggedRandom_.end());
}

void ConnectionTap::logKeys(std::span<const std::uint8_t> clientRandom, const std::string& keyLogLine)
{
    if (keysLogged(clientRandom) || clientRandom.size() != loggedRandom_.size())
        return;
    std::copy(clientRandom.begin(), clientRandom.end(), loggedRandom_.begin());
    appendKeyLog(keyLogPath_, keyLogLine);
}

void ConnectionTap::wrote(std::span<const std::uint8_t> data)
{
    if (pcap_ && !data.empty())
        pcap_->clientToServer(data);
}

void ConnectionTap::read(std::span<const std::uint8_t> data)
{
    if (pcap_ && !data.empty())
        pcap_->serverToClient(data);
}

}  // namespace wiiu::nssl::debug
