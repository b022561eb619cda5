// nsysnet's calls beyond BSD's, through the import table and as a hostile guest makes them:
// recvfrom_ex, sendto_multi, recvfrom_multi and sendto_multi_ex over real UDP sockets on
// 127.0.0.1, gethostbyaddr, and set_resolver_allocator with an emulator that runs guest code
// (EmbeddingHooks::callGuest) and one that does not. Semantics: docs/sockets.md, "Datagram
// batches" and "Resolver".
#include <array>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include <wiiu_nssl/nsysnet_errors.h>
#include "hle/nsysnet/socket_table.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace std::chrono_literals;
using nsysnet::SoError;
using boost::asio::ip::udp;

namespace {

constexpr std::uint32_t kMsgIpRecvTtl = 0x40;
constexpr std::uint32_t kAlign = 0x40;

/// A host UDP socket on 127.0.0.1: the guest's peer.
struct HostUdp {
    boost::asio::io_context io;
    udp::socket socket{io, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)};

    std::uint16_t port() const { return socket.local_endpoint().port(); }
    void sendTo(std::uint16_t port, const std::string& data)
    {
        socket.send_to(boost::asio::buffer(data), udp::endpoint(boost::asio::ip::address_v4::loopback(), port));
    }
    /// One datagram, or "" when none came within 2 s.
    std::string receive()
    {
        socket.non_blocking(true);
        std::array<char, 2048> buffer;
        for (int i = 0; i < 200; ++i) {
            boost::system::error_code ec;
            const std::size_t n = socket.receive(boost::asio::buffer(buffer), 0, ec);
            if (!ec)
                return std::string(buffer.data(), n);
            std::this_thread::sleep_for(10ms);
        }
        return {};
    }
};

/// A UDP socket of the guest, bound to 127.0.0.1; its port.
std::pair<std::int32_t, std::uint16_t> boundUdp(NetGuest& g)
{
    const std::int32_t fd = g.udp();
    EXPECT_EQ(g.bindLoopback(fd), 0);
    return {fd, g.localPort(fd)};
}

/// `size` zeroed bytes of guest memory on a 64-byte boundary (the IPC areas of the batch calls).
guest::GuestAddress aligned(NetGuest& g, std::uint32_t size)
{
    const guest::GuestAddress at = g.alloc(size + kAlign);
    return (at + kAlign - 1) & ~(kAlign - 1);
}

std::string text(NetGuest& g, guest::GuestAddress at, std::size_t size)
{
    return std::string(reinterpret_cast<const char*>(g.host(at)), size);
}

// --- recvfrom_ex ---------------------------------------------------------------------------------

TEST(NsysnetDatagram, RecvfromExZeroesTheMessageAreaAndRefusesALengthOfZero)
{
    NetGuest g;
    HostUdp peer;
    const auto [fd, port] = boundUdp(g);
    peer.sendTo(port, "hello");
    const auto buf = g.alloc(64);
    const auto from = g.alloc(16);
    const auto fromlen = g.put(guest::bei32(16)).address;
    const auto msg = g.alloc(8);
    std::memset(g.host(msg), 0xAA, 8);

    // A message length of 0 is refused and the datagram stays queued (console: EINVAL).
    EXPECT_EQ(g.net("recvfrom_ex", {u(fd), buf, 64, kMsgIpRecvTtl, from, fromlen, msg, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    // A message area outside guest memory: SO_EFAULT, still nothing lost.
    EXPECT_EQ(g.net("recvfrom_ex", {u(fd), buf, 64, 0, from, fromlen, GuestEnv::kBase + GuestEnv::kSize - 4, 8}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));

    EXPECT_EQ(g.net("recvfrom_ex", {u(fd), buf, 64, kMsgIpRecvTtl, from, fromlen, msg, 8}), 5);
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(text(g, buf, 5), "hello");
    const auto sa = g.readValue<nsysnet::GuestSockaddrIn>(from);
    EXPECT_EQ(sa.address, NetGuest::kLoopback);
    EXPECT_EQ(sa.port, peer.port());
    EXPECT_EQ(text(g, msg, 8), std::string(8, '\0')) << "the message area is zeroed on every datagram";
    // Errors of recvfrom stay recvfrom's.
    EXPECT_EQ(g.net("recvfrom_ex", {31, buf, 64, 0, from, fromlen, msg, 8}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EBADF));
}

// --- sendto_multi --------------------------------------------------------------------------------

TEST(NsysnetDatagram, SendtoMultiSendsTheDatagramToEveryDestination)
{
    NetGuest g;
    HostUdp a, b;
    const auto [fd, port] = boundUdp(g);
    const auto data = g.putString("fan-out").address;
    const auto dests = g.alloc(32);
    const auto one = g.sockaddr(NetGuest::kLoopback, a.port());
    const auto two = g.sockaddr(NetGuest::kLoopback, b.port());
    std::memcpy(g.host(dests), g.host(one), 16);
    std::memcpy(g.host(dests + 16), g.host(two), 16);

    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 7, 0, dests, 2}), 7);
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(a.receive(), "fan-out");
    EXPECT_EQ(b.receive(), "fan-out");

    // Hostile: a negative count, NULL destinations, a bad family, destinations past the end.
    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 7, 0, dests, u(-1)}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 7, 0, 0, 1}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    const auto badFamily = g.alloc(32);
    std::memcpy(g.host(badFamily), g.host(one), 16);
    std::memcpy(g.host(badFamily + 16), g.host(one), 16);
    g.host(badFamily + 17)[0] = std::byte{23};
    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 7, 0, badFamily, 2}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    EXPECT_EQ(a.receive(), "fan-out") << "the destinations before the bad one were served";
    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 7, 0, GuestEnv::kBase + GuestEnv::kSize - 16, 2}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));
    EXPECT_EQ(g.net("sendto_multi", {u(fd), data, 0x7FFFFFFF, 0, dests, 2}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));
}

