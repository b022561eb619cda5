// Data exports: send, recv, sendto, recvfrom, and select over the guest's one-word fd_sets.
#include <vector>

#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/nsysnet/select.h"

namespace wiiu::nsysnet {

namespace {

using guest::be32;
using guest::bei32;
using guest::Call;
using guest::GuestPtr;

constexpr std::int32_t kMsgOob = 0x1;
constexpr std::int32_t kMsgPeek = 0x2;
constexpr std::int32_t kMsgDontWait = 0x20;
constexpr std::int32_t kFdSetSize = 32;

std::int32_t finishIo(SocketCall& net, const IoOutcome& r, std::int32_t fd)
{
    switch (r.status) {
    case IoStatus::Ok:
        return net.ok(static_cast<std::int32_t>(r.bytes));
    case IoStatus::Eof:
        return net.ok(0);
    case IoStatus::WouldBlock:
    case IoStatus::Error:
        break;
    }
    return net.fail(r.error, "descriptor {}", fd);
}

std::int32_t receive(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags,
                     GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen)
{
    SocketCall net(call);
    auto s = net.readySocket(fd);
    if (!s)
        return -1;
    if (flags & kMsgOob)
        return net.fail(SoError::SO_EOPNOTSUPP, "MSG_OOB");
    auto dst = net.buffer(buf, len);
    if (!dst)
        return -1;
    std::optional<SocketCall::OutAddress> out;
    if (from) {
        out = net.outAddress(from, fromlen);
        if (!out)
            return -1;
    }
    const bool nonBlocking = s->guestNonBlocking() || (flags & kMsgDontWait);
    Ipv4Endpoint sender;
    const IoOutcome r = blockingStep(net.table(), *s, nonBlocking, true, [&] {
        return s->receiveFrom(*dst, IoFlags{.peek = (flags & kMsgPeek) != 0}, out ? &sender : nullptr);
    });
    if (out && r.status == IoStatus::Ok)
        net.store(*out, sender);
    return finishIo(net, r, fd);
}

std::int32_t transmit(Call& call, std::int32_t fd, GuestPtr<const std::uint8_t> buf, std::int32_t len,
                      std::int32_t flags, GuestPtr<const GuestSockaddrIn> to, std::int32_t tolen)
{
    SocketCall net(call);
    auto s = net.readySocket(fd);
    if (!s)
        return -1;
    if (flags & kMsgOob)
        return net.fail(SoError::SO_EOPNOTSUPP, "MSG_OOB");
    auto src = net.buffer(buf, len);
    if (!src)
        return -1;
    std::optional<Ipv4Endpoint> dest;
    if (to) {
        dest = net.inAddress(to, tolen);
        if (!dest)
            return -1;
    }
    const bool nonBlocking = s->guestNonBlocking() || (flags & kMsgDontWait);
    auto step = [&](std::span<const std::uint8_t> data) {
        return blockingStep(net.table(), *s, nonBlocking, false,
                            [&] { return dest ? s->sendTo(data, *dest) : s->sendSome(data); });
    };
    // A blocking stream send moves everything (or fails); a datagram goes in one step.
    std::size_t total = 0;
    IoOutcome r = step(*src);
    while (r.status == IoStatus::Ok && s->isStream() && !nonBlocking) {
        total += r.bytes;
        if (total >= src->size() || r.bytes == 0)
            break;
        r = step(src->subspan(total));
    }
    if (r.status != IoStatus::Ok && total > 0)
        return net.ok(static_cast<std::int32_t>(total));  // report what went out; the error comes next call
    if (r.status == IoStatus::Ok && s->isStream() && !nonBlocking)
        r.bytes = total;
    return finishIo(net, r, fd);
}

std::int32_t recv(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags)
{
    return receive(call, fd, buf, len, flags, {}, {});
}

std::int32_t recvfrom(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags,
                      GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen)
{
    return receive(call, fd, buf, len, flags, from, fromlen);
}

std::int32_t send(Call& call, std::int32_t fd, GuestPtr<const std::uint8_t> buf, std::int32_t len, std::int32_t flags)
{
    return transmit(call, fd, buf, len, flags, {}, 0);
}

std::int32_t sendto(Call& call, std::int32_t fd, GuestPtr<const std::uint8_t> buf, std::int32_t len,
                    std::int32_t flags, GuestPtr<const GuestSockaddrIn> to, std::int32_t tolen)
{
    return transmit(call, fd, buf, len, flags, to, tolen);
}

std::int32_t select(Call& call, std::int32_t nfds, GuestPtr<be32> readfds, GuestPtr<be32> writefds,
                    GuestPtr<be32> exceptfds, GuestPtr<const GuestTimeval> timeout)
{
    SocketCall net(call);
    if (!net.libraryReady())
        return -1;
    if (nfds < 0 || nfds > kFdSetSize)
        return net.fail(SoError::SO_EINVAL, "nfds {}", nfds);
    const std::uint32_t limit = nfds == kFdSetSize ? 0xFFFFFFFFu : ((1u << nfds) - 1);
    std::array<GuestPtr<be32>, 3> sets{readfds, writefds, exceptfds};
    std::array<std::uint32_t, 3> masks{};
    for (std::size_t i = 0; i < sets.size(); ++i) {
        if (!sets[i])
            continue;
        auto m = net.memory().load(sets[i]);
        if (!m)
            return net.fail(SoError::SO_EFAULT, "fd_set {:#x} outside guest memory", sets[i].address);
        masks[i] = *m & limit;
    }
    guest::Deadline deadline;
    if (timeout) {
        auto tv = net.memory().load(timeout);
        if (!tv)
            return net.fail(SoError::SO_EFAULT, "timeval {:#x} outside guest memory", timeout.address);
        const std::int32_t sec = tv->seconds;
        const std::int32_t usec = tv->microseconds;
        if (sec < 0 || usec < 0 || usec > 999999)
            return net.fail(SoError::SO_EINVAL, "timeval {{{}, {}}}", sec, usec);
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(sec) + std::chrono::microseconds(usec);
    }
    if ((masks[0] | masks[1] | masks[2]) == 0 && !timeout)
        return net.fail(SoError::SO_EINVAL, "no descriptors and no timeout");

    std::vector<SelectEntry> entries;
    for (std::int32_t fd = 0; fd < nfds; ++fd) {
        const std::uint32_t bit = 1u << fd;
        if (((masks[0] | masks[1] | masks[2]) & bit) == 0)
            continue;
        entries.push_back({.fd = fd, .read = (masks[0] & bit) != 0, .write = (masks[1] & bit) != 0,
                           .except = (masks[2] & bit) != 0});
    }
    auto ready = selectSockets(net.table(), entries, deadline);
    if (!ready)
        return net.fail(ready.error(), "select over {} descriptors", entries.size());
    std::array<std::uint32_t, 3> result{};
    for (const SelectEntry& e : entries) {
        const std::uint32_t bit = 1u << e.fd;
        result[0] |= e.readReady ? bit : 0;
        result[1] |= e.writeReady ? bit : 0;
        result[2] |= e.exceptReady ? bit : 0;
    }
    for (std::size_t i = 0; i < sets.size(); ++i)
        if (sets[i])
            net.memory().store(sets[i], be32(result[i]));
    return net.ok(*ready);
}

}  // namespace

void registerIoExports(guest::ImportTable& table)
{
    auto add = [&](const char* name, guest::HostFunction f) {
        table.add({.library = "nsysnet", .name = name, .function = f, .implemented = true, .logger = &log::nsysnet()});
    };
    add("recv", guest::export_fn<recv>);
    add("recvfrom", guest::export_fn<recvfrom>);
    add("send", guest::export_fn<send>);
    add("sendto", guest::export_fn<sendto>);
    add("select", guest::export_fn<select>);
}

}  // namespace wiiu::nsysnet
