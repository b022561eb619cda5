#!/usr/bin/env bash
# Builds the benchmarks in release mode (own folder: build-bench) and prints one table: the
# module through its import table against raw BearSSL and OpenSSL 3, every row measured in the
# same run, min / median / max over the repetitions. Targets are reported PASS / MISS; a miss
# never fails this script (shared, noisy machines).
#
#   bench/run.sh            full sizes: 256 MiB transfers, 300 handshakes, 100 connections, 5 repetitions
#   bench/run.sh --smoke    tiny sizes, 1 repetition; fails only when a row did not run
#
# Environment: BENCH_BUILD_DIR (default build-bench), BENCH_REPETITIONS (default 5),
# BENCH_FILTER (a --benchmark_filter regex), BENCH_ARGS (more arguments for the program),
# BENCH_NO_PIN=1 (do not pin the client to CPU 0 and the server to CPU 1).
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
case "${1:-}" in
  --smoke) smoke=1 ;;
  "") ;;
  *) echo "usage: bench/run.sh [--smoke]" >&2; exit 2 ;;
esac

# A smoke run only checks that every row runs: it reuses the tree scripts/test.sh built (build/)
# when there is one, instead of compiling the whole module again in release mode.
if [ $smoke -eq 1 ] && [ -z "${BENCH_BUILD_DIR:-}" ] && [ -f build/CMakeCache.txt ]; then
  build=build
  configure=(true)
else
  build=${BENCH_BUILD_DIR:-build-bench}
  configure=(cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DWIIU_NSSL_BUILD_BENCH=ON
             -DWIIU_NSSL_BUILD_TESTS=OFF -DWIIU_NSSL_BUILD_TOOLS=OFF -DWIIU_NSSL_INSTALL=OFF)
fi
mkdir -p "$build"
log="$build/bench-build.log"
if ! { "${configure[@]}" && cmake --build "$build" --target wiiu_nssl_bench -j "$(nproc)"; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bench: build failed (full log: $log)" >&2
  exit 1
fi

if [ $smoke -eq 1 ]; then
  args=(--bytes=1048576 --handshakes=20 --conns=10 --benchmark_repetitions=1 --benchmark_min_time=0.01)
else
  args=(--benchmark_repetitions="${BENCH_REPETITIONS:-5}" --benchmark_enable_random_interleaving=true)
fi
[ -n "${BENCH_FILTER:-}" ] && args+=(--benchmark_filter="$BENCH_FILTER")
# shellcheck disable=SC2206
[ -n "${BENCH_ARGS:-}" ] && args+=($BENCH_ARGS)

json="$build/bench.json"
start=$SECONDS
if ! "$build/bin/wiiu_nssl_bench" "${args[@]}" --benchmark_out="$json" --benchmark_out_format=json \
      >"$build/bench-run.log" 2>&1; then
  tail -n 40 "$build/bench-run.log" >&2
  echo "bench: the benchmark program failed (log: $build/bench-run.log)" >&2
  exit 1
fi
if [ $smoke -eq 1 ]; then
  python3 bench/report.py "$json" --smoke
  echo "bench: smoke run finished in $((SECONDS - start)) s"
else
  python3 bench/report.py "$json"
  echo "bench: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(date -u +%Y-%m-%dT%H:%MZ), $((SECONDS - start)) s"
fi
