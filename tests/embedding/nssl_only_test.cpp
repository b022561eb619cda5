// NSSL alone over the emulator's own sockets (<wiiu_nssl/socket_provider.h>): a test emulator
// with its own table of plain blocking host sockets serves the guest's socket calls; the module
// serves only the NSSL exports, through the import table, against real TLS servers.
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <wiiu_nssl/import_table.h>
#include "support/emulator_sockets.h"
#include "support/fiber_scheduler.h"
#include "support/loopback_listener.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

/// What a process needs to be NSSL-only over `sockets`, with `hooks` shared when given.
GuestEnv::ProcessSettings overEmulatorSockets(const std::shared_ptr<EmulatorSockets>& sockets,
                                              std::shared_ptr<guest::EmbeddingHooks> hooks = nullptr)
{
    GuestEnv::ProcessSettings settings;
    settings.store = testCertStore();
    settings.sharedHooks = std::move(hooks);
    settings.emulatorSockets = sockets;
    settings.emulatorConnect = [s = sockets.get()](std::uint16_t port, bool nonBlocking) {
        return s->connect(port, nonBlocking);
    };
    return settings;
}

/// A guest process whose sockets are the emulator's.
struct NsslOnly {
    std::shared_ptr<EmulatorSockets> sockets = std::make_shared<EmulatorSockets>();
    NsslGuest guest{overEmulatorSockets(sockets)};
};

std::unique_ptr<TlsPeer> server(TlsPeer::Kind kind)
{
    std::string why;
    auto peer = TlsPeer::start(testServerOptions(kind), &why);
    EXPECT_TRUE(peer) << why;
    return peer;
}

std::int32_t handshake(NsslGuest& g, std::int32_t conn)
{
    return g.nssl("NSSLDoHandshake", {u(conn)});
}

}  // namespace

TEST(NsslOnly, TheFullFlowRunsOverABorrowedSocketThatStaysTheEmulatorsAndBlocking)
{
    const std::size_t socketsBefore = openSocketCount();
    {
        NsslOnly p;
        NsslGuest& g = p.guest;
        EXPECT_FALSE(g.process().servesSockets());
        auto peer = server(TlsPeer::Kind::Python);
        ASSERT_TRUE(peer);
        const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
        ASSERT_GE(ctx, 0);
        std::int32_t fd = -1;
        const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", 7, true, &fd);
        ASSERT_GE(conn, 0) << conn;
        EXPECT_EQ(handshake(g, conn), 0);
        const std::string big(100000, 'x');
        EXPECT_EQ(g.echo(conn, "hello over the emulator's socket"), "hello over the emulator's socket");
        EXPECT_EQ(g.echo(conn, big), big);
        EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), 0);
        // Borrowed: still open, still blocking, and the guest's own socket to close.
        EXPECT_TRUE(p.sockets->openAndBlocking(fd));
        p.sockets->close(fd, g.process());
    }
    EXPECT_EQ(openSocketCount(), socketsBefore);  // nothing leaked, nothing closed twice
}

TEST(NsslOnly, AnOpenSslServerAndAPeerCertificateExport)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    auto peer = server(TlsPeer::Kind::OpenSsl);
    ASSERT_TRUE(peer);
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", 7, true, &fd);
    ASSERT_GE(conn, 0);
    ASSERT_EQ(handshake(g, conn), 0);
    const auto size = g.alloc(4);
    EXPECT_EQ(g.nssl("NSSLGetPeerCertSize", {u(conn), size}), 0);
    const std::uint32_t der = g.readBe32(size);
    EXPECT_GT(der, 100u);
    const auto buffer = g.alloc(der);
    const auto inout = g.put(guest::be32(der));
    EXPECT_EQ(g.nssl("NSSLGetPeerCert", {u(conn), buffer, inout.address, 0}), 0);
    EXPECT_EQ(*g.host(buffer), std::byte{0x30});  // a DER SEQUENCE
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), 0);
    EXPECT_TRUE(p.sockets->openAndBlocking(fd));
}

TEST(NsslOnly, AnUntrustedServerIsRefusedAsOverTheModulesSockets)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    auto peer = server(TlsPeer::Kind::Python);
    ASSERT_TRUE(peer);
    const std::int32_t ctx = g.context(0);  // no CA for the test PKI
    const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", 7, true);
    ASSERT_GE(conn, 0);
    EXPECT_NE(handshake(g, conn), 0);
    const auto status = inspect(g.process());
    ASSERT_EQ(status.nssl.connections.size(), 1u);
    EXPECT_NE(status.nssl.connections[0].failureReason, tls::FailureReason::NoFailure);
}

TEST(NsslOnly, AGuestNonBlockingSocketAnswersWantReadAndTheHostSocketKeepsItsMode)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    auto peer = server(TlsPeer::Kind::Python);
    ASSERT_TRUE(peer);
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    // A blocking NSSL connection over a socket the guest made non-blocking in the emulator.
    const std::int32_t fd = p.sockets->connect(peer->port(), /*guestNonBlocking=*/true);
    ASSERT_GE(fd, 0);
    const std::int32_t conn = g.nssl("NSSLCreateConnection", {u(ctx), g.putText("localhost"), 9, 7, u(fd), 1});
    ASSERT_GE(conn, 0);
    int wantRead = 0;
    std::int32_t r = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while ((r = handshake(g, conn)) == NsslGuest::code(NsslError::WANT_READ) ||
           r == NsslGuest::code(NsslError::WANT_WRITE)) {
        wantRead += r == NsslGuest::code(NsslError::WANT_READ);
        ASSERT_LT(std::chrono::steady_clock::now(), end);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(r, 0);
    EXPECT_GT(wantRead, 0);  // the server cannot have answered before the first call returned
    EXPECT_TRUE(p.sockets->openAndBlocking(fd));
    std::string got;
    EXPECT_EQ(g.read(conn, got), NsslGuest::code(NsslError::WANT_READ));
    // The guest makes it blocking again in the emulator: asked at every call, so reads wait now.
    p.sockets->setGuestNonBlocking(fd, false);
    EXPECT_EQ(g.echo(conn, "now blocking"), "now blocking");
}

