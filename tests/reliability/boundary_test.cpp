// No exception crosses the export boundary: a host failure under an export (out of memory, a
// hook that throws) becomes that export's documented failure result (docs/abi.md, "Host
// failures"), is logged once per process with the export's name, and the process goes on.
// Failures are injected where they really happen: this program's operator new fails the n-th
// allocation of one call, for every n in turn, and the embedding hooks throw from now() as a
// handshake starts, from wait() under a blocking call and from guestAlloc() under the resolver.
#include <atomic>
#include <cstdlib>
#include <new>
#include <sstream>
#include <stdexcept>

#include <spdlog/sinks/ostream_sink.h>

#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "common/log.h"
#include "hle/guest/marshal.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "reliability/reliability_util.h"
#include "support/host_listener.h"
#include "support/nsysnet_guest.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace wiiu::test::reliability;
using nssl::NsslError;
using nsysnet::SoError;

// The sanitizers' runtimes define operator new themselves: there only the hooks inject failures.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WIIU_ALLOCATION_HOOK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WIIU_ALLOCATION_HOOK 0
#endif
#endif
#ifndef WIIU_ALLOCATION_HOOK
#define WIIU_ALLOCATION_HOOK 1
#endif

namespace {

constexpr bool kAllocationHook = WIIU_ALLOCATION_HOOK;
// The allocation hook: allocations left on this thread before one fails (-1: none fails).
thread_local long allocationsBeforeFailure = -1;

}  // namespace

#if WIIU_ALLOCATION_HOOK

// The replacement pairs malloc with free by design; gcc, seeing both inlined, warns anyway.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size)
{
    if (allocationsBeforeFailure >= 0 && allocationsBeforeFailure-- == 0)
        throw std::bad_alloc();
    if (void* p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

namespace {

/// Runs `call` with its n-th allocation failing; its result, and whether the n-th was reached.
template <class F>
std::pair<std::int32_t, bool> withFailingAllocation(long n, F call)
{
    allocationsBeforeFailure = n;
    const auto r = static_cast<std::int32_t>(call());
    const bool failed = allocationsBeforeFailure < 0;
    allocationsBeforeFailure = -1;
    return {r, failed};
}

/// attempt(n) for n = 0, 1, ... while it reaches its failing allocation; returns the count
/// (-1 without the allocation hook: nothing is attempted).
template <class F>
long forEachAllocation(F attempt)
{
    if (!kAllocationHook)
        return -1;
    for (long n = 0; n < 10000; ++n)
        if (!attempt(n))
            return n;
    ADD_FAILURE() << "more than 10000 allocations in one call";
    return -1;
}

guest::ExportIndex exportIndex(std::string_view name) { return *importTable().find("nsysnet", name); }

enum class Throw { Nothing, OutOfMemory, Error };

/// DefaultHooks over the env's guest heap, whose wait(), now() and guestAlloc() throw when armed.
class ThrowingHooks : public guest::DefaultHooks {
public:
    ThrowingHooks() : DefaultHooks(GuestEnv::kHeapBase, GuestEnv::kBase + GuestEnv::kSize - GuestEnv::kHeapBase) {}

    std::atomic<Throw> onWait{Throw::Nothing}, onNow{Throw::Nothing}, onAlloc{Throw::Nothing};

    std::chrono::system_clock::time_point now() override
    {
        raise(onNow);
        return DefaultHooks::now();
    }
    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override
    {
        raise(onWait);
        return DefaultHooks::wait(items, deadline);
    }
    std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment) override
    {
        raise(onAlloc);
        return DefaultHooks::guestAlloc(size, alignment);
    }

private:
    static void raise(Throw what)
    {
        if (what == Throw::OutOfMemory)
            throw std::bad_alloc();
        if (what == Throw::Error)
            throw std::runtime_error("injected hook failure");
    }
};

/// Everything `logger` says while this lives.
class LogCapture {
public:
    explicit LogCapture(spdlog::logger& logger)
        : logger_(logger), sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_))
    {
        logger_.sinks().push_back(sink_);
    }
    ~LogCapture() { logger_.sinks().pop_back(); }
    std::size_t count(std::string_view what) const
    {
        const std::string s = text_.str();
        std::size_t n = 0;
        for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1))
            ++n;
        return n;
    }

private:
    spdlog::logger& logger_;
    std::ostringstream text_;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

