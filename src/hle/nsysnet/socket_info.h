// A host-side debugging view of a process's sockets (what an emulator's network widget shows).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hle/nsysnet/endpoint.h"
#include "hle/nsysnet/host_socket.h"

namespace wiiu::nsysnet {

class SocketTable;

struct SocketInfo {
    std::int32_t fd = 0;
    SocketKind kind = SocketKind::Stream;
    std::string state;  ///< "listening", "connecting", "connected", "failed", "open", "closed"
    std::optional<Ipv4Endpoint> local;
    std::optional<Ipv4Endpoint> peer;
    bool nonBlocking = false;  ///< the guest's view (the host socket is always non-blocking)
    ShutdownState shutdown;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
};

std::vector<SocketInfo> describeSockets(const SocketTable& table);
/// One line per socket under a header, columns aligned.
std::string formatSocketTable(const std::vector<SocketInfo>& sockets);

}  // namespace wiiu::nsysnet
