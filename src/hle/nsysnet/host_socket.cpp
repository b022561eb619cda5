#include "hle/nsysnet/host_socket.h"

#include <utility>

#include <boost/asio/error.hpp>

#include "hle/nsysnet/error_map.h"
#include "platform/socket.h"

namespace wiiu::nsysnet {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

platform::Ipv4 toHost(const Ipv4Endpoint& ep)
{
    return {ep.address, ep.port};
}

template <class Endpoint>
Ipv4Endpoint fromAsio(const Endpoint& ep)
{
    if (!ep.address().is_v4())
        return {};
    return {ep.address().to_v4().to_uint(), ep.port()};
}

/// `handle` in a new Asio object of `socket`'s type, non-blocking (Asio's flag and the host's).
/// On failure the handle is given back (released) and `socket` is left empty.
template <class Socket, class Protocol>
error_code wrap(std::optional<Socket>& socket, asio::io_context& io, Protocol protocol, guest::NativeHandle handle)
{
    error_code ec;
    socket.emplace(io);
    socket->assign(protocol, static_cast<typename Socket::native_handle_type>(handle), ec);
    if (!ec)
        socket->non_blocking(true, ec);
    if (ec) {
        error_code ignored;
        socket->release(ignored);
        socket.reset();
    }
    return ec;
}

}  // namespace

HostSocket::HostSocket(std::shared_ptr<asio::io_context> io, SocketKind kind) : io_(std::move(io)), kind_(kind) {}

HostSocket::~HostSocket()
{
    close();
}

Expected<std::shared_ptr<HostSocket>, SoError> HostSocket::open(std::shared_ptr<asio::io_context> io, SocketKind kind)
{
    std::shared_ptr<HostSocket> s(new HostSocket(std::move(io), kind));
    if (kind == SocketKind::Stream) {
        // Unwrapped until connect or listen picks its Asio object (wrapStream, wrapAcceptor).
        platform::NativeSocket raw = platform::invalidSocket;
        if (const int err = platform::openStream(raw); err != 0)
            return fail(soErrorFromErrno(err));
        s->fd_ = static_cast<guest::NativeHandle>(raw);
        return s;
    }
    error_code ec;
    s->datagram_.emplace(*s->io_);
    s->datagram_->open(asio::ip::udp::v4(), ec);
    if (!ec)
        s->datagram_->non_blocking(true, ec);
    // The console sends broadcasts without SO_BROADCAST (the WHB UDP logger and LAN discovery
    // rely on it); the guest's SO_BROADCAST is only recorded (OptionState).
    if (!ec)
        s->datagram_->set_option(asio::socket_base::broadcast(true), ec);
    if (ec)
        return fail(soErrorFrom(ec));
    s->fd_ = static_cast<guest::NativeHandle>(s->datagram_->native_handle());
    return s;
}

bool HostSocket::unwrappedLocked() const
{
    return kind_ == SocketKind::Stream && !stream_ && !acceptor_;
}

SoError HostSocket::wrapStream()
{
    if (!unwrappedLocked())
        return SoError::SO_SUCCESS;
    return soErrorFrom(wrap(stream_, *io_, asio::ip::tcp::v4(), fd_));  // on failure still unwrapped, still ours
}

SoError HostSocket::wrapAcceptor()
{
    error_code ec = wrap(acceptor_, *io_, asio::ip::tcp::v4(), fd_);
    if (!ec)  // otherwise Asio retries an aborted accept by polling, i.e. blocks
        acceptor_->set_option(asio::socket_base::enable_connection_aborted(true), ec);
    if (ec && acceptor_) {
        error_code ignored;
        acceptor_->release(ignored);
        acceptor_.reset();
    }
    return soErrorFrom(ec);
}

SoError HostSocket::wrapDatagram()
{
    return soErrorFrom(wrap(datagram_, *io_, asio::ip::udp::v4(), fd_));
}

guest::NativeHandle HostSocket::handleLocked() const
{
    return fd_;
}

guest::NativeHandle HostSocket::nativeHandle() const
{
    std::lock_guard lock(mutex_);
    return handleLocked();
}

bool HostSocket::isListening() const
{
    std::lock_guard lock(mutex_);
    return acceptor_.has_value();
}

void HostSocket::close()
{
    std::lock_guard lock(mutex_);
    if (closed_.exchange(true))
        return;
    // Signal first: a waiter that wakes sees closed() and never touches the host descriptor.
    closeSignal_.signal();
    error_code ec;
    if (unwrappedLocked() && fd_ != platform::invalidSocket)
        platform::closeSocket(fd_);
    if (stream_)
        stream_->close(ec);
    if (acceptor_)
        acceptor_->close(ec);
    if (datagram_)
        datagram_->close(ec);
    stream_.reset();
    acceptor_.reset();
    datagram_.reset();
    fd_ = platform::invalidSocket;
}

