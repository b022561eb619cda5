// Sockets the emulator owns: an open host socket taken over as a guest descriptor, and a
// descriptor's host socket handed back (Process::adoptSocket / detachSocket). Ownership moves
// whole: after adopt the table closes the socket; after detach nothing here touches it again.
#include <cerrno>

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/error.hpp>

#include "hle/nsysnet/error_map.h"
#include "hle/nsysnet/host_socket.h"
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

namespace {

using boost::system::error_code;
namespace asio = boost::asio;

/// What the host says the descriptor is: SOCK_STREAM or SOCK_DGRAM, listening, connected; the
/// error when it is not an open IPv4 socket.
struct Probe {
    int type = 0;
    bool listening = false;
    bool connected = false;
};

Expected<Probe, SoError> probe(int fd)
{
    Probe p;
    socklen_t len = sizeof p.type;
    if (fd < 0 || ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &p.type, &len) != 0)
        return fail(fd < 0 ? SoError::SO_EBADF : soErrorFromErrno(errno));
    sockaddr_storage local{};
    len = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0)
        return fail(soErrorFromErrno(errno));
    if (local.ss_family != AF_INET)
        return fail(SoError::SO_EAFNOSUPPORT);  // nsysnet is IPv4 only
    if (p.type != SOCK_STREAM && p.type != SOCK_DGRAM)
        return fail(SoError::SO_EPROTOTYPE);
    int accepting = 0;
    len = sizeof accepting;
    p.listening = p.type == SOCK_STREAM && ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) == 0 &&
                  accepting != 0;
    sockaddr_storage peer{};
    len = sizeof peer;
    p.connected = ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0;
    return p;
}

}  // namespace

Expected<std::shared_ptr<HostSocket>, SoError> HostSocket::adopt(std::shared_ptr<asio::io_context> io, int hostSocket)
{
    auto p = probe(hostSocket);
    if (!p)
        return fail(p.error());
    const SocketKind kind = p->type == SOCK_STREAM ? SocketKind::Stream : SocketKind::Datagram;
    std::shared_ptr<HostSocket> s(new HostSocket(std::move(io), kind));
    error_code ec;
    // Each branch gives the descriptor back (release) if a later step fails: it stays the caller's.
    auto take = [&](auto& socket, auto protocol) {
        socket.emplace(*s->io_);
        socket->assign(protocol, hostSocket, ec);
        if (ec)
            return;
        socket->non_blocking(true, ec);
        if (ec) {
            error_code ignored;
            socket->release(ignored);
        }
    };
    if (p->listening) {
        take(s->acceptor_, asio::ip::tcp::v4());
        if (!ec)  // as listen() does: an aborted accept must not make Asio block
            s->acceptor_->set_option(asio::socket_base::enable_connection_aborted(true), ec);
    } else if (kind == SocketKind::Stream) {
        take(s->stream_, asio::ip::tcp::v4());
    } else {
        take(s->datagram_, asio::ip::udp::v4());
    }
    if (ec) {
        s->stream_.reset();
        s->acceptor_.reset();
        s->datagram_.reset();
        s->closed_ = true;  // owns nothing: its destructor must not close the caller's descriptor
        return fail(soErrorFrom(ec));
    }
    s->fd_ = hostSocket;
    if (p->connected)
        s->connect_ = ConnectState::Connected;
    return s;
}

int HostSocket::release()
{
    std::lock_guard lock(mutex_);
    if (closed_.exchange(true))
        return -1;
    closeSignal_.signal();  // waiters wake, see closed() and never touch the descriptor again
    error_code ec;
    if (stream_)
        stream_->release(ec);
    if (acceptor_)
        acceptor_->release(ec);
    if (datagram_)
        datagram_->release(ec);
    stream_.reset();
    acceptor_.reset();
    datagram_.reset();
    return std::exchange(fd_, -1);
}

Expected<std::int32_t, SoError> SocketTable::adopt(int hostSocket)
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

Expected<int, SoError> SocketTable::detach(std::int32_t fd)
{
    auto socket = take(fd);
    if (!socket)
        return fail(SoError::SO_EBADF);
    const int host = socket->release();
    if (host < 0)
        return fail(SoError::SO_EBADF);
    return host;
}

}  // namespace wiiu::nsysnet
