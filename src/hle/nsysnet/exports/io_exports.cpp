// Data exports: send, recv, sendto, recvfrom, and select over the guest's one-word fd_sets:
// guest buffers, flags and fd_sets to the socket service. Also nsysnet's datagram calls beyond
// BSD's: recvfrom_ex (recvfrom with a message area), sendto_multi (one datagram to several
// destinations), and recvfrom_multi / sendto_multi_ex (several datagrams over IPC-aligned buffer
// sets), as docs/sockets.md, "Datagram batches", describes them.
#include <algorithm>
#include <chrono>
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
constexpr std::int32_t kMsgIpRecvTtl = 0x40;  ///< recvfrom_ex: the datagram's TTL into the message area
constexpr std::int32_t kFdSetSize = 32;

IoFlags ioFlags(std::int32_t flags)
{
    return IoFlags{.peek = (flags & kMsgPeek) != 0, .dontWait = (flags & kMsgDontWait) != 0};
}

/// False (SO_EOPNOTSUPP) for MSG_OOB: nsysnet's host side has no out-of-band data.
bool inBand(SocketCall& net, std::int32_t flags)
{
    if ((flags & kMsgOob) == 0)
        return true;
    net.setError(SoError::SO_EOPNOTSUPP, "MSG_OOB");
    return false;
}

/// What every sending call checks first: the descriptor, the flags, the data.
std::optional<std::span<const std::uint8_t>> outgoing(SocketCall& net, std::int32_t fd,
                                                      GuestPtr<const std::uint8_t> buf, std::int32_t len,
                                                      std::int32_t flags)
{
    if (!net.readyDescriptor(fd) || !inBand(net, flags))
        return std::nullopt;
    return net.buffer(buf, len);
}

std::int32_t receive(SocketCall& net, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len,
                     std::int32_t flags, GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen)
{
    if (!inBand(net, flags))
        return -1;
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
    auto src = outgoing(net, fd, buf, len, flags);
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
    SocketCall net(call);
    return net.readyDescriptor(fd) ? receive(net, fd, buf, len, flags, {}, {}) : -1;
}

