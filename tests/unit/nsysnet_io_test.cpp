// nsysnet data paths on real sockets over 127.0.0.1: TCP echo (in-test peer and an external
// python3 process), UDP, non-blocking connect, would-block, refused, reset, orderly close, select,
// and waits that end when another guest thread closes the socket or the process ends.
#include <cstdio>
#include <future>
#include <thread>

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



TEST(NsysnetIo, TcpEchoWithInTestPeer)
{
    NetGuest g;
    HostListener listener;
    std::thread peer([&] {
        if (auto conn = listener.accept())
            echoUntilClosed(std::move(*conn));
    });
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    EXPECT_EQ(g.lastError(), 0);
    const std::string message(100000, 'x');  // larger than one segment: exercises partial steps
    EXPECT_EQ(g.send(fd, message), static_cast<std::int32_t>(message.size()));
    EXPECT_EQ(g.recvAll(fd, message.size()), message);
    // getpeername reports the peer.
    const auto sa = g.alloc(16);
    const auto len = g.put(guest::bei32(16)).address;
    EXPECT_EQ(g.net("getpeername", {u(fd), sa, len}), 0);
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(sa).port, listener.port());
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(sa).address, NetGuest::kLoopback);
    // recvfrom with an address on a stream socket reports the peer too (plain recv skips it).
    const auto from = g.alloc(16);
    const auto fromlen = g.put(guest::bei32(16)).address;
    EXPECT_EQ(g.send(fd, "?"), 1);  // one byte: the echo cannot arrive in pieces
    const auto buf = g.alloc(8);
    EXPECT_EQ(g.net("recvfrom", {u(fd), buf, 8, 0, from, fromlen}), 1);
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(from).port, listener.port());
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(from).address, NetGuest::kLoopback);
    auto s = g.process().state()->sockets().find(fd);
    EXPECT_EQ(s->bytesSent(), message.size() + 1);
    EXPECT_EQ(s->bytesReceived(), message.size() + 1);
    EXPECT_EQ(g.net("socketclose", {u(fd)}), 0);
    peer.join();
}

TEST(NsysnetIo, TcpEchoWithExternalPython)
{
    const char* script =
        "import socket,sys\n"
        "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1); s.settimeout(10)\n"
        "print(s.getsockname()[1], flush=True)\n"
        "c,_=s.accept(); c.settimeout(10)\n"
        "while True:\n"
        "  d=c.recv(4096)\n"
        "  if not d: break\n"
        "  c.sendall(d.upper())\n";
    FILE* py = ::popen(("python3 -c \"" + std::string(script) + "\"").c_str(), "r");
    ASSERT_NE(py, nullptr);
    char line[32] = {};
    ASSERT_NE(std::fgets(line, sizeof line, py), nullptr);
    const int port = std::atoi(line);
    ASSERT_GT(port, 0);
    NetGuest g;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, static_cast<std::uint16_t>(port)), 0);
    EXPECT_EQ(g.send(fd, "hello nsysnet"), 13);
    EXPECT_EQ(g.recvAll(fd, 13), "HELLO NSYSNET");
    EXPECT_EQ(g.net("shutdown", {u(fd), 1}), 0);  // SHUT_WR: python sees EOF and exits
    EXPECT_TRUE(g.process().state()->sockets().find(fd)->shutdownState().write);
    EXPECT_EQ(g.recv(fd, 16).first, 0);
    EXPECT_EQ(g.send(fd, "late"), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ESHUTDOWN));
    EXPECT_EQ(::pclose(py), 0);
}

TEST(NsysnetIo, UdpSendAndReceive)
{
    NetGuest g;
    const std::int32_t a = g.udp();
    const std::int32_t b = g.udp();
    ASSERT_EQ(g.bindLoopback(b), 0);
    const std::uint16_t port = g.localPort(b);
    ASSERT_NE(port, 0);
    const auto data = g.putString("datagram");
    EXPECT_EQ(g.net("sendto", {u(a), data.address, 8, 0, g.sockaddr(NetGuest::kLoopback, port), 16}), 8);
    const auto buf = g.alloc(64);
    const auto from = g.alloc(16);
    const auto fromlen = g.put(guest::bei32(16)).address;
    // MSG_PEEK leaves the datagram queued.
    EXPECT_EQ(g.net("recvfrom", {u(b), buf, 64, 0x2, from, fromlen}), 8);
    EXPECT_EQ(g.net("recvfrom", {u(b), buf, 64, 0, from, fromlen}), 8);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(g.host(buf)), 8), "datagram");
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(from).port, g.localPort(a));
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(from).family, 2);
    // Nothing queued now: MSG_DONTWAIT makes this one call non-blocking.
    EXPECT_EQ(g.net("recvfrom", {u(b), buf, 64, 0x20, 0, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EWOULDBLOCK));
    // A connected datagram socket uses send/recv.
    ASSERT_EQ(g.connect(a, port), 0);
    EXPECT_EQ(g.send(a, "second"), 6);
    EXPECT_EQ(g.recv(b, 64).second, "second");
}

