// Fault injection through the import table: a peer that resets, stalls, sends garbage, an
// oversized record or a fatal alert, closes without close_notify; a guest that closes its socket
// under a blocked call; a process that ends with everything open. Each case ends with the code
// docs/abi.md documents, in bounded time, with every handle released (the ASan build checks
// leaks).
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "common/bearssl.h"
#include "reliability/raw_peer.h"
#include "reliability/reliability_util.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace wiiu::test::reliability;
using nssl::NsslError;
using namespace std::chrono_literals;

namespace {

constexpr auto kBound = 10s;  ///< no single call in these tests may take longer

/// A context trusting the test root, and a blocking connection to `port` with every check on.
struct Client {
    explicit Client(nssl::Config config = quickConfig()) : g(std::move(config)) {}
    std::int32_t connect(std::uint16_t port, bool blocking = true)
    {
        ctx = g.context(0, pkiBytes("root.der"));
        conn = g.connection(ctx, port, "localhost", 7, blocking, &fd);
        return conn;
    }
    std::int32_t handshake()
    {
        return bounded(kBound, "NSSLDoHandshake", [&] { return g.nssl("NSSLDoHandshake", {u(conn)}); });
    }
    /// Destroys the connection (its code), then closes the socket; the handles must be gone.
    std::int32_t release()
    {
        const std::int32_t r = bounded(kBound, "NSSLDestroyConnection", [&] { return g.nssl("NSSLDestroyConnection", {u(conn)}); });
        EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), code(NsslError::INVALID_NSSL_CONNECTION));
        g.nssl("socketclose", {u(fd)});
        expectNoHandles(g);
        return r;
    }
    NsslGuest g;
    std::int32_t ctx = -1, conn = -1, fd = -1;
};

// --- the handshake ------------------------------------------------------------------------

TEST(FaultHandshake, ResetAfterClientHelloIsIoError)
{
    auto peer = RawPeer::start([](RawPeer& p, int fd) {
        EXPECT_FALSE(p.readRecord(fd).empty()) << "no ClientHello";
        p.resetOnClose(fd);
    });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::IO_ERROR));
    EXPECT_EQ(c.g.nssl("NSSLDoHandshake", {u(c.conn)}), code(NsslError::IO_ERROR)) << "a failed connection stays failed";
    c.release();
}

TEST(FaultHandshake, ResetInTheMiddleOfTheServerFlightIsIoError)
{
    // A ServerHello header promising more than is sent, then a reset.
    auto peer = RawPeer::start([](RawPeer& p, int fd) {
        p.readRecord(fd);
        p.send(fd, std::vector<std::uint8_t>{0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x00, 0x3c, 0x03, 0x03});
        std::this_thread::sleep_for(50ms);
        p.resetOnClose(fd);
    });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::IO_ERROR));
    c.release();
}

TEST(FaultHandshake, CloseWithoutAnswerIsIoError)
{
    auto peer = RawPeer::start([](RawPeer& p, int fd) { p.readRecord(fd); });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::IO_ERROR));
    c.release();
}

TEST(FaultHandshake, GarbageInsteadOfATlsRecordIsHandshakeError)
{
    auto peer = RawPeer::start([](RawPeer& p, int fd) {
        p.readRecord(fd);
        p.send(fd, std::string_view("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
        p.waitForStopOrEof(fd, 5s);
    });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::HANDSHAKE_ERROR));
    const auto failure = c.g.process().state()->nssl().failure(nssl::ConnectionHandle{c.conn});
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->bearsslError, 0) << failure->text;
    c.release();
}

TEST(FaultHandshake, OversizedRecordIsHandshakeError)
{
    // TLS caps a record at 2^14 + 2048 bytes of ciphertext; this header announces 65535.
    auto peer = RawPeer::start([](RawPeer& p, int fd) {
        p.readRecord(fd);
        std::vector<std::uint8_t> record = {0x16, 0x03, 0x03, 0xFF, 0xFF};
        record.resize(5 + 32 * 1024, 0x41);
        p.send(fd, record);
        p.waitForStopOrEof(fd, 5s);
    });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::HANDSHAKE_ERROR));
    c.release();
}

