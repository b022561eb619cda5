// Socket options on the host socket: console option -> host setsockopt/getsockopt/ioctl.
#include "hle/nsysnet/error_map.h"
#include "hle/nsysnet/host_socket.h"
#include "platform/socket.h"

namespace wiiu::nsysnet {

namespace {

using platform::HostOption;

std::optional<HostOption> hostOption(SocketOption option)
{
    switch (option) {
    case SocketOption::ReuseAddr: return HostOption::ReuseAddr;
    case SocketOption::KeepAlive: return HostOption::KeepAlive;
    case SocketOption::DontRoute: return HostOption::DontRoute;
    case SocketOption::Broadcast: return HostOption::Broadcast;
    case SocketOption::OobInline: return HostOption::OobInline;
    case SocketOption::SendBuffer: return HostOption::SendBuffer;
    case SocketOption::ReceiveBuffer: return HostOption::ReceiveBuffer;
    case SocketOption::IpTos: return HostOption::IpTos;
    case SocketOption::IpTtl: return HostOption::IpTtl;
    case SocketOption::TcpNoDelay: return HostOption::TcpNoDelay;
    case SocketOption::TcpMaxSegment: return HostOption::TcpMaxSegment;
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
    const auto fd = handleLocked();
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
    return soErrorFromErrno(platform::setOption(fd, *host, value));
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
    const auto fd = handleLocked();
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
        if (const int err = platform::queuedBytes(fd, true, v); err != 0)
            return fail(soErrorFromErrno(err));
        return v;
    case SocketOption::SendQueued:
        if (acceptor_)
            return 0;
        if (const int err = platform::queuedBytes(fd, false, v); err != 0)
            return fail(soErrorFromErrno(err));
        return v;
    default:
        break;
    }
    const auto host = hostOption(option);
    if (!host)
        return fail(SoError::SO_ENOPROTOOPT);
    if (const int err = platform::option(fd, *host, v); err != 0)
        return fail(soErrorFromErrno(err));
    if (option == SocketOption::KeepAlive || option == SocketOption::ReuseAddr ||
        option == SocketOption::DontRoute || option == SocketOption::Broadcast ||
        option == SocketOption::OobInline || option == SocketOption::TcpNoDelay)
        v = v != 0 ? 1 : 0;
    return v;
}

SoError HostSocket::setLinger(bool on, std::int32_t seconds)
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    return soErrorFromErrno(platform::setLinger(fd, on, seconds));
}

Expected<std::pair<bool, std::int32_t>, SoError> HostSocket::linger() const
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return fail(SoError::SO_EBADF);
    bool on = false;
    int seconds = 0;
    if (const int err = platform::linger(fd, on, seconds); err != 0)
        return fail(soErrorFromErrno(err));
    return std::pair<bool, std::int32_t>{on, seconds};
}

}  // namespace wiiu::nsysnet