TEST(NsslOnly, ASocketTheGuestClosesUnderABlockedReadEndsItWithAnIoError)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    auto peer = server(TlsPeer::Kind::Python);
    ASSERT_TRUE(peer);
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", 7, true, &fd);
    ASSERT_EQ(handshake(g, conn), 0);
    auto reading = std::async(std::launch::async, [&] {
        std::string got;
        return g.read(conn, got);  // the echo server sends nothing unasked: blocks
    });
    EXPECT_EQ(reading.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    p.sockets->close(fd, g.process());
    ASSERT_EQ(reading.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(reading.get(), NsslGuest::code(NsslError::IO_ERROR));
    // A new emulator socket may now get the host descriptor number back: the connection
    // never touches it.
    LoopbackListener other;
    const std::int32_t reused = p.sockets->connect(other.port);
    ASSERT_GE(reused, 0);
    std::string got;
    EXPECT_EQ(g.read(conn, got), NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(g.write(conn, "late"), NsslGuest::code(NsslError::IO_ERROR));
    // As over the module's own sockets: the transport is gone, so no close_notify (docs/abi.md).
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), NsslGuest::code(NsslError::SSL_SHUTDOWN_ERROR));
    EXPECT_TRUE(p.sockets->openAndBlocking(reused));
}

TEST(NsslOnly, TheProcessEndsWithoutClosingWhatItBorrowed)
{
    NsslOnly p;
    auto peer = server(TlsPeer::Kind::Python);
    ASSERT_TRUE(peer);
    std::int32_t fd = -1;
    {
        NsslGuest& g = p.guest;
        const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
        const std::int32_t conn = g.connection(ctx, peer->port(), "localhost", 7, true, &fd);
        ASSERT_EQ(handshake(g, conn), 0);
        g.process().shutdown();  // the title ends with the connection open
    }
    EXPECT_TRUE(p.sockets->openAndBlocking(fd));
    // The module sent close_notify at most: the emulator's socket still works for the emulator.
    char byte = 0;
    EXPECT_GE(::send(p.sockets->host(fd), &byte, 0, MSG_NOSIGNAL), 0);
}

TEST(NsslOnly, DescriptorsTheEmulatorDoesNotKnowAreInvalid)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    const std::int32_t ctx = g.context(0);
    for (std::int32_t fd : {-1, 0, 2, 99, 0x7FFFFFFF})
        EXPECT_EQ(g.nssl("NSSLCreateConnection", {u(ctx), g.putText("localhost"), 9, 7, u(fd), 1}),
                  NsslGuest::code(NsslError::INVALID_FD))
            << fd;
}

TEST(NsslOnly, TheModulesSocketExportsAreTheEmulatorsToServe)
{
    NsslOnly p;
    NsslGuest& g = p.guest;
    // An emulator that registers them anyway gets a refusal it can see in its log.
    EXPECT_EQ(g.nssl("socket_lib_init"), -1);
    EXPECT_EQ(g.nssl("socket", {2, 1, 6}), -1);
    EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(nsysnet::SoError::SO_ELIBNOTREADY));
    // What it registers instead: the NSSL part of the table.
    std::size_t nssl = 0;
    for (const guest::ExportEntry& e : importTable().entries()) {
        const bool isNssl = e.name.starts_with("NSSL");
        EXPECT_EQ(e.part == guest::ExportPart::Nssl, isNssl) << e.library << "::" << e.name;
        nssl += isNssl;
    }
    EXPECT_GT(nssl, 30u);
}

TEST(NsslOnly, FibersOnThreeHostThreadsRunTheFlowOverBorrowedSockets)
{
    FiberScheduler scheduler(1u << 20, 3);
    auto sockets = std::make_shared<EmulatorSockets>();
    auto hooks = std::make_shared<ParkingHooks>(scheduler);
    NsslGuest g(overEmulatorSockets(sockets, hooks));
    auto peer = server(TlsPeer::Kind::Python);
    ASSERT_TRUE(peer);
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    constexpr std::uint32_t kSize = 20000;
    std::array<bool, 3> echoed{};
    for (int i = 0; i < 3; ++i)
        scheduler.spawn("flow" + std::to_string(i), [&, i] {
            // Each guest thread its own guest buffers: they run at once.
            const auto thread = static_cast<guest::GuestThreadId>(10 + i);
            const std::int32_t fd = sockets->connect(peer->port());
            const std::int32_t conn =
                g.nssl("NSSLCreateConnection", {u(ctx), g.putText("localhost"), 9, 7, u(fd), 1}, thread);
            const std::string sent(kSize, static_cast<char>('a' + i));
            const auto out = g.putText(sent);
            const auto in = g.alloc(kSize);
            const auto word = g.alloc(4);
            if (g.nssl("NSSLWrite", {u(conn), out, kSize, word}, thread) != 0)
                return;
            for (std::uint32_t got = 0; got < kSize; got += g.readBe32(word))
                if (g.nssl("NSSLRead", {u(conn), in + got, kSize - got, word}, thread) != 0)
                    return;
            echoed[i] = std::memcmp(g.host(in), sent.data(), kSize) == 0;
        });
    ASSERT_TRUE(scheduler.runUntil([] { return false; }, std::chrono::seconds(20)));
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(echoed[i]) << i;
    EXPECT_GT(scheduler.resumesAfterPark(), 0u);
}
