#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <wiiu_nssl/curl_bridge.h>
#include <wiiu_nssl/hooks.h>
#include "platform/socket.h"
#include "hle/guest/interrupt.h"
#include "support/guest_env.h"

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

/// Hooks that note who called now() and socketErrorChanged().
class CallerNoting : public DefaultHooks {
public:
    std::chrono::system_clock::time_point now() override
    {
        nowCallers.push_back(currentCaller());
        return DefaultHooks::now();
    }
    void socketErrorChanged(GuestThreadId, std::int32_t) override { errnoCallers.push_back(currentCaller()); }
    std::vector<Caller> nowCallers, errnoCallers;
};

TEST(DefaultHooksTest, HooksLearnWhetherAGuestOrAHostThreadCalls)
{
    CallerNoting hooks;
    wiiu::test::GuestEnv g(wiiu::test::GuestEnv::withHooks(hooks));
    g.call("nsysnet", "socket_lib_init", {});
    g.call("nsysnet", "NSSLInit", {});
    const auto ctx = static_cast<std::int32_t>(g.call("nsysnet", "NSSLCreateContext", {0}));
    ASSERT_GE(ctx, 0);
    ASSERT_FALSE(hooks.errnoCallers.empty());
    for (Caller c : hooks.errnoCallers)
        EXPECT_EQ(c, Caller::GuestThread);
    // The nlibcurl bridge judges a chain on curl's host thread; its clock comes from there.
    wiiu::curl_bridge::verifyPeer(g.process(), ctx, "example.com", {});
    ASSERT_EQ(hooks.nowCallers.size(), 1u);
    EXPECT_EQ(hooks.nowCallers[0], Caller::HostThread);
    EXPECT_EQ(currentCaller(), Caller::GuestThread) << "the bridge's mark ends with its call";
}

}  // namespace