IoResult HostSocket::finishReceive(std::size_t n, const error_code& ec, std::size_t requested)
{
    if (!ec) {
        if (n == 0 && requested > 0 && kind_ == SocketKind::Stream)
            return IoResult::closed();
        bytesIn_ += n;
        return IoResult::ok(n);
    }
    if (ec == asio::error::eof)
        return IoResult::closed();
    if (ec == asio::error::would_block || ec == asio::error::try_again)
        return IoResult::wouldBlock();
    return ioFailure(soErrorFrom(ec));
}

IoResult HostSocket::finishSend(std::size_t n, const error_code& ec)
{
    if (!ec) {
        bytesOut_ += n;
        return IoResult::ok(n);
    }
    if (ec == asio::error::would_block || ec == asio::error::try_again)
        return IoResult::wouldBlock();
    return ioFailure(soErrorFrom(ec));
}

IoResult HostSocket::receiveSome(std::span<std::uint8_t> buffer, IoFlags flags)
{
    return receiveFrom(buffer, flags, nullptr);
}

IoResult HostSocket::receiveFrom(std::span<std::uint8_t> buffer, IoFlags flags, Ipv4Endpoint* from)
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return ioFailure(SoError::SO_EBADF);
    const asio::socket_base::message_flags f = flags.peek ? asio::socket_base::message_peek : 0;
    error_code ec;
    if (datagram_) {
        asio::ip::udp::endpoint sender;
        const std::size_t n = datagram_->receive_from(asio::buffer(buffer.data(), buffer.size()), sender, f, ec);
        if (!ec && from)
            *from = fromAsio(sender);
        return finishReceive(n, ec, buffer.size());
    }
    if (!stream_)  // listening, or never connected (BSD's answer on both hosts; Linux would say EPIPE to a send)
        return ioFailure(SoError::SO_ENOTCONN);
    if (buffer.empty())
        return IoResult::ok(0);
    const std::size_t n = stream_->receive(asio::buffer(buffer.data(), buffer.size()), f, ec);
    if (!ec && from) {
        error_code peerEc;
        auto peer = stream_->remote_endpoint(peerEc);
        if (!peerEc)
            *from = fromAsio(peer);
    }
    return finishReceive(n, ec, buffer.size());
}

IoResult HostSocket::sendSome(std::span<const std::uint8_t> data)
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return ioFailure(SoError::SO_EBADF);
    if (shutdown_.write)
        return ioFailure(SoError::SO_ESHUTDOWN);
    error_code ec;
    std::size_t n = 0;
    if (datagram_)
        n = datagram_->send(asio::buffer(data.data(), data.size()), 0, ec);
    else if (stream_)
        n = stream_->send(asio::buffer(data.data(), data.size()), 0, ec);  // Asio adds MSG_NOSIGNAL
    else
        return ioFailure(SoError::SO_ENOTCONN);
    return finishSend(n, ec);
}

IoResult HostSocket::sendTo(std::span<const std::uint8_t> data, const Ipv4Endpoint& to)
{
    if (kind_ == SocketKind::Stream)
        return sendSome(data);  // a stream socket has one peer; the address is ignored as in BSD
    std::lock_guard lock(mutex_);
    if (closed_ || !datagram_)
        return ioFailure(SoError::SO_EBADF);
    if (shutdown_.write)
        return ioFailure(SoError::SO_ESHUTDOWN);
    error_code ec;
    const std::size_t n =
        datagram_->send_to(asio::buffer(data.data(), data.size()), {to.asioAddress(), to.port}, 0, ec);
    return finishSend(n, ec);
}

SoError HostSocket::bind(const Ipv4Endpoint& local)
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    return soErrorFromErrno(platform::bind(fd, toHost(local)));
}

SoError HostSocket::listen(int backlog)
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return SoError::SO_EBADF;
    if (kind_ != SocketKind::Stream)
        return SoError::SO_EOPNOTSUPP;
    if (connect_ != ConnectState::None)
        return SoError::SO_EISCONN;
    // A socket that tried a connect is an Asio stream socket now, and Windows cannot move it into
    // an acceptor: refuse the same way on every host.
    if (stream_)
        return SoError::SO_EINVAL;
    if (!acceptor_) {  // listening again only changes the backlog
        if (const SoError e = wrapAcceptor(); e != SoError::SO_SUCCESS)
            return e;
    }
    error_code ec;
    acceptor_->listen(backlog, ec);
    return soErrorFrom(ec);
}

Expected<std::shared_ptr<HostSocket>, SoError> HostSocket::acceptOne(Ipv4Endpoint& peer)
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return fail(SoError::SO_EBADF);
    if (!acceptor_)
        return fail(SoError::SO_EINVAL);  // BSD: accept on a socket that is not listening
    std::shared_ptr<HostSocket> accepted(new HostSocket(io_, SocketKind::Stream));
    accepted->stream_.emplace(*io_);
    asio::ip::tcp::endpoint from;
    error_code ec;
    acceptor_->accept(*accepted->stream_, from, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again)
        return fail(SoError::SO_EWOULDBLOCK);
    if (!ec)
        accepted->stream_->non_blocking(true, ec);
    if (ec)
        return fail(soErrorFrom(ec));
    accepted->connect_ = ConnectState::Connected;
    accepted->fd_ = static_cast<guest::NativeHandle>(accepted->stream_->native_handle());
    peer = fromAsio(from);
    return accepted;
}

