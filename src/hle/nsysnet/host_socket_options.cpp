// Socket options on the host socket: console option -> host setsockopt/getsockopt/ioctl.
#include <cerrno>

#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "hle/nsysnet/error_map.h"
#include "hle/nsysnet/host_socket.h"

namespace wiiu::nsysnet {

namespace {

struct HostOption {
    int level;
    int name;
};

std::optional<HostOption> hostOption(SocketOption option)
{
    switch (option) {
    case SocketOption::ReuseAddr: return HostOption{SOL_SOCKET, SO_REUSEADDR};
    case SocketOption::KeepAlive: return HostOption{SOL_SOCKET, SO_KEEPALIVE};
    case SocketOption::DontRoute: return HostOption{SOL_SOCKET, SO_DONTROUTE};
    case SocketOption::Broadcast: return HostOption{SOL_SOCKET, SO_BROADCAST};
    case SocketOption::OobInline: return HostOption{SOL_SOCKET, SO_OOBINLINE};
    case SocketOption::SendBuffer: return HostOption{SOL_SOCKET, SO_SNDBUF};
    case SocketOption::ReceiveBuffer: return HostOption{SOL_SOCKET, SO_RCVBUF};
    case SocketOption::IpTos: return HostOption{IPPROTO_IP, IP_TOS};
    case SocketOption::IpTtl: return HostOption{IPPROTO_IP, IP_TTL};
    case SocketOption::TcpNoDelay: return HostOption{IPPROTO_TCP, TCP_NODELAY};
    case SocketOption::TcpMaxSegment: return HostOption{IPPROTO_TCP, TCP_MAXSEG};
    default: return std::nullopt;
    }
}

bool isTcpOnly(SocketOption option)
{
    return option == SocketOption::TcpNoDelay || option == SocketOption::TcpMaxSegment ||
           option == SocketOption::TcpSack;
}

}  // namespace

SoError HostSocket::setOption(SocketOption option, std::int32_t value)
{
    if (option == SocketOption::NonBlockingOn || option == SocketOption::BlockingOn ||
        option == SocketOption::NonBlocking) {
        if (closed_)
            return SoError::SO_EBADF;
        // Guest-side only: the host socket stays non-blocking whatever the guest asks.
        setGuestNonBlocking(option == SocketOption::NonBlockingOn ||
                            (option == SocketOption::NonBlocking && value != 0));
        return SoError::SO_SUCCESS;
    }
    std::lock_guard lock(mutex_);
    const int fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    if (isTcpOnly(option) && kind_ != SocketKind::Stream)
        return SoError::SO_ENOPROTOOPT;
    if (option == SocketOption::TcpSack) {
        tcpSack_ = value != 0;
        return SoError::SO_SUCCESS;
    }
    const auto host = hostOption(option);
    if (!host)
        return SoError::SO_EINVAL;  // read-only option (SO_TYPE, SO_RXDATA, ...)
    int v = value;
    if (::setsockopt(fd, host->level, host->name, &v, sizeof v) != 0)
        return soErrorFromErrno(errno);
    return SoError::SO_SUCCESS;
}

Expected<std::int32_t, SoError> HostSocket::option(SocketOption option)
{
    if (option == SocketOption::LastError) {
        if (closed_)
            return fail(SoError::SO_EBADF);
        return static_cast<std::int32_t>(takePendingError());
    }
    if (option == SocketOption::NonBlocking || option == SocketOption::NonBlockingOn ||
        option == SocketOption::BlockingOn) {
        if (closed_)
            return fail(SoError::SO_EBADF);
        if (option != SocketOption::NonBlocking)
            return fail(SoError::SO_EINVAL);  // set-only options
        return guestNonBlocking() ? 1 : 0;
    }
    std::lock_guard lock(mutex_);
    const int fd = handleLocked();
    if (closed_ || fd < 0)
        return fail(SoError::SO_EBADF);
    if (isTcpOnly(option) && kind_ != SocketKind::Stream)
        return fail(SoError::SO_ENOPROTOOPT);
    int v = 0;
    switch (option) {
    case SocketOption::TcpSack:
        return tcpSack_ ? 1 : 0;
    case SocketOption::Type:
        return kind_ == SocketKind::Stream ? 1 : 2;  // SOCK_STREAM / SOCK_DGRAM
    case SocketOption::ReceiveQueued:
        if (acceptor_)
            return 0;
        if (::ioctl(fd, FIONREAD, &v) != 0)
            return fail(soErrorFromErrno(errno));
        return v;
    case SocketOption::SendQueued:
        if (acceptor_)
            return 0;
        if (::ioctl(fd, SIOCOUTQ, &v) != 0)
            return fail(soErrorFromErrno(errno));
        return v;
    default:
        break;
    }
    const auto host = hostOption(option);
    if (!host)
        return fail(SoError::SO_ENOPROTOOPT);
    socklen_t len = sizeof v;
    if (::getsockopt(fd, host->level, host->name, &v, &len) != 0)
        return fail(soErrorFromErrno(errno));
    if (option == SocketOption::KeepAlive || option == SocketOption::ReuseAddr ||
        option == SocketOption::DontRoute || option == SocketOption::Broadcast ||
        option == SocketOption::OobInline || option == SocketOption::TcpNoDelay)
        v = v != 0 ? 1 : 0;
    return v;
}

SoError HostSocket::setLinger(bool on, std::int32_t seconds)
{
    std::lock_guard lock(mutex_);
    const int fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    ::linger l{on ? 1 : 0, seconds};
    if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
        return soErrorFromErrno(errno);
    return SoError::SO_SUCCESS;
}

Expected<std::pair<bool, std::int32_t>, SoError> HostSocket::linger() const
{
    std::lock_guard lock(mutex_);
    const int fd = handleLocked();
    if (closed_ || fd < 0)
        return fail(SoError::SO_EBADF);
    ::linger l{};
    socklen_t len = sizeof l;
    if (::getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) != 0)
        return fail(soErrorFromErrno(errno));
    return std::pair<bool, std::int32_t>{l.l_onoff != 0, l.l_linger};
}

}  // namespace wiiu::nsysnet
