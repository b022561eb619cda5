// Load: 3 guest threads of one process, 10 TLS connections each (one after another), each
// echoing RELIABILITY_LOAD_MIB MiB (default 64) through an in-process BearSSL server, with a
// SHA-256 of everything sent and received on both sides: no byte may be lost or corrupted, and
// every handle must be released at the end.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "common/bearssl.h"
#include "pki/encoding.h"
#include "reliability/reliability_util.h"

using namespace wiiu;
using namespace wiiu::test;
using namespace wiiu::test::reliability;
using nssl::NsslError;

namespace {

constexpr int kThreads = 3;
constexpr int kConnectionsPerThread = 10;
constexpr std::uint32_t kChunk = 64 * 1024;       ///< one NSSLWrite
constexpr std::size_t kWindow = 1024 * 1024;      ///< sent but not yet echoed back, at most

std::size_t bytesPerConnection()
{
    std::size_t mib = 64;
    if (const char* env = std::getenv("RELIABILITY_LOAD_MIB"); env && *env) {
        char* end = nullptr;
        const unsigned long v = std::strtoul(env, &end, 10);
        if (end && *end == '\0' && v > 0 && v <= 4096)
            mib = v;
    }
    return mib << 20;
}

class Sha256 {
public:
    Sha256() { br_sha256_init(&ctx_); }
    void add(const void* data, std::size_t size) { br_sha256_update(&ctx_, data, size); }
    std::array<std::uint8_t, 32> done()
    {
        std::array<std::uint8_t, 32> out{};
        br_sha256_out(&ctx_, out.data());
        return out;
    }

private:
    br_sha256_context ctx_{};
};

/// The guest memory one guest thread uses, reserved up front (GuestEnv's allocator is not meant
/// for concurrent use).
struct ThreadMemory {
    guest::GuestAddress sockaddr = 0, host = 0, buffer = 0, word = 0;
};

struct ConnectionResult {
    std::size_t sent = 0, received = 0;
    std::array<std::uint8_t, 32> sentSha{}, receivedSha{};
    std::string error;  ///< empty when every call succeeded
};

/// One connection of one guest thread: socket, connect, NSSL connection, echo, teardown.
ConnectionResult echoOnce(NsslGuest& g, const ThreadMemory& m, guest::GuestThreadId thread, std::uint64_t seed,
                          std::size_t total)
{
    ConnectionResult res;
    auto call = [&](std::string_view name, std::initializer_list<std::uint32_t> args) {
        return g.nssl(name, args, thread);
    };
    auto fail = [&](std::string what, std::int32_t r) {
        res.error = what + " returned " + std::to_string(r);
        return res;
    };
    const std::int32_t fd = call("socket", {2, 1, 6});
    if (fd < 0) return fail("socket", fd);
    if (std::int32_t r = call("connect", {u(fd), m.sockaddr, 16}); r != 0) return fail("connect", r);
    const std::int32_t conn = call("NSSLCreateConnection", {0, m.host, 9, 7, u(fd), 1});
    if (conn < 0) return fail("NSSLCreateConnection", conn);

    Sha256 sentHash, receivedHash;
    std::string chunk;  // regenerated per chunk from a running seed
    std::uint64_t chunkSeed = seed;
    std::byte* io = g.host(m.buffer);
    while (res.received < total && res.error.empty()) {
        if (res.sent < total && res.sent - res.received <= kWindow) {
            const std::uint32_t n = static_cast<std::uint32_t>(std::min<std::size_t>(kChunk, total - res.sent));
            chunk = randomText(n, ++chunkSeed);
            std::memcpy(io, chunk.data(), n);
            const std::int32_t r = call("NSSLWrite", {u(conn), m.buffer, n, m.word});
            if (r != 0 || g.readBe32(m.word) != n) return fail("NSSLWrite", r);
            sentHash.add(chunk.data(), n);
            res.sent += n;
            continue;
        }
        const std::int32_t r = call("NSSLRead", {u(conn), m.buffer, kChunk, m.word});
        if (r != 0) return fail("NSSLRead", r);
        const std::uint32_t got = g.readBe32(m.word);
        if (got == 0 || got > kChunk) return fail("NSSLRead count", static_cast<std::int32_t>(got));
        receivedHash.add(io, got);
        res.received += got;
    }
    res.sentSha = sentHash.done();
    res.receivedSha = receivedHash.done();
    if (std::int32_t r = call("NSSLDestroyConnection", {u(conn)}); r != 0) return fail("NSSLDestroyConnection", r);
    if (std::int32_t r = call("socketclose", {u(fd)}); r != 0) return fail("socketclose", r);
    return res;
}

TEST(ReliabilityLoad, ThreeGuestThreadsTimesTenConnectionsEcho)
{
    const std::size_t total = bytesPerConnection();
    std::printf("load: %d guest threads x %d connections, %zu MiB echoed per connection "
                "(RELIABILITY_LOAD_MIB; default 64)\n",
                kThreads, kConnectionsPerThread, total >> 20);

    // One server per guest thread: BearSslServer serves its connections one at a time.
    std::vector<std::unique_ptr<BearSslServer>> servers;
    for (int t = 0; t < kThreads; ++t) {
        servers.push_back(startServer(BearSslServer::Behavior::Echo));
        ASSERT_TRUE(servers.back());
    }
    NsslGuest g(quickConfig(std::chrono::seconds(60)));
    ASSERT_EQ(g.context(0, pkiBytes("root.der")), 0);
    ASSERT_EQ(g.nssl("socket_lib_init"), 0);
    std::array<ThreadMemory, kThreads> memory;
    for (int t = 0; t < kThreads; ++t) {
        memory[t].sockaddr = g.sockaddr(servers[t]->port());
        memory[t].host = g.putText("localhost");
        memory[t].buffer = g.alloc(kChunk);
        memory[t].word = g.alloc(4);
    }

    std::array<std::vector<ConnectionResult>, kThreads> results;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kConnectionsPerThread; ++i) {
                results[t].push_back(echoOnce(g, memory[t], static_cast<guest::GuestThreadId>(t + 2),
                                              static_cast<std::uint64_t>(t * 1000 + i) << 32, total));
                if (!results[t].back().error.empty())
                    break;
            }
        });
    // Bounded: 1 s per MiB per connection would already be pathological.
    const auto limit = std::chrono::seconds(120) + std::chrono::seconds(kThreads * kConnectionsPerThread * (total >> 20));
    bounded(std::chrono::duration_cast<std::chrono::milliseconds>(limit), "the load threads", [&] {
        for (auto& th : threads) th.join();
        return 0;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::size_t moved = 0;
    for (int t = 0; t < kThreads; ++t) {
        ASSERT_EQ(results[t].size(), static_cast<std::size_t>(kConnectionsPerThread))
            << "thread " << t << ": " << results[t].back().error;
        ASSERT_TRUE(servers[t]->waitForConnections(kConnectionsPerThread, std::chrono::seconds(30)));
        const auto seen = servers[t]->connections();
        for (int i = 0; i < kConnectionsPerThread; ++i) {
            const auto& r = results[t][i];
            EXPECT_TRUE(r.error.empty()) << "thread " << t << " connection " << i << ": " << r.error;
            EXPECT_EQ(r.sent, total);
            EXPECT_EQ(r.received, total) << "thread " << t << " connection " << i;
            EXPECT_EQ(pki::toHex(r.receivedSha), pki::toHex(r.sentSha)) << "echo corrupted: thread " << t << " connection " << i;
            EXPECT_EQ(seen[i].received, total);
            EXPECT_EQ(pki::toHex(seen[i].receivedSha256), pki::toHex(r.sentSha)) << "server saw other bytes";
            EXPECT_TRUE(seen[i].cleanClose) << "close_notify missing on thread " << t << " connection " << i;
            moved += r.sent + r.received;
        }
    }
    std::printf("load: %zu MiB through TLS (both directions) in %.1f s, %.1f MiB/s; all SHA-256 match\n",
                moved >> 20, seconds, static_cast<double>(moved >> 20) / seconds);

    // Every handle released.
    const auto status = g.process().state()->nssl().status();
    EXPECT_TRUE(status.connections.empty());
    EXPECT_EQ(status.sessions, 0u);
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty());
    EXPECT_EQ(g.nssl("NSSLDestroyContext", {0}), 0);
    EXPECT_TRUE(g.process().state()->nssl().status().contexts.empty());
}

}  // namespace
