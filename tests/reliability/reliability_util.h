// Shared helpers of the reliability tests: bounded runs (a stuck guest thread fails the test
// program instead of hanging CI), servers, and handle accounting.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "support/bearssl_server.h"
#include "support/nssl_guest.h"
#include "support/pki_fixture.h"

namespace wiiu::test::reliability {

/// Runs `fn` on its own thread and waits at most `limit` for it. A thread still running after
/// that is a stuck guest thread: the program aborts with a message (a join cannot be bounded
/// otherwise, and returning would free state the thread still uses).
template <class F>
auto bounded(std::chrono::milliseconds limit, const char* what, F fn) -> decltype(fn())
{
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    std::thread worker(std::move(task));
    if (result.wait_for(limit) != std::future_status::ready) {
        std::fprintf(stderr, "STUCK: %s did not return within %lld ms\n", what,
                     static_cast<long long>(limit.count()));
        std::fflush(stderr);
        std::abort();
    }
    worker.join();
    return result.get();
}

inline std::unique_ptr<BearSslServer> startServer(BearSslServer::Options o)
{
    if (o.chain.empty()) {
        o.chain = {pkiBytes("server.der"), pkiBytes("int.der")};
        o.key = pkiBytes("server.key.der");
    }
    std::string why;
    auto server = BearSslServer::start(std::move(o), &why);
    EXPECT_TRUE(server) << why;
    return server;
}

inline std::unique_ptr<BearSslServer> startServer(BearSslServer::Behavior behavior, std::string payload = {})
{
    BearSslServer::Options o;
    o.behavior = behavior;
    o.payload = std::move(payload);
    return startServer(std::move(o));
}

/// A Config whose blocking calls give up quickly.
inline nssl::Config quickConfig(std::chrono::milliseconds timeout = std::chrono::milliseconds(400))
{
    nssl::Config c;
    c.blockingTimeout = timeout;
    return c;
}

/// `size` bytes of a deterministic pseudo-random stream (xorshift64*), different per seed.
inline std::string randomText(std::size_t size, std::uint64_t seed)
{
    std::string s(size, '\0');
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (std::size_t i = 0; i < size; ++i) {
        x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
        s[i] = static_cast<char>((x * 0x2545F4914F6CDD1Dull) >> 56);
    }
    return s;
}

/// Every NSSL connection and guest socket of the process is gone.
inline void expectNoHandles(NsslGuest& g)
{
    EXPECT_TRUE(g.process().state()->nssl().status().connections.empty()) << "connections left open";
    EXPECT_TRUE(g.process().state()->sockets().descriptors().empty()) << "sockets left open";
}

}  // namespace wiiu::test::reliability