// --- recvfrom_multi ------------------------------------------------------------------------------

/// recvfrom_multi's buffer set in guest memory for `count` datagrams of `length` bytes.
struct RecvSet {
    guest::GuestAddress set, data, froms, results;
    RecvSet(NetGuest& g, std::uint32_t length, std::uint32_t count)
    {
        auto padded = [](std::uint32_t n) { return (n + kAlign - 1) & ~(kAlign - 1); };
        data = aligned(g, padded(length * count));
        froms = aligned(g, padded(16 * count));
        results = aligned(g, padded(4 * count));
        set = g.put(nsysnet::GuestRecvMultiBuffers{guest::be32(data), guest::be32(padded(length * count)),
                                                   guest::be32(froms), guest::be32(padded(16 * count)),
                                                   guest::be32(results), guest::be32(padded(4 * count))})
                  .address;
    }
};

TEST(NsysnetDatagram, RecvfromMultiTakesWhatCameWithinTheTimeout)
{
    NetGuest g;
    HostUdp peer;
    const auto [fd, port] = boundUdp(g);
    peer.sendTo(port, "first");
    peer.sendTo(port, "2nd");
    std::this_thread::sleep_for(20ms);
    RecvSet s(g, 16, 3);
    const auto timeout = g.put(nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(100000)}).address;  // 100 ms

    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("recvfrom_multi", {u(fd), 0, s.set, 16, 3, timeout}), 2);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms) << "it waited for the third";
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(text(g, s.data, 5), "first");
    EXPECT_EQ(text(g, s.data + 16, 3), "2nd");
    EXPECT_EQ(static_cast<std::int32_t>(g.readBe32(s.results)), 5);
    EXPECT_EQ(static_cast<std::int32_t>(g.readBe32(s.results + 4)), 3);
    EXPECT_EQ(static_cast<std::int32_t>(g.readBe32(s.results + 8)), -1);
    const auto from = g.readValue<nsysnet::GuestSockaddrIn>(s.froms + 16);
    EXPECT_EQ(from.address, NetGuest::kLoopback);
    EXPECT_EQ(from.port, peer.port());

    // Non-blocking with nothing queued: 0 datagrams now.
    g.setNonBlocking(fd, true);
    EXPECT_EQ(g.net("recvfrom_multi", {u(fd), 0, s.set, 16, 3, 0}), 0);
    EXPECT_EQ(g.net("recvfrom_multi", {u(fd), 0, s.set, 16, 0, 0}), 0);
}

