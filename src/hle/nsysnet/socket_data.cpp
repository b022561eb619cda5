// The socket service's data operations: send, sendTo, receive, receiveFrom. A blocking call is
// one non-blocking step, and while it would block, a wait for readiness and another step.
#include "hle/nsysnet/socket_table.h"

namespace wiiu::nsysnet {

namespace {

/// Steps until the step does not would-block, or once when the call does not block. Closing the
/// socket or ending the process ends the wait with SO_EABORTED.
template <class Step>
IoResult blockingStep(SocketTable& table, HostSocket& socket, bool nonBlocking, bool forRead, Step step)
{
    for (;;) {
        IoResult r = step();
        if (r.status != IoStatus::WouldBlock || nonBlocking)
            return r;
        switch (table.waitFor(socket, forRead, !forRead, std::nullopt)) {
        case WaitResult::Aborted:
            return ioFailure(SoError::SO_EABORTED);
        case WaitResult::TimedOut:
            return ioFailure(SoError::SO_ETIMEDOUT);
        case WaitResult::Ready:
            break;
        }
    }
}

/// The byte count of a finished step; an orderly close is 0 bytes.
Expected<std::size_t, SoError> bytesOf(const IoResult& r)
{
    if (r.status == IoStatus::Ok || r.status == IoStatus::Closed)
        return r.bytes;
    return fail(soErrorOf(r));
}

bool doesNotBlock(const HostSocket& socket, IoFlags flags)
{
    return flags.dontWait || socket.guestNonBlocking();
}

}  // namespace

Expected<std::size_t, SoError> SocketTable::receive(std::int32_t fd, std::span<std::uint8_t> buffer, IoFlags flags)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    return bytesOf(blockingStep(*this, *s, doesNotBlock(*s, flags), true,
                                [&] { return s->receiveFrom(buffer, flags, nullptr); }));
}

Expected<Received, SoError> SocketTable::receiveFrom(std::int32_t fd, std::span<std::uint8_t> buffer, IoFlags flags)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    Ipv4Endpoint sender;
    const IoResult r = blockingStep(*this, *s, doesNotBlock(*s, flags), true,
                                     [&] { return s->receiveFrom(buffer, flags, &sender); });
    if (r.status == IoStatus::Closed)
        return Received{0, std::nullopt};
    if (r.status != IoStatus::Ok)
        return fail(soErrorOf(r));
    return Received{r.bytes, sender};
}

Expected<std::size_t, SoError> SocketTable::transmit(std::int32_t fd, std::span<const std::uint8_t> data,
                                                     const Ipv4Endpoint* to, IoFlags flags)
{
    auto s = find(fd);
    if (!s)
        return fail(SoError::SO_EBADF);
    const bool nonBlocking = doesNotBlock(*s, flags);
    auto step = [&](std::span<const std::uint8_t> part) {
        return blockingStep(*this, *s, nonBlocking, false, [&] { return to ? s->sendTo(part, *to) : s->sendSome(part); });
    };
    if (!s->isStream() || nonBlocking)
        return bytesOf(step(data));  // a datagram, or whatever one step moves
    // A blocking stream send moves everything, or reports what went out before the failure (the
    // error then comes with the next call).
    std::size_t total = 0;
    for (;;) {
        const IoResult r = step(data.subspan(total));
        if (r.status != IoStatus::Ok)
            return total > 0 ? Expected<std::size_t, SoError>(total) : bytesOf(r);
        total += r.bytes;
        if (total >= data.size() || r.bytes == 0)
            return total;
    }
}

Expected<std::size_t, SoError> SocketTable::send(std::int32_t fd, std::span<const std::uint8_t> data, IoFlags flags)
{
    return transmit(fd, data, nullptr, flags);
}

Expected<std::size_t, SoError> SocketTable::sendTo(std::int32_t fd, std::span<const std::uint8_t> data,
                                                   const Ipv4Endpoint& to, IoFlags flags)
{
    return transmit(fd, data, &to, flags);
}

}  // namespace wiiu::nsysnet
