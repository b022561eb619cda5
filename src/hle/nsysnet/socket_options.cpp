#include "hle/nsysnet/socket_options.h"

namespace wiiu::nsysnet {

std::optional<SocketOption> optionFromConsole(std::int32_t level, std::int32_t name)
{
    using enum SocketOption;
    if (level == kSolSocket) {
        switch (name) {
        case 0x0004: return ReuseAddr;
        case 0x0008: return KeepAlive;
        case 0x0010: return DontRoute;
        case 0x0020: return Broadcast;
        case 0x0080: return Linger;
        case 0x0100: return OobInline;
        case 0x0200: return TcpSack;
        case 0x1001: return SendBuffer;
        case 0x1002: return ReceiveBuffer;
        case 0x1007: return LastError;
        case 0x1008: return Type;
        case 0x1011: return ReceiveQueued;
        case 0x1012: return SendQueued;
        case 0x1014: return NonBlockingOn;
        case 0x1015: return BlockingOn;
        case 0x1016: return NonBlocking;
        default: return std::nullopt;
        }
    }
    if (level == kIpProtoIp) {
        switch (name) {
        case 3: return IpTos;
        case 4: return IpTtl;
        default: return std::nullopt;
        }
    }
    if (level == kIpProtoTcp) {
        switch (name) {
        case 0x2003: return TcpMaxSegment;
        case 0x2004: return TcpNoDelay;
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string_view optionName(SocketOption option)
{
    switch (option) {
    case SocketOption::ReuseAddr: return "SO_REUSEADDR";
    case SocketOption::KeepAlive: return "SO_KEEPALIVE";
    case SocketOption::DontRoute: return "SO_DONTROUTE";
    case SocketOption::Broadcast: return "SO_BROADCAST";
    case SocketOption::Linger: return "SO_LINGER";
    case SocketOption::OobInline: return "SO_OOBINLINE";
    case SocketOption::TcpSack: return "SO_TCPSACK";
    case SocketOption::SendBuffer: return "SO_SNDBUF";
    case SocketOption::ReceiveBuffer: return "SO_RCVBUF";
    case SocketOption::LastError: return "SO_LASTERROR";
    case SocketOption::Type: return "SO_TYPE";
    case SocketOption::ReceiveQueued: return "SO_RXDATA";
    case SocketOption::SendQueued: return "SO_TXDATA";
    case SocketOption::NonBlockingOn: return "SO_NBIO";
    case SocketOption::BlockingOn: return "SO_BIO";
    case SocketOption::NonBlocking: return "SO_NONBLOCK";
    case SocketOption::IpTos: return "IP_TOS";
    case SocketOption::IpTtl: return "IP_TTL";
    case SocketOption::TcpNoDelay: return "TCP_NODELAY";
    case SocketOption::TcpMaxSegment: return "TCP_MAXSEG";
    }
    return "?";
}

}  // namespace wiiu::nsysnet