TEST(NsysnetDatagram, RecvfromMultiRefusesHostileBufferSets)
{
    NetGuest g;
    HostUdp peer;
    const auto [fd, port] = boundUdp(g);
    RecvSet s(g, 16, 2);
    auto refusedWith = [&](std::vector<std::uint32_t> args, SoError expected) {
        const std::int32_t r = g.net("recvfrom_multi", args);
        return r == -1 && g.lastError() == err(expected);
    };
    EXPECT_TRUE(refusedWith({u(fd), 0, 0, 16, 2, 0}, SoError::SO_EINVAL)) << "NULL set";
    EXPECT_TRUE(refusedWith({u(fd), 0, s.set, u(-1), 2, 0}, SoError::SO_EINVAL)) << "negative length";
    EXPECT_TRUE(refusedWith({u(fd), 0, s.set, 16, u(-2), 0}, SoError::SO_EINVAL)) << "negative count";
    EXPECT_TRUE(refusedWith({u(fd), 0, s.set, 16, 5, 0}, SoError::SO_EINVAL)) << "areas too small";
    EXPECT_TRUE(refusedWith({u(fd), 0, s.set, 0x10000, 0x10000, 0}, SoError::SO_EINVAL)) << "4 GiB of data";
    EXPECT_TRUE(refusedWith({u(fd), 0, GuestEnv::kBase + GuestEnv::kSize - 8, 16, 2, 0}, SoError::SO_EFAULT));
    const auto badTimeout = g.put(nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(1000000)}).address;
    EXPECT_TRUE(refusedWith({u(fd), 0, s.set, 16, 2, badTimeout}, SoError::SO_EINVAL));
    // A misaligned area, and one whose memory runs past the end of guest memory.
    auto set = g.readValue<nsysnet::GuestRecvMultiBuffers>(s.set);
    auto misaligned = set;
    misaligned.froms = set.froms + 4u;
    const auto m = g.put(misaligned).address;
    EXPECT_TRUE(refusedWith({u(fd), 0, m, 16, 2, 0}, SoError::SO_EINVAL));
    auto outside = set;  // the data area runs 64 bytes past the end of guest memory
    outside.buffer = GuestEnv::kBase + GuestEnv::kSize - kAlign;
    outside.bufferLength = 0x1000u;
    const auto o = g.put(outside).address;
    EXPECT_TRUE(refusedWith({u(fd), 0, o, 64, 2, 0}, SoError::SO_EFAULT));
    // None of that consumed a datagram.
    peer.sendTo(port, "kept");
    const auto timeout = g.put(nsysnet::GuestTimeval{guest::bei32(1), guest::bei32(0)}).address;
    EXPECT_EQ(g.net("recvfrom_multi", {u(fd), 0, s.set, 16, 1, timeout}), 1);
    EXPECT_EQ(text(g, s.data, 4), "kept");
}

// --- sendto_multi_ex -----------------------------------------------------------------------------

TEST(NsysnetDatagram, SendtoMultiExSendsEachDatagramToItsDestinationAndReportsEach)
{
    NetGuest g;
    HostUdp a, b;
    const std::int32_t fd = boundUdp(g).first;  // a plain variable: clang 14 cannot capture a structured binding
    const auto data = aligned(g, kAlign);
    std::memcpy(g.host(data), "EX-AEX-BBBBB", 12);
    const auto lengths = aligned(g, kAlign);
    g.host(lengths + 3)[0] = std::byte{4};
    g.host(lengths + 7)[0] = std::byte{8};
    const auto dests = aligned(g, kAlign);
    std::memcpy(g.host(dests), g.host(g.sockaddr(NetGuest::kLoopback, a.port())), 16);
    std::memcpy(g.host(dests + 16), g.host(g.sockaddr(NetGuest::kLoopback, b.port())), 16);
    const auto results = aligned(g, kAlign);
    std::memset(g.host(results), 0x55, 8);
    const nsysnet::GuestSendMultiBuffers set{guest::be32(data),    guest::be32(kAlign), guest::be32(lengths),
                                             guest::be32(kAlign),  guest::be32(dests), guest::be32(kAlign),
                                             guest::be32(results), guest::be32(kAlign)};
    const auto s = g.put(set).address;

    EXPECT_EQ(g.net("sendto_multi_ex", {u(fd), 0, s, 2}), 12);
    EXPECT_EQ(g.lastError(), 0);
    EXPECT_EQ(a.receive(), "EX-A");
    EXPECT_EQ(b.receive(), "EX-BBBBB");
    EXPECT_EQ(g.readBe32(results), 4u);
    EXPECT_EQ(g.readBe32(results + 4), 8u);
    EXPECT_EQ(g.net("sendto_multi_ex", {u(fd), 0, s, 0}), 0);

    // Hostile: NULL set, negative count, a negative length, areas that are small, misaligned or
    // outside guest memory, and a bad destination (which gets -1 in its result).
    auto refusedWith = [&](guest::GuestAddress setAt, std::int32_t count, SoError expected) {
        const std::int32_t r = g.net("sendto_multi_ex", {u(fd), 0, setAt, u(count)});
        return r == -1 && g.lastError() == err(expected);
    };
    EXPECT_TRUE(refusedWith(0, 2, SoError::SO_EINVAL));
    EXPECT_TRUE(refusedWith(s, -1, SoError::SO_EINVAL));
    EXPECT_TRUE(refusedWith(s, 17, SoError::SO_EINVAL)) << "17 lengths do not fit in 64 bytes";
    EXPECT_TRUE(refusedWith(GuestEnv::kBase + GuestEnv::kSize - 4, 2, SoError::SO_EFAULT));
    auto variant = [&](auto change) {
        auto copy = set;
        change(copy);
        return g.put(copy).address;
    };
    EXPECT_TRUE(refusedWith(variant([](auto& c) { c.dests = c.dests + 16u; }), 2, SoError::SO_EINVAL));
    EXPECT_TRUE(refusedWith(variant([](auto& c) { c.resultsLength = 0x20u; }), 2, SoError::SO_EINVAL));
    EXPECT_TRUE(refusedWith(variant([](auto& c) { c.lengths = GuestEnv::kBase + GuestEnv::kSize; }), 2,
                            SoError::SO_EFAULT));
    g.host(lengths + 4)[0] = std::byte{0xFF};  // the second length is now negative
    EXPECT_TRUE(refusedWith(s, 2, SoError::SO_EINVAL));
    g.host(lengths + 4)[0] = std::byte{0};
    g.host(dests + 17)[0] = std::byte{23};  // the second destination's family
    EXPECT_TRUE(refusedWith(s, 2, SoError::SO_EINVAL));
    EXPECT_EQ(g.readBe32(results), 4u) << "the first went out";
    EXPECT_EQ(static_cast<std::int32_t>(g.readBe32(results + 4)), -1);
    EXPECT_EQ(a.receive(), "EX-A");
}

