// The threading contract of <wiiu_nssl/hooks.h>, as Cemu and decaf run guest threads:
// - No hook under a lock: a hook may switch fibers, and the next fiber on the same host thread
//   may call into the module and take the lock again. Every hook here, and the log sink, notes
//   whether the calling host thread holds a module lock (the count every ModuleMutex keeps).
// - Fibers that migrate: with three host threads every parked guest thread resumes on another
//   host thread than the one it parked on (Cemu's multi-core mode, decaf).
// Fibers run TLS flows, a failing handshake, select, the resolver (a host lookup included) and
// failing socket calls through the import table, then the process ends under a parked call;
// once per wait style and host-thread count, under ASan and TSan in their trees too.
#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/ip/host_name.hpp>
#include <gtest/gtest.h>

#include <wiiu_nssl/guest_heap.h>
#include <wiiu_nssl/log.h>
#include "common/module_lock.h"
#include "support/fiber_scheduler.h"
#include "support/loopback_listener.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using nssl::NsslError;

namespace {

struct Setup {
    WaitStyle style;
    std::size_t hostThreads;
};

std::string setupName(const testing::TestParamInfo<Setup>& info)
{
    return waitStyleName(info.param.style) +
           (info.param.hostThreads == 1 ? "OnOneHostThread" : "OnThreeHostThreads");
}

/// Records each hook (and log line) that ran while its host thread held a module lock.
class LockWatch {
public:
    void note(const std::string& hook)
    {
        const bool locked = moduleLocksHeld() > 0;
        std::lock_guard lock(mutex_);
        ++calls_[hook];
        if (locked)
            underLock_.push_back(hook);
    }
    int calls(const std::string& hook) const
    {
        std::lock_guard lock(mutex_);
        auto it = calls_.find(hook);
        return it == calls_.end() ? 0 : it->second;
    }
    std::string underLock() const
    {
        std::lock_guard lock(mutex_);
        std::string all;
        for (const auto& hook : underLock_)
            all += hook + " ";
        return all;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, int> calls_;
    std::vector<std::string> underLock_;
};

/// An emulator's hooks in either wait style, with a guest heap, each hook noting itself.
class WatchedHooks final : public guest::EmbeddingHooks {
public:
    WatchedHooks(FiberScheduler& scheduler, WaitStyle style, LockWatch& watch)
        : scheduler_(scheduler), style_(style), watch_(watch),
          heap_(GuestEnv::kHeapBase, GuestEnv::kBase + GuestEnv::kSize - GuestEnv::kHeapBase)
    {
    }
    int wait(std::span<guest::WaitItem> items, guest::Deadline deadline) override
    {
        watch_.note("wait");
        return waitInStyle(scheduler_, style_, items, deadline);
    }
    std::chrono::system_clock::time_point now() override
    {
        watch_.note("now");
        return EmbeddingHooks::now();
    }
    std::uint32_t guestAlloc(std::uint32_t size, std::uint32_t alignment) override
    {
        watch_.note("guestAlloc");
        return heap_.allocate(size, alignment);
    }
    void guestFree(std::uint32_t address) override
    {
        watch_.note("guestFree");
        heap_.free(address);
    }
    void socketErrorChanged(guest::GuestThreadId, std::int32_t) override { watch_.note("socketErrorChanged"); }

private:
    FiberScheduler& scheduler_;
    WaitStyle style_;
    LockWatch& watch_;
    guest::GuestHeap heap_;
};

/// Every channel at trace level into `watch`, for the test's length.
class WatchedLog {
public:
    explicit WatchedLog(LockWatch& watch)
    {
        log::setSink([&watch](log::Channel, log::Level, std::string_view) { watch.note("log sink"); });
        for (auto c : {log::Channel::guest, log::Channel::nsysnet, log::Channel::nssl, log::Channel::certstore})
            log::setLevel(c, log::Level::trace);
    }
    ~WatchedLog()
    {
        for (auto c : {log::Channel::guest, log::Channel::nsysnet, log::Channel::nssl, log::Channel::certstore})
            log::setLevel(c, log::Level::info);
        log::setSink(nullptr);
    }
};

class HooksUnlocked : public testing::TestWithParam<Setup> {};

TEST_P(HooksUnlocked, NoHookAndNoLogLineRunsUnderALockAndParkedCallsResumeAnywhere)
{
    std::string why;
    auto server = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(server) << why;
    const std::string hostName = boost::asio::ip::host_name();
    LockWatch watch;
    FiberScheduler scheduler(1u << 20, GetParam().hostThreads);
    WatchedHooks hooks(scheduler, GetParam().style, watch);
    WatchedLog logged(watch);
    auto g = std::make_unique<NsslGuest>(nssl::Config{}, testCertStore(), &hooks);
    g->nssl("socket_lib_init");
    const std::int32_t trusting = g->context(0, pkiBytes("root.der"));
    const std::int32_t untrusting = g->context(0);
    ASSERT_GE(trusting, 0);
    ASSERT_GE(untrusting, 0);

    // Each fiber writes only its own result; the scheduler's handovers order them for the reads.
    enum { Flow0, Flow1, Flow2, Untrusted, Select, ByName, ByHostName, Addrinfo, Ntoa, Refused, Count };
    std::array<std::int32_t, Count> result;
    result.fill(12345);
    for (int i = 0; i < 3; ++i)
        scheduler.spawn("flow" + std::to_string(i), [&, i] {
            result[Flow0 + i] = echoFlow(*g, trusting, server->port(), static_cast<guest::GuestThreadId>(20 + i), 40000);
        });
    scheduler.spawn("untrusted", [&] {
        const std::int32_t conn = g->connection(untrusting, server->port(), "localhost", 7, true);
        result[Untrusted] = g->nssl("NSSLDoHandshake", {u(conn)}, 2);
    });
    scheduler.spawn("select", [&] { result[Select] = selectThatTimesOut(*g, server->port(), 3); });
    scheduler.spawn("resolver", [&] {
        result[ByName] = g->nssl("gethostbyname", {g->putString("localhost").address}, 4) != 0 ? 0 : 1;
        // A name the module cannot answer itself: a host lookup on a worker thread, waited for.
        result[ByHostName] = g->nssl("gethostbyname", {g->putString(hostName).address}, 4) != 0 ? 0 : 1;
        const auto res = g->alloc(4);
        result[Addrinfo] = g->nssl("getaddrinfo", {g->putString("localhost").address, 0, 0, res}, 4);
        g->nssl("freeaddrinfo", {g->readBe32(res)}, 4);
        result[Ntoa] = g->nssl("inet_ntoa", {0x7F000001}, 4) != 0 ? 0 : 1;
    });
    scheduler.spawn("refused", [&] {
        const std::int32_t fd = g->nssl("socket", {2, 1, 6}, 5);
        std::uint16_t port = 0;
        {
            LoopbackListener closed;  // a port nobody listens on once it is gone
            port = closed.port;
        }
        result[Refused] = g->nssl("connect", {u(fd), g->sockaddr(port), 16}, 5);
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return scheduler.live() == 0; }, std::chrono::seconds(60)));
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(result[Flow0 + i], 0) << "flow " << i;
    EXPECT_EQ(result[Untrusted], NsslGuest::code(NsslError::HANDSHAKE_ERROR)) << "the handshake's failure";
    EXPECT_EQ(result[Select], 0);
    EXPECT_EQ(result[ByName], 0);
    EXPECT_EQ(result[ByHostName], 0) << hostName;
    EXPECT_EQ(result[Addrinfo], 0);
    EXPECT_EQ(result[Ntoa], 0);
    EXPECT_EQ(result[Refused], -1);

