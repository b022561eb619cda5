// guest::waitFor, the one waiting helper: readiness, deadline, abort signals, a throwing hook;
// and the poll-then-sleep adapter emulators use instead of blocking a host thread.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>
#include <thread>

#include <gtest/gtest.h>

#include <wiiu_nssl/polling_wait.h>
#include "platform/socket.h"
#include "hle/guest/wait.h"

using namespace wiiu::guest;
using namespace std::chrono_literals;

namespace {

// A host socket that becomes readable, portably: platform::WakeSignal (an eventfd on Linux, a
// loopback TCP pair on Windows), readable once signal() ran, writable throughout.
using Pair = wiiu::platform::WakeSignal;

struct ThrowingHooks : DefaultHooks {
    int wait(std::span<WaitItem>, Deadline) override { throw std::runtime_error("scheduler gone"); }
};

TEST(GuestWait, ReadyReportsWhichTarget)
{
    DefaultHooks hooks;
    Pair a, b;
    b.signal();
    WaitItem targets[] = {waitTarget(a.handle(), true, false), waitTarget(b.handle(), true, false)};
    Interrupt closed;
    EXPECT_EQ(waitFor(hooks, targets, {&closed}, std::nullopt), WaitResult::Ready);
    EXPECT_FALSE(targets[0].ready());
    EXPECT_TRUE(targets[1].readReady);
}

TEST(GuestWait, DeadlinePassesAsTimedOut)
{
    DefaultHooks hooks;
    Pair p;
    WaitItem target = waitTarget(p.handle(), true, false);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {}, start + 30ms), WaitResult::TimedOut);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(GuestWait, AbortSignalEndsTheWait)
{
    DefaultHooks hooks;
    Pair p;
    Interrupt teardown, closed;
    WaitItem target = waitTarget(p.handle(), true, false);
    std::thread signaller([&] {
        std::this_thread::sleep_for(20ms);
        teardown.signal();
    });
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&closed, &teardown}, std::nullopt), WaitResult::Aborted);
    signaller.join();
    // An abort already signalled wins over a ready target.
    p.signal();
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&teardown}, std::nullopt), WaitResult::Aborted);
}

TEST(GuestWait, ClosedTargetAndThrowingHookAbort)
{
    DefaultHooks hooks;
    WaitItem gone = waitTarget(-1, true, false);
    EXPECT_EQ(waitFor(hooks, {&gone, 1}, {}, std::nullopt), WaitResult::Aborted);
    ThrowingHooks throwing;
    Pair p;
    WaitItem target = waitTarget(p.handle(), true, false);
    EXPECT_EQ(waitFor(throwing, {&target, 1}, {}, std::nullopt), WaitResult::Aborted);
}

TEST(GuestWait, PollingHooksSleepTheGuestThreadInsteadOfBlockingAndSeeDataOnTheNextLook)
{
    Pair a;
    std::vector<std::chrono::nanoseconds> naps;
    PollingHooks hooks([&](std::chrono::nanoseconds d) {
        naps.push_back(d);
        if (naps.size() == 3) {
            a.signal();  // the peer answers while the thread sleeps
        }
    });
    WaitItem target = waitTarget(a.handle(), true, false);
    Interrupt closed;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&closed}, std::nullopt), WaitResult::Ready);
    EXPECT_TRUE(target.readReady);
    ASSERT_EQ(naps.size(), 3u);  // each look found nothing, so the emulator slept the thread
    for (auto d : naps)
        EXPECT_EQ(d, kDefaultPollInterval);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);  // the adapter itself never sleeps
}

TEST(GuestWait, PollThenSleepNeverNapsPastTheDeadlineAndAnAbortEndsTheRounds)
{
    Pair a;
    std::chrono::nanoseconds longest{0};
    int naps = 0;
    PollingHooks hooks(
        [&](std::chrono::nanoseconds d) {
            longest = std::max(longest, d);
            ++naps;
            std::this_thread::sleep_for(d);
        },
        std::chrono::seconds(10));
    WaitItem target = waitTarget(a.handle(), true, false);
    Interrupt closed;
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&closed}, std::chrono::steady_clock::now() + 30ms), WaitResult::TimedOut);
    EXPECT_GT(naps, 0);
    EXPECT_LE(longest, 30ms);

    closed.signal();
    naps = 0;
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&closed}, std::nullopt), WaitResult::Aborted);
    EXPECT_EQ(naps, 0);  // the first look sees the signal
}

}  // namespace