TEST(NsysnetIo, EmptyNonBlockingReceiveWouldBlock)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    auto peer = listener.accept();
    ASSERT_TRUE(peer);
    g.setNonBlocking(fd, true);
    EXPECT_EQ(g.recv(fd, 16).first, -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EWOULDBLOCK));
    ASSERT_EQ(hostSend(*peer, "ab"), 2u);
    EXPECT_TRUE(eventually([&] { return g.recv(fd, 16).second == "ab"; }));
    EXPECT_EQ(g.lastError(), 0);
    peer->close();
}

TEST(NsysnetIo, NonBlockingConnectInProgressThenSelectThenConnected)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    g.setNonBlocking(fd, true);
    const std::int32_t r = g.connect(fd, listener.port());
    if (r == -1) {
        EXPECT_EQ(g.lastError(), err(SoError::SO_EINPROGRESS));
        const std::int32_t again = g.connect(fd, listener.port());
        EXPECT_EQ(again, -1);
        EXPECT_TRUE(g.lastError() == err(SoError::SO_EALREADY) || g.lastError() == err(SoError::SO_EISCONN));
    } else {
        EXPECT_EQ(r, 0);  // loopback may connect at once
    }
    const auto wset = g.put(guest::be32(1u << fd)).address;
    const auto tv = g.put(nsysnet::GuestTimeval{guest::bei32(5), guest::bei32(0)}).address;
    EXPECT_EQ(g.net("select", {u(fd) + 1, 0, wset, 0, tv}), 1);
    EXPECT_EQ(g.readBe32(wset), 1u << fd);
    const auto value = g.alloc(4);
    const auto len = g.put(guest::bei32(4)).address;
    EXPECT_EQ(g.net("getsockopt", {u(fd), kSolSocket, 0x1007, value, len}), 0);
    EXPECT_EQ(g.readBe32(value), 0u);  // SO_LASTERROR: no error
    EXPECT_EQ(g.connect(fd, listener.port()), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EISCONN));
    EXPECT_EQ(g.process().state()->sockets().find(fd)->connectState(), nsysnet::ConnectState::Connected);
}

TEST(NsysnetIo, ConnectionRefused)
{
    NetGuest g;
    ClosedPort closed;
    const std::int32_t fd = g.tcp();
    EXPECT_EQ(g.connect(fd, closed.port), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ECONNREFUSED));
    // Non-blocking: in progress, then SO_LASTERROR reports the refusal once.
    const std::int32_t nb = g.tcp();
    g.setNonBlocking(nb, true);
    const std::int32_t r = g.connect(nb, closed.port);
    EXPECT_EQ(r, -1);
    if (g.lastError() == err(SoError::SO_EINPROGRESS)) {
        const auto wset = g.put(guest::be32(1u << nb)).address;
        const auto tv = g.put(nsysnet::GuestTimeval{guest::bei32(5), guest::bei32(0)}).address;
        EXPECT_EQ(g.net("select", {32, 0, wset, 0, tv}), 1);
        const auto value = g.alloc(4);
        const auto len = g.put(guest::bei32(4)).address;
        EXPECT_EQ(g.net("getsockopt", {u(nb), kSolSocket, 0x1007, value, len}), 0);
        EXPECT_EQ(g.readBe32(value), static_cast<std::uint32_t>(err(SoError::SO_ECONNREFUSED)));
        g.memory().store(guest::GuestPtr<guest::bei32>{len}, guest::bei32(4));
        EXPECT_EQ(g.net("getsockopt", {u(nb), kSolSocket, 0x1007, value, len}), 0);
        EXPECT_EQ(g.readBe32(value), 0u);  // get-and-clear
    } else {
        EXPECT_EQ(g.lastError(), err(SoError::SO_ECONNREFUSED));
    }
}

TEST(NsysnetIo, PeerResetIsEconnreset)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    auto peer = listener.accept();
    ASSERT_TRUE(peer);
    hostReset(*peer);
    EXPECT_EQ(g.recv(fd, 16).first, -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ECONNRESET));
}

