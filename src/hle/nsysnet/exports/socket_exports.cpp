// Descriptor and connection exports: socket, socketclose(_all), shutdown, connect, bind, listen,
// accept, getpeername, getsockname, setsockopt, getsockopt: guest arguments to the socket service.
#include "hle/export_failures.h"
#include "hle/guest/marshal.h"
#include "hle/nsysnet/exports/export_call.h"
#include "hle/nsysnet/exports/exports.h"
#include "hle/nsysnet/socket_options.h"

namespace wiiu::nsysnet {

namespace {

using guest::bei32;
using guest::Call;
using guest::GuestPtr;

std::int32_t socket(Call& call, std::int32_t family, std::int32_t type, std::int32_t protocol)
{
    SocketCall net(call);
    if (!net.libraryReady())
        return -1;
    if (family != kAfInet)
        return net.fail(SoError::SO_EAFNOSUPPORT, "family {}", family);
    const std::int32_t baseType = type & 0xF;  // some titles OR flags into the type
    if (baseType != kSockStream && baseType != kSockDgram)
        return net.fail(SoError::SO_EPROTOTYPE, "type {:#x}", type);
    const bool stream = baseType == kSockStream;
    if (protocol != 0 && protocol != (stream ? kIpProtoTcp : kIpProtoUdp))
        return net.fail(SoError::SO_EPROTONOSUPPORT, "protocol {} for type {}", protocol, baseType);
    auto fd = net.table().open(stream ? SocketKind::Stream : SocketKind::Datagram);
    if (!fd)
        return net.fail(fd.error(), "cannot open a socket");
    return net.ok(*fd);
}

std::int32_t socketclose(Call& call, std::int32_t fd)
{
    SocketCall net(call);
    if (!net.libraryReady())
        return -1;
    return net.answer(net.table().close(fd), "descriptor {}", fd);
}

std::int32_t socketclose_all(Call& call)
{
    SocketCall net(call);
    if (!net.libraryReady())
        return -1;
    net.table().closeAll();
    return net.ok();
}

std::int32_t shutdown(Call& call, std::int32_t fd, std::int32_t how)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (how < 0 || how > 2)
        return net.fail(SoError::SO_EINVAL, "how {}", how);
    constexpr ShutdownHow kHow[] = {ShutdownHow::Read, ShutdownHow::Write, ShutdownHow::Both};  // SHUT_RD/WR/RDWR
    return net.answer(net.table().shutdown(fd, kHow[how]), "shutdown({}) of descriptor {}", how, fd);
}

std::int32_t connect(Call& call, std::int32_t fd, GuestPtr<const GuestSockaddrIn> addr, std::int32_t addrlen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    auto peer = net.inAddress(addr, addrlen);
    if (!peer)
        return -1;
    if (auto r = net.table().connect(fd, *peer); !r)
        return net.fail(r.error(), "connect of descriptor {} to {}", fd, peer->toString());
    return net.ok();
}

std::int32_t bind(Call& call, std::int32_t fd, GuestPtr<const GuestSockaddrIn> addr, std::int32_t addrlen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    auto local = net.inAddress(addr, addrlen);
    if (!local)
        return -1;
    if (auto r = net.table().bind(fd, *local); !r)
        return net.fail(r.error(), "bind of descriptor {} to {}", fd, local->toString());
    return net.ok();
}

std::int32_t listen(Call& call, std::int32_t fd, std::int32_t backlog)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    return net.answer(net.table().listen(fd, backlog), "listen on descriptor {}", fd);
}

std::int32_t accept(Call& call, std::int32_t fd, GuestPtr<GuestSockaddrIn> addr, GuestPtr<bei32> addrlen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    std::optional<SocketCall::OutAddress> out;
    if (addr) {
        out = net.outAddress(addr, addrlen);
        if (!out)
            return -1;
    }
    auto accepted = net.table().accept(fd);
    if (!accepted)
        return net.fail(accepted.error(), "accept on descriptor {}", fd);
    if (out)
        net.store(*out, accepted->peer);
    return net.ok(accepted->fd);
}

template <bool Peer>
std::int32_t socketName(Call& call, std::int32_t fd, GuestPtr<GuestSockaddrIn> addr, GuestPtr<bei32> addrlen)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    auto out = net.outAddress(addr, addrlen);
    if (!out)
        return -1;
    auto ep = Peer ? net.table().peerName(fd) : net.table().localName(fd);
    if (!ep)
        return net.fail(ep.error(), "descriptor {}", fd);
    net.store(*out, *ep);
    return net.ok();
}

constexpr std::int32_t kMaxOptionLength = 0x40;  // nsysnet's IPC limit for option values

