// Process::shutdown() with guest calls blocked on host threads (the default wait): bounded,
// every blocked call returns its error, the host sockets are gone, later calls are refused.
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/fiber_scheduler.h"
#include "support/loopback_listener.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;
using nsysnet::SoError;
using Clock = std::chrono::steady_clock;

namespace {

TEST(Teardown, ShutdownWakesBlockedHostThreadsAtOnceAndLaterCallsAreRefused)
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(server) << why;
    const std::size_t socketsBefore = openSocketCount();
    NsslGuest g;
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    const std::int32_t conn = g.connection(ctx, server->port(), "localhost", 7);
    ASSERT_GE(conn, 0);
    ASSERT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), 0);
    const std::int32_t fd = g.tcpConnect(server->port());
    ASSERT_GT(fd, 0);

    std::int32_t readResult = 1, recvResult = 1;
    const auto buf = g.alloc(64);
    const auto word = g.alloc(4);
    std::thread reader([&] { readResult = g.nssl("NSSLRead", {u(conn), buf, 64, word}, 2); });
    std::thread receiver([&] { recvResult = g.nssl("recv", {u(fd), buf + 32, 32, 0}, 3); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // both are inside their waits

    const auto start = Clock::now();
    g.process().shutdown();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
    reader.join();
    receiver.join();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
    EXPECT_EQ(readResult, NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(recvResult, -1);
    EXPECT_EQ(g.lastSocketError(3), static_cast<std::int32_t>(SoError::SO_EABORTED));
    EXPECT_EQ(openSocketCount(), socketsBefore);
    EXPECT_TRUE(g.process().isShutDown());
    EXPECT_TRUE(g.process().state()->nssl().status().connections.empty());  // engines and keys are gone

    // The object stays valid; the libraries refuse further work.
    EXPECT_EQ(g.nssl("socket", {2, 1, 6}), -1);
    EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_EABORTED));
    EXPECT_EQ(g.nssl("NSSLCreateContext", {0}), NsslGuest::code(NsslError::LIB_NOT_READY));
    g.process().shutdown();  // idempotent
}

TEST(Teardown, SharedHooksLiveUntilTheLastCallParkedPastTheProcessReturns)
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(server) << why;
    FiberScheduler scheduler;
    auto hooks = std::make_shared<ParkingHooks>(scheduler);
    const std::weak_ptr<guest::EmbeddingHooks> alive = hooks;
    GuestEnv::ProcessSettings settings;
    settings.store = testCertStore();
    settings.sharedHooks = hooks;
    auto g = std::make_unique<NsslGuest>(std::move(settings));
    hooks.reset();  // the glue keeps no reference: the process shares them
    const std::int32_t ctx = g->context(0, pkiBytes("root.der"));
    bool reading = false;
    std::int32_t result = 1;
    scheduler.spawn("reader", [&] {
        const std::int32_t conn = g->connection(ctx, server->port(), "localhost", 7);
        reading = g->nssl("NSSLDoHandshake", {u(conn)}) == 0;
        std::string none;
        result = g->read(conn, none);
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return reading && scheduler.parked() > 0; }));

    g->endProcess();  // "close game": the Process is gone, its call is still parked
    EXPECT_FALSE(alive.expired()) << "the parked call's share keeps the hooks it will return through";
    ASSERT_TRUE(scheduler.drain());
    EXPECT_EQ(result, NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_TRUE(alive.expired()) << "the last call gave the hooks back";
}

TEST(Teardown, AGuestsSoLingerDoesNotHoldTheShutdown)
{
    // A listener that never accepts and never reads: what we send piles up in our send queue,
    // and with SO_LINGER on, the host's close() would wait up to 5 s for it to drain.
    LoopbackListener listener;

    NsslGuest g;
    auto& table = g.process().state()->sockets();
    auto fd = table.open(nsysnet::SocketKind::Stream);
    ASSERT_TRUE(fd);
    ASSERT_TRUE(table.connect(*fd, {0x7F000001, listener.port}));
    ASSERT_TRUE(table.setLinger(*fd, {.on = true, .seconds = 5}));
    std::vector<std::uint8_t> chunk(64 * 1024, 0x5A);
    while (table.send(*fd, chunk, {.dontWait = true}))
        ;

    const auto start = Clock::now();
    g.process().shutdown();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
}

}  // namespace
