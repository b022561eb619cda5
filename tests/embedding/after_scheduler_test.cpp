// Ending a process after the emulator's scheduler stopped (Process::abandon): Cemu's ShutdownTitle
// stops the scheduler before the title's libraries are unmapped, and decaf never unloads nsysnet,
// so the process ends when no guest thread will run again and the guest OS (its heap) is gone.
// With guest threads parked in NSSLRead, recv and select, in both wait styles on three host
// threads: no hook runs from the abandon on (the hooks fail the test otherwise), the guest heap
// keeps every block, nothing waits, and every host socket and TLS engine is gone. Calls resumed
// anyway get their errors without reaching a hook, and the state's end frees no guest memory.
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <wiiu_nssl/guest_heap.h>
#include <wiiu_nssl/import_table.h>
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

/// An emulator's hooks with a guest heap, waiting in one style; once its guest OS is gone, every
/// hook called fails the test.
class TripwireHooks final : public guest::EmbeddingHooks {
public:
    TripwireHooks(FiberScheduler& scheduler, WaitStyle style)
        : scheduler_(scheduler), style_(style),
          heap_(GuestEnv::kHeapBase, GuestEnv::kBase + GuestEnv::kSize - GuestEnv::kHeapBase)
    {
    }
    void guestOsGone() { gone_ = true; }
    const guest::GuestHeap& heap() const { return heap_; }

    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override
    {
        trip("wait");
        return waitInStyle(scheduler_, style_, items, deadline);
    }
    std::chrono::system_clock::time_point now() override
    {
        trip("now");
        return EmbeddingHooks::now();
    }
    std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment) override
    {
        trip("guestAlloc");
        return heap_.allocate(size, alignment);
    }
    void guestFree(std::uint32_t address) override
    {
        trip("guestFree");
        heap_.free(address);
    }
    void socketErrorChanged(guest::GuestThreadId, std::int32_t) override { trip("socketErrorChanged"); }
    std::optional<std::uint32_t> callGuest(guest::GuestThreadId, std::uint32_t, std::span<const std::uint32_t>) override
    {
        trip("callGuest");
        return std::nullopt;
    }

private:
    void trip(const char* hook)
    {
        if (gone_)
            ADD_FAILURE() << hook << "() called after the scheduler stopped";
    }

    FiberScheduler& scheduler_;
    WaitStyle style_;
    std::atomic<bool> gone_{false};
    guest::GuestHeap heap_;
};

std::string styleName(const testing::TestParamInfo<WaitStyle>& info)
{
    return waitStyleName(info.param);
}

class AfterTheScheduler : public testing::TestWithParam<WaitStyle> {};

TEST_P(AfterTheScheduler, AbandonCallsNoHookFreesNoGuestMemoryAndClosesEverySocket)
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(server) << why;
    LoopbackListener listener;  // never accepts: a recv or select on a connection to it waits for good
    const std::size_t socketsBefore = openSocketCount();

    FiberScheduler scheduler(1u << 20, 3);
    auto hooks = std::make_shared<TripwireHooks>(scheduler, GetParam());
    const std::weak_ptr<TripwireHooks> hooksAlive = hooks;
    auto g = std::make_unique<NsslGuest>(GuestEnv::ProcessSettings{testCertStore(), {}, nullptr, hooks});
    const std::int32_t ctx = g->context(0, pkiBytes("root.der"));
    ASSERT_GE(ctx, 0);

    // Before any fiber runs: the three run on three host threads, in no set order.
    ASSERT_EQ(g->nssl("socket_lib_init"), 0);

    enum { Read, Receive, Select, Count };
    std::array<std::int32_t, Count> result;
    result.fill(12345);
    std::atomic<int> blocking{0};  // fibers about to make their blocking call
    std::atomic<int> gaveUp{0};    // fibers whose setup failed: the wait below ends at once
    scheduler.spawn("reader", [&] {
        const std::int32_t conn = g->connection(ctx, server->port(), "localhost", 7);
        if (g->nssl("NSSLDoHandshake", {u(conn)}) != 0 || g->nssl("gethostbyname", {g->putString("localhost").address}) == 0) {
            ++gaveUp;
            return;
        }
        ++blocking;
        std::string none;
        result[Read] = g->read(conn, none);
    });
    scheduler.spawn("receiver", [&] {
        const std::int32_t fd = g->nssl("socket", {2, 1, 6}, 2);
        if (g->nssl("connect", {u(fd), g->sockaddr(listener.port), 16}, 2) != 0) {
            ++gaveUp;
            return;
        }
        ++blocking;
        result[Receive] = g->nssl("recv", {u(fd), g->alloc(32), 32, 0}, 2);
    });
    scheduler.spawn("selector", [&] {
        const std::int32_t fd = g->nssl("socket", {2, 1, 6}, 3);
        if (g->nssl("connect", {u(fd), g->sockaddr(listener.port), 16}, 3) != 0) {
            ++gaveUp;
            return;
        }
        const auto set = g->put(guest::be32(1u << fd));
        ++blocking;
        result[Select] = g->nssl("select", {u(fd + 1), set.address, 0, 0, 0}, 3);  // no timeout
    });
    // A fiber switches away only inside a wait hook, and done() is asked while no fiber runs: once
    // all three counted, each is inside its blocking call, parked or (poll style) due to look again.
    ASSERT_TRUE(scheduler.runUntil([&] { return blocking + gaveUp == Count; }));
    ASSERT_EQ(gaveUp, 0) << "a fiber's setup failed; its warning is above";
    const std::size_t blocks = hooks->heap().blocksInUse();
    ASSERT_GT(blocks, 0u) << "gethostbyname left no block in the guest heap";

    // The emulator's scheduler has stopped: no fiber runs again, and the guest OS is gone.
    hooks->guestOsGone();
    const auto start = Clock::now();
    g->process().abandon();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
    EXPECT_TRUE(g->process().isAbandoned());
    EXPECT_EQ(openSocketCount(), socketsBefore) << "every host socket is closed";
    const auto status = g->process().state()->nssl().status();
    EXPECT_TRUE(status.connections.empty()) << "every TLS engine, with its keys, is freed";
    EXPECT_TRUE(status.contexts.empty());
    g->endProcess();
    EXPECT_EQ(hooks->heap().blocksInUse(), blocks) << "the guest heap keeps its blocks";

    // A guest thread resumed anyway: its error, no hook, and the state's end frees no guest block.
    ASSERT_TRUE(scheduler.drain());
    EXPECT_EQ(result[Read], NsslGuest::code(NsslError::IO_ERROR));
    EXPECT_EQ(result[Receive], -1);
    EXPECT_EQ(result[Select], -1);
    EXPECT_EQ(hooks->heap().blocksInUse(), blocks);
    g.reset();
    hooks.reset();
    EXPECT_TRUE(hooksAlive.expired()) << "the calls that returned gave their shares back";
}

