// ppc_call_bench: the cost of one guest call through the import table under Unicorn.
// A PowerPC loop (programs/bench.c) makes N calls through its import pointer array to
//   bare:  a `blr` stub whose UC_HOOK_CODE hook fires and does nothing, and
//   echo:  a host function that reads r1, r3..r10 and writes r3 (Unicorn's register cost), and
//   ntohl: the same stub mechanism dispatching a trivial export through ImportTable::call
//          (register batch read, CallFrame, export_fn marshaling, r3 written back).
// Prints min/median/max ns per call over R runs and the ratio ntohl/bare (target: <= 2).
// Usage: ppc_call_bench [calls per run = 1000000] [runs = 5]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "guest/runner/ppc_runner.h"

using namespace wiiu::test::ppc;

namespace {

struct Stats {
    double min, median, max;
};

Stats measure(PpcRunner& runner, std::uint32_t params, std::uint32_t variant, std::uint32_t calls, int runs)
{
    runner.storeBe32(params + 0x18, variant);
    runner.storeBe32(params + 0x1C, calls);
    std::vector<double> perCall;
    for (int i = 0; i < runs; ++i) {
        const RunResult r = runner.run(ThreadSpec{params, 0, 0});
        if (!r.ok || r.r3 != 0 || r.calls != calls + 1) {  // + coreinit exit
            std::fprintf(stderr, "run failed: %s (r3=%u calls=%llu)\n", r.error.c_str(), r.r3,
                         static_cast<unsigned long long>(r.calls));
            std::exit(1);
        }
        perCall.push_back(static_cast<double>(r.elapsed.count()) / calls);
    }
    std::sort(perCall.begin(), perCall.end());
    return {perCall.front(), perCall[perCall.size() / 2], perCall.back()};
}

}  // namespace

int main(int argc, char** argv)
{
    const std::uint32_t calls = argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 0)) : 1000000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (calls == 0 || runs <= 0) {
        std::fprintf(stderr, "usage: ppc_call_bench [calls per run] [runs]\n");
        return 2;
    }
    PpcRunner runner(PpcRunner::Settings{});
    std::string why;
    if (!runner.load(programPath("bench"), &why)) {
        std::fprintf(stderr, "load: %s\n", why.c_str());
        return 1;
    }
    const std::uint32_t params = runner.alloc(0x40);

    measure(runner, params, 1, calls / 10 + 1, 1);  // warm-up: first use of the table, caches
    const Stats bare = measure(runner, params, 0, calls, runs);
    const Stats table = measure(runner, params, 1, calls, runs);
    const Stats echo = measure(runner, params, 2, calls, runs);
    std::printf("ppc_call_bench: %u guest calls per run, %d runs, ns per call (min / median / max)\n", calls, runs);
    std::printf("  bare blr stub + no-op hook : %7.1f / %7.1f / %7.1f   (%.1f M calls/s median)\n", bare.min,
                bare.median, bare.max, 1e3 / bare.median);
    std::printf("  ntohl via ImportTable::call: %7.1f / %7.1f / %7.1f   (%.1f M calls/s median)\n", table.min,
                table.median, table.max, 1e3 / table.median);
    std::printf("  host_echo (regs, no table) : %7.1f / %7.1f / %7.1f   (%.1f M calls/s median)\n", echo.min,
                echo.median, echo.max, 1e3 / echo.median);
    std::printf("  ratio ntohl/bare (median)  : %.2fx  (target <= 2x)\n", table.median / bare.median);
    return 0;
}
