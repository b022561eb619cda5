// guest::waitFor, the one waiting helper: readiness, deadline, abort signals, a throwing hook.
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hle/guest/wait.h"

using namespace wiiu::guest;
using namespace std::chrono_literals;

namespace {

struct Pair {
    int fd[2];
    Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd), 0); }
    ~Pair()
    {
        ::close(fd[0]);
        ::close(fd[1]);
    }
};

struct ThrowingHooks : DefaultHooks {
    int wait(std::span<WaitItem>, Deadline) override { throw std::runtime_error("scheduler gone"); }
};

TEST(GuestWait, ReadyReportsWhichTarget)
{
    DefaultHooks hooks;
    Pair a, b;
    ASSERT_EQ(::write(b.fd[1], "x", 1), 1);
    WaitItem targets[] = {waitTarget(a.fd[0], true, false), waitTarget(b.fd[0], true, false)};
    Interrupt closed;
    EXPECT_EQ(waitFor(hooks, targets, {&closed}, std::nullopt), WaitResult::Ready);
    EXPECT_FALSE(targets[0].ready());
    EXPECT_TRUE(targets[1].readReady);
}

TEST(GuestWait, DeadlinePassesAsTimedOut)
{
    DefaultHooks hooks;
    Pair p;
    WaitItem target = waitTarget(p.fd[0], true, false);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {}, start + 30ms), WaitResult::TimedOut);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(GuestWait, AbortSignalEndsTheWait)
{
    DefaultHooks hooks;
    Pair p;
    Interrupt teardown, closed;
    WaitItem target = waitTarget(p.fd[0], true, false);
    std::thread signaller([&] {
        std::this_thread::sleep_for(20ms);
        teardown.signal();
    });
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&closed, &teardown}, std::nullopt), WaitResult::Aborted);
    signaller.join();
    // An abort already signalled wins over a ready target.
    ASSERT_EQ(::write(p.fd[1], "x", 1), 1);
    EXPECT_EQ(waitFor(hooks, {&target, 1}, {&teardown}, std::nullopt), WaitResult::Aborted);
}

TEST(GuestWait, ClosedTargetAndThrowingHookAbort)
{
    DefaultHooks hooks;
    WaitItem gone = waitTarget(-1, true, false);
    EXPECT_EQ(waitFor(hooks, {&gone, 1}, {}, std::nullopt), WaitResult::Aborted);
    ThrowingHooks throwing;
    Pair p;
    WaitItem target = waitTarget(p.fd[0], true, false);
    EXPECT_EQ(waitFor(throwing, {&target, 1}, {}, std::nullopt), WaitResult::Aborted);
}

}  // namespace
