// Race hunt: three guest threads of one process hammer shared contexts, connections and
// sessions through the import table, against a threaded TLS echo server (python) on 127.0.0.1,
// for STRESS_SECONDS (default 3). Create and destroy contexts and connections, handshake, read
// and write one connection from two threads, NSSLDestroyConnection and socketclose while a
// thread is blocked in NSSLRead, get/free/remove sessions from any thread, NSSLFinish in the
// middle. Invariants: every result is documented for its export (docs/abi.md), echoed bytes are
// the bytes sent, ending a handle ends it (checked on the host status right after), nothing is
// left and no host descriptor leaks at the end.
#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "hle/nsysnet/socket_table.h"
#include "common/log.h"
#include "reliability/stress_hunt.h"
#include "support/tls_peer.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace wiiu::test::reliability;
using namespace wiiu::test::stress;

namespace {

double stressSeconds()
{
    const char* env = std::getenv("STRESS_SECONDS");
    const double s = env ? std::atof(env) : 0;
    return s > 0 ? s : 3.0;
}

std::size_t openDescriptors()
{
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"), {}));
}

TEST(ReliabilityStress, ThreeGuestThreadsHammerSharedHandles)
{
    std::string why;  // python: a threaded echo, serves every connection at once
    auto peer = TlsPeer::start(testServerOptions(TlsPeer::Kind::Python), &why);
    ASSERT_TRUE(peer) << why;

    NsslGuest g(quickConfig(std::chrono::milliseconds(150)));  // blocked reads end by themselves too
    // Thousands of expected failures (aborted reads, closed sockets) would drown the report.
    const auto nsslLevel = log::nssl().level(), netLevel = log::nsysnet().level();
    log::nssl().set_level(spdlog::level::err);
    log::nsysnet().set_level(spdlog::level::err);
    ASSERT_EQ(g.nssl("NSSLInit"), 0);
    // One connection first, so whatever the host creates once (Asio, the log) exists before counting.
    const std::int32_t ctx = g.context();
    std::int32_t fd = -1;
    const std::int32_t warm = g.connection(ctx, peer->port(), "warm.stress", 0, true, &fd);
    ASSERT_GE(warm, 0);
    ASSERT_EQ(g.write(warm, "ping"), 0);
    std::string echo;
    ASSERT_EQ(g.readExactly(warm, echo, 4), 0);
    ASSERT_EQ(g.nssl("NSSLDestroyContext", {u(ctx)}), 0);
    ASSERT_EQ(g.nssl("socketclose", {u(fd)}), 0);
    const std::size_t descriptors = openDescriptors();

    Stress stress(g, peer->port());
    std::array<Worker, kThreads> workers;
    for (int t = 0; t < kThreads; ++t)
        workers[t] = Worker{static_cast<guest::GuestThreadId>(0x1000 + t), g.alloc(kMaxChunk), g.alloc(4), g.alloc(64),
                            std::mt19937(static_cast<unsigned>(std::random_device{}())), {}};
    const double seconds = stressSeconds();
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                            std::chrono::duration<double>(seconds));
    {
        std::vector<std::thread> threads;
        for (Worker& w : workers)
            threads.emplace_back([&stress, &w, end] { stress.run(w, end); });
        for (auto& t : threads)
            t.join();
    }
    Tally all;
    for (Worker& w : workers)
        all.merge(w.tally);
    Worker& last = workers[0];
    last.tally = {};
    stress.finishAll(last);
    all.merge(last.tally);
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty()) << "guest sockets left open";
    EXPECT_EQ(openDescriptors(), descriptors) << "host descriptors leaked";

    std::uint64_t calls = 0;
    for (const auto& [name, codes] : all.results)
        for (const auto& [code, n] : codes)
            calls += n;
    std::printf("stress: %.1f s (STRESS_SECONDS), %d guest threads, %llu calls, %d NSSLFinish, %llu echoed bytes "
                "verified, %llu inconclusive reads on ending handles, %zu violations\n%s",
                seconds, kThreads, static_cast<unsigned long long>(calls), stress.finishes(),
                static_cast<unsigned long long>(all.bytesVerified), static_cast<unsigned long long>(all.excused),
                all.violations.size(), all.summary().c_str());
    std::map<std::string, int> kinds;  // by the issue they name, if any
    for (const std::string& v : all.violations)
        ++kinds[v.find('[') == std::string::npos ? "[unlabelled]" : v.substr(v.find('['))];
    for (const auto& [kind, n] : kinds)
        std::printf("  violations %s: %d\n", kind.c_str(), n);
    for (std::size_t i = 0; i < all.violations.size() && i < 20; ++i)
        ADD_FAILURE() << all.violations[i];
    EXPECT_TRUE(all.violations.empty()) << all.violations.size() << " violations";
    log::nssl().set_level(nsslLevel);
    log::nsysnet().set_level(netLevel);
}

}  // namespace