    // The process ends under a call parked in NSSLRead; the resolver's blocks go back to the heap.
    std::int32_t reader = 12345;
    bool reading = false;
    scheduler.spawn("reader", [&] {
        const std::int32_t conn = g->connection(trusting, server->port(), "localhost", 7);
        std::string none;
        reading = g->nssl("NSSLDoHandshake", {u(conn)}) == 0;
        reader = g->read(conn, none);
    });
    ASSERT_TRUE(scheduler.runUntil([&] { return reading && scheduler.parked() > 0; }));
    g->endProcess();
    ASSERT_TRUE(scheduler.drain());
    EXPECT_EQ(reader, NsslGuest::code(NsslError::IO_ERROR));
    g.reset();

    for (const char* hook : {"wait", "now", "guestAlloc", "guestFree", "socketErrorChanged", "log sink"})
        EXPECT_GT(watch.calls(hook), 0) << hook << " never ran: the test did not exercise it";
    EXPECT_EQ(watch.underLock(), "") << "hooks called while the module held a lock";
    if (GetParam().hostThreads > 1) {
        EXPECT_GT(scheduler.resumesAfterPark(), 10u) << "the guest threads hardly parked";
        EXPECT_EQ(scheduler.resumesOnTheParkingThread(), 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(Threading, HooksUnlocked,
                         testing::Values(Setup{WaitStyle::Park, 1}, Setup{WaitStyle::PollThenSleep, 1},
                                         Setup{WaitStyle::Park, 3}, Setup{WaitStyle::PollThenSleep, 3}),
                         setupName);

/// The lock count covers every lock only while every lock is a ModuleMutex.
TEST(HooksUnlocked, EveryLockOfTheModuleIsAModuleMutex)
{
    namespace fs = std::filesystem;
    std::string offenders;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(WIIU_NSSL_SOURCE_DIR) / "src")) {
        if (!entry.is_regular_file() || entry.path().parent_path().filename() == "common")
            continue;
        std::ifstream in(entry.path());
        std::ostringstream text;
        text << in.rdbuf();
        for (const char* raw : {"std::mutex", "std::shared_mutex", "std::recursive_mutex", "std::timed_mutex"})
            if (text.str().find(raw) != std::string::npos)
                offenders += entry.path().string() + " uses " + raw + "\n";
    }
    EXPECT_EQ(offenders, "");
}

// A fiber that waited may go on on another host thread: every thread_local of the module is
// reached through opaqueAddress() (common/fiber_safe_tls.h), never by its name.
TEST(HooksUnlocked, EveryThreadLocalOfTheModuleIsLookedUpAnew)
{
    namespace fs = std::filesystem;
    const std::regex declaration(R"(^\s*(static\s+)?thread_local\s[^=;{]*?(\w+)\s*(=|;|\{))");
    std::string offenders;
    int found = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(WIIU_NSSL_SOURCE_DIR) / "src")) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path());
        std::ostringstream text;
        text << in.rdbuf();
        const std::string all = text.str();
        std::istringstream lines(all);
        for (std::string line; std::getline(lines, line);) {
            std::smatch m;
            if (!std::regex_search(line, m, declaration))
                continue;
            ++found;
            const std::string name = m[2];
            const std::regex use("\\b" + name + "\\b");
            const auto uses = std::distance(std::sregex_iterator(all.begin(), all.end(), use), std::sregex_iterator());
            if (all.find("opaqueAddress(&" + name + ")") == std::string::npos || uses != 2)
                offenders += entry.path().string() + ": " + name + " is not reached only through opaqueAddress()\n";
        }
    }
    EXPECT_GE(found, 3);  // the lock count, the host-call depth, the deferred log lines
    EXPECT_EQ(offenders, "");
}

}  // namespace