std::int32_t setsockopt(Call& call, std::int32_t fd, std::int32_t level, std::int32_t name,
                        GuestPtr<const std::uint8_t> value, std::int32_t length)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (level != kSolSocket && level != kIpProtoIp && level != kIpProtoTcp)
        return net.fail(SoError::SO_EINVAL, "level {}", level);
    if (length < 0 || length > kMaxOptionLength)
        return net.fail(SoError::SO_EINVAL, "option length {}", length);
    const auto option = optionFromConsole(level, name);
    if (!option)
        return net.fail(SoError::SO_ENOPROTOOPT, "option {:#x} at level {}", name, level);
    Expected<void, SoError> r;
    if (*option == SocketOption::NonBlockingOn || *option == SocketOption::BlockingOn) {
        r = net.table().setOption(fd, *option, 0);  // the value is ignored
    } else if (*option == SocketOption::Linger) {
        if (length < static_cast<std::int32_t>(sizeof(GuestLinger)))
            return net.fail(SoError::SO_EINVAL, "SO_LINGER length {}", length);
        auto bytes = net.buffer(value, length);
        if (!bytes)
            return -1;
        auto l = net.memory().load(GuestPtr<const GuestLinger>{value.address});
        r = net.table().setLinger(fd, Linger{l->onoff != 0, l->seconds});
    } else {
        if (length < 4)
            return net.fail(SoError::SO_EINVAL, "{} length {}", optionName(*option), length);
        auto bytes = net.buffer(value, length);
        if (!bytes)
            return -1;
        const std::int32_t v = *net.memory().load(GuestPtr<const bei32>{value.address});
        r = net.table().setOption(fd, *option, v);
    }
    return net.answer(r, "{} on descriptor {}", optionName(*option), fd);
}

std::int32_t getsockopt(Call& call, std::int32_t fd, std::int32_t level, std::int32_t name,
                        GuestPtr<std::uint8_t> value, GuestPtr<bei32> length)
{
    SocketCall net(call);
    if (!net.readyDescriptor(fd))
        return -1;
    if (level != kSolSocket && level != kIpProtoIp && level != kIpProtoTcp)
        return net.fail(SoError::SO_EINVAL, "level {}", level);
    if (!length)
        return net.fail(SoError::SO_EINVAL, "NULL option length");
    auto len = net.memory().load(length);
    if (!len)
        return net.fail(SoError::SO_EFAULT, "option length {:#x} outside guest memory", length.address);
    const auto option = optionFromConsole(level, name);
    if (!option)
        return net.fail(SoError::SO_ENOPROTOOPT, "option {:#x} at level {}", name, level);
    const std::int32_t need = *option == SocketOption::Linger ? 8 : 4;
    if (*len < need)
        return net.fail(SoError::SO_EINVAL, "{} length {}", optionName(*option), len->value());
    if (!net.buffer(value, need))
        return -1;
    if (*option == SocketOption::Linger) {
        auto l = net.table().linger(fd);
        if (!l)
            return net.fail(l.error(), "SO_LINGER on descriptor {}", fd);
        GuestLinger out;
        out.onoff = l->on ? OptionState::kLingerOn : 0;  // the console reads l_onoff back as 0x80
        out.seconds = l->seconds;
        net.memory().store(GuestPtr<GuestLinger>{value.address}, out);
    } else {
        auto v = net.table().option(fd, *option);
        if (!v)
            return net.fail(v.error(), "{} on descriptor {}", optionName(*option), fd);
        net.memory().store(GuestPtr<bei32>{value.address}, bei32(*v));
    }
    net.memory().store(length, bei32(need));
    return net.ok();
}

}  // namespace

void registerSocketExports(guest::ImportTableBuilder& table)
{
    static constexpr guest::ExportDef kExports[] = {
        WIIU_EXPORT(socket),
        WIIU_EXPORT_AS("mw_socket", socket),  // an alias of socket (as Cemu reads it)
        WIIU_EXPORT(socketclose),
        WIIU_EXPORT(socketclose_all),
        WIIU_EXPORT(shutdown),
        WIIU_EXPORT(connect),
        WIIU_EXPORT(bind),
        WIIU_EXPORT(listen),
        WIIU_EXPORT(accept),
        WIIU_EXPORT_AS("getpeername", socketName<true>),
        WIIU_EXPORT_AS("getsockname", socketName<false>),
        WIIU_EXPORT(setsockopt),
        WIIU_EXPORT(getsockopt),
    };
    table.add({guest::ExportPart::Sockets, "nsysnet", log::Channel::nsysnet, failure::minusOne, kExports});
}

}  // namespace wiiu::nsysnet
