// The socket service's connection operations: bind, listen, connect, accept, shutdown, names.
// Blocking ones take the decision here (the guest's SO_NBIO view of the socket) and wait through
// waitFor; the host socket itself only ever takes non-blocking steps.
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

namespace {

/// Completes a pending connect on a blocking socket: wait for writability, poll, repeat.
SoError finishConnect(SocketTable& table, HostSocket& socket)
{
    for (;;) {
        switch (socket.pollConnect()) {
        case ConnectState::Connected:
            return SoError::SO_SUCCESS;
        case ConnectState::Failed:
            return socket.takePendingError();
        case ConnectState::None:  // another thread collected the result
            return SoError::SO_ECONNABORTED;
        case ConnectState::InProgress:
            break;
        }
        if (table.waitFor(socket, false, true, std::nullopt) == WaitResult::Aborted)
            return SoError::SO_EABORTED;
    }
}

}  // namespace

Expected<void, SoError> SocketTable::bind(std::int32_t fd, const Ipv4Endpoint& local)
{
    auto s = find(fd);
    return s ? check(s->bind(local)) : fail(SoError::SO_EBADF);
}

Expected<void, SoError> SocketTable::listen(std::int32_t fd, int backlog)
{
    auto s = find(fd);
    return s ? check(s->listen(backlog < 0 ? 0 : backlog)) : fail(SoError::SO_EBADF);
}

Expected<void, SoError> SocketTable::connect(std::int32_t fd, const Ipv4Endpoint& peer)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    SoError e = s->startConnect(peer);
    if (e == SoError::SO_EINPROGRESS && !s->guestNonBlocking())
        e = finishConnect(*this, *s);
    return check(e);
}

Expected<Accepted, SoError> SocketTable::accept(std::int32_t fd)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    for (;;) {
        Ipv4Endpoint peer;
        auto accepted = s->acceptOne(peer);
        if (accepted) {
            auto newFd = add(std::move(*accepted));
            if (!newFd)
                return fail(newFd.error());
            return Accepted{*newFd, peer};
        }
        if (accepted.error() != SoError::SO_EWOULDBLOCK || s->guestNonBlocking())
            return fail(accepted.error());
        if (waitFor(*s, true, false, std::nullopt) == WaitResult::Aborted)
            return fail(SoError::SO_EABORTED);
    }
}

Expected<void, SoError> SocketTable::shutdown(std::int32_t fd, ShutdownHow how)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    return check(s->shutdown(how != ShutdownHow::Write, how != ShutdownHow::Read));
}

Expected<Ipv4Endpoint, SoError> SocketTable::peerName(std::int32_t fd) const
{
    auto s = find(fd);
    return s ? s->peerEndpoint() : fail(SoError::SO_EBADF);
}

Expected<Ipv4Endpoint, SoError> SocketTable::localName(std::int32_t fd) const
{
    auto s = find(fd);
    return s ? s->localEndpoint() : fail(SoError::SO_EBADF);
}

// --- options: the host socket applies them; nothing here blocks ----------------------------------

Expected<void, SoError> SocketTable::setOption(std::int32_t fd, SocketOption option, std::int32_t value)
{
    auto s = find(fd);
    return s ? check(s->setOption(option, value)) : fail(SoError::SO_EBADF);
}

Expected<std::int32_t, SoError> SocketTable::option(std::int32_t fd, SocketOption option)
{
    auto s = find(fd);
    return s ? s->option(option) : fail(SoError::SO_EBADF);
}

Expected<void, SoError> SocketTable::setLinger(std::int32_t fd, Linger linger)
{
    auto s = find(fd);
    return s ? check(s->setLinger(linger.on, linger.seconds)) : fail(SoError::SO_EBADF);
}

Expected<Linger, SoError> SocketTable::linger(std::int32_t fd) const
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    auto l = s->linger();
    if (!l)
        return fail(l.error());
    return Linger{l->first, l->second};
}

}  // namespace wiiu::nsysnet
