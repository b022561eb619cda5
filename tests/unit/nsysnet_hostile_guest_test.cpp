// Socket calls as a hostile guest makes them: outputs that straddle the end of guest memory,
// strings that run into it, and socket_lib_finish under blocked calls (issue 22's findings).
#include <cstring>
#include <future>

#include <gtest/gtest.h>

#include "hle/nsysnet/socket_table.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "support/host_listener.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace std::chrono_literals;
using nsysnet::SoError;

namespace {

/// The last `n` bytes of guest memory, filled with `fill`.
guest::GuestAddress tailOfMemory(GuestEnv& g, std::uint32_t n, char fill)
{
    const guest::GuestAddress at = GuestEnv::kBase + GuestEnv::kSize - n;
    std::memset(g.host(at), fill, n);
    return at;
}

TEST(NsysnetHostileGuest, GetnameinfoWritesNothingWhenTheServiceBufferStraddlesTheEnd)
{
    NetGuest g;
    const auto sa = g.sockaddr(NetGuest::kLoopback, 8080);
    const auto host = g.alloc(64);
    std::memset(g.host(host), 'x', 64);
    // "8080" + NUL needs 5 bytes; only 3 are left before the end of guest memory.
    const auto serv = tailOfMemory(g, 3, 'y');
    EXPECT_EQ(g.net("getnameinfo", {sa, 16, host, 64, serv, 32, 2 | 8}), 4);  // EAI_FAIL
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(g.host(host)), 4), "xxxx") << "host written before refusal";
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(g.host(serv)), 3), "yyy");
    // The same call with room for both succeeds.
    const auto servOk = g.alloc(32);
    EXPECT_EQ(g.net("getnameinfo", {sa, 16, host, 64, servOk, 32, 2 | 8}), 0);
    EXPECT_STREQ(reinterpret_cast<const char*>(g.host(host)), "127.0.0.1");
}

TEST(NsysnetHostileGuest, InetPtonOfAStringRunningIntoTheEndOfMemoryIsEfault)
{
    NetGuest g;
    const auto dst = g.put(guest::be32(0xAABBCCDDu));
    const auto text = tailOfMemory(g, 7, '1');  // "1111111" with no terminator before the end
    std::memcpy(g.host(text), "1.2.3.4", 7);
    EXPECT_EQ(g.net("inet_pton", {2, text, dst.address}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EFAULT));
    EXPECT_EQ(g.readBe32(dst.address), 0xAABBCCDDu);
    // A terminated string too long to be an address is "not an address", not a fault.
    const std::string longText(100, '1');
    EXPECT_EQ(g.net("inet_pton", {2, g.putString(longText).address, dst.address}), 0);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetHostileGuest, SocketLibFinishWakesBlockedCallsAndClosesTheSockets)
{
    NetGuest g;
    HostListener peer;
    const std::int32_t listener = g.tcp();
    ASSERT_EQ(g.bindLoopback(listener), 0);
    ASSERT_EQ(g.net("listen", {u(listener), 1}), 0);
    const std::int32_t stream = g.tcp();
    ASSERT_EQ(g.connect(stream, peer.port()), 0);
    auto accepted = peer.accept();
    ASSERT_TRUE(accepted);
    const std::int32_t dgram = g.udp();
    ASSERT_EQ(g.bindLoopback(dgram), 0);
    const auto buf = g.alloc(64);
    const auto buf2 = g.alloc(64);
    const auto rset = g.put(guest::be32(1u << dgram)).address;

    auto accepter = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("accept", {u(listener), 0, 0}, 2);
        return std::pair(r, g.lastError(2));
    });
    auto receiver = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("recv", {u(stream), buf, 64, 0}, 3);
        return std::pair(r, g.lastError(3));
    });
    auto selecter = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("select", {32, rset, 0, 0, 0}, 4);
        return std::pair(r, g.lastError(4));
    });
    auto datagram = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("recvfrom", {u(dgram), buf2, 64, 0, 0, 0}, 5);
        return std::pair(r, g.lastError(5));
    });
    // Should a call stay blocked (the failure this test looks for), close its socket at the end
    // so the futures can be destroyed and the test fails instead of hanging.
    struct Unblock {
        NetGuest& g;
        ~Unblock() { g.process().state()->sockets().closeAll(); }
    } unblock{g};
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("socket_lib_finish", {}), 0);
    for (auto* f : {&accepter, &receiver, &selecter, &datagram}) {
        ASSERT_EQ(f->wait_for(2s), std::future_status::ready) << "a blocked call was not woken";
        const auto [result, error] = f->get();
        EXPECT_EQ(result, -1);
        EXPECT_EQ(error, err(SoError::SO_EABORTED));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    // The host side sees the stream closed.
    char c;
    boost::system::error_code ec;
    EXPECT_EQ(accepted->read_some(boost::asio::buffer(&c, 1), ec), 0u);
    EXPECT_EQ(ec, boost::asio::error::eof);
    // After socket_lib_init again the old descriptors are gone and new ones start afresh.
    EXPECT_EQ(g.net("socketclose", {u(stream)}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ELIBNOTREADY));
    ASSERT_EQ(g.net("socket_lib_init", {}), 0);
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty());
    EXPECT_EQ(g.net("socketclose", {u(stream)}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EBADF));
    EXPECT_EQ(g.tcp(), 1);
}

}  // namespace
