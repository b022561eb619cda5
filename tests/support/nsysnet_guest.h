// A guest process for socket tests: GuestEnv plus short helpers that call the nsysnet exports
// through the import table (arguments in r3..r10 + stack, as an emulator passes them), and small
// POSIX peers on 127.0.0.1 that tests run on their own threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <wiiu_nssl/nsysnet_errors.h>

#include <wiiu_nssl/nsysnet_structs.h>
#include "support/guest_env.h"

namespace wiiu::test {

/// An SO_E* code as socketlasterr() returns it.
constexpr std::int32_t err(nsysnet::SoError e) { return static_cast<std::int32_t>(e); }
/// SOL_SOCKET as the guest passes it (the console's value, -1).
constexpr std::uint32_t kSolSocket = 0xFFFFFFFF;

class NetGuest : public GuestEnv {
public:
    static constexpr std::uint32_t kLoopback = 0x7F000001;

    NetGuest() { net("socket_lib_init", {}); }
    /// With the emulator's own hooks (which must outlive the guest).
    explicit NetGuest(guest::EmbeddingHooks& hooks) : GuestEnv(withHooks(hooks))
    {
        net("socket_lib_init", {});
    }

    /// Calls nsysnet::name; the result as a signed value.
    std::int32_t net(std::string_view name, std::initializer_list<std::uint32_t> args, guest::GuestThreadId thread = 1)
    {
        return static_cast<std::int32_t>(call("nsysnet", name, args, thread));
    }
    std::int32_t net(std::string_view name, const std::vector<std::uint32_t>& args, guest::GuestThreadId thread = 1)
    {
        return static_cast<std::int32_t>(call("nsysnet", name, std::span<const std::uint32_t>(args), thread));
    }
    std::int32_t lastError(guest::GuestThreadId thread = 1) { return net("socketlasterr", {}, thread); }

    guest::GuestAddress sockaddr(std::uint32_t address, std::uint16_t port)
    {
        nsysnet::GuestSockaddrIn sa{};
        sa.family = static_cast<std::uint16_t>(2);
        sa.port = port;
        sa.address = address;
        return put(sa).address;
    }
    std::int32_t tcp() { return net("socket", {2, 1, 0}); }
    std::int32_t udp() { return net("socket", {2, 2, 0}); }
    std::int32_t connect(std::int32_t fd, std::uint16_t port, guest::GuestThreadId thread = 1)
    {
        return net("connect", {u(fd), sockaddr(kLoopback, port), 16}, thread);
    }
    std::int32_t bindLoopback(std::int32_t fd, std::uint16_t port = 0)
    {
        return net("bind", {u(fd), sockaddr(kLoopback, port), 16});
    }
    std::uint16_t localPort(std::int32_t fd)
    {
        const auto sa = alloc(16);
        const auto len = put(guest::bei32(16)).address;
        if (net("getsockname", {u(fd), sa, len}) != 0)
            return 0;
        return readValue<nsysnet::GuestSockaddrIn>(sa).port;
    }
    void setNonBlocking(std::int32_t fd, bool on)
    {
        net("setsockopt", {u(fd), static_cast<std::uint32_t>(-1), on ? 0x1014u : 0x1015u, 0, 0});
    }
    std::int32_t send(std::int32_t fd, std::string_view data, guest::GuestThreadId thread = 1)
    {
        const auto at = alloc(static_cast<std::uint32_t>(data.size() + 1));
        std::memcpy(host(at), data.data(), data.size());
        return net("send", {u(fd), at, static_cast<std::uint32_t>(data.size()), 0}, thread);
    }
    /// recv into a fresh buffer; the bytes received (empty on 0 or -1) and the result.
    std::pair<std::int32_t, std::string> recv(std::int32_t fd, std::uint32_t size, std::uint32_t flags = 0,
                                              guest::GuestThreadId thread = 1)
    {
        const auto at = alloc(size);
        const std::int32_t n = net("recv", {u(fd), at, size, flags}, thread);
        return {n, n > 0 ? std::string(reinterpret_cast<const char*>(host(at)), static_cast<std::size_t>(n)) : ""};
    }
    /// Receives exactly `size` bytes (blocking socket), or what came before EOF/error.
    std::string recvAll(std::int32_t fd, std::size_t size)
    {
        std::string out;
        while (out.size() < size) {
            auto [n, data] = recv(fd, static_cast<std::uint32_t>(size - out.size()));
            if (n <= 0)
                break;
            out += data;
        }
        return out;
    }

};

/// Polls `condition` every millisecond until it holds or `timeout` passes.
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout = std::chrono::seconds(5))
{
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return condition();
}

}  // namespace wiiu::test