constexpr std::string_view kFailed = "failed on the host";

TEST(Boundary, NsslExportsFailWithNsslErrorsAndTheProcessGoesOn)
{
    auto stalled = startServer(BearSslServer::Behavior::Stall);  // the handshake must wait
    auto echo = startServer(BearSslServer::Behavior::Echo);
    ASSERT_TRUE(stalled && echo);
    ThrowingHooks hooks;
    NsslGuest g(quickConfig(), testCertStore(), &hooks);
    LogCapture log(log::nssl());
    ASSERT_EQ(g.nssl("NSSLInit"), 0);
    const auto create = exportIndex("NSSLCreateContext");  // outside the failing window: find allocates
    std::vector<std::int32_t> made;
    const long allocations = forEachAllocation([&](long n) {
        auto [r, failed] = withFailingAllocation(n, [&] { return g.callIndex(create, {0}); });
        if (r >= 0)
            made.push_back(r);  // the module recovered by itself: a real context
        else
            EXPECT_EQ(r, g.code(NsslError::OUT_OF_MEMORY)) << "allocation " << n;
        return failed;
    });
    EXPECT_NE(allocations, 0);
    if (kAllocationHook) {
        EXPECT_EQ(log.count("nsysnet::NSSLCreateContext " + std::string(kFailed)), 1u) << "logged once, by name";
    }
    for (std::int32_t ctx : made)
        EXPECT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    EXPECT_TRUE(g.process().state()->nssl().status().contexts.empty()) << "a failed create left a context behind";

    // The emulated clock fails while the handshake sets up: twice, then the same connection goes on.
    const std::int32_t ctx = g.context(0, pkiBytes("root.der"));
    std::int32_t fd = -1;
    const std::int32_t conn = g.connection(ctx, echo->port(), "localhost", 0x1, true, &fd);
    ASSERT_GE(conn, 0);
    hooks.onNow = Throw::OutOfMemory;
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), g.code(NsslError::OUT_OF_MEMORY));
    hooks.onNow = Throw::Error;
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(conn)}), g.code(NsslError::UNKNOWN));
    EXPECT_EQ(log.count("nsysnet::NSSLDoHandshake " + std::string(kFailed)), 1u);
    hooks.onNow = Throw::Nothing;
    EXPECT_EQ(g.write(conn, "still here"), 0);
    std::string back;
    EXPECT_EQ(g.readExactly(conn, back, 10), 0);
    EXPECT_EQ(back, "still here");
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(conn)}), 0);
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);

    // A wait() that throws ends that wait as a close would (guest::waitFor's own catch).
    const std::int32_t stuck = g.connection(ctx, stalled->port(), "localhost", 0x1, true, &fd);
    ASSERT_GE(stuck, 0);
    hooks.onWait = Throw::Error;
    EXPECT_EQ(g.nssl("NSSLDoHandshake", {u(stuck)}), g.code(NsslError::IO_ERROR));
    hooks.onWait = Throw::Nothing;
    EXPECT_EQ(g.nssl("NSSLDestroyConnection", {u(stuck)}), 0);
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    expectNoHandles(g);
}

TEST(Boundary, SocketExportsFailWithMinusOneAndSocketlasterr)
{
    ThrowingHooks hooks;
    NsslGuest g(quickConfig(), testCertStore(), &hooks);
    ASSERT_EQ(g.nssl("socket_lib_init"), 0);
    LogCapture log(log::nsysnet());
    const auto socket = exportIndex("socket");
    std::vector<std::int32_t> made;
    const long allocations = forEachAllocation([&](long n) {
        auto [r, failed] = withFailingAllocation(n, [&] { return g.callIndex(socket, {2, 1, 6}); });
        if (r >= 0) {
            made.push_back(r);
        } else {
            EXPECT_EQ(r, -1) << "allocation " << n;
            EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_ENOMEM)) << "allocation " << n;
        }
        return failed;
    });
    EXPECT_NE(allocations, 0);
    if (kAllocationHook) {
        EXPECT_EQ(log.count("nsysnet::socket " + std::string(kFailed)), 1u);
    }
    for (std::int32_t fd : made)
        EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty()) << "a failed socket() left a descriptor behind";

    // A wait() that throws under recv ends the wait as a close would (guest::waitFor's own
    // catch: SO_EABORTED); afterwards the socket still works.
    HostListener listener;
    const std::int32_t fd = g.tcpConnect(listener.port());
    ASSERT_GE(fd, 0);
    auto peer = listener.accept();
    ASSERT_TRUE(peer);
    const auto buf = g.alloc(16);
    hooks.onWait = Throw::Error;
    EXPECT_EQ(g.nssl("recv", {u(fd), buf, 16, 0}), -1);
    EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_EABORTED));
    hooks.onWait = Throw::Nothing;
    ASSERT_EQ(hostSend(*peer, "hi"), 2u);
    EXPECT_EQ(g.nssl("recv", {u(fd), buf, 16, 0}), 2);
    EXPECT_EQ(g.lastSocketError(), 0);
    EXPECT_EQ(g.nssl("socketclose", {u(fd)}), 0);
}

