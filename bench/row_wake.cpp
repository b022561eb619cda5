// Row 6: how soon a guest thread blocked in recv runs again once its data arrived, waiting through
// the park-and-wake adapter against poll-then-sleep with a 1 ms nap (the quantum of Cemu's own
// socket loops). Guest threads are fibers on three host threads (the tests' FiberScheduler), as
// in Cemu's multi-core mode and decaf. Each sample: the bench thread notes the time and sends one
// byte to the guest thread, which notes the time when its recv (through the import table)
// returns. The pause before each send is spread over one nap, so poll-then-sleep is met at every
// phase of its sleep, as real traffic meets it.
#include <benchmark/benchmark.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "fiber_waiting.h"
#include "rows.h"
#include "support/guest_env.h"

namespace wiiu::bench {

namespace {

using Clock = std::chrono::steady_clock;

/// A listening socket on 127.0.0.1 and the connection the guest makes to it.
struct Peer {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    int conn = -1;
    std::uint16_t port = 0;
    Peer()
    {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof sa;
        if (::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 && ::listen(listener, 1) == 0 &&
            ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
            port = ntohs(sa.sin_port);
    }
    ~Peer()
    {
        if (conn >= 0)
            ::close(conn);
        ::close(listener);
    }
};

void wakeLatency(benchmark::State& state, bool park)
{
    Peer peer;
    test::FiberScheduler scheduler(1u << 20, 3);
    test::GuestEnv env(test::GuestEnv::ProcessSettings{nullptr, {}, nullptr, fiberHooks(park, scheduler)});
    const guest::GuestAddress sockaddr = env.alloc(16);
    env.memory().store(guest::GuestPtr<guest::be16>{sockaddr}, guest::be16(std::uint16_t{2}));
    env.memory().store(guest::GuestPtr<guest::be16>{sockaddr + 2}, guest::be16(peer.port));
    env.memory().store(guest::GuestPtr<guest::be32>{sockaddr + 4}, guest::be32(0x7F000001u));
    const guest::GuestAddress buffer = env.alloc(16);

    std::atomic<std::int64_t> woke{0};  // steady_clock ns when the guest's last recv returned
    std::atomic<bool> connected{false};
    scheduler.spawn("receiver", [&] {
        const auto fd = static_cast<std::int32_t>(env.call("nsysnet", "socket_lib_init", {}) == 0
                                                      ? env.call("nsysnet", "socket", {2, 1, 6})
                                                      : 0xFFFFFFFFu);
        if (fd < 0 || env.call("nsysnet", "connect", {static_cast<std::uint32_t>(fd), sockaddr, 16}) != 0)
            return;
        connected = true;
        while (env.call("nsysnet", "recv", {static_cast<std::uint32_t>(fd), buffer, 16, 0}) == 1)
            woke = Clock::now().time_since_epoch().count();
    });
    std::atomic<bool> stop{false};
    std::thread runner([&] { scheduler.runUntil([&] { return stop.load(); }, std::chrono::minutes(5)); });
    peer.conn = ::accept(peer.listener, nullptr, nullptr);

    std::mt19937 random(29);
    std::uniform_int_distribution<int> phase(0, static_cast<int>(std::chrono::microseconds(kPollingNap).count()));
    std::vector<double> samples;
    for (auto _ : state) {
        while (!connected || scheduler.parked() == 0)
            std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::microseconds(phase(random)));
        const std::int64_t before = woke.load();
        const char byte = 1;
        const auto sent = Clock::now();
        if (::send(peer.conn, &byte, 1, 0) != 1) {
            state.SkipWithError("send failed");
            break;
        }
        while (woke.load() == before)
            std::this_thread::yield();
        const double seconds = std::chrono::duration<double>(Clock::time_point(Clock::duration(woke.load())) - sent).count();
        state.SetIterationTime(seconds);
        samples.push_back(seconds * 1e6);
    }
    ::shutdown(peer.conn, SHUT_RDWR);  // the guest's recv returns 0 and its fiber ends
    stop = true;
    runner.join();
    if (samples.empty())
        return;
    std::sort(samples.begin(), samples.end());
    state.counters["median_us"] = samples[samples.size() / 2];
    state.counters["p90_us"] = samples[samples.size() * 9 / 10];
    state.counters["max_us"] = samples.back();
}

}  // namespace

void registerWakeRow()
{
    for (bool park : {true, false})
        benchmark::RegisterBenchmark(park ? "wake/park_and_wake" : "wake/poll_then_sleep_1ms",
                                     [park](benchmark::State& s) { wakeLatency(s, park); })
            ->Iterations(400)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond);
}

}  // namespace wiiu::bench
