#include "hle/nsysnet/socket_options.h"

namespace wiiu::nsysnet {

namespace {

/// The SOL_SOCKET booleans, which read back as their own bit (capture2cloud measured it for
/// DONTROUTE, OOBINLINE, TCPSACK and WINSCALE; the BSD stack behind nsysnet does the same for all).
std::optional<std::uint32_t> flagBit(SocketOption option)
{
    switch (option) {
    case SocketOption::ReuseAddr: return 0x4;
    case SocketOption::KeepAlive: return 0x8;
    case SocketOption::DontRoute: return 0x10;
    case SocketOption::Broadcast: return 0x20;
    case SocketOption::OobInline: return 0x100;
    case SocketOption::TcpSack: return 0x200;
    case SocketOption::WinScale: return 0x400;
    default: return std::nullopt;
    }
}

bool isGetOnly(SocketOption option)
{
    switch (option) {
    case SocketOption::SendLowWater:
    case SocketOption::ReceiveLowWater:
    case SocketOption::LastError:
    case SocketOption::Type:
    case SocketOption::HopCount:
    case SocketOption::ReceiveQueued:
    case SocketOption::SendQueued:
    case SocketOption::MyAddress: return true;
    default: return false;
    }
}

bool isSetOnly(SocketOption option)
{
    return option == SocketOption::NoSlowStart || option == SocketOption::NonBlockingOn ||
           option == SocketOption::BlockingOn;
}

}  // namespace

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
        case 0x0400: return WinScale;
        case 0x4000: return NoSlowStart;
        case 0x1001: return SendBuffer;
        case 0x1002: return ReceiveBuffer;
        case 0x1003: return SendLowWater;
        case 0x1004: return ReceiveLowWater;
        case 0x1007: return LastError;
        case 0x1008: return Type;
        case 0x1009: return HopCount;
        case 0x1010: return MaxMessage;
        case 0x1011: return ReceiveQueued;
        case 0x1012: return SendQueued;
        case 0x1013: return MyAddress;
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
        case 0x2001: return TcpAckDelayTime;
        case 0x2002: return TcpNoAckDelay;
        case 0x2003: return TcpMaxSegment;
        case 0x2004: return TcpNoDelay;
        case 0x2005: return Tcp2005;
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
    case SocketOption::WinScale: return "SO_WINSCALE";
    case SocketOption::NoSlowStart: return "SO_NOSLOWSTART";
    case SocketOption::SendBuffer: return "SO_SNDBUF";
    case SocketOption::ReceiveBuffer: return "SO_RCVBUF";
    case SocketOption::SendLowWater: return "SO_SNDLOWAT";
    case SocketOption::ReceiveLowWater: return "SO_RCVLOWAT";
    case SocketOption::LastError: return "SO_LASTERROR";
    case SocketOption::Type: return "SO_TYPE";
    case SocketOption::HopCount: return "SO_HOPCNT";
    case SocketOption::MaxMessage: return "SO_MAXMSG";
    case SocketOption::ReceiveQueued: return "SO_RXDATA";
    case SocketOption::SendQueued: return "SO_TXDATA";
    case SocketOption::MyAddress: return "SO_MYADDR";
    case SocketOption::NonBlockingOn: return "SO_NBIO";
    case SocketOption::BlockingOn: return "SO_BIO";
    case SocketOption::NonBlocking: return "SO_NONBLOCK";
    case SocketOption::IpTos: return "IP_TOS";
    case SocketOption::IpTtl: return "IP_TTL";
    case SocketOption::TcpAckDelayTime: return "TCP_ACKDELAYTIME";
    case SocketOption::TcpNoAckDelay: return "TCP_NOACKDELAY";
    case SocketOption::TcpMaxSegment: return "TCP_MAXSEG";
    case SocketOption::TcpNoDelay: return "TCP_NODELAY";
    case SocketOption::Tcp2005: return "TCP_0x2005";
    }
    return "?";
}

