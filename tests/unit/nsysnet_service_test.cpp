// The socket service (SocketTable's operations) through its host API alone: no guest memory, no
// import table, real sockets over 127.0.0.1. What an emulator's own nlibcurl HLE would call.
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <wiiu_nssl/hooks.h>
#include "hle/nsysnet/socket_table.h"

using namespace wiiu;
using namespace wiiu::nsysnet;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kLoopback = 0x7F000001;

std::span<const std::uint8_t> bytes(std::string_view s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class SocketService : public ::testing::Test {
protected:
    std::int32_t open(SocketKind kind = SocketKind::Stream)
    {
        auto fd = table.open(kind);
        EXPECT_TRUE(fd);
        return fd ? *fd : -1;
    }
    /// A socket bound to 127.0.0.1 on a free port (listening for streams), and its endpoint.
    std::pair<std::int32_t, Ipv4Endpoint> bound(SocketKind kind = SocketKind::Stream)
    {
        const std::int32_t fd = open(kind);
        EXPECT_TRUE(table.bind(fd, {kLoopback, 0}));
        if (kind == SocketKind::Stream) {
            EXPECT_TRUE(table.listen(fd, 4));
        }
        auto ep = table.localName(fd);
        EXPECT_TRUE(ep);
        return {fd, ep ? *ep : Ipv4Endpoint{}};
    }
    /// A connected stream pair: {client, the server's accepted side}.
    std::pair<std::int32_t, std::int32_t> connectedPair()
    {
        auto [listener, ep] = bound();
        const std::int32_t client = open();
        EXPECT_TRUE(table.connect(client, ep));
        auto accepted = table.accept(listener);
        EXPECT_TRUE(accepted);
        return {client, accepted ? accepted->fd : -1};
    }
    std::string receiveText(std::int32_t fd, std::size_t size, IoFlags flags = {})
    {
        std::string out(size, '\0');
        auto n = table.receive(fd, {reinterpret_cast<std::uint8_t*>(out.data()), out.size()}, flags);
        EXPECT_TRUE(n);
        out.resize(n ? *n : 0);
        return out;
    }

    guest::DefaultHooks hooks;
    SocketTable table{hooks};
};

TEST_F(SocketService, ConnectToListenerAndAccept)
{
    auto [listener, ep] = bound();
    const std::int32_t client = open();
    ASSERT_TRUE(table.connect(client, ep));
    auto accepted = table.accept(listener);  // blocking: the connection is already queued
    ASSERT_TRUE(accepted);
    EXPECT_NE(accepted->fd, client);
    EXPECT_EQ(accepted->peer, *table.localName(client));
    EXPECT_EQ(*table.peerName(client), ep);
    EXPECT_EQ(table.find(client)->connectState(), ConnectState::Connected);
}

TEST_F(SocketService, ConnectRefused)
{
    auto [unused, ep] = bound(SocketKind::Datagram);  // a port of ours that no stream listens on
    const std::int32_t client = open();
    auto r = table.connect(client, ep);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SoError::SO_ECONNREFUSED);
    EXPECT_EQ(table.connect(99, ep).error(), SoError::SO_EBADF);
}

// A stream socket that never connected has no peer: BSD's SO_ENOTCONN both ways, on every host
// (Linux alone would answer a send with EPIPE).
TEST_F(SocketService, NeverConnectedStreamIsNotConnected)
{
    const std::int32_t fd = open();
    std::uint8_t buf[4];
    auto r = table.receive(fd, buf, IoFlags{.dontWait = true});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SoError::SO_ENOTCONN);
    auto s = table.send(fd, bytes("hi"), IoFlags{.dontWait = true});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), SoError::SO_ENOTCONN);
}

TEST_F(SocketService, NonBlockingConnectInProgressThenDone)
{
    auto [listener, ep] = bound();
    const std::int32_t client = open();
    ASSERT_TRUE(table.setOption(client, SocketOption::NonBlockingOn, 0));
    if (auto r = table.connect(client, ep); !r) {
        EXPECT_EQ(r.error(), SoError::SO_EINPROGRESS);  // loopback may also connect at once
    }
    SelectEntry entry{.fd = client, .write = true};
    auto ready = table.select({&entry, 1}, std::chrono::steady_clock::now() + 5s);
    ASSERT_TRUE(ready);
    EXPECT_EQ(*ready, 1);
    EXPECT_TRUE(entry.writeReady);
    EXPECT_EQ(*table.option(client, SocketOption::LastError), 0);
    EXPECT_EQ(table.connect(client, ep).error(), SoError::SO_EISCONN);
}

TEST_F(SocketService, AcceptBlocksOrWouldBlock)
{
    auto [listener, ep] = bound();
    ASSERT_TRUE(table.setOption(listener, SocketOption::NonBlockingOn, 0));
    EXPECT_EQ(table.accept(listener).error(), SoError::SO_EWOULDBLOCK);
    ASSERT_TRUE(table.setOption(listener, SocketOption::BlockingOn, 0));
    auto accepter = std::async(std::launch::async, [&, l = listener] { return table.accept(l); });
    EXPECT_EQ(accepter.wait_for(50ms), std::future_status::timeout);  // blocked: nobody connects yet
    const std::int32_t client = open();
    ASSERT_TRUE(table.connect(client, ep));
    ASSERT_EQ(accepter.wait_for(5s), std::future_status::ready);
    auto accepted = accepter.get();
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted->peer, *table.localName(client));
}

