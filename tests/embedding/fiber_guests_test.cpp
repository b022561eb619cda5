// The module run the way Cemu and decaf run it: guest threads as fibers on one host thread with
// a cooperative scheduler (support/fiber_scheduler.h), full TLS flows through the import table
// against a real TLS server (python3 ssl, a separate process, so /proc/self/fd holds only our
// sockets), and "close game" while fibers are parked mid-NSSLRead, mid-handshake and mid-select.
// Each test runs with both wait styles: park until woken, and poll-then-sleep (PollingHooks).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <wiiu_nssl/polling_wait.h>
#include "support/fiber_scheduler.h"
#include "support/loopback_listener.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;
using Clock = std::chrono::steady_clock;

namespace {

std::string styleName(const testing::TestParamInfo<WaitStyle>& info)
{
    return waitStyleName(info.param);
}

/// The emulator side: one host thread, its fibers, and hooks of the chosen style.
struct Emulator {
    explicit Emulator(WaitStyle style)
    {
        if (style == WaitStyle::Park)
            hooks = std::make_unique<ErrnoMirroring<ParkingHooks>>(scheduler);
        else
            hooks = std::make_unique<ErrnoMirroring<guest::PollingHooks>>(
                [this](std::chrono::nanoseconds d) { scheduler.sleepFor(d); });
    }
    std::optional<std::int32_t> guestErrno(guest::GuestThreadId t) const
    {
        if (auto* p = dynamic_cast<const ErrnoMirroring<ParkingHooks>*>(hooks.get()))
            return p->guestErrno(t);
        return dynamic_cast<const ErrnoMirroring<guest::PollingHooks>&>(*hooks).guestErrno(t);
    }

    FiberScheduler scheduler;
    std::unique_ptr<guest::EmbeddingHooks> hooks;
};

std::unique_ptr<TlsPeer> echoServer()
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

/// One guest thread's steps, every argument in guest memory, every call through the import table.
struct GuestThread {
    NsslGuest& g;
    guest::GuestThreadId id;
    std::int32_t fd = -1;
    std::int32_t conn = -1;

