// What the two halves of platform/socket.h share: the BSD socket names and structures, which
// <sys/socket.h> and <winsock2.h> both declare. Included after the system headers by
// posix/socket.cpp, windows/socket.cpp and bsd_socket.cpp; nothing else includes it.
#pragma once

#include "platform/socket.h"

#ifndef TCP_MAXSEG
#define TCP_MAXSEG 4  // the Windows SDK's ws2ipdef.h value; MinGW-w64's headers lack it
#endif

namespace wiiu::platform::detail {

inline sockaddr_in toSockaddr(Ipv4 ep)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(ep.port);
    sa.sin_addr.s_addr = htonl(ep.address);
    return sa;
}

struct Name {
    int level;
    int name;
};

inline Name hostName(HostOption option)
{
    switch (option) {
    case HostOption::ReuseAddr: return {SOL_SOCKET, SO_REUSEADDR};
    case HostOption::KeepAlive: return {SOL_SOCKET, SO_KEEPALIVE};
    case HostOption::DontRoute: return {SOL_SOCKET, SO_DONTROUTE};
    case HostOption::Broadcast: return {SOL_SOCKET, SO_BROADCAST};
    case HostOption::OobInline: return {SOL_SOCKET, SO_OOBINLINE};
    case HostOption::SendBuffer: return {SOL_SOCKET, SO_SNDBUF};
    case HostOption::ReceiveBuffer: return {SOL_SOCKET, SO_RCVBUF};
    case HostOption::IpTos: return {IPPROTO_IP, IP_TOS};
    case HostOption::IpTtl: return {IPPROTO_IP, IP_TTL};
    case HostOption::TcpNoDelay: return {IPPROTO_TCP, TCP_NODELAY};
    case HostOption::TcpMaxSegment: return {IPPROTO_TCP, TCP_MAXSEG};
    }
    return {SOL_SOCKET, -1};
}

/// The IPv4 results of getaddrinfo into `out`; frees the list.
inline void takeAddresses(addrinfo* list, HostLookup& out)
{
    for (const addrinfo* ai = list; ai; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET || !ai->ai_addr)
            continue;
        if (out.canonicalName.empty() && ai->ai_canonname)
            out.canonicalName = ai->ai_canonname;
        out.addresses.push_back(ntohl(reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr.s_addr));
    }
    ::freeaddrinfo(list);
}

}  // namespace wiiu::platform::detail