// --- gethostbyaddr -------------------------------------------------------------------------------

TEST(NsysnetDatagram, GethostbyaddrNamesAnAddressInTheProcesssHostent)
{
    NetGuest g;
    const auto loopback = g.put(guest::be32(NetGuest::kLoopback)).address;
    const std::int32_t he = g.net("gethostbyaddr", {loopback, 4, 2});
    ASSERT_NE(he, 0);
    const auto hostent = g.readValue<nsysnet::GuestHostent>(u(he));
    EXPECT_STREQ(reinterpret_cast<const char*>(g.host(hostent.name)), "localhost");
    EXPECT_EQ(hostent.addrtype.value(), 2);
    EXPECT_EQ(hostent.length.value(), 4);
    const std::uint32_t first = g.readBe32(hostent.addrList);
    EXPECT_EQ(g.readBe32(first), NetGuest::kLoopback);
    EXPECT_EQ(g.readBe32(hostent.addrList + 4), 0u);
    const auto hErrno = u(g.net("get_h_errno", {}));
    EXPECT_EQ(g.readBe32(hErrno), 0u);

    // Hostile: another family, another length, NULL, an address past the end of guest memory.
    auto refused = [&](std::uint32_t addr, std::uint32_t len, std::uint32_t type, SoError expected) {
        return g.net("gethostbyaddr", {addr, len, type}) == 0 && g.lastError() == err(expected) &&
               g.readBe32(hErrno) == 3u;  // NO_RECOVERY
    };
    EXPECT_TRUE(refused(loopback, 4, 23, SoError::SO_EAFNOSUPPORT));
    EXPECT_TRUE(refused(loopback, 16, 2, SoError::SO_EINVAL));
    EXPECT_TRUE(refused(0, 4, 2, SoError::SO_EINVAL));
    EXPECT_TRUE(refused(GuestEnv::kBase + GuestEnv::kSize - 2, 4, 2, SoError::SO_EFAULT));

    // An address with no name (TEST-NET-1; a short resolver deadline keeps the test quick).
    g.process().state()->sockets().resolver().setTimeout(300ms);
    const auto nameless = g.put(guest::be32(0xC0000201u)).address;
    EXPECT_EQ(g.net("gethostbyaddr", {nameless, 4, 2}), 0);
    EXPECT_NE(g.readBe32(hErrno), 0u);
}

// --- set_resolver_allocator ----------------------------------------------------------------------

/// An emulator that runs guest code for the module: the "guest functions" are addresses in guest
/// memory this emulator knows, each bound to a host function standing in for its PowerPC code.
class GuestCodeHooks : public guest::DefaultHooks {
public:
    using Function = std::function<std::uint32_t(std::span<const std::uint32_t>)>;
    GuestCodeHooks() : DefaultHooks(GuestEnv::kHeapBase, GuestEnv::kBase + GuestEnv::kSize - GuestEnv::kHeapBase) {}