    std::int32_t call(std::string_view name, std::initializer_list<std::uint32_t> args)
    {
        return g.nssl(name, args, id);
    }
    bool connectTcp(std::uint16_t port)
    {
        fd = call("socket", {2, 1, 6});
        return fd > 0 && call("connect", {u(fd), g.sockaddr(port), 16}) == 0;
    }
    bool createConnection(std::int32_t ctx)
    {
        conn = call("NSSLCreateConnection", {u(ctx), g.putText("localhost"), 9, 7, u(fd), 1});
        return conn >= 0;
    }
    std::int32_t handshake() { return call("NSSLDoHandshake", {u(conn)}); }
    std::int32_t write(const std::string& text)
    {
        const auto out = g.putText(text);
        return call("NSSLWrite", {u(conn), out, u(static_cast<std::int32_t>(text.size())), g.alloc(4)});
    }
    /// One blocking NSSLRead into a buffer of this thread; the code, the bytes appended to `out`.
    std::int32_t read(std::string& out)
    {
        constexpr std::uint32_t kChunk = 8192;
        if (!buffer) {
            buffer = g.alloc(kChunk);
            word = g.alloc(4);
        }
        const std::int32_t r = call("NSSLRead", {u(conn), buffer, kChunk, word});
        if (r == 0)
            out.append(reinterpret_cast<const char*>(g.host(buffer)), g.readBe32(word));
        return r;
    }
    guest::GuestAddress buffer = 0;
    guest::GuestAddress word = 0;
};

std::string message(char seed, std::size_t size)
{
    std::string m(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        m[i] = static_cast<char>('a' + (seed + i * 7) % 26);
    return m;
}

class FiberGuests : public testing::TestWithParam<WaitStyle> {};

TEST_P(FiberGuests, ThreeTlsFlowsRunOnOneHostThreadWhileAFourthStaysBlockedInNsslRead)
{
    auto server = echoServer();
    ASSERT_TRUE(server);
    Emulator emu(GetParam());
    NsslGuest g({}, testCertStore(), emu.hooks.get());
    g.nssl("socket_lib_init");
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    ASSERT_GE(ctx, 0);

    // The blocked one: handshakes, then reads from a server that has nothing to say.
    bool blockedReading = false;
    std::int32_t blockedResult = 1;
    emu.scheduler.spawn("blocked", [&] {
        GuestThread t{g, 10};
        if (!t.connectTcp(server->port()) || !t.createConnection(ctx) || t.handshake() != 0)
            return;
        blockedReading = true;
        std::string none;
        blockedResult = t.read(none);
    });

    // Three full flows: connect, handshake, 48 KiB out and echoed back in several records.
    // Each flow notes when it began and ended on one event counter, to show they overlapped.
    struct Flow {
        std::string sent, received;
        std::int32_t result = 1;
        int began = 0, ended = 0;
    };
    Flow flows[3];
    int events = 0;
    for (int i = 0; i < 3; ++i) {
        flows[i].sent = message(static_cast<char>(i), 48 * 1024);
        emu.scheduler.spawn("flow" + std::to_string(i), [&, i] {
            Flow& f = flows[i];
            f.began = ++events;
            struct End {
                Flow& f;
                int& events;
                ~End() { f.ended = ++events; }
            } end{f, events};
            GuestThread t{g, static_cast<guest::GuestThreadId>(20 + i)};
            if (!t.connectTcp(server->port())) {
                f.result = -100;
                return;
            }
            if (!t.createConnection(ctx) || (f.result = t.handshake()) != 0 || (f.result = t.write(f.sent)) != 0)
                return;
            while (f.received.size() < f.sent.size())
                if ((f.result = t.read(f.received)) != 0)
                    return;
            f.result = t.call("NSSLDestroyConnection", {u(t.conn)});
            if (f.result == 0)
                f.result = t.call("socketclose", {u(t.fd)});
        });
    }

    const bool finished = emu.scheduler.runUntil([&] {
        return emu.scheduler.finished("flow0") && emu.scheduler.finished("flow1") && emu.scheduler.finished("flow2");
    });
    ASSERT_TRUE(finished) << "the flows did not finish: a parked fiber held the host thread";
    for (const Flow& f : flows) {
        EXPECT_EQ(f.result, 0);
        EXPECT_EQ(f.received, f.sent);
    }
    EXPECT_TRUE(blockedReading);
    EXPECT_FALSE(emu.scheduler.finished("blocked")) << "NSSLRead returned " << blockedResult;
    EXPECT_EQ(emu.scheduler.live(), 1u);
    // Interleaved, not one by one: every flow began before the first one ended. (Each flow waits
    // for the server at least once in its handshake, so a parked fiber must yield to the next;
    // counting switches instead varied with how the server's records happened to arrive.)
    int firstEnd = flows[0].ended;
    for (const Flow& f : flows)
        firstEnd = std::min(firstEnd, f.ended);
    for (const Flow& f : flows)
        EXPECT_LT(f.began, firstEnd) << "a flow began only after another had ended";

    // Close the game under the blocked reader; when resumed it returns IO_ERROR on live memory.
    g.endProcess();
    ASSERT_TRUE(emu.scheduler.drain());
    EXPECT_EQ(blockedResult, NsslGuest::code(NsslError::IO_ERROR));
}

INSTANTIATE_TEST_SUITE_P(WaitStyles, FiberGuests, testing::Values(WaitStyle::Park, WaitStyle::PollThenSleep), styleName);

class Teardown : public testing::TestWithParam<WaitStyle> {};

TEST_P(Teardown, CloseGameWithFibersParkedMidReadMidHandshakeAndMidSelect)
{
    auto server = echoServer();
    ASSERT_TRUE(server);
    LoopbackListener silent;  // accepts nothing, answers no ClientHello
    Emulator emu(GetParam());
    const std::size_t socketsBefore = openSocketCount();
    const std::size_t descriptorsBefore = openDescriptorCount();

    auto g = std::make_unique<NsslGuest>(nssl::Config{}, testCertStore(), emu.hooks.get());
    g->nssl("socket_lib_init");
    const std::int32_t ctx = g->context(0, pkiBytes("root.der"));
    ASSERT_GE(ctx, 0);

    enum { Reader, Handshaker, Selector, Count };
    bool parkedIn[Count] = {};
    std::int32_t result[Count] = {1, 1, 1};
    emu.scheduler.spawn("reader", [&] {
        GuestThread t{*g, 1};
        if (!t.connectTcp(server->port()) || !t.createConnection(ctx) || t.handshake() != 0)
            return;
        parkedIn[Reader] = true;
        std::string none;
        result[Reader] = t.read(none);
    });
    emu.scheduler.spawn("handshaker", [&] {
        GuestThread t{*g, 2};
        if (!t.connectTcp(silent.port) || !t.createConnection(ctx))
            return;
        parkedIn[Handshaker] = true;
        result[Handshaker] = t.handshake();
    });
    emu.scheduler.spawn("selector", [&] {
        GuestThread t{*g, 3};
        if (!t.connectTcp(server->port()))
            return;
        const auto set = g->put(guest::be32(1u << t.fd));
        parkedIn[Selector] = true;
        result[Selector] = t.call("select", {u(t.fd + 1), set.address, 0, 0, 0});  // no timeout
    });

    ASSERT_TRUE(emu.scheduler.runUntil([&] {
        return parkedIn[Reader] && parkedIn[Handshaker] && parkedIn[Selector] && emu.scheduler.parked() > 0;
    }));
    // A few more rounds: they stay parked (nothing will come), and the host thread is free.
    const auto settle = Clock::now() + std::chrono::milliseconds(100);
    emu.scheduler.runUntil([&] { return Clock::now() > settle; });
    ASSERT_EQ(emu.scheduler.live(), 3u);  // parked, or (poll style) between two looks
    EXPECT_GE(openSocketCount(), socketsBefore + 3);

    // Close game: the process goes while its three guest threads are suspended inside calls.
    const auto start = Clock::now();
    g->endProcess();
    const auto took = Clock::now() - start;
    EXPECT_LT(took, std::chrono::seconds(1));
    EXPECT_EQ(openSocketCount(), socketsBefore) << "a host socket outlived its process";

    // The emulator resumes the threads once more: each call returns its error, touching only
    // state the calls still share, and the last one frees it.
    ASSERT_TRUE(emu.scheduler.drain());
    EXPECT_EQ(result[Reader], NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(result[Handshaker], NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(result[Selector], -1);
    EXPECT_EQ(emu.guestErrno(3), static_cast<std::int32_t>(nsysnet::SoError::SO_EABORTED));
    g.reset();
    EXPECT_EQ(openDescriptorCount(), descriptorsBefore) << "the process left host descriptors behind";
}

INSTANTIATE_TEST_SUITE_P(WaitStyles, Teardown, testing::Values(WaitStyle::Park, WaitStyle::PollThenSleep), styleName);

}  // namespace
