// Data exports: send, recv, sendto, recvfrom, and select over the guest's one-word fd_sets:
// guest buffers, flags and fd_sets to the socket service.
#include <vector>

#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"
#include "hle/nsysnet/exports/exports.h"

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

IoFlags ioFlags(std::int32_t flags)
{
    return IoFlags{.peek = (flags & kMsgPeek) != 0, .dontWait = (flags & kMsgDontWait) != 0};
}

std::int32_t receive(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags,
                     GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (flags & kMsgOob)
        return net.fail(SoError::SO_EOPNOTSUPP, "MSG_OOB");
    auto dst = net.buffer(buf, len);
    if (!dst)
        return -1;
    if (!from) {
        auto n = net.table().receive(fd, *dst, ioFlags(flags));
        return n ? net.ok(static_cast<std::int32_t>(*n)) : net.fail(n.error(), "descriptor {}", fd);
    }
    // Checked before receiving, so a bad pointer never loses a datagram.
    auto out = net.outAddress(from, fromlen);
    if (!out)
        return -1;
    auto got = net.table().receiveFrom(fd, *dst, ioFlags(flags));
    if (!got)
        return net.fail(got.error(), "descriptor {}", fd);
    if (got->from)
        net.store(*out, *got->from);
    return net.ok(static_cast<std::int32_t>(got->bytes));
}

std::int32_t transmit(Call& call, std::int32_t fd, GuestPtr<const std::uint8_t> buf, std::int32_t len,
                      std::int32_t flags, GuestPtr<const GuestSockaddrIn> to, std::int32_t tolen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
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
    auto n = dest ? net.table().sendTo(fd, *src, *dest, ioFlags(flags)) : net.table().send(fd, *src, ioFlags(flags));
    return n ? net.ok(static_cast<std::int32_t>(*n)) : net.fail(n.error(), "descriptor {}", fd);
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
    auto ready = net.table().select(entries, deadline);
    if (!ready)
        return net.fail(ready.error(), "select over {} descriptors", entries.size());
    // On timeout the console leaves the caller's sets as they were (wut PR #428, on hardware).
    if (*ready == 0)
        return net.ok(0);
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

void registerIoExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT(recv),
        WIIU_EXPORT(recvfrom),
        WIIU_EXPORT(send),
        WIIU_EXPORT(sendto),
        WIIU_EXPORT(select),
        WIIU_NOT_IMPLEMENTED("recvfrom_ex"),
        WIIU_NOT_IMPLEMENTED("recvfrom_multi"),
        WIIU_NOT_IMPLEMENTED("sendto_multi"),
        WIIU_NOT_IMPLEMENTED("sendto_multi_ex"),
    };
    table.add({"nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
