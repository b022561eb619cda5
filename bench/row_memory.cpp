// Row 4: heap per live connection. mallinfo2 (arena in use + mmapped blocks) before and after
// opening sizes().connections established connections, divided by their number. Everything a
// client needs before its first connection (contexts, trust anchors, guest processes, lazy
// library state) is made first and one connection is opened and closed as a warm-up.
// NSSL: a guest process has 31 socket descriptors, so the connections are spread over
// processes of 25 each (the process objects exist before the first measurement).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "common.h"
#include "nssl_client.h"
#include "openssl_client.h"
#include "raw_bearssl.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

constexpr int kPerProcess = 25;

void finish(benchmark::State& state, std::size_t before, std::size_t after, int opened)
{
    if (opened != sizes().connections)
        state.SkipWithError("a connection failed");
    state.counters["bytes_per_conn"] =
        opened > 0 ? (static_cast<double>(after) - static_cast<double>(before)) / opened : 0;
}

void nsslMemory(benchmark::State& state)
{
    const int n = sizes().connections;
    const auto root = readFile(pkiFile("root.der"));
    struct Guest {
        std::unique_ptr<NsslBenchGuest> guest;
        std::int32_t ctx = -1;
        std::vector<NsslBenchGuest::Conn> conns;
    };
    std::vector<Guest> guests((n + kPerProcess - 1) / kPerProcess);
    nssl::Config config;
    for (auto& g : guests) {
        g.guest = std::make_unique<NsslBenchGuest>(config);
        g.ctx = g.guest->createContext(root);
        g.guest->close(g.guest->connect(g.ctx, serverPort()));  // warm-up
        g.conns.reserve(kPerProcess);
    }
    std::size_t before = 0, after = 0;
    int opened = 0;
    for (auto _ : state) {
        before = heapInUse();
        for (int i = 0; i < n; ++i) {
            Guest& g = guests[static_cast<std::size_t>(i / kPerProcess)];
            const auto c = g.guest->connect(g.ctx, serverPort());
            if (c)
                ++opened;
            g.conns.push_back(c);
        }
        after = heapInUse();
    }
    for (auto& g : guests)
        for (const auto& c : g.conns)
            g.guest->close(c);
    finish(state, before, after, opened);
}

void rawMemory(benchmark::State& state)
{
    const int n = sizes().connections;
    RawTrustAnchors tas({readFile(pkiFile("root.der"))});
    if (auto warm = RawBearSslClient::connect(tas, serverPort()))
        warm->close();
    std::vector<std::unique_ptr<RawBearSslClient>> conns;
    conns.reserve(static_cast<std::size_t>(n));
    std::size_t before = 0, after = 0;
    int opened = 0;
    for (auto _ : state) {
        before = heapInUse();
        for (int i = 0; i < n; ++i) {
            conns.push_back(RawBearSslClient::connect(tas, serverPort()));
            opened += conns.back() != nullptr;
        }
        after = heapInUse();
    }
    for (auto& c : conns)
        if (c)
            c->close();
    finish(state, before, after, opened);
}

void opensslMemory(benchmark::State& state)
{
    const int n = sizes().connections;
    OpenSslClientContext ctx(pkiFile("root.pem"));
    if (auto warm = OpenSslClient::connect(ctx, serverPort()))
        warm->close();
    std::vector<std::unique_ptr<OpenSslClient>> conns;
    conns.reserve(static_cast<std::size_t>(n));
    std::size_t before = 0, after = 0;
    int opened = 0;
    for (auto _ : state) {
        before = heapInUse();
        for (int i = 0; i < n; ++i) {
            conns.push_back(OpenSslClient::connect(ctx, serverPort()));
            opened += conns.back() != nullptr;
        }
        after = heapInUse();
    }
    for (auto& c : conns)
        if (c)
            c->close();
    finish(state, before, after, opened);
}

void memory(const char* name, void (*fn)(benchmark::State&))
{
    benchmark::RegisterBenchmark(name, fn)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

void registerMemoryRow()
{
    memory("memory/nssl_import_table", nsslMemory);
    memory("memory/raw_bearssl", rawMemory);
    memory("memory/openssl", opensslMemory);
}

}  // namespace wiiu::bench