TEST_F(SocketService, SendAndReceiveBlockingOrWouldBlock)
{
    auto [client, server] = connectedPair();
    std::uint8_t buf[16];
    EXPECT_EQ(table.receive(server, buf, IoFlags{.dontWait = true}).error(), SoError::SO_EWOULDBLOCK);
    ASSERT_TRUE(table.setOption(server, SocketOption::NonBlockingOn, 0));
    EXPECT_EQ(table.receive(server, buf).error(), SoError::SO_EWOULDBLOCK);
    ASSERT_TRUE(table.setOption(server, SocketOption::BlockingOn, 0));

    auto receiver = std::async(std::launch::async, [&, s = server] { return receiveText(s, 5); });
    EXPECT_EQ(receiver.wait_for(50ms), std::future_status::timeout);
    EXPECT_EQ(*table.send(client, bytes("hello")), 5u);
    ASSERT_EQ(receiver.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(receiver.get(), "hello");

    // A blocking send of more than the socket buffers hold moves everything.
    const std::string big(4 << 20, 'b');
    auto drained = std::async(std::launch::async, [&, s = server] {
        std::size_t total = 0;
        std::vector<std::uint8_t> chunk(65536);
        while (total < big.size()) {
            auto n = table.receive(s, chunk);
            if (!n || *n == 0)
                break;
            total += *n;
        }
        return total;
    });
    EXPECT_EQ(*table.send(client, bytes(big)), big.size());
    ASSERT_EQ(drained.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(drained.get(), big.size());

    // Non-blocking, a full send buffer is SO_EWOULDBLOCK once nothing more fits.
    Expected<std::size_t, SoError> sent = std::size_t{0};
    for (int i = 0; i < 10000 && sent; ++i)
        sent = table.send(client, bytes(big), IoFlags{.dontWait = true});
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error(), SoError::SO_EWOULDBLOCK);
}

TEST_F(SocketService, ReceiveAfterPeerClose)
{
    auto [client, server] = connectedPair();
    ASSERT_TRUE(table.send(client, bytes("bye")));
    ASSERT_TRUE(table.close(client));
    EXPECT_EQ(receiveText(server, 16), "bye");
    EXPECT_EQ(*table.receive(server, std::span<std::uint8_t>(std::array<std::uint8_t, 4>{}.data(), 4)), 0u);
}

TEST_F(SocketService, ReceiveAfterPeerReset)
{
    auto [client2, server2] = connectedPair();
    ASSERT_TRUE(table.setLinger(client2, Linger{true, 0}));
    EXPECT_EQ(table.linger(client2)->on, true);
    ASSERT_TRUE(table.close(client2));  // linger 0: RST
    std::uint8_t buf[4];
    auto r = table.receive(server2, buf);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SoError::SO_ECONNRESET);
}

TEST_F(SocketService, CloseAbortsABlockedReceiveOnAnotherThread)
{
    auto [client, server] = connectedPair();
    auto receiver = std::async(std::launch::async, [&, s = server] {
        std::uint8_t buf[4];
        return table.receive(s, buf);
    });
    EXPECT_EQ(receiver.wait_for(50ms), std::future_status::timeout);
    ASSERT_TRUE(table.close(server));
    ASSERT_EQ(receiver.wait_for(5s), std::future_status::ready);
    auto r = receiver.get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), SoError::SO_EABORTED);
    EXPECT_EQ(table.close(server).error(), SoError::SO_EBADF);
}

TEST_F(SocketService, SelectTimesOutThenSeesReadiness)
{
    auto [client, server] = connectedPair();
    SelectEntry entries[] = {{.fd = server, .read = true}, {.fd = client, .read = true}};
    const auto start = std::chrono::steady_clock::now();
    auto none = table.select(entries, start + 30ms);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
    ASSERT_TRUE(table.send(client, bytes("x")));
    auto one = table.select(entries, std::chrono::steady_clock::now() + 5s);
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, 1);
    EXPECT_TRUE(entries[0].readReady);
    EXPECT_FALSE(entries[1].readReady);
    SelectEntry closed{.fd = 30, .read = true};
    EXPECT_EQ(table.select({&closed, 1}, std::nullopt).error(), SoError::SO_EBADF);
}

TEST_F(SocketService, DatagramSendToAndReceiveFrom)
{
    auto [receiver, at] = bound(SocketKind::Datagram);
    const std::int32_t sender = open(SocketKind::Datagram);
    ASSERT_TRUE(table.bind(sender, {kLoopback, 0}));
    EXPECT_EQ(*table.sendTo(sender, bytes("ping"), at), 4u);
    std::array<std::uint8_t, 16> buf{};
    auto got = table.receiveFrom(receiver, buf);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->bytes, 4u);
    EXPECT_EQ(std::string(buf.begin(), buf.begin() + 4), "ping");
    ASSERT_TRUE(got->from);
    EXPECT_EQ(*got->from, *table.localName(sender));
    EXPECT_EQ(table.receiveFrom(receiver, buf, IoFlags{.dontWait = true}).error(), SoError::SO_EWOULDBLOCK);
}

}  // namespace
