// Row 7: the module run as Cemu's multi-core mode and decaf run it: guest threads are fibers of
// the tests' FiberScheduler on three host threads, every call through the import table, waiting
// through the park-and-wake adapter or poll-then-sleep at 1 ms (Cemu's own socket loops). The
// baseline is raw BearSSL on blocking host threads: the same TLS engine, so the difference is
// the waiting and the fibers.
//  - download: 64 MiB (bulkBytes when smaller) split over three guest threads, each on its own TLS connection (made
//    before the timed part), 64 KiB NSSLRead calls; against three blocking clients on three
//    host threads. Wall time.
//  - handshake: full handshakes one after another on one guest thread (connect, handshake,
//    close_notify, close), against one blocking client. Wall time per handshake.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common.h"
#include "fiber_waiting.h"
#include "nssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kGuestThreads = 3;
constexpr auto kLimit = std::chrono::minutes(10);

/// Each guest thread's part of the download.
std::uint64_t downloadShare()
{
    return std::min<std::uint64_t>(sizes().bulkBytes, 64ull << 20) / kGuestThreads;
}

enum class Waiting { Park, Poll };

/// One guest process whose guest threads are fibers on kGuestThreads host threads.
struct FiberGuests {
    explicit FiberGuests(Waiting waiting)
        : scheduler(1u << 20, kGuestThreads), guest({}, fiberHooks(waiting == Waiting::Park, scheduler)),
          ctx(guest.createContext(readFile(pkiFile("root.der"))))
    {
    }
    /// Runs `body` as one guest thread per entry of `count` and waits until all finished.
    bool run(int count, const std::function<void(int)>& body)
    {
        for (int i = 0; i < count; ++i)
            scheduler.spawn("guest " + std::to_string(i), [&body, i] { body(i); });
        return scheduler.runUntil([] { return false; }, kLimit);
    }

    test::FiberScheduler scheduler;
    NsslBenchGuest guest;
    std::int32_t ctx;
};

/// Receives `bytes` after sending the command, through `read` (bytes per call, 0 on failure).
template <class Write, class Read>
bool download(std::uint64_t bytes, Write&& write, Read&& read)
{
    unsigned char cmd[kCommandSize];
    encodeCommand('R', bytes, cmd);
    if (!write(cmd))
        return false;
    while (bytes > 0) {
        const std::size_t n = read(bytes < NsslBenchGuest::kIoSize ? bytes : NsslBenchGuest::kIoSize);
        if (n == 0)
            return false;
        bytes -= n;
    }
    return true;
}

void finishDownload(benchmark::State& state, bool ok, std::uint64_t share)
{
    if (!ok)
        state.SkipWithError("download failed");
    state.counters["bytes"] = static_cast<double>(share * kGuestThreads);
}

void fiberDownload(benchmark::State& state, Waiting waiting)
{
    FiberGuests g(waiting);
    NsslBenchGuest& guest = g.guest;
    const std::uint64_t share = downloadShare();
    // Each guest thread's own buffer and count word, so no two share guest memory.
    std::array<NsslBenchGuest::Conn, kGuestThreads> conns;
    std::array<guest::GuestAddress, kGuestThreads> buffer{}, word{};
    for (int i = 0; i < kGuestThreads; ++i) {
        buffer[i] = guest.alloc(NsslBenchGuest::kIoSize);
        word[i] = guest.alloc(4);
    }
    bool ok = g.ctx >= 0 && g.run(1, [&](int) {
        for (auto& c : conns)
            c = guest.connect(g.ctx, serverPort());
    });
    for (const auto& c : conns)
        ok = ok && c;
    std::atomic<int> failed{0};
    for (auto _ : state) {
        ok = ok && g.run(kGuestThreads, [&](int i) {
            const bool done = download(
                share,
                [&](const unsigned char* cmd) {
                    std::memcpy(guest.host(buffer[i]), cmd, kCommandSize);
                    return guest.writeFrom(conns[i].conn, buffer[i], word[i], kCommandSize);
                },
                [&](std::size_t max) {
                    return guest.readInto(conns[i].conn, buffer[i], word[i], static_cast<std::uint32_t>(max));
                });
            failed += !done;
        });
        ok = ok && failed == 0;
    }
    g.run(1, [&](int) {
        for (const auto& c : conns)
            guest.close(c);
    });
    finishDownload(state, ok, share);
}

