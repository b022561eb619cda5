// Row 1: the cost of the import table. NSSLGetPending on a live connection through
// importTable().call(index, process, memory, frame), against process.nssl().pending(conn).
#include <benchmark/benchmark.h>

#include "hle/nssl/service.h"
#include "common.h"
#include "nssl_client.h"
#include "rows.h"

namespace wiiu::bench {

namespace {

struct LiveConnection {
    NsslBenchGuest guest;
    NsslBenchGuest::Conn conn;
    LiveConnection()
    {
        const std::int32_t ctx = guest.createContext(readFile(pkiFile("root.der")));
        conn = guest.connect(ctx, serverPort());
    }
    ~LiveConnection() { guest.close(conn); }
};

void importTableCall(benchmark::State& state)
{
    LiveConnection live;
    if (!live.conn) {
        state.SkipWithError("no connection");
        return;
    }
    const auto& table = importTable();
    const guest::ExportIndex index = live.guest.pendingIndex();
    guest::CallFrame frame;
    frame.thread = 1;
    frame.gpr[1] = test::GuestEnv::kStackTop - 0x100;
    for (auto _ : state) {
        frame.gpr[3] = static_cast<std::uint32_t>(live.conn.conn);
        frame.gpr[4] = live.guest.outWord();
        table.call(index, live.guest.process(), live.guest.memory(), frame);
        benchmark::DoNotOptimize(frame.gpr[3]);
    }
    if (frame.result() != 0)
        state.SkipWithError("NSSLGetPending failed");
}

void directCall(benchmark::State& state)
{
    LiveConnection live;
    if (!live.conn) {
        state.SkipWithError("no connection");
        return;
    }
    nssl::Service& service = live.guest.process().state()->nssl();
    for (auto _ : state) {
        auto pending = service.pending(nssl::ConnectionHandle{live.conn.conn});
        benchmark::DoNotOptimize(pending);
    }
}

}  // namespace

void registerCallRow()
{
    benchmark::RegisterBenchmark("call/nssl_import_table", importTableCall)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("call/direct_service", directCall)->Unit(benchmark::kNanosecond);
}

}  // namespace wiiu::bench