TEST(Boundary, ResolverExportsFailWithTheirOwnResults)
{
    ThrowingHooks hooks;
    NsslGuest g(quickConfig(), testCertStore(), &hooks);
    ASSERT_EQ(g.nssl("socket_lib_init"), 0);
    LogCapture log(log::nsysnet());
    const auto name = g.putText("localhost");
    const auto res = g.alloc(4);
    const auto getaddrinfo = exportIndex("getaddrinfo"), gethostbyname = exportIndex("gethostbyname");
    const long allocations = forEachAllocation([&](long n) {
        auto [r, failed] =
            withFailingAllocation(n, [&] { return g.callIndex(getaddrinfo, {name, 0, 0, res}); });
        if (r == 0)
            g.nssl("freeaddrinfo", {g.readBe32(res)});
        else
            EXPECT_EQ(r, nsysnet::EAI_MEMORY_) << "allocation " << n;
        return failed;
    });
    EXPECT_NE(allocations, 0);
    forEachAllocation([&](long n) {
        auto [r, failed] = withFailingAllocation(n, [&] { return g.callIndex(gethostbyname, {name}); });
        if (r == 0) {
            EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_ENOMEM)) << "NULL, allocation " << n;
        }
        return failed;
    });

    hooks.onAlloc = Throw::Error;  // the emulator's allocator itself fails
    EXPECT_EQ(g.nssl("getaddrinfo", {name, 0, 0, res}), nsysnet::EAI_SYSTEM_);
    EXPECT_EQ(g.lastSocketError(), static_cast<std::int32_t>(SoError::SO_EUNKNOWN));
    hooks.onAlloc = Throw::Nothing;
    EXPECT_EQ(log.count("nsysnet::getaddrinfo " + std::string(kFailed)), 1u);

    EXPECT_EQ(g.nssl("getaddrinfo", {name, 0, 0, res}), 0);
    EXPECT_NE(g.readBe32(res), 0u);
    g.nssl("freeaddrinfo", {g.readBe32(res)});
    EXPECT_NE(g.nssl("gethostbyname", {name}), 0);
    // No guest block leaked by the failed calls: only gethostbyname's hostent and the process's
    // h_errno word are in use.
    EXPECT_EQ(hooks.heap()->blocksInUse(), 2u);
}

// The mechanism itself, on a table of its own: any exception type, with or without a failure
// result registered.
std::int32_t throwsLogicError(guest::Call&) { throw std::logic_error("bug under the export"); }
std::int32_t throwsInt(guest::Call&) { throw 42; }
void failWithSeven(guest::Call& call, guest::CallFailure why) noexcept
{
    call.frame().setResult(why.kind == guest::CallFailure::Exception ? 7 : 0);
}

TEST(Boundary, EveryExceptionTypeBecomesTheEntrysFailure)
{
    guest::ImportTable table;
    guest::ImportTableBuilder t(table);
    t.add({"test", "logic", guest::export_fn<throwsLogicError>, true});
    t.add({"test", "int", guest::export_fn<throwsInt>, true, failWithSeven});
    GuestEnv env(table);
    EXPECT_EQ(env.call("test", "logic", {}), 0xFFFFFFFFu) << "no failure result registered: -1";
    EXPECT_EQ(env.call("test", "int", {}), 7u);
    // Every export of the module's own table has its failure result (registerExports checks).
    for (const guest::ExportEntry& e : importTable().entries())
        EXPECT_NE(e.fail, nullptr) << e.name;
}

}  // namespace
