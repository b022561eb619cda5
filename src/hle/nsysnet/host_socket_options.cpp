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

/// The host's own IPv4 address: the source address of a route to the outside (a UDP connect
/// sends nothing); 0 when the host has no such route.
std::uint32_t primaryAddress()
{
    boost::asio::io_context io;
    boost::asio::ip::udp::socket probe(io);
    boost::system::error_code ec;
    probe.open(boost::asio::ip::udp::v4(), ec);
    if (!ec)
        probe.connect({boost::asio::ip::make_address_v4("192.0.2.1"), 9}, ec);  // TEST-NET-1
    const auto local = ec ? boost::asio::ip::udp::endpoint() : probe.local_endpoint(ec);
    return ec || !local.address().is_v4() ? 0 : local.address().to_v4().to_uint();
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
    if (isStreamOnly(option) && kind_ != SocketKind::Stream)
        return SoError::SO_ENOPROTOOPT;
    if (const SoError e = options_.set(option, value); e != SoError::SO_SUCCESS)
        return e;
    const auto host = hostOption(option);
    // Sizes of -1 and 0 are the guest's to read back; the host keeps its own minimum.
    const bool sizeOnly = (option == SocketOption::SendBuffer || option == SocketOption::ReceiveBuffer) && value <= 0;
    if (!reachesHost(option) || !host || sizeOnly)
        return SoError::SO_SUCCESS;
    // The guest's segment size stands even where the host has its own.
    if (const int err = platform::setOption(fd, *host, value); err != 0 && option != SocketOption::TcpMaxSegment)
        return soErrorFromErrno(err);
    return SoError::SO_SUCCESS;
}

Expected<std::int32_t, SoError> HostSocket::option(SocketOption option)
{
    if (option == SocketOption::LastError) {
        if (closed_)
            return fail(SoError::SO_EBADF);
        return static_cast<std::int32_t>(takePendingError());
    }
    if (option == SocketOption::NonBlocking) {
        if (closed_)
            return fail(SoError::SO_EBADF);
        return guestNonBlocking() ? 1 : 0;
    }
    if (option == SocketOption::MyAddress) {
        auto local = localEndpoint();
        if (!local)
            return fail(local.error());
        return static_cast<std::int32_t>(local->address != 0 ? local->address : primaryAddress());
    }
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return fail(SoError::SO_EBADF);
    if (isStreamOnly(option) && kind_ != SocketKind::Stream)
        return fail(SoError::SO_ENOPROTOOPT);
    if (auto recorded = options_.get(option))
        return *recorded;
    int v = 0;
    switch (option) {
    case SocketOption::Type:
        return kind_ == SocketKind::Stream ? 1 : 2;  // SOCK_STREAM / SOCK_DGRAM
    case SocketOption::ReceiveQueued:
        if (!stream_ && !datagram_)  // listening or never connected: nothing can be queued
            return 0;
        if (const int err = platform::queuedBytes(fd, true, v); err != 0)
            return fail(soErrorFromErrno(err));
        return v;
    case SocketOption::SendQueued:
        if (!stream_ && !datagram_)  // the same on every host (Winsock has no query for it)
            return 0;
        if (const int err = platform::queuedBytes(fd, false, v); err != 0)
            return fail(soErrorFromErrno(err));
        return v;
    case SocketOption::MaxMessage:
        if (kind_ != SocketKind::Stream)
            return 0;  // no segment size on a datagram socket until the guest sets one
        option = SocketOption::TcpMaxSegment;
        break;
    default:
        break;
    }
    const auto host = hostOption(option);
    if (!host)
        return fail(SoError::SO_ENOPROTOOPT);
    if (const int err = platform::option(fd, *host, v); err != 0)
        return fail(soErrorFromErrno(err));
    if (option == SocketOption::TcpNoDelay)
        v = v != 0 ? 1 : 0;
    return v;
}

SoError HostSocket::setLinger(bool on, std::int32_t seconds)
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    if (const SoError e = options_.setLinger(on, seconds); e != SoError::SO_SUCCESS)
        return e;
    return soErrorFromErrno(platform::setLinger(fd, on, seconds));
}

Expected<std::pair<bool, std::int32_t>, SoError> HostSocket::linger() const
{
    std::lock_guard lock(mutex_);
    if (closed_ || handleLocked() < 0)
        return fail(SoError::SO_EBADF);
    return std::pair<bool, std::int32_t>{options_.lingerOn(), options_.lingerSeconds()};
}

}  // namespace wiiu::nsysnet