bool isStreamOnly(SocketOption option)
{
    switch (option) {
    case SocketOption::TcpSack:
    case SocketOption::WinScale:
    case SocketOption::NoSlowStart:
    case SocketOption::TcpAckDelayTime:
    case SocketOption::TcpNoAckDelay:
    case SocketOption::TcpMaxSegment:
    case SocketOption::TcpNoDelay:
    case SocketOption::Tcp2005: return true;
    default: return false;
    }
}

bool reachesHost(SocketOption option)
{
    switch (option) {
    case SocketOption::ReuseAddr:
    case SocketOption::KeepAlive:
    case SocketOption::DontRoute:
    case SocketOption::OobInline:
    case SocketOption::SendBuffer:
    case SocketOption::ReceiveBuffer:
    case SocketOption::IpTos:
    case SocketOption::IpTtl:
    case SocketOption::TcpMaxSegment:
    case SocketOption::TcpNoDelay: return true;
    default: return false;
    }
}

SoError OptionState::set(SocketOption option, std::int32_t value)
{
    if (isGetOnly(option))
        return SoError::SO_ENOPROTOOPT;  // as the console refuses SO_SNDLOWAT/RCVLOWAT/MYADDR sets
    if (auto bit = flagBit(option)) {
        flags_ = value != 0 ? flags_ | *bit : flags_ & ~*bit;
        return SoError::SO_SUCCESS;
    }
    switch (option) {
    case SocketOption::SendBuffer:
    case SocketOption::ReceiveBuffer:
        // Measured on a console: -1 and 0..65535 are taken, 65536 and above are SO_EINVAL.
        if (value < -1 || value > 0xFFFF)
            return SoError::SO_EINVAL;
        (option == SocketOption::SendBuffer ? sendBuffer_ : receiveBuffer_) = value;
        return SoError::SO_SUCCESS;
    case SocketOption::MaxMessage:
    case SocketOption::TcpMaxSegment:
        if (value <= 0)
            return SoError::SO_EINVAL;
        maxSegment_ = value;
        return SoError::SO_SUCCESS;
    case SocketOption::TcpAckDelayTime: ackDelayTime_ = value; return SoError::SO_SUCCESS;
    case SocketOption::TcpNoAckDelay: noAckDelay_ = value; return SoError::SO_SUCCESS;
    case SocketOption::Tcp2005: tcp2005_ = value; return SoError::SO_SUCCESS;
    default: return SoError::SO_SUCCESS;  // the host or the socket carries the rest
    }
}

std::optional<Expected<std::int32_t, SoError>> OptionState::get(SocketOption option) const
{
    using Result = Expected<std::int32_t, SoError>;
    if (isSetOnly(option))
        return Result(fail(SoError::SO_ENOPROTOOPT));
    if (auto bit = flagBit(option))
        return Result(static_cast<std::int32_t>(flags_ & *bit));
    switch (option) {
    case SocketOption::SendBuffer: return Result(sendBuffer_);
    case SocketOption::ReceiveBuffer: return Result(receiveBuffer_);
    case SocketOption::SendLowWater:
    case SocketOption::ReceiveLowWater:
    case SocketOption::HopCount: return Result(0);
    case SocketOption::TcpAckDelayTime: return Result(ackDelayTime_);
    case SocketOption::TcpNoAckDelay: return Result(noAckDelay_);
    case SocketOption::Tcp2005: return Result(tcp2005_);
    case SocketOption::MaxMessage:
    case SocketOption::TcpMaxSegment:
        if (maxSegment_)
            return Result(*maxSegment_);
        return std::nullopt;  // the host's segment size
    default: return std::nullopt;
    }
}

SoError OptionState::setLinger(bool on, std::int32_t seconds)
{
    if (seconds < 0)
        return SoError::SO_EINVAL;  // capture2cloud: the console refuses a negative l_linger
    lingerOn_ = on;
    lingerSeconds_ = seconds;
    return SoError::SO_SUCCESS;
}

}  // namespace wiiu::nsysnet