TEST(FaultHandshake, FatalAlertInsteadOfServerHelloIsHandshakeError)
{
    auto peer = RawPeer::start([](RawPeer& p, int fd) {
        p.readRecord(fd);
        p.send(fd, std::vector<std::uint8_t>{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 40});  // handshake_failure
        p.waitForStopOrEof(fd, 5s);
    });
    Client c;
    ASSERT_GE(c.connect(peer->port()), 0);
    EXPECT_EQ(c.handshake(), code(NsslError::HANDSHAKE_ERROR));
    const auto failure = c.g.process().state()->nssl().failure(nssl::ConnectionHandle{c.conn});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->alert, 40) << failure->text;
    c.release();
}

TEST(FaultHandshake, StalledPeerTimesOutWithIoError)
{
    auto server = startServer(BearSslServer::Behavior::Stall);
    Client c(quickConfig(300ms));
    ASSERT_GE(c.connect(server->port()), 0);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(c.handshake(), code(NsslError::IO_ERROR));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 5s);
    c.release();
}

// --- established connections ----------------------------------------------------------------

/// Reads until a call fails; every byte read must continue `expected` in order.
std::int32_t readAll(Client& c, const std::string& expected, std::string& got)
{
    std::int32_t r = 0;
    while (r == 0) {
        r = bounded(kBound, "NSSLRead", [&] { return c.g.read(c.conn, got); });
        if (got.size() > expected.size() || got != expected.substr(0, got.size())) {
            ADD_FAILURE() << "received bytes differ from what the server sent (at " << got.size() << ")";
            return r;
        }
    }
    return r;
}

TEST(FaultStream, ResetInTheMiddleOfAReadIsIoErrorAndNoByteIsCorrupted)
{
    const std::string payload = randomText(1 << 20, 1);
    auto server = startServer(BearSslServer::Behavior::SendThenReset, payload);
    Client c;
    ASSERT_GE(c.connect(server->port()), 0);
    std::string got;
    EXPECT_EQ(readAll(c, payload, got), code(NsslError::IO_ERROR));
    std::printf("reset mid-read: %zu of %zu bytes arrived before the reset\n", got.size(), payload.size());
    c.release();
}

TEST(FaultStream, CloseWithoutCloseNotifyIsIoErrorAfterEveryByte)
{
    const std::string payload = randomText(1 << 20, 2);
    auto server = startServer(BearSslServer::Behavior::SendThenFin, payload);
    Client c;
    ASSERT_GE(c.connect(server->port()), 0);
    std::string got;
    EXPECT_EQ(readAll(c, payload, got), code(NsslError::IO_ERROR));
    EXPECT_EQ(got.size(), payload.size()) << "a FIN comes after the data: nothing may be lost";
    c.release();
}

TEST(FaultStream, CloseNotifyIsZeroReturnAfterEveryByte)
{
    const std::string payload = randomText(256 << 10, 3);
    auto server = startServer(BearSslServer::Behavior::SendThenCloseNotify, payload);
    Client c;
    ASSERT_GE(c.connect(server->port()), 0);
    std::string got;
    EXPECT_EQ(readAll(c, payload, got), code(NsslError::ZERO_RETURN));
    EXPECT_EQ(got.size(), payload.size());
    c.release();
}

TEST(FaultStream, FatalAlertMidStreamIsIoErrorAfterEveryByte)
{
    const std::string payload = randomText(300 << 10, 4);
    auto server = startServer(BearSslServer::Behavior::SendThenFatalAlert, payload);
    Client c;
    ASSERT_GE(c.connect(server->port()), 0);
    std::string got;
    EXPECT_EQ(readAll(c, payload, got), code(NsslError::IO_ERROR));
    EXPECT_EQ(got.size(), payload.size());
    const auto failure = c.g.process().state()->nssl().failure(nssl::ConnectionHandle{c.conn});
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->bearsslError, BR_ERR_RECV_FATAL_ALERT + 80) << failure->text;
    EXPECT_EQ(c.g.write(c.conn, "after"), code(NsslError::IO_ERROR));
    c.release();
}

