// The park-and-wake adapter (<wiiu_nssl/park_and_wake.h>) wired as an emulator wires it: guest
// threads are fibers on three host threads, park() parks the calling fiber, and wake() makes it
// runnable from the adapter's poller thread; every parked fiber resumes on another host thread
// than the one it parked on. TLS flows, the resolver's host lookup, a select that times out (the
// deadline) and a read ended by the process's shutdown (an abort) wait through it.
#include <array>
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/ip/host_name.hpp>
#include <gtest/gtest.h>

#include <wiiu_nssl/park_and_wake.h>
#include "hle/guest/interrupt.h"
#include "support/fiber_scheduler.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

/// The emulator's side of the adapter over the test's fibers.
guest::GuestThreadParking parkingOn(FiberScheduler& scheduler)
{
    return {.current = [&scheduler] { return scheduler.currentFiber(); },
            .park = [&scheduler](guest::GuestThreadId) { scheduler.parkUntilWoken(); },
            .wake = [&scheduler](guest::GuestThreadId fiber) { scheduler.wake(fiber); }};
}

TEST(ParkAndWake, ReadinessDeadlinesAndAbortsWakeTheRightFiberOnAnotherHostThread)
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(server) << why;
    FiberScheduler scheduler(1u << 20, 3);
    auto hooks = std::make_shared<guest::ParkAndWakeHooks>(parkingOn(scheduler), GuestEnv::kHeapBase,
                                                           GuestEnv::kBase + GuestEnv::kSize - GuestEnv::kHeapBase);
    const guest::ParkAndWake& adapter = hooks->adapter();
    auto g = std::make_unique<NsslGuest>(GuestEnv::ProcessSettings{testCertStore(), {}, nullptr, std::move(hooks)});
    g->nssl("socket_lib_init");
    const std::int32_t ctx = g->context(0, pkiBytes("root.der"));
    ASSERT_GE(ctx, 0);

    enum { Flow0, Flow1, Flow2, Select, Lookup, Count };
    std::array<std::int32_t, Count> result;
    result.fill(12345);
    for (int i = 0; i < 3; ++i)
        scheduler.spawn("flow" + std::to_string(i), [&, i] {
            result[Flow0 + i] = echoFlow(*g, ctx, server->port(), static_cast<guest::GuestThreadId>(20 + i), 40000);
        });
    scheduler.spawn("select", [&] { result[Select] = selectThatTimesOut(*g, server->port(), 3); });
    scheduler.spawn("lookup", [&] {
        // A name the module cannot answer itself: a host lookup on a worker thread, waited for.
        const std::string name = boost::asio::ip::host_name();
        result[Lookup] = g->nssl("gethostbyname", {g->putString(name).address}, 4) != 0 ? 0 : 1;
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return scheduler.live() == 0; }, std::chrono::seconds(60)));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(result[Flow0 + i], 0) << "flow " << i;
    EXPECT_EQ(result[Select], 0) << "the deadline woke it";
    EXPECT_EQ(result[Lookup], 0);

    // An abort: the process's shutdown wakes a fiber parked in NSSLRead, with no drain.
    std::int32_t read = 12345;
    bool reading = false;
    scheduler.spawn("reader", [&] {
        const std::int32_t conn = g->connection(ctx, server->port(), "localhost", 7);
        std::string none;
        reading = g->nssl("NSSLDoHandshake", {u(conn)}) == 0;
        read = g->read(conn, none);
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return reading && scheduler.parked() > 0; }));
    g->process().shutdown();
    ASSERT_TRUE(scheduler.runUntil([&] { return scheduler.live() == 0; }));
    EXPECT_EQ(read, NsslGuest::code(NsslError::IO_ERROR));

    EXPECT_GT(adapter.wakes(), 10u);
    EXPECT_GT(scheduler.resumesAfterPark(), 10u) << "the guest threads hardly parked";
    EXPECT_EQ(scheduler.resumesOnTheParkingThread(), 0u);
    g.reset();  // the last share of the hooks: the poller thread ends
}

TEST(ParkAndWake, AWakeBeforeTheParkIsNotLostAndAnEarlyReturnIsNothingYet)
{
    FiberScheduler scheduler(1u << 20, 3);
    int parks = 0;
    bool early = false;
    guest::GuestThreadParking parking = parkingOn(scheduler);
    parking.park = [&](guest::GuestThreadId) {
        ++parks;
        if (!early)
            scheduler.parkUntilWoken();
    };
    guest::ParkAndWake adapter(std::move(parking));
    guest::Interrupt never;  // not signalled: the item is not ready
    std::array<int, 2> result{-1, -1};
    scheduler.spawn("waiter", [&] {
        guest::WaitItem item = never.waitItem();
        // The deadline has passed already: the poller may wake the fiber before it parks.
        result[0] = adapter.wait({&item, 1}, std::chrono::steady_clock::now());
        early = true;  // park() returns at once from now on, as a spurious wake-up
        result[1] = adapter.wait({&item, 1}, std::chrono::steady_clock::now() + std::chrono::hours(1));
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return scheduler.live() == 0; }));
    EXPECT_EQ(result[0], 0) << "timed out";
    EXPECT_EQ(result[1], 0) << "nothing yet";
    EXPECT_EQ(parks, 2);
}

}  // namespace