SoError HostSocket::startConnect(const Ipv4Endpoint& peer)
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    if (acceptor_)
        return SoError::SO_EISCONN;
    switch (pollConnectLocked()) {
    case ConnectState::InProgress:
        return SoError::SO_EALREADY;
    case ConnectState::Connected:
        if (kind_ == SocketKind::Stream)
            return SoError::SO_EISCONN;
        break;  // a datagram socket may change its default peer
    case ConnectState::Failed:
        return takeConnectFailureLocked();  // report the failure once, then allow a new attempt
    case ConnectState::None:
        break;
    }
    if (const SoError e = wrapStream(); e != SoError::SO_SUCCESS)
        return e;
    failureReported_ = false;
    // Asio's synchronous connect always waits for completion, so the step is the host's call.
    const int err = platform::connect(fd, toHost(peer));
    if (err == 0) {
        connect_ = ConnectState::Connected;
        return SoError::SO_SUCCESS;
    }
    if (platform::connectInProgress(err)) {
        connect_ = ConnectState::InProgress;
        return SoError::SO_EINPROGRESS;
    }
    return soErrorFromErrno(err);
}

ConnectState HostSocket::connectState() const
{
    std::lock_guard lock(mutex_);
    return connect_;
}

ConnectState HostSocket::pollConnect()
{
    std::lock_guard lock(mutex_);
    return pollConnectLocked();
}

ConnectState HostSocket::pollConnectLocked()
{
    if (connect_ != ConnectState::InProgress)
        return connect_;
    const auto fd = handleLocked();
    if (closed_ || fd < 0) {
        connect_ = ConnectState::Failed;
        pendingError_ = SoError::SO_EABORTED;
        return connect_;
    }
    platform::PollEntry p{.socket = fd, .write = true};
    if (platform::poll({&p, 1}, 0) <= 0)
        return connect_;
    int err = 0;
    if (const int queryErr = platform::pendingError(fd, err); queryErr != 0)
        err = queryErr;
    if (err == 0) {
        connect_ = ConnectState::Connected;
    } else if (!platform::connectInProgress(err)) {
        connect_ = ConnectState::Failed;
        pendingError_ = soErrorFromErrno(err);
    }
    return connect_;
}

SoError HostSocket::takeConnectFailureLocked()
{
    const SoError e = std::exchange(pendingError_, SoError::SO_SUCCESS);
    if (connect_ == ConnectState::Failed)
        connect_ = ConnectState::None;
    failureReported_ = true;
    return e;
}

SoError HostSocket::takePendingError()
{
    std::lock_guard lock(mutex_);
    pollConnectLocked();
    if (pendingError_ != SoError::SO_SUCCESS)
        return takeConnectFailureLocked();
    const auto fd = handleLocked();
    // Winsock keeps SO_ERROR after a failed connect (POSIX clears it on reading): the failure
    // already reported is not reported again.
    if (fd < 0 || failureReported_)
        return SoError::SO_SUCCESS;
    int err = 0;
    if (const int queryErr = platform::pendingError(fd, err); queryErr != 0)
        return soErrorFromErrno(queryErr);
    return soErrorFromErrno(err);
}

SoError HostSocket::shutdown(bool read, bool write)
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return SoError::SO_EBADF;
    if (const int err = platform::shutdown(fd, read, write); err != 0)
        return soErrorFromErrno(err);
    shutdown_.read = shutdown_.read || read;
    shutdown_.write = shutdown_.write || write;
    return SoError::SO_SUCCESS;
}

ShutdownState HostSocket::shutdownState() const
{
    std::lock_guard lock(mutex_);
    return shutdown_;
}

Expected<Ipv4Endpoint, SoError> HostSocket::endpoint(int (*query)(platform::NativeSocket, platform::Ipv4&)) const
{
    std::lock_guard lock(mutex_);
    const auto fd = handleLocked();
    if (closed_ || fd < 0)
        return fail(SoError::SO_EBADF);
    platform::Ipv4 name;
    if (const int err = query(fd, name); err != 0)
        return fail(soErrorFromErrno(err));
    return Ipv4Endpoint{name.address, name.port};
}

Expected<Ipv4Endpoint, SoError> HostSocket::localEndpoint() const
{
    return endpoint(platform::localName);
}

Expected<Ipv4Endpoint, SoError> HostSocket::peerEndpoint() const
{
    return endpoint(platform::peerName);
}

}  // namespace wiiu::nsysnet