TEST(FaultStream, ResetInTheMiddleOfAWriteIsIoError)
{
    BearSslServer::Options o;
    o.behavior = BearSslServer::Behavior::Echo;
    o.resetAfterReceived = 256 << 10;
    auto server = startServer(std::move(o));
    Client c;
    ASSERT_GE(c.connect(server->port()), 0);
    ASSERT_EQ(c.handshake(), 0);
    // Blocking writes of 64 KiB until one fails: the peer resets after 256 KiB.
    const std::string chunk = randomText(NsslGuest::kIoBufferSize, 5);
    std::int32_t r = 0;
    std::size_t written = 0;
    for (int i = 0; i < 1024 && r == 0; ++i) {
        r = bounded(kBound, "NSSLWrite", [&] { return c.g.write(c.conn, chunk); });
        if (r == 0)
            written += chunk.size();
    }
    EXPECT_EQ(r, code(NsslError::IO_ERROR));
    EXPECT_GE(written, std::size_t{256} << 10);
    std::string got;
    EXPECT_EQ(bounded(kBound, "NSSLRead", [&] { return c.g.read(c.conn, got); }), code(NsslError::IO_ERROR));
    c.release();
}

TEST(FaultStream, StalledPeerTimesOutABlockingRead)
{
    auto server = startServer(BearSslServer::Behavior::Echo);  // echoes nothing until written to
    Client c(quickConfig(300ms));
    ASSERT_GE(c.connect(server->port()), 0);
    ASSERT_EQ(c.handshake(), 0);
    std::string got;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(bounded(kBound, "NSSLRead", [&] { return c.g.read(c.conn, got); }), code(NsslError::IO_ERROR));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    EXPECT_TRUE(got.empty());
    c.release();
}

// --- the guest closing things under a blocked call ------------------------------------------

TEST(FaultClose, SocketClosedFromAnotherThreadDuringABlockingRead)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    NsslGuest g(quickConfig(60s));  // only the close may end the read
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const auto buf = g.alloc(64);
    const auto got = g.alloc(4);
    // Closes at different moments relative to the reader entering its wait.
    for (int round = 0; round < 12; ++round) {
        std::int32_t fd = -1;
        const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
        ASSERT_GE(conn, 0);
        ASSERT_EQ(bounded(kBound, "handshake", [&] { return g.nssl("NSSLDoHandshake", {u(conn)}); }), 0);
        std::atomic<std::int32_t> result{1};
        std::thread reader([&] { result = g.nssl("NSSLRead", {u(conn), buf, 64, got}, /*thread=*/2); });
        std::this_thread::sleep_for(std::chrono::microseconds(round * round * 500));
        const auto start = std::chrono::steady_clock::now();
        EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
        bounded(kBound, "the blocked NSSLRead after socketclose", [&] { reader.join(); return 0; });
        EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
        EXPECT_EQ(result.load(), code(NsslError::IO_ERROR)) << "round " << round;
        EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), code(NsslError::SSL_SHUTDOWN_ERROR));
    }
    expectNoHandles(g);
}

TEST(FaultClose, SocketClosedFromAnotherThreadDuringABlockingHandshake)
{
    auto server = startServer(BearSslServer::Behavior::Stall);
    NsslGuest g(quickConfig(60s));
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
    ASSERT_GE(conn, 0);
    std::atomic<std::int32_t> result{1};
    std::thread worker([&] { result = g.nssl("NSSLDoHandshake", {u(conn)}, 2); });
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    bounded(kBound, "the blocked NSSLDoHandshake after socketclose", [&] { worker.join(); return 0; });
    EXPECT_EQ(result.load(), code(NsslError::IO_ERROR));
    g.nssl("NSSLDestroyConnection", {u(conn)});
    expectNoHandles(g);
}

TEST(FaultClose, ConnectionDestroyedFromAnotherThreadDuringABlockingRead)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    NsslGuest g(quickConfig(60s));
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
    ASSERT_EQ(bounded(kBound, "handshake", [&] { return g.nssl("NSSLDoHandshake", {u(conn)}); }), 0);
    const auto buf = g.alloc(64);
    const auto got = g.alloc(4);
    std::atomic<std::int32_t> result{1};
    std::thread reader([&] { result = g.nssl("NSSLRead", {u(conn), buf, 64, got}, 2); });
    std::this_thread::sleep_for(100ms);
    const std::int32_t destroyed =
        bounded(kBound, "NSSLDestroyConnection under a blocked read", [&] { return g.nssl("NSSLDestroyConnection", {u(conn)}); });
    EXPECT_TRUE(destroyed == 0 || destroyed == code(NsslError::SSL_SHUTDOWN_ERROR)) << destroyed;
    bounded(kBound, "the blocked NSSLRead after NSSLDestroyConnection", [&] { reader.join(); return 0; });
    EXPECT_TRUE(result.load() == code(NsslError::IO_ERROR) || result.load() == code(NsslError::INVALID_NSSL_CONNECTION))
        << result.load();
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    expectNoHandles(g);
}

