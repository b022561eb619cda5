// NSSL reads and writes through the import table: non-blocking mode with select(), sessions and
// resumption, how connections end, and tearing things down under live connections.
#include <thread>

#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "pki/encoding.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

std::unique_ptr<BearSslServer> startServer(BearSslServer::Behavior behavior, std::string payload = {},
                                           std::size_t bulk = 0, bool slowReader = false,
                                           std::chrono::milliseconds answerDelay = {})
{
    BearSslServer::Options o;
    o.answerDelay = answerDelay;
    o.chain = {pkiBytes("server.der"), pkiBytes("int.der")};
    o.key = pkiBytes("server.key.der");
    o.behavior = behavior;
    o.payload = std::move(payload);
    o.bulkBytes = bulk;
    o.slowReader = slowReader;
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

/// select() on one guest descriptor for reading or writing, up to 5 s; the ready count.
std::int32_t selectOne(NsslGuest& g, std::int32_t fd, bool forRead)
{
    const auto set = g.put(guest::be32(1u << fd));
    const auto timeout = g.put(std::array<guest::be32, 2>{guest::be32(5u), guest::be32(0u)});
    return g.nssl("select", {u(fd + 1), forRead ? set.address : 0u, forRead ? 0u : set.address, 0, timeout.address});
}

TEST(NsslNonBlocking, SelectLoopHandshakesAndMoves16MiBBothWays)
{
    constexpr std::size_t kBytes = 16u << 20;
    // The server answers 100 ms late, so the handshake surely meets WANT_READ (under TSan a
    // slowed client could otherwise find every answer already there).
    auto server = startServer(BearSslServer::Behavior::Bulk, {}, kBytes, /*slowReader=*/true,
                              std::chrono::milliseconds(100));
    ASSERT_TRUE(server);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, /*blocking=*/false, &fd);
    ASSERT_GE(conn, 0);

    int wantRead = 0, wantWrite = 0;
    auto waitFor = [&](std::int32_t r) {
        if (r == NsslGuest::code(NsslError::WANT_READ)) {
            ++wantRead;
            return selectOne(g, fd, true) >= 0;
        }
        if (r == NsslGuest::code(NsslError::WANT_WRITE)) {
            ++wantWrite;
            return selectOne(g, fd, false) >= 0;
        }
        return false;
    };
    std::int32_t r;
    while ((r = g.nssl("NSSLDoHandshake", {u(conn)})) != 0)
        ASSERT_TRUE(waitFor(r)) << "handshake ended with " << r;
    EXPECT_GT(wantRead, 0);

    // Interleave sending our 16 MiB and reading the server's 16 MiB, as a game loop would.
    std::vector<std::uint8_t> out(kBytes);
    for (std::size_t i = 0; i < kBytes; ++i)
        out[i] = BearSslServer::bulkByte(i);
    std::size_t sent = 0;
    std::vector<std::uint8_t> in;
    in.reserve(kBytes);
    const auto buf = g.ioBuffer();
    const auto word = g.ioWord();
    int partialWrites = 0;
    while (sent < kBytes || in.size() < kBytes) {
        bool progressed = false;
        if (sent < kBytes) {
            const std::uint32_t n = static_cast<std::uint32_t>(std::min<std::size_t>(NsslGuest::kIoBufferSize, kBytes - sent));
            std::memcpy(g.host(buf), out.data() + sent, n);
            r = g.nssl("NSSLWrite", {u(conn), buf, n, word});
            if (r == 0) {
                const std::uint32_t took = g.readBe32(word);
                ASSERT_LE(took, n);
                partialWrites += took < n ? 1 : 0;
                sent += took;
                progressed = took > 0;
            } else {
                ASSERT_TRUE(r == NsslGuest::code(NsslError::WANT_WRITE) || r == NsslGuest::code(NsslError::WANT_READ)) << r;
            }
        }
        if (in.size() < kBytes) {
            r = g.nssl("NSSLRead", {u(conn), buf, NsslGuest::kIoBufferSize, word});
            if (r == 0) {
                const std::uint32_t got = g.readBe32(word);
                in.insert(in.end(), reinterpret_cast<std::uint8_t*>(g.host(buf)),
                          reinterpret_cast<std::uint8_t*>(g.host(buf)) + got);
                progressed = progressed || got > 0;
            } else {
                ASSERT_TRUE(r == NsslGuest::code(NsslError::WANT_READ) || r == NsslGuest::code(NsslError::WANT_WRITE)) << r;
            }
        }
        if (!progressed) {
            // Nothing moved: wait until the socket can take or give something.
            const auto rd = g.put(guest::be32(1u << fd));
            const auto wr = g.put(guest::be32(sent < kBytes ? 1u << fd : 0u));
            const auto timeout = g.put(std::array<guest::be32, 2>{guest::be32(5u), guest::be32(0u)});
            ASSERT_GE(g.nssl("select", {u(fd + 1), rd.address, wr.address, 0, timeout.address}), 0);
        }
    }
    ASSERT_EQ(in.size(), kBytes);
    EXPECT_TRUE(std::equal(in.begin(), in.end(), out.begin())) << "received bytes differ from the pattern";
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), 0);
    ASSERT_TRUE(server->waitForConnections(1));
    const auto seen = server->connections().at(0);
    EXPECT_EQ(seen.received, kBytes);
    EXPECT_EQ(pki::toHex(seen.receivedSha256), pki::toHex(pki::sha256(out)));
    std::printf("non-blocking: %d WANT_READ, %d WANT_WRITE during the handshake, %d partial writes\n", wantRead,
                wantWrite, partialWrites);
}

