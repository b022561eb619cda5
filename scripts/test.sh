#!/usr/bin/env bash
# The README's test command: installs what the project needs, builds, and runs every test.
#   scripts/test.sh              normal build in build/
#   scripts/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/
#                                (clang; the libFuzzer targets have their own tree: fuzz/run.sh)
#   scripts/test.sh --tsan       ThreadSanitizer build in build-tsan/ (clang; no benchmarks or
#                                fuzz targets); any report fails the test that caused it
#   scripts/test.sh --windows    Windows build in build-windows/ (Debian's MinGW-w64; dependencies
#                                from scripts/windows-deps.sh), tests run under Wine
# A compiler launcher such as ccache is taken from CMAKE_CXX_COMPILER_LAUNCHER in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=()
# RelWithDebInfo for the sanitizer trees: optimised enough for the fuzz targets and the stress
# test to matter, with full debug info and frame pointers for the sanitizers' stacks (the project
# has no assert() that NDEBUG would drop).
clang=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
       -DWIIU_NSSL_BUILD_BENCH=OFF)
case ${1:-} in
--sanitize)
  build=build-asan
  flags+=("${clang[@]}" -DWIIU_NSSL_SANITIZE=ON)
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  ;;
--tsan)
  build=build-tsan
  flags+=("${clang[@]}" -DWIIU_NSSL_TSAN=ON)
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp}
  ;;
--windows)
  start=$SECONDS
  scripts/windows-deps.sh build-windows
  cmake -S . -B build-windows -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
    -DWIIU_NSSL_WINDOWS_PREFIX="$PWD/build-windows/deps" -DWIIU_NSSL_WERROR=ON \
    -DWIIU_NSSL_BEARSSL_SOURCE_DIR="$PWD/build-windows/bearssl-src" \
    -DWIIU_NSSL_BUILD_BENCH=OFF -DWIIU_NSSL_INSTALL=OFF >/dev/null
  cmake --build build-windows -j "$(nproc)"
  echo "test.sh --windows: built ($((SECONDS - start)) s)"
  ctest --test-dir build-windows -j "$(nproc)" --output-on-failure --timeout 600
  echo "test.sh --windows: tests done ($((SECONDS - start)) s)"
  exit 0
  ;;
"") ;;
*) echo "usage: scripts/test.sh [--sanitize|--tsan|--windows]" >&2; exit 2 ;;
esac

scripts/install-deps.sh
if [[ $build == build ]]; then
  # The add_subdirectory consumer test builds BearSSL from Debian's source package.
  flags+=(-DWIIU_NSSL_CONSUMER_BEARSSL_SOURCE_DIR="$(scripts/debian-source.sh bearssl build/sources)")
fi
cmake -S . -B "$build" -G Ninja -DWIIU_NSSL_WERROR=ON "${flags[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure --timeout 600
