#include "hle/nsysnet/socket_info.h"

#include <fmt/format.h>

#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

namespace {

std::string stateOf(HostSocket& s)
{
    if (s.closed())
        return "closed";
    if (s.isListening())
        return "listening";
    switch (s.connectState()) {
    case ConnectState::InProgress: return "connecting";
    case ConnectState::Connected: return "connected";
    case ConnectState::Failed: return "failed";
    case ConnectState::None: break;
    }
    return "open";
}

std::string show(const std::optional<Ipv4Endpoint>& ep)
{
    return ep ? ep->toString() : std::string("-");
}

}  // namespace

std::vector<SocketInfo> describeSockets(const SocketTable& table)
{
    std::vector<SocketInfo> out;
    for (std::int32_t fd : table.descriptors()) {
        auto s = table.find(fd);
        if (!s)
            continue;  // closed meanwhile
        SocketInfo info;
        info.fd = fd;
        info.kind = s->kind();
        info.state = stateOf(*s);
        if (auto local = s->localEndpoint())
            info.local = *local;
        if (auto peer = s->peerEndpoint())
            info.peer = *peer;
        info.nonBlocking = s->guestNonBlocking();
        info.shutdown = s->shutdownState();
        info.bytesIn = s->bytesReceived();
        info.bytesOut = s->bytesSent();
        out.push_back(std::move(info));
    }
    return out;
}

std::string formatSocketTable(const std::vector<SocketInfo>& sockets)
{
    std::string out = fmt::format("{:>3} {:<4} {:<11} {:<21} {:<21} {:<6} {:<5} {:>10} {:>10}\n", "fd", "type",
                                  "state", "local", "peer", "mode", "shut", "bytes in", "bytes out");
    for (const SocketInfo& s : sockets) {
        const char* shut = s.shutdown.read && s.shutdown.write ? "rdwr"
                           : s.shutdown.read                   ? "rd"
                           : s.shutdown.write                  ? "wr"
                                                               : "-";
        out += fmt::format("{:>3} {:<4} {:<11} {:<21} {:<21} {:<6} {:<5} {:>10} {:>10}\n", s.fd,
                           s.kind == SocketKind::Stream ? "tcp" : "udp", s.state, show(s.local), show(s.peer),
                           s.nonBlocking ? "nbio" : "block", shut, s.bytesIn, s.bytesOut);
    }
    return out;
}

}  // namespace wiiu::nsysnet
