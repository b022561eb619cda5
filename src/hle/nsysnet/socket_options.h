// The socket options nsysnet implements, the console's (level, name) numbers for them
// (wiiu-nssl-facts §7.3, wut's nsysnet/_socket.h, capture2cloud's nsysnet_shim.c), and the
// guest-visible state the console keeps per socket. The exports translate numbers to
// SocketOption; the host socket applies what the host can do and answers from OptionState.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/nsysnet_errors.h>

namespace wiiu::nsysnet {

inline constexpr std::int32_t kSolSocket = -1;
inline constexpr std::int32_t kIpProtoIp = 0;
inline constexpr std::int32_t kIpProtoTcp = 6;

enum class SocketOption {
    ReuseAddr,       ///< SO_REUSEADDR 0x4
    KeepAlive,       ///< SO_KEEPALIVE 0x8
    DontRoute,       ///< SO_DONTROUTE 0x10
    Broadcast,       ///< SO_BROADCAST 0x20: recorded only (the console sends broadcasts anyway)
    Linger,          ///< SO_LINGER 0x80 (struct linger; see HostSocket::setLinger)
    OobInline,       ///< SO_OOBINLINE 0x100
    TcpSack,         ///< SO_TCPSACK 0x200: recorded only (the host stack decides SACK)
    WinScale,        ///< SO_WINSCALE 0x400: recorded only
    NoSlowStart,     ///< SO_NOSLOWSTART 0x4000: set only, no effect
    SendBuffer,      ///< SO_SNDBUF 0x1001
    ReceiveBuffer,   ///< SO_RCVBUF 0x1002
    SendLowWater,    ///< SO_SNDLOWAT 0x1003: get only, 0
    ReceiveLowWater, ///< SO_RCVLOWAT 0x1004: get only, 0
    LastError,       ///< SO_LASTERROR 0x1007: get and clear
    Type,            ///< SO_TYPE 0x1008: get only
    HopCount,        ///< SO_HOPCNT 0x1009: get only, 0
    MaxMessage,      ///< SO_MAXMSG 0x1010: the guest's value, shared with TCP_MAXSEG
    ReceiveQueued,   ///< SO_RXDATA 0x1011 (FIONREAD): get only
    SendQueued,      ///< SO_TXDATA 0x1012 (TIOCOUTQ): get only
    MyAddress,       ///< SO_MYADDR 0x1013: get only, the local IPv4 address
    NonBlockingOn,   ///< SO_NBIO 0x1014: set only, value ignored
    BlockingOn,      ///< SO_BIO 0x1015: set only, value ignored
    NonBlocking,     ///< SO_NONBLOCK 0x1016: int 1/0
    IpTos,           ///< IP_TOS 3
    IpTtl,           ///< IP_TTL 4
    TcpAckDelayTime, ///< TCP 0x2001: recorded only
    TcpNoAckDelay,   ///< TCP 0x2002: recorded only
    TcpMaxSegment,   ///< TCP_MAXSEG 0x2003
    TcpNoDelay,      ///< TCP_NODELAY 0x2004
    Tcp2005,         ///< TCP 0x2005 (name unknown): recorded only
};

/// The option for a console (level, name) pair; nothing for options nsysnet does not implement
/// (the export answers SO_ENOPROTOOPT).
std::optional<SocketOption> optionFromConsole(std::int32_t level, std::int32_t name);
std::string_view optionName(SocketOption option);

/// Options only a stream socket has (SO_ENOPROTOOPT on a datagram socket).
bool isStreamOnly(SocketOption option);
/// Options the host socket carries out too (the guest's value is also kept in OptionState).
bool reachesHost(SocketOption option);

/// What the console shows the guest of one socket's options: what the guest set is what it reads
/// back (booleans as the option's bit, SO_LINGER's l_onoff as 0x80, buffer sizes as set, never
/// the host's doubled figure), with the console's defaults and ranges. Not synchronised: the
/// host socket guards it with its own lock.
class OptionState {
public:
    /// Records a set: SO_SUCCESS, or the console's refusal (SO_EINVAL out of range,
    /// SO_ENOPROTOOPT for a get-only option).
    SoError set(SocketOption option, std::int32_t value);
    /// The value a get reads back, when the record answers it; nothing when the host must (IP_TOS,
    /// IP_TTL, TCP_NODELAY, an unset TCP_MAXSEG) or the socket must (SO_TYPE, SO_RXDATA, ...).
    /// SO_ENOPROTOOPT for a set-only option.
    std::optional<Expected<std::int32_t, SoError>> get(SocketOption option) const;

    SoError setLinger(bool on, std::int32_t seconds);
    bool lingerOn() const { return lingerOn_; }
    std::int32_t lingerSeconds() const { return lingerSeconds_; }

    static constexpr std::int32_t kLingerOn = 0x80;      ///< l_onoff as the console reads it back
    static constexpr std::int32_t kDefaultBuffer = 8192;  ///< SO_SNDBUF / SO_RCVBUF of a fresh socket

private:
    std::uint32_t flags_ = 0;  // SOL_SOCKET booleans, by their console bit
    std::int32_t sendBuffer_ = kDefaultBuffer;
    std::int32_t receiveBuffer_ = kDefaultBuffer;
    std::optional<std::int32_t> maxSegment_;  // SO_MAXMSG / TCP_MAXSEG once the guest set one
    std::int32_t ackDelayTime_ = 0;
    std::int32_t noAckDelay_ = 0;
    std::int32_t tcp2005_ = 0;
    bool lingerOn_ = false;
    std::int32_t lingerSeconds_ = 0;
};

}  // namespace wiiu::nsysnet