// --- teardown --------------------------------------------------------------------------------

TEST(FaultTeardown, FinishWakesEveryBlockedThread)
{
    auto echo = startServer(BearSslServer::Behavior::Echo);
    auto stall = startServer(BearSslServer::Behavior::Stall);
    NsslGuest g(quickConfig(60s));
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t reading = g.connection(ctx, echo->port(), "localhost", 7);
    ASSERT_EQ(bounded(kBound, "handshake", [&] { return g.nssl("NSSLDoHandshake", {u(reading)}); }), 0);
    const std::int32_t handshaking = g.connection(ctx, stall->port(), "localhost", 7);
    ASSERT_GE(handshaking, 0);
    const auto buf = g.alloc(64);
    const auto got = g.alloc(4);
    std::atomic<std::int32_t> r1{1}, r2{1};
    std::thread t1([&] { r1 = g.nssl("NSSLRead", {u(reading), buf, 64, got}, 2); });
    std::thread t2([&] { r2 = g.nssl("NSSLDoHandshake", {u(handshaking)}, 3); });
    std::this_thread::sleep_for(150ms);
    EXPECT_EQ(bounded(kBound, "NSSLFinish", [&] { return g.nssl("NSSLFinish"); }), 0);
    bounded(kBound, "blocked threads after NSSLFinish", [&] { t1.join(); t2.join(); return 0; });
    EXPECT_EQ(r1.load(), code(NsslError::IO_ERROR));
    EXPECT_EQ(r2.load(), code(NsslError::IO_ERROR));
    EXPECT_TRUE(g.process().state()->nssl().status().connections.empty());
}

TEST(FaultTeardown, ProcessEndsWithSocketsContextsConnectionsAndSessionsOpen)
{
    auto echo = startServer(BearSslServer::Behavior::Echo);
    auto stall = startServer(BearSslServer::Behavior::Stall);
    NsslGuest g(quickConfig(60s));
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t ctx2 = g.context(0, pkiBytes("root.der"));
    ASSERT_GE(g.nssl("NSSLCreateContext", {0}), 0);  // an empty context too
    ASSERT_EQ(g.nssl("NSSLSetClientPKI", {u(ctx2), u(kTestClientId)}), 0);

    // An established connection with a session held twice, and data in flight both ways.
    const std::int32_t live = g.connection(ctx, echo->port(), "localhost", 7);
    ASSERT_EQ(bounded(kBound, "handshake", [&] { return g.nssl("NSSLDoHandshake", {u(live)}); }), 0);
    ASSERT_GE(g.nssl("NSSLGetSession", {u(live)}), 0);
    ASSERT_GE(g.nssl("NSSLGetSession", {u(live)}), 0);
    ASSERT_EQ(g.write(live, "unread echo"), 0);
    // A non-blocking connection stuck in its handshake, and one never started.
    std::int32_t fdStalled = -1;
    ASSERT_GE(g.connection(ctx2, stall->port(), "localhost", 7, false, &fdStalled), 0);
    const std::int32_t pending = g.connection(ctx2, stall->port(), "localhost", 7, false);
    ASSERT_GE(pending, 0);
    const std::int32_t r = g.nssl("NSSLDoHandshake", {u(pending)});
    EXPECT_TRUE(r == code(NsslError::WANT_READ) || r == code(NsslError::WANT_WRITE)) << r;
    // Plain sockets: unconnected TCP, UDP, and one connected to the echo server.
    EXPECT_GE(g.nssl("socket", {2, 1, 6}), 0);
    EXPECT_GE(g.nssl("socket", {2, 2, 17}), 0);
    EXPECT_GE(g.tcpConnect(echo->port()), 0);
    EXPECT_GE(g.process().state()->sockets().descriptors().size(), 6u);

    const auto start = std::chrono::steady_clock::now();
    bounded(kBound, "Process destruction", [&] { g.restartProcess(); return 0; });
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s) << "teardown must not wait for stalled peers";
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty());
    EXPECT_TRUE(echo->waitForConnections(1, 5s)) << "the echo server still sees the connection";
    // The fresh process works.
    const std::int32_t again = g.context(0, pkiBytes("root.der"));
    EXPECT_EQ(again, 0);
}

}  // namespace
