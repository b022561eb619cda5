// A/B comparison that survives a noisy machine: the module and its baseline take turns inside
// one repetition (A B, then B A, ...), each turn timed in process CPU time, and the ratio is
// taken of the two sums. A burst of outside load then lands on both sides alike, where two
// separate benchmark runs seconds apart can see different machines.
#pragma once

#include <time.h>

#include <benchmark/benchmark.h>

namespace wiiu::bench {

class TakeTurns {
public:
    /// One round: both sides once, the one going first alternating. False when a side failed.
    template <class A, class B>
    bool round(A&& a, B&& b)
    {
        const bool aFirst = (rounds_++ % 2) == 0;
        return aFirst ? (timed(0, a) && timed(1, b)) : (timed(1, b) && timed(0, a));
    }

    /// Counters a_cpu and b_cpu (seconds, per round) and ratio = a / b, for bench/report.py.
    void report(benchmark::State& state) const
    {
        const double n = rounds_ ? static_cast<double>(rounds_) : 1.0;
        state.counters["a_cpu"] = cpu_[0] / n;
        state.counters["b_cpu"] = cpu_[1] / n;
        state.counters["ratio"] = cpu_[1] > 0 ? cpu_[0] / cpu_[1] : 0.0;
    }

private:
    static double processCpu()
    {
        timespec ts{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    }

    template <class F>
    bool timed(int side, F& f)
    {
        const double start = processCpu();
        const bool ok = f();
        cpu_[side] += processCpu() - start;
        return ok;
    }

    double cpu_[2]{};
    long rounds_ = 0;
};

}  // namespace wiiu::bench