TEST(NsysnetIo, OrderlyCloseReturnsZero)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    auto peer = listener.accept();
    ASSERT_TRUE(peer);
    ASSERT_EQ(hostSend(*peer, "bye"), 3u);
    peer->close();
    EXPECT_EQ(g.recvAll(fd, 3), "bye");
    EXPECT_EQ(g.recv(fd, 16).first, 0);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetIo, GuestListenAcceptAndHostClient)
{
    NetGuest g;
    const std::int32_t server = g.tcp();
    ASSERT_EQ(g.bindLoopback(server), 0);
    ASSERT_EQ(g.net("listen", {u(server), 4}), 0);
    const std::uint16_t port = g.localPort(server);
    g.setNonBlocking(server, true);
    EXPECT_EQ(g.net("accept", {u(server), 0, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EWOULDBLOCK));
    g.setNonBlocking(server, false);
    HostListener host;
    auto client = host.connect(port);
    ASSERT_TRUE(client);
    const auto peer = g.alloc(16);
    const auto len = g.put(guest::bei32(16)).address;
    const std::int32_t conn = g.net("accept", {u(server), peer, len});
    ASSERT_GE(conn, 1);
    EXPECT_EQ(g.readValue<nsysnet::GuestSockaddrIn>(peer).address, NetGuest::kLoopback);
    ASSERT_EQ(hostSend(*client, "ping"), 4u);
    EXPECT_EQ(g.recvAll(conn, 4), "ping");
}

TEST(NsysnetIo, SelectReadinessTimeoutAndInvalidTimevals)
{
    NetGuest g;
    const std::int32_t a = g.udp();
    const std::int32_t b = g.udp();
    ASSERT_EQ(g.bindLoopback(b), 0);
    const auto rset = g.alloc(4);
    const auto zero = g.put(nsysnet::GuestTimeval{}).address;
    const auto shortWait = g.put(nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(50000)}).address;
    // Nothing to read: zero timeout polls, a short one times out; both return 0 and leave the sets
    // as the caller wrote them (wut PR #428, measured on a console).
    g.memory().store(guest::GuestPtr<guest::be32>{rset}, guest::be32(1u << b));
    EXPECT_EQ(g.net("select", {32, rset, 0, 0, zero}), 0);
    EXPECT_EQ(g.readBe32(rset), 1u << b);
    g.memory().store(guest::GuestPtr<guest::be32>{rset}, guest::be32(1u << b));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("select", {32, rset, 0, 0, shortWait}), 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
    EXPECT_EQ(g.lastError(), 0);
    // A datagram arrives: readable.
    const auto data = g.putString("x");
    ASSERT_EQ(g.net("sendto", {u(a), data.address, 1, 0, g.sockaddr(NetGuest::kLoopback, g.localPort(b)), 16}), 1);
    g.memory().store(guest::GuestPtr<guest::be32>{rset}, guest::be32((1u << b) | (1u << a)));
    const auto wset = g.put(guest::be32(1u << a)).address;
    const auto eset = g.put(guest::be32(1u << a)).address;
    const auto tv = g.put(nsysnet::GuestTimeval{guest::bei32(5), guest::bei32(0)}).address;
    EXPECT_EQ(g.net("select", {32, rset, wset, eset, tv}), 2);
    EXPECT_EQ(g.readBe32(rset), 1u << b);
    EXPECT_EQ(g.readBe32(wset), 1u << a);
    EXPECT_EQ(g.readBe32(eset), 0u);
    // Bits at or above nfds are ignored: with only those set, a zero timeout just polls.
    g.memory().store(guest::GuestPtr<guest::be32>{rset}, guest::be32(1u << b));
    EXPECT_EQ(g.net("select", {u(b), rset, 0, 0, zero}), 0);
    EXPECT_EQ(g.readBe32(rset), 1u << b);
    // Invalid timevals.
    for (auto tvv : {nsysnet::GuestTimeval{guest::bei32(-1), guest::bei32(0)},
                     nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(-1)},
                     nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(1000000)}}) {
        const auto bad = g.put(tvv).address;
        g.memory().store(guest::GuestPtr<guest::be32>{rset}, guest::be32(1u << b));
        EXPECT_EQ(g.net("select", {32, rset, 0, 0, bad}), -1);
        EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    }
    // Empty sets: NULL timeout is EINVAL, a timeout just waits.
    EXPECT_EQ(g.net("select", {0, 0, 0, 0, 0}), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_EINVAL));
    EXPECT_EQ(g.net("select", {0, 0, 0, 0, shortWait}), 0);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetIo, CloseFromAnotherThreadAbortsBlockedRecv)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    auto peer = listener.accept();
    ASSERT_TRUE(peer);
    const auto buf = g.alloc(64);
    std::atomic<bool> returned{false};
    auto blocked = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("recv", {u(fd), buf, 64, 0}, 2);
        returned = true;
        return std::pair{r, g.lastError(2)};
    });
    std::this_thread::sleep_for(50ms);  // let it block (the result is the same if it has not yet)
    EXPECT_FALSE(returned.load());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("socketclose", {u(fd)}, 3), 0);
    ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    const auto [r, e] = blocked.get();
    EXPECT_EQ(r, -1);
    EXPECT_TRUE(e == err(SoError::SO_EABORTED) || e == err(SoError::SO_EBADF)) << e;
    EXPECT_EQ(g.lastError(3), 0);
    peer->close();
}

