// The socket options nsysnet implements, and the console's (level, name) numbers for them
// (wiiu-nssl-facts §7.3). The exports translate numbers to SocketOption; the host socket applies it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wiiu::nsysnet {

inline constexpr std::int32_t kSolSocket = -1;
inline constexpr std::int32_t kIpProtoIp = 0;
inline constexpr std::int32_t kIpProtoTcp = 6;

enum class SocketOption {
    ReuseAddr,      ///< SO_REUSEADDR 0x4
    KeepAlive,      ///< SO_KEEPALIVE 0x8
    DontRoute,      ///< SO_DONTROUTE 0x10
    Broadcast,      ///< SO_BROADCAST 0x20
    Linger,         ///< SO_LINGER 0x80 (struct linger; see HostSocket::setLinger)
    OobInline,      ///< SO_OOBINLINE 0x100
    TcpSack,        ///< SO_TCPSACK 0x200: stored only
    SendBuffer,     ///< SO_SNDBUF 0x1001
    ReceiveBuffer,  ///< SO_RCVBUF 0x1002
    LastError,      ///< SO_LASTERROR 0x1007: get and clear
    Type,           ///< SO_TYPE 0x1008: get only
    ReceiveQueued,  ///< SO_RXDATA 0x1011 (FIONREAD): get only
    SendQueued,     ///< SO_TXDATA 0x1012 (TIOCOUTQ): get only
    NonBlockingOn,  ///< SO_NBIO 0x1014: set only, value ignored
    BlockingOn,     ///< SO_BIO 0x1015: set only, value ignored
    NonBlocking,    ///< SO_NONBLOCK 0x1016: int 1/0
    IpTos,          ///< IP_TOS 3
    IpTtl,          ///< IP_TTL 4
    TcpNoDelay,     ///< TCP_NODELAY 0x2004
    TcpMaxSegment,  ///< TCP_MAXSEG 0x2003
};

/// The option for a console (level, name) pair; nothing for options nsysnet does not implement
/// (the export answers SO_ENOPROTOOPT).
std::optional<SocketOption> optionFromConsole(std::int32_t level, std::int32_t name);
std::string_view optionName(SocketOption option);

}  // namespace wiiu::nsysnet