std::int32_t recvfrom(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags,
                      GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen)
{
    SocketCall net(call);
    return net.readyDescriptor(fd) ? receive(net, fd, buf, len, flags, from, fromlen) : -1;
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

// --- recvfrom_ex, sendto_multi, recvfrom_multi, sendto_multi_ex ----------------------------------

/// recvfrom with a message area, which the console zeroes on every datagram received and, with
/// MSG_IP_RECVTTL, would start with the datagram's TTL. A message length of 0 is refused before
/// anything is received (docs/sockets.md).
std::int32_t recvfrom_ex(Call& call, std::int32_t fd, GuestPtr<std::uint8_t> buf, std::int32_t len, std::int32_t flags,
                         GuestPtr<GuestSockaddrIn> from, GuestPtr<bei32> fromlen, GuestPtr<std::uint8_t> msg,
                         std::int32_t msglen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (msglen == 0)
        return net.fail(SoError::SO_EINVAL, "message length 0");
    auto area = net.buffer(msg, msglen);
    if (!area)
        return -1;
    const std::int32_t got = receive(net, fd, buf, len, flags & ~kMsgIpRecvTtl, from, fromlen);
    if (got >= 0)
        std::fill(area->begin(), area->end(), std::uint8_t{0});  // the TTL byte too: the host does not report it
    return got;
}

/// One datagram to each of `count` destinations; `len` once all went out.
std::int32_t sendto_multi(Call& call, std::int32_t fd, GuestPtr<const std::uint8_t> buf, std::int32_t len,
                          std::int32_t flags, GuestPtr<const GuestSockaddrIn> dests, std::int32_t count)
{
    SocketCall net(call);
    auto src = outgoing(net, fd, buf, len, flags);
    if (!src)
        return -1;
    if (count < 0 || (count > 0 && !dests))
        return net.fail(SoError::SO_EINVAL, "{} destinations at {:#x}", count, dests.address);
    if (count > 0 && !net.memory().span(dests, static_cast<std::uint32_t>(count)))
        return net.fail(SoError::SO_EFAULT, "{} destinations at {:#x} outside guest memory", count, dests.address);
    for (std::int32_t i = 0; i < count; ++i) {
        auto dest = net.inAddress({dests.address + static_cast<std::uint32_t>(i * kSockaddrSize)}, kSockaddrSize);
        if (!dest)
            return -1;
        auto n = net.table().sendTo(fd, *src, *dest, ioFlags(flags));
        if (!n)
            return net.fail(n.error(), "descriptor {}, destination {}", fd, i);
    }
    return net.ok(len);
}

// The batch calls hand IOS buffer sets whose every area starts and is sized on 64 bytes.
constexpr std::uint32_t kIpcAlign = 0x40;

constexpr std::uint64_t ipcPadded(std::uint64_t size)
{
    return (size + kIpcAlign - 1) & ~std::uint64_t{kIpcAlign - 1};
}

/// One area of a buffer set: non-NULL, aligned and sized on kIpcAlign, at least `needed` bytes
/// (rounded up likewise); SO_EINVAL otherwise.
bool ipcArea(SocketCall& net, std::string_view what, std::uint32_t address, std::uint32_t size, std::uint64_t needed)
{
    if (address != 0 && address % kIpcAlign == 0 && size % kIpcAlign == 0 && size >= ipcPadded(needed))
        return true;
    net.setError(SoError::SO_EINVAL, fmt::format("{} area {:#x}+{:#x} for {} bytes", what, address, size, needed));
    return false;
}

/// `count` elements of T at `address` in guest memory; SO_EFAULT when they are not all there.
template <class T>
std::optional<std::span<T>> ipcSpan(SocketCall& net, std::uint32_t address, std::uint32_t count)
{
    auto s = net.memory().span(GuestPtr<T>{address}, count);
    if (!s)
        net.setError(SoError::SO_EFAULT, fmt::format("area {:#x} ({} elements) outside guest memory", address, count));
    return s;
}

/// Up to `count` datagrams of at most `datagramLength` bytes into slots of buffs->buffer, their
/// senders into buffs->froms and sizes into buffs->results. With a timeout, waits at most that
/// long for each and returns how many came; without, waits as the socket's mode says.
std::int32_t recvfrom_multi(Call& call, std::int32_t fd, std::int32_t flags, GuestPtr<const GuestRecvMultiBuffers> buffs,
                            std::int32_t datagramLength, std::int32_t count, GuestPtr<const GuestTimeval> timeout)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (!inBand(net, flags))
        return -1;
    if (!buffs || datagramLength < 0 || count < 0)
        return net.fail(SoError::SO_EINVAL, "buffers {:#x}, {} datagrams of {}", buffs.address, count, datagramLength);
    guest::Deadline deadline;
    if (timeout) {
        auto tv = net.memory().load(timeout);
        if (!tv)
            return net.fail(SoError::SO_EFAULT, "timeval {:#x} outside guest memory", timeout.address);
        const std::int32_t sec = tv->seconds, usec = tv->microseconds;
        if (sec < 0 || usec < 0 || usec > 999999)
            return net.fail(SoError::SO_EINVAL, "timeval {{{}, {}}}", sec, usec);
        deadline = std::chrono::steady_clock::now() + std::chrono::seconds(sec) + std::chrono::microseconds(usec);
    }
    if (count == 0)
        return net.ok(0);
    auto set = net.memory().load(buffs);
    if (!set)
        return net.fail(SoError::SO_EFAULT, "buffer set {:#x} outside guest memory", buffs.address);
    const auto n = static_cast<std::uint32_t>(count);
    const std::uint64_t dataBytes = std::uint64_t{n} * static_cast<std::uint32_t>(datagramLength);
    if (dataBytes > 0xFFFFFFFFu)
        return net.fail(SoError::SO_EINVAL, "{} datagrams of {} bytes", n, datagramLength);
    if (!ipcArea(net, "data", set->buffer, set->bufferLength, dataBytes) ||
        !ipcArea(net, "froms", set->froms, set->fromsLength, std::uint64_t{n} * kSockaddrSize) ||
        !ipcArea(net, "results", set->results, set->resultsLength, std::uint64_t{n} * 4))
        return -1;
    auto data = ipcSpan<std::uint8_t>(net, set->buffer, static_cast<std::uint32_t>(dataBytes));
    auto froms = ipcSpan<GuestSockaddrIn>(net, set->froms, n);
    auto results = ipcSpan<bei32>(net, set->results, n);
    if (!data || !froms || !results)
        return -1;
    std::fill(results->begin(), results->end(), bei32(0));

    for (std::uint32_t i = 0; i < n; ++i) {
        IoFlags io = ioFlags(flags);
        if (deadline) {
            SelectEntry readable{.fd = fd, .read = true};
            auto ready = net.table().select({&readable, 1}, deadline);
            if (!ready || *ready == 0) {
                (*results)[i] = -1;
                if (!ready && i == 0)
                    return net.fail(ready.error(), "descriptor {}", fd);
                return net.ok(static_cast<std::int32_t>(i));  // timed out: what came so far
            }
            io.dontWait = true;
        }
        auto got = net.table().receiveFrom(fd, data->subspan(std::size_t{i} * datagramLength, datagramLength), io);
        if (!got) {
            (*results)[i] = -1;
            if (got.error() == SoError::SO_EWOULDBLOCK)
                return net.ok(static_cast<std::int32_t>(i));
            if (i == 0)
                return net.fail(got.error(), "descriptor {}", fd);
            return net.ok(static_cast<std::int32_t>(i));
        }
        (*results)[i] = static_cast<std::int32_t>(got->bytes);
        (*froms)[i] = got->from ? SocketCall::sockaddrOf(*got->from) : GuestSockaddrIn{};
    }
    return net.ok(count);
}