TEST(NsysnetIo, ProcessTeardownWakesBlockedThreads)
{
    NetGuest g;
    const std::int32_t server = g.tcp();
    ASSERT_EQ(g.bindLoopback(server), 0);
    ASSERT_EQ(g.net("listen", {u(server), 1}), 0);
    const std::int32_t udp = g.udp();
    ASSERT_EQ(g.bindLoopback(udp), 0);
    const auto buf = g.alloc(64);
    const auto rset = g.put(guest::be32(1u << udp)).address;
    auto accepter = std::async(std::launch::async, [&] { return g.net("accept", {u(server), 0, 0}, 2); });
    auto receiver = std::async(std::launch::async, [&] { return g.net("recv", {u(udp), buf, 64, 0}, 3); });
    auto selecter = std::async(std::launch::async, [&] { return g.net("select", {32, rset, 0, 0, 0}, 4); });
    std::this_thread::sleep_for(50ms);
    const auto start = std::chrono::steady_clock::now();
    g.restartProcess();  // destroys the process: must wake all three and wait for them to leave
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    ASSERT_EQ(accepter.wait_for(5s), std::future_status::ready);
    ASSERT_EQ(receiver.wait_for(5s), std::future_status::ready);
    ASSERT_EQ(selecter.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(accepter.get(), -1);
    EXPECT_EQ(receiver.get(), -1);
    EXPECT_EQ(selecter.get(), -1);
    // The new process starts empty and uninitialised.
    EXPECT_EQ(g.tcp(), -1);
    EXPECT_EQ(g.lastError(), err(SoError::SO_ELIBNOTREADY));
}

// A select over no descriptor (a guest's sleep) watches no socket that socket_lib_finish
// closes; the library's end wakes it all the same (docs/sockets.md), and only that session's.
TEST(NsysnetIo, LibraryFinishWakesASelectWithoutDescriptors)
{
    NetGuest g;
    const auto forever = g.put(nsysnet::GuestTimeval{guest::bei32(0x7FFFFFFF), guest::bei32(0)}).address;
    auto sleeper = std::async(std::launch::async, [&] {
        const std::int32_t r = g.net("select", {0, 0, 0, 0, forever}, 2);
        return std::pair{r, g.lastError(2)};
    });
    EXPECT_EQ(sleeper.wait_for(50ms), std::future_status::timeout);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("socket_lib_finish", {}, 3), 0);
    ASSERT_EQ(sleeper.wait_for(5s), std::future_status::ready) << "socket_lib_finish left select asleep";
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    const auto [r, e] = sleeper.get();
    EXPECT_EQ(r, -1);
    EXPECT_EQ(e, err(SoError::SO_EABORTED));
    // The next session's selects sleep their full time.
    EXPECT_EQ(g.net("socket_lib_init", {}, 3), 0);
    const auto shortWait = g.put(nsysnet::GuestTimeval{guest::bei32(0), guest::bei32(50000)}).address;
    const auto again = std::chrono::steady_clock::now();
    EXPECT_EQ(g.net("select", {0, 0, 0, 0, shortWait}), 0);
    EXPECT_GE(std::chrono::steady_clock::now() - again, 45ms);
    EXPECT_EQ(g.lastError(), 0);
}

TEST(NsysnetIo, SharedHandleSurvivesGuestClose)
{
    NetGuest g;
    HostListener listener;
    const std::int32_t fd = g.tcp();
    ASSERT_EQ(g.connect(fd, listener.port()), 0);
    auto held = g.process().state()->sockets().find(fd);  // what an NSSL connection keeps
    ASSERT_TRUE(held);
    EXPECT_TRUE(held->isStream());
    EXPECT_GE(held->nativeHandle(), 0);
    EXPECT_EQ(g.net("socketclose", {u(fd)}), 0);
    EXPECT_TRUE(held->closed());
    EXPECT_TRUE(held->closeSignal().signalled());
    std::uint8_t b[4];
    EXPECT_EQ(held->receiveSome(b).status, IoStatus::Error);
    EXPECT_EQ(nsysnet::soErrorOf(held->sendSome(b)), SoError::SO_EBADF);
    EXPECT_EQ(g.process().state()->sockets().waitFor(*held, true, false, std::nullopt), nsysnet::WaitResult::Aborted);
    EXPECT_EQ(held->nativeHandle(), -1);
}

}  // namespace