INSTANTIATE_TEST_SUITE_P(WaitStyles, AfterTheScheduler, testing::Values(WaitStyle::Park, WaitStyle::PollThenSleep),
                         styleName);

TEST(AfterTheScheduler, SharedGuestMemoryLivesUntilTheLastCallReturns)
{
    std::vector<std::byte> ram(GuestEnv::kSize);
    auto memory = std::make_shared<guest::FlatGuestMemory>(ram.data(), GuestEnv::kBase, GuestEnv::kSize);
    const std::weak_ptr<guest::GuestMemory> memoryAlive = memory;
    const guest::GuestMemory& guestMemory = *memory;
    FiberScheduler scheduler;
    auto process = std::make_unique<Process>(std::make_shared<ParkingHooks>(scheduler), std::move(memory));
    const guest::ImportTable& table = importTable();
    auto call = [&](std::string_view name, std::initializer_list<std::uint32_t> args) {
        guest::CallFrame frame;
        frame.thread = 1;
        frame.gpr[1] = GuestEnv::kStackTop - 0x100;
        std::copy(args.begin(), args.end(), &frame.gpr[3]);
        EXPECT_TRUE(table.call(*table.find("nsysnet", name), *process, frame));
        return static_cast<std::int32_t>(frame.result());
    };
    LoopbackListener listener;  // never accepts: nothing arrives
    const guest::GuestAddress peer = GuestEnv::kDataBase;
    guestMemory.store(guest::GuestPtr<guest::be16>{peer}, guest::be16(std::uint16_t{2}));
    guestMemory.store(guest::GuestPtr<guest::be16>{peer + 2}, guest::be16(listener.port));
    guestMemory.store(guest::GuestPtr<guest::be32>{peer + 4}, guest::be32(0x7F000001u));
    ASSERT_EQ(call("socket_lib_init", {}), 0);
    const std::int32_t fd = call("socket", {2, 1, 6});
    ASSERT_EQ(call("connect", {u(fd), peer, 16}), 0);
    std::int32_t received = 12345;
    scheduler.spawn("receiver", [&] { received = call("recv", {u(fd), peer + 16, 16, 0}); });
    ASSERT_TRUE(scheduler.runUntil([&] { return scheduler.parked() == 1; }));

    process.reset();  // the call's share keeps the memory it returns through
    EXPECT_FALSE(memoryAlive.expired());
    ASSERT_TRUE(scheduler.drain());
    EXPECT_EQ(received, -1);
    EXPECT_TRUE(memoryAlive.expired());

    // A process that shares no memory refuses calls that bring none.
    guest::DefaultHooks hooks;
    Process bare(hooks);
    guest::CallFrame frame;
    EXPECT_FALSE(table.call(*table.find("nsysnet", "socket_lib_init"), bare, frame));
}

}  // namespace
