// Sockets the emulator owns: an open host socket taken over as a guest descriptor, and a
// descriptor's host socket handed back (Process::adoptSocket / detachSocket). Ownership moves
// whole: after adopt the table closes the socket; after detach nothing here touches it again.
// Sharing (Process::shareSocket) adopts a second handle, so the emulator's own one stays open.
#include <boost/asio/error.hpp>

#include "hle/nsysnet/error_map.h"
#include "hle/nsysnet/host_socket.h"
#include "hle/nsysnet/socket_table.h"
#include "platform/socket.h"

namespace wiiu::nsysnet {

namespace {

using boost::system::error_code;
namespace asio = boost::asio;

/// What the host says the socket is; the error when it is not an open IPv4 stream or datagram.
Expected<platform::SocketFacts, SoError> probe(platform::NativeSocket socket)
{
    platform::SocketFacts facts;
    if (socket == platform::invalidSocket)
        return fail(SoError::SO_EBADF);
    if (const int err = platform::socketFacts(socket, facts); err != 0)
        return fail(soErrorFromErrno(err));
    if (!facts.ipv4)
        return fail(SoError::SO_EAFNOSUPPORT);  // nsysnet is IPv4 only
    if (!facts.stream && !facts.datagram)
        return fail(SoError::SO_EPROTOTYPE);
    return facts;
}

}  // namespace

Expected<std::shared_ptr<HostSocket>, SoError> HostSocket::adopt(std::shared_ptr<asio::io_context> io,
                                                                 platform::NativeSocket hostSocket)
{
    auto p = probe(hostSocket);
    if (!p)
        return fail(p.error());
    const SocketKind kind = p->stream ? SocketKind::Stream : SocketKind::Datagram;
    std::shared_ptr<HostSocket> s(new HostSocket(std::move(io), kind));
    s->fd_ = hostSocket;
    // The same wrapping as connect() and listen(); each gives the descriptor back (release) when
    // it fails, so it stays the caller's.
    SoError wrapped;
    if (p->listening)
        wrapped = s->wrapAcceptor();
    else if (kind == SocketKind::Stream && p->connected)
        wrapped = s->wrapStream();
    else if (kind == SocketKind::Stream)  // neither connected nor listening: unwrapped, as open() makes it
        wrapped = soErrorFromErrno(platform::setNonBlocking(hostSocket));
    else
        wrapped = s->wrapDatagram();
    if (wrapped != SoError::SO_SUCCESS) {
        s->fd_ = platform::invalidSocket;
        s->closed_ = true;  // owns nothing: its destructor must not close the caller's descriptor
        return fail(wrapped);
    }
    if (p->connected)
        s->connect_ = ConnectState::Connected;
    return s;
}

platform::NativeSocket HostSocket::release()
{
    std::lock_guard lock(mutex_);
    if (closed_.exchange(true))
        return platform::invalidSocket;
    closeSignal_.signal();  // waiters wake, see closed() and never touch the descriptor again
    error_code ec;
    if (stream_)
        stream_->release(ec);
    if (acceptor_)
        acceptor_->release(ec);
    if (datagram_)
        datagram_->release(ec);
    // Windows: Asio's release() needs FileReplaceCompletionInformation (Windows 8.1+; Wine lacks
    // it). When it fails the Asio object still owns the socket and closes it below: hand back
    // nothing rather than a dead handle.
    stream_.reset();
    acceptor_.reset();
    datagram_.reset();
    const auto fd = std::exchange(fd_, platform::invalidSocket);
    return ec ? platform::invalidSocket : fd;
}

Expected<std::int32_t, SoError> SocketTable::adopt(platform::NativeSocket hostSocket)
{
    std::lock_guard lock(mutex_);
    if (teardown_.signalled())
        return fail(SoError::SO_EABORTED);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i])
            continue;
        auto socket = HostSocket::adopt(io_, hostSocket);  // no wait: a few getsockopt calls
        if (!socket)
            return fail(socket.error());
        slots_[i] = std::move(*socket);
        return static_cast<std::int32_t>(i) + kFirstDescriptor;
    }
    return fail(SoError::SO_EMFILE);  // checked first: a full table never takes the socket
}

Expected<std::int32_t, SoError> SocketTable::share(platform::NativeSocket hostSocket)
{
    if (hostSocket == platform::invalidSocket)
        return fail(SoError::SO_EBADF);
    platform::NativeSocket copy = platform::invalidSocket;
    if (const int err = platform::duplicateSocket(hostSocket, copy); err != 0)
        return fail(soErrorFromErrno(err));
    auto fd = adopt(copy);
    if (!fd)
        platform::closeSocket(copy);  // adopt leaves a refused socket untouched: the copy is ours
    return fd;
}

Expected<platform::NativeSocket, SoError> SocketTable::detach(std::int32_t fd)
{
    auto socket = take(fd);
    if (!socket)
        return fail(SoError::SO_EBADF);
    const platform::NativeSocket host = socket->release();
    if (host == platform::invalidSocket)
        return fail(SoError::SO_EBADF);
    return host;
}

}  // namespace wiiu::nsysnet