    void define(std::uint32_t address, Function f) { functions_[address] = std::move(f); }
    std::optional<std::uint32_t> callGuest(guest::GuestThreadId thread, std::uint32_t function,
                                           std::span<const std::uint32_t> args) override
    {
        calls.push_back({thread, function, std::vector(args.begin(), args.end())});
        auto it = functions_.find(function);
        return it == functions_.end() ? 0u : it->second(args);
    }

    struct Call {
        guest::GuestThreadId thread;
        std::uint32_t function;
        std::vector<std::uint32_t> args;
    };
    std::vector<Call> calls;

private:
    std::map<std::uint32_t, Function> functions_;
};

TEST(NsysnetDatagram, SetResolverAllocatorRunsTheGuestsAllocatorForAddrinfoChains)
{
    GuestCodeHooks hooks;
    NetGuest g(hooks);
    const auto allocFn = g.alloc(4);
    const auto freeFn = g.alloc(4);
    const auto arena = g.alloc(0x1000);  // the guest's own heap
    std::uint32_t next = arena;
    std::vector<std::uint32_t> freed;
    hooks.define(allocFn, [&](auto args) {
        const std::uint32_t at = next;
        next += (args[0] + 7) & ~7u;
        return at;
    });
    hooks.define(freeFn, [&](auto args) {
        freed.push_back(args[0]);
        return 0u;
    });

    // NULL or non-guest functions are refused, and change nothing.
    EXPECT_EQ(g.net("set_resolver_allocator", {0, freeFn}), -1);
    EXPECT_EQ(g.net("set_resolver_allocator", {allocFn, 0}), -1);
    EXPECT_EQ(g.net("set_resolver_allocator", {allocFn, 0xFFFFFFF0u}), -1);
    EXPECT_TRUE(hooks.calls.empty());
    EXPECT_EQ(g.net("set_resolver_allocator", {allocFn, freeFn}), 0);

    const auto name = g.putString("localhost").address;
    const auto res = g.alloc(4);
    ASSERT_EQ(g.net("getaddrinfo", {name, 0, 0, res}, 7), 0);
    const std::uint32_t chain = g.readBe32(res);
    EXPECT_EQ(chain, arena) << "the chain lives in the guest's heap";
    ASSERT_EQ(hooks.calls.size(), 1u);
    EXPECT_EQ(hooks.calls[0].thread, 7u) << "run on the calling guest thread";
    EXPECT_EQ(hooks.calls[0].function, allocFn);
    const auto ai = g.readValue<nsysnet::GuestAddrinfo>(chain);
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(ai.addr).address, NetGuest::kLoopback);
    g.net("freeaddrinfo", {chain}, 8);
    ASSERT_EQ(freed, std::vector<std::uint32_t>{chain});
    EXPECT_EQ(hooks.calls.back().thread, 8u);
    g.net("freeaddrinfo", {chain}, 8);  // twice: not a chain any more, ignored
    EXPECT_EQ(freed.size(), 1u);

    // A hostile allocator: no memory, then an address outside guest memory (given back).
    hooks.define(allocFn, [](auto) { return 0u; });
    EXPECT_EQ(g.net("getaddrinfo", {name, 0, 0, res}), 6);  // EAI_MEMORY
    hooks.define(allocFn, [](auto) { return 0xFFFFFF00u; });
    EXPECT_EQ(g.net("getaddrinfo", {name, 0, 0, res}), 6);
    EXPECT_EQ(freed.back(), 0xFFFFFF00u);
    // The process ends without running guest code: the guest's heap is the guest's.
    const std::size_t callsBefore = hooks.calls.size();
    g.endProcess();
    EXPECT_EQ(hooks.calls.size(), callsBefore);
}

TEST(NsysnetDatagram, WithoutGuestCodeTheResolverAllocatorIsRecordedAndTheModulesHeapServes)
{
    NetGuest g;  // DefaultHooks: callGuest answers nothing
    const auto allocFn = g.alloc(4);
    const auto freeFn = g.alloc(4);
    EXPECT_EQ(g.net("set_resolver_allocator", {allocFn, freeFn}), 0);
    const auto name = g.putString("localhost").address;
    const auto res = g.alloc(4);
    ASSERT_EQ(g.net("getaddrinfo", {name, 0, 0, res}), 0);
    const std::uint32_t chain = g.readBe32(res);
    EXPECT_GE(chain, GuestEnv::kHeapBase) << "from the hooks' guest heap";
    const auto inUse = g.hooks().heap()->blocksInUse();
    g.net("freeaddrinfo", {chain});
    EXPECT_EQ(g.hooks().heap()->blocksInUse(), inUse - 1);
}

}  // namespace
