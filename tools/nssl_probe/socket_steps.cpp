#include "socket_steps.h"

#include <fmt/format.h>

#include <wiiu_nssl/nsysnet_errors.h>
#include <wiiu_nssl/nsysnet_structs.h>
#include "probe.h"

namespace wiiu::probe {

namespace {

using u32 = std::uint32_t;

constexpr u32 kAfInet = 2, kSockStream = 1, kIpProtoTcp = 6;
constexpr u32 kSolSocket = 0xFFFFFFFF, kSoNonBlock = 0x1016, kSoLastError = 0x1007;

u32 w(std::int64_t v) { return static_cast<u32>(v); }

}  // namespace

SocketSteps::SocketSteps(GuestProcess& guest, const ProbeSettings& settings)
    : guest_(guest), s_(settings), word_(guest.alloc(4)), fdSet_(guest.alloc(4)), timeout_(guest.alloc(8))
{
}

std::optional<u32> SocketSteps::resolve()
{
    if (address_)
        return address_;
    const auto text = guest_.putString(s_.connectHost);
    if (guest_.call("nsysnet", "inet_aton", {text, word_}, fmt::format("\"{}\"", s_.connectHost)) == 1) {
        address_ = guest_.loadBe32(word_);
        return address_;
    }
    nsysnet::GuestAddrinfo wanted{};
    wanted.socktype = static_cast<std::int32_t>(kSockStream);
    const auto hints = guest_.put(wanted);
    const std::int32_t r = guest_.call("nsysnet", "getaddrinfo", {text, 0, hints, word_},
                                       fmt::format("\"{}\", SOCK_STREAM", s_.connectHost));
    if (r != 0)
        return std::nullopt;
    const u32 list = guest_.loadBe32(word_);
    const auto first = guest_.load<nsysnet::GuestAddrinfo>(list);
    address_ = guest_.load<nsysnet::GuestSockaddrIn>(first.addr).address;
    guest_.call("nsysnet", "freeaddrinfo", {list});
    return address_;
}

std::int32_t SocketSteps::open()
{
    return guest_.call("nsysnet", "socket", {kAfInet, kSockStream, kIpProtoTcp}, "AF_INET, SOCK_STREAM, IPPROTO_TCP");
}

std::string SocketSteps::connect(std::int32_t fd, u32 address, const std::string& peer)
{
    setNonBlocking(fd, true);
    nsysnet::GuestSockaddrIn peerAddress{};
    peerAddress.family = static_cast<std::uint16_t>(kAfInet);
    peerAddress.port = s_.port;
    peerAddress.address = address;
    const auto sa = guest_.put(peerAddress);
    std::string error;
    if (guest_.call("nsysnet", "connect", {w(fd), sa, 16}, peer) != 0) {
        const std::string result = guest_.lastCall().resultName;
        if (result.find("SO_EINPROGRESS") == std::string::npos)
            error = fmt::format("connect to {} failed: {}", peer, result);
        else if (!wait(fd, true))
            error = fmt::format("connect to {}: {}", peer, waitFailed_);
        else if (const std::int32_t e = lastError(fd); e != 0)
            error = fmt::format("connect to {} failed: {}", peer, nsysnet::errorName(static_cast<nsysnet::SoError>(e)));
    }
    if (!s_.nonBlocking)
        setNonBlocking(fd, false);
    return error;
}

bool SocketSteps::wait(std::int32_t fd, bool forWrite)
{
    guest_.storeBe32(fdSet_, 1u << fd);
    guest_.storeBe32(timeout_, static_cast<u32>(s_.ioTimeout.count()));
    guest_.storeBe32(timeout_ + 4, 0);  // both fields: a select may leave the time that was left
    const std::int32_t r = guest_.call(
        "nsysnet", "select", {w(fd + 1), forWrite ? 0 : fdSet_, forWrite ? fdSet_ : 0, 0, timeout_},
        fmt::format("{}fds {{{}}}, timeout {} s", forWrite ? "write" : "read", fd, s_.ioTimeout.count()));
    if (r <= 0)
        waitFailed_ = r == 0 ? fmt::format("timed out after {} s in select()", s_.ioTimeout.count())
                             : "select() failed: " + guest_.lastCall().resultName;
    return r > 0;
}

void SocketSteps::setNonBlocking(std::int32_t fd, bool on)
{
    const auto value = guest_.alloc(4);
    guest_.storeBe32(value, on ? 1 : 0);
    guest_.call("nsysnet", "setsockopt", {w(fd), kSolSocket, kSoNonBlock, value, 4},
                fmt::format("SOL_SOCKET, SO_NONBLOCK, {}", on ? 1 : 0));
}

std::int32_t SocketSteps::lastError(std::int32_t fd)
{
    const auto size = guest_.alloc(4);
    guest_.storeBe32(size, 4);
    guest_.call("nsysnet", "getsockopt", {w(fd), kSolSocket, kSoLastError, word_, size}, "SOL_SOCKET, SO_LASTERROR");
    return static_cast<std::int32_t>(guest_.loadBe32(word_));
}

}  // namespace wiiu::probe