TEST(NsslNonBlocking, ConnectInProgressIsWantWrite)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    ASSERT_TRUE(server);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, false, &fd);
    ASSERT_GE(conn, 0);
    std::int32_t r;
    int rounds = 0;
    while ((r = g.nssl("NSSLDoHandshake", {u(conn)})) != 0 && rounds++ < 1000) {
        ASSERT_TRUE(r == NsslGuest::code(NsslError::WANT_READ) || r == NsslGuest::code(NsslError::WANT_WRITE));
        selectOne(g, fd, r == NsslGuest::code(NsslError::WANT_READ));
    }
    EXPECT_EQ(r, 0);
}

TEST(NsslSessions, ResumeWithinAContextOnlyAndNotAfterRemove)
{
    auto o = testServerOptions(TlsPeer::Kind::OpenSsl, TlsPeer::Version::Tls12);
    std::string why;
    auto peer = TlsPeer::start(o, &why);
    ASSERT_TRUE(peer) << why;

    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t other = g.nssl("NSSLCreateContext", {0});
    ASSERT_GE(other, 0);

    const std::int32_t c1 = g.connection(ctx, peer->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLGetSession", {u(c1)}), NsslGuest::code(NsslError::NO_SESSION));  // no handshake yet
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c1)}), 0);
    const std::int32_t session = g.nssl("NSSLGetSession", {u(c1)});
    ASSERT_GE(session, 0);
    EXPECT_EQ(g.nssl("NSSLGetSession", {u(c1)}), session);  // same session, one more reference
    EXPECT_EQ(g.nssl("NSSLFreeSession", {u(session)}), 0);
    ASSERT_EQ(g.nssl("NSSLDestroyConnection", {u(c1)}), 0);  // close_notify: the server keeps the session

    const std::int32_t c2 = g.connection(ctx, peer->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLSetSession", {u(c2), u(session)}), 0);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c2)}), 0);
    EXPECT_TRUE(*g.process().state()->nssl().resumed(nssl::ConnectionHandle{c2}));
    EXPECT_TRUE(peer->waitForOutput("Reused session-id")) << peer->output();
    // A resumed connection still reports the peer certificate seen at the full handshake.
    const auto size = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLGetPeerCertSize", {u(c2), size}), 0);
    EXPECT_EQ(g.readBe32(size), pkiBytes("server.der").size());
    EXPECT_EQ(g.nssl("NSSLSetSession", {u(c2), u(session)}), NsslGuest::code(NsslError::INVALID_STATE));
    ASSERT_EQ(g.nssl("NSSLDestroyConnection", {u(c2)}), 0);

    // Another context cannot use it.
    std::int32_t fd3 = -1;
    const std::int32_t c3 = g.connection(other, peer->port(), "localhost", 0, true, &fd3);
    EXPECT_EQ(g.nssl("NSSLSetSession", {u(c3), u(session)}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));
    ASSERT_EQ(g.nssl("NSSLDestroyConnection", {u(c3)}), 0);
    ASSERT_EQ(g.nssl("socketclose", {u(fd3)}), 0);  // s_server serves one connection at a time

    // Removed: the handle stays valid, but it no longer resumes.
    EXPECT_EQ(g.nssl("NSSLRemoveSession", {u(session)}), 0);
    const std::int32_t c4 = g.connection(ctx, peer->port(), "localhost", 7);
    EXPECT_EQ(g.nssl("NSSLSetSession", {u(c4), u(session)}), NsslGuest::code(NsslError::NO_SESSION));
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(c4)}), 0);
    EXPECT_FALSE(*g.process().state()->nssl().resumed(nssl::ConnectionHandle{c4}));
    EXPECT_EQ(g.nssl("NSSLFreeSession", {u(session)}), 0);
    EXPECT_EQ(g.nssl("NSSLFreeSession", {u(session)}), NsslGuest::code(NsslError::INVALID_NSSL_SESSION));
}

