#!/usr/bin/env bash
# The README's test command: installs what the project needs, builds, and runs every test.
#   scripts/test.sh              normal build in build/
#   scripts/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/
#                                (clang; the same tree also builds the libFuzzer targets, so
#                                .ci/run fuzzes there instead of compiling everything again)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=()
if [[ ${1:-} == --sanitize ]]; then
  build=build-asan
  # RelWithDebInfo: optimised enough for the fuzz targets to matter, with full debug info and
  # frame pointers for the sanitizers' stacks (the project has no assert() that NDEBUG would drop).
  flags+=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
          -DWIIU_NSSL_SANITIZE=ON -DWIIU_NSSL_FUZZ=ON -DWIIU_NSSL_BUILD_BENCH=OFF)
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DWIIU_NSSL_WERROR=ON "${flags[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure --timeout 600