void blockingDownload(benchmark::State& state)
{
    const RawTrustAnchors trust({readFile(pkiFile("root.der"))});
    const std::uint64_t share = downloadShare();
    std::array<std::unique_ptr<RawBearSslClient>, kGuestThreads> clients;
    bool ok = true;
    for (auto& c : clients)
        ok = ok && (c = RawBearSslClient::connect(trust, serverPort()));
    for (auto _ : state) {
        std::atomic<int> failed{0};
        std::vector<std::thread> threads;
        for (int i = 0; ok && i < kGuestThreads; ++i)
            threads.emplace_back([&, i] {
                std::vector<std::uint8_t> buf(NsslBenchGuest::kIoSize);
                const bool done = download(
                    share, [&](const unsigned char* cmd) { return clients[i]->write({cmd, kCommandSize}); },
                    [&](std::size_t max) { return clients[i]->read({buf.data(), max}); });
                failed += !done;
            });
        for (auto& t : threads)
            t.join();
        ok = ok && failed == 0;
    }
    for (auto& c : clients)
        if (c)
            c->close();
    finishDownload(state, ok, share);
}

void finishHandshakes(benchmark::State& state, int ok)
{
    const int wanted = sizes().handshakes * static_cast<int>(state.iterations());
    if (ok != wanted)
        state.SkipWithError("a handshake failed");
    state.counters["handshakes"] = ok;
}

/// Handshakes one after another on one guest thread; the time is per handshake.
void fiberHandshakes(benchmark::State& state, Waiting waiting)
{
    FiberGuests g(waiting);
    int ok = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        g.run(1, [&](int) {
            for (int i = 0; i < sizes().handshakes; ++i) {
                const auto c = g.guest.connect(g.ctx, serverPort());
                ok += static_cast<bool>(c);
                g.guest.close(c);
            }
        });
        state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count() / sizes().handshakes);
    }
    finishHandshakes(state, ok);
}

void blockingHandshakes(benchmark::State& state)
{
    const RawTrustAnchors trust({readFile(pkiFile("root.der"))});
    int ok = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        for (int i = 0; i < sizes().handshakes; ++i) {
            auto c = RawBearSslClient::connect(trust, serverPort());
            if (c) {
                ++ok;
                c->close();
            }
        }
        state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count() / sizes().handshakes);
    }
    finishHandshakes(state, ok);
}

}  // namespace

void registerFiberRows()
{
    auto wallMs = [](benchmark::internal::Benchmark* b) { b->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond); };
    wallMs(benchmark::RegisterBenchmark("fibers_download/park_and_wake",
                                        [](benchmark::State& s) { fiberDownload(s, Waiting::Park); }));
    wallMs(benchmark::RegisterBenchmark("fibers_download/poll_then_sleep_1ms",
                                        [](benchmark::State& s) { fiberDownload(s, Waiting::Poll); }));
    wallMs(benchmark::RegisterBenchmark("fibers_download/blocking_raw_bearssl", blockingDownload));
    for (const auto& style : {std::pair{"park_and_wake", Waiting::Park}, std::pair{"poll_then_sleep_1ms", Waiting::Poll}}) {
        benchmark::RegisterBenchmark((std::string("fibers_handshake/") + style.first).c_str(),
                                     [waiting = style.second](benchmark::State& s) { fiberHandshakes(s, waiting); })
            ->Iterations(1)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark("fibers_handshake/blocking_raw_bearssl", blockingHandshakes)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMicrosecond);
}

}  // namespace wiiu::bench
