#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...] — builds the libFuzzer targets (clang, ASan + UBSan, in
# build-fuzz/ or $WIIU_FUZZ_BUILD) and runs each for SECONDS, one after another, starting from the
# committed seeds in fuzz/corpus/<name>/ (new inputs go to <build>/fuzz-corpus/<name>/, crashes
# to <build>/fuzz-artifacts/<name>/). Prints executions and findings per target; exits 1 when
# any target found something. Targets: import_table metadata pki manifest x509_chain rpl.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(import_table metadata pki manifest x509_chain rpl)
build=${WIIU_FUZZ_BUILD:-build-fuzz}
san="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWIIU_NSSL_FUZZ=ON -DWIIU_NSSL_WERROR=ON \
    -DWIIU_NSSL_BUILD_TESTS=OFF -DWIIU_NSSL_BUILD_TOOLS=OFF -DWIIU_NSSL_BUILD_BENCH=OFF \
    -DWIIU_NSSL_INSTALL=OFF -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" >/dev/null
fi
cmake --build "$build" -j "${WIIU_FUZZ_JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=()
failed=0
for t in "${targets[@]}"; do
  seeds=fuzz/corpus/$t
  work=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t/
  log=$build/fuzz-logs/$t.log
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  echo "== fuzz_$t for ${secs}s"
  rc=0
  "$build/bin/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$work" "$seeds" >"$log" 2>&1 || rc=$?
  runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  found=$(find "$artifacts" -type f | wc -l)
  if [[ $rc -ne 0 || $found -ne 0 ]]; then
    failed=1
    echo "fuzz_$t: FINDING (exit $rc); artifacts in $artifacts; log $log"
    grep -a -m1 -A25 'ERROR: \|runtime error\|==ERROR' "$log" || tail -30 "$log"
  fi
  summary+=("$(printf '%-12s %6ss %12s executions  %s findings  corpus %s' "$t" "$secs" "${runs:-?}" "$found" "$(ls "$work" | wc -l)")")
done
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $failed