TEST(NsslClose, CleanCloseIsZeroReturnAndResetOrFinIsIoError)
{
    struct Case {
        BearSslServer::Behavior behavior;
        NsslError expected;
    };
    for (const Case c : {Case{BearSslServer::Behavior::SendThenCloseNotify, NsslError::ZERO_RETURN},
                         Case{BearSslServer::Behavior::SendThenFin, NsslError::IO_ERROR},
                         Case{BearSslServer::Behavior::SendThenReset, NsslError::IO_ERROR}}) {
        auto server = startServer(c.behavior, "payload!");
        ASSERT_TRUE(server);
        NsslGuest g;
        const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
        const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7);
        std::string data;
        ASSERT_EQ(g.readExactly(conn, data, 8), 0);  // the handshake runs implicitly on the first read
        EXPECT_EQ(data, "payload!");
        std::int32_t r;
        while ((r = g.read(conn, data)) == 0) {
        }
        EXPECT_EQ(r, NsslGuest::code(c.expected)) << static_cast<int>(c.behavior);
    }
}

TEST(NsslClose, GuestClosingTheSocketUnderALiveConnection)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), 0);
    ASSERT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    std::string data;
    EXPECT_EQ(g.read(conn, data), NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(g.write(conn, "x"), NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), NsslGuest::code(NsslError::SSL_SHUTDOWN_ERROR));
}

TEST(NsslClose, ABlockedReadEndsWhenAnotherThreadClosesTheSocket)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7, true, &fd);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), 0);
    const auto buf = g.alloc(64);
    const auto got = g.alloc(4);
    std::int32_t result = 0;
    std::thread reader([&] { result = g.nssl("NSSLRead", {u(conn), buf, 64, got}, /*thread=*/2); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}, /*thread=*/1), 0);
    reader.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_EQ(result, NsslGuest::code(NsslError::IO_ERROR));
}

TEST(NsslTeardown, DestroyContextFinishAndProcessEndWithEverythingOpen)
{
    auto server = startServer(BearSslServer::Behavior::Echo);
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t c1 = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c1)}), 0);
    ASSERT_GE(g.nssl("NSSLGetSession", {u(c1)}), 0);
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(c1)}), NsslGuest::code(NsslError::INVALID_NSSL_CONNECTION));

    const std::int32_t ctx2 = g.context(0, pkiBytes("root.der"));
    const std::int32_t c2 = g.connection(ctx2, server->port(), "localhost", 7);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c2)}), 0);
    EXPECT_EQ(g.nssl("NSSLFinish"), 0);
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(c2)}), NsslGuest::code(NsslError::LIB_NOT_READY));
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0}), NsslGuest::code(NsslError::LIB_NOT_READY));
    EXPECT_EQ(g.nssl("NSSLInit"), 0);
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0}), 0);  // the lowest handle is free again

    // A blocked reader is woken when the process ends.
    const std::int32_t ctx3 = g.nssl("NSSLCreateContext", {0});
    const std::int32_t c3 = g.connection(ctx3, server->port(), "localhost", 0);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(c3)}), 0);
    std::int32_t result = 0;
    const auto buf = g.alloc(64);
    const auto got = g.alloc(4);
    std::thread reader([&] { result = g.nssl("NSSLRead", {u(c3), buf, 64, got}, 2); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    g.process().state()->nssl().finish();
    reader.join();
    EXPECT_EQ(result, NsslGuest::code(NsslError::IO_ERROR));
}

}  // namespace
