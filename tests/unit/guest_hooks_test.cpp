#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include <wiiu_nssl/hooks.h>
#include "platform/socket.h"
#include "hle/guest/interrupt.h"

using namespace wiiu::guest;
using namespace std::chrono_literals;

namespace {

// A host socket that becomes readable, portably: platform::WakeSignal (an eventfd on Linux, a
// loopback TCP pair on Windows), readable once signal() ran, writable throughout.
using SocketPair = wiiu::platform::WakeSignal;

TEST(DefaultHooksTest, WaitReportsReadinessAndTimesOut)
{
    DefaultHooks hooks;
    SocketPair pair;
    WaitItem item{.fd = pair.handle(), .readable = true};
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(hooks.wait({&item, 1}, start + 50ms), 0);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
    EXPECT_FALSE(item.ready());

    pair.signal();
    EXPECT_EQ(hooks.wait({&item, 1}, std::nullopt), 1);
    EXPECT_TRUE(item.readReady);

    WaitItem writable{.fd = pair.handle(), .writable = true};
    EXPECT_EQ(hooks.wait({&writable, 1}, std::chrono::steady_clock::now()), 1);
    EXPECT_TRUE(writable.writeReady);
}

TEST(DefaultHooksTest, InterruptEndsAWaitFromAnotherThread)
{
    DefaultHooks hooks;
    SocketPair pair;
    Interrupt interrupt;
    EXPECT_FALSE(interrupt.signalled());
    std::thread closer([&] {
        std::this_thread::sleep_for(20ms);
        interrupt.signal();
    });
    WaitItem items[] = {{.fd = pair.handle(), .readable = true}, interrupt.waitItem()};
    EXPECT_EQ(hooks.wait(items, std::nullopt), 1);  // no deadline: only the interrupt ends it
    closer.join();
    EXPECT_TRUE(items[1].readReady);
    EXPECT_FALSE(items[0].ready());
    EXPECT_TRUE(interrupt.signalled());  // and it stays signalled
}

TEST(DefaultHooksTest, ClockAndHeapDefaults)
{
    DefaultHooks noHeap;
    EXPECT_EQ(noHeap.guestAlloc(16, 4), 0u);
    auto drift = std::chrono::system_clock::now() - noHeap.now();
    EXPECT_LT(std::chrono::abs(drift), 5s);

    DefaultHooks withHeap(0x30000000, 0x100);
    auto a = withHeap.guestAlloc(16, 4);
    EXPECT_GE(a, 0x30000000u);
    withHeap.guestFree(a);
    EXPECT_EQ(withHeap.heap()->blocksInUse(), 0u);
}

}  // namespace