/// `count` datagrams: lengths from buffs->datagram_lens, their bytes one after another in
/// buffs->buffer, each to its sockaddr in buffs->dests; each one's result into buffs->results.
/// The bytes sent in all, or -1 at the first datagram that fails.
std::int32_t sendto_multi_ex(Call& call, std::int32_t fd, std::int32_t flags, GuestPtr<const GuestSendMultiBuffers> buffs,
                             std::int32_t count)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (!inBand(net, flags))
        return -1;
    if (!buffs || count < 0)
        return net.fail(SoError::SO_EINVAL, "buffers {:#x}, {} datagrams", buffs.address, count);
    if (count == 0)
        return net.ok(0);
    auto set = net.memory().load(buffs);
    if (!set)
        return net.fail(SoError::SO_EFAULT, "buffer set {:#x} outside guest memory", buffs.address);
    const auto n = static_cast<std::uint32_t>(count);
    if (!ipcArea(net, "lengths", set->lengths, set->lengthsLength, std::uint64_t{n} * 4))
        return -1;
    auto lengths = ipcSpan<const bei32>(net, set->lengths, n);
    if (!lengths)
        return -1;
    std::uint64_t total = 0;
    for (const bei32& length : *lengths) {
        if (length < 0)
            return net.fail(SoError::SO_EINVAL, "datagram length {}", length.value());
        total += static_cast<std::uint32_t>(length.value());
    }
    if (total > 0xFFFFFFFFu)
        return net.fail(SoError::SO_EINVAL, "{} bytes in all", total);
    if (!ipcArea(net, "data", set->buffer, set->bufferLength, total) ||
        !ipcArea(net, "dests", set->dests, set->destsLength, std::uint64_t{n} * kSockaddrSize) ||
        !ipcArea(net, "results", set->results, set->resultsLength, std::uint64_t{n} * 4))
        return -1;
    auto data = ipcSpan<const std::uint8_t>(net, set->buffer, static_cast<std::uint32_t>(total));
    auto results = ipcSpan<bei32>(net, set->results, n);
    if (!data || !results || !ipcSpan<const GuestSockaddrIn>(net, set->dests, n))
        return -1;
    std::fill(results->begin(), results->end(), bei32(0));

    std::size_t offset = 0;
    std::int32_t sent = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::size_t length = static_cast<std::uint32_t>((*lengths)[i].value());
        auto dest = net.inAddress({set->dests + i * static_cast<std::uint32_t>(sizeof(GuestSockaddrIn))}, kSockaddrSize);
        if (!dest) {
            (*results)[i] = -1;
            return -1;
        }
        auto out = net.table().sendTo(fd, data->subspan(offset, length), *dest, ioFlags(flags));
        if (!out) {
            (*results)[i] = -1;
            return net.fail(out.error(), "descriptor {}, datagram {}", fd, i);
        }
        (*results)[i] = static_cast<std::int32_t>(*out);
        sent += static_cast<std::int32_t>(*out);
        offset += length;
    }
    return net.ok(sent);
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
        WIIU_EXPORT(recvfrom_ex),
        WIIU_EXPORT(recvfrom_multi),
        WIIU_EXPORT(sendto_multi),
        WIIU_EXPORT(sendto_multi_ex),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
