#!/usr/bin/env bash
# What the overlay ports do, without vcpkg: the BearSSL port's CMake build on BearSSL's sources,
# installed to a prefix; the wiiu-nssl port's configure options against that prefix, built and
# installed; then the installed-package consumer (tests/consumer/) built and run against it.
# Not exercised: vcpkg's own helpers (download and hash check, vcpkg_cmake_config_fixup, the
# copyright step, triplets and the debug/release pair).
#   ports/check.sh <BearSSL source tree> <scratch dir>   (scripts/debian-source.sh bearssl <dir>)
set -euo pipefail
bearssl=$(cd "$1" && pwd) scratch=$2
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$scratch" && mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
prefix=$scratch/installed
start=$SECONDS
step() { echo "ports/check: $* ($((SECONDS - start)) s)"; }

# ports/bearssl/portfile.cmake: the sources with the port's CMakeLists.txt copied in.
cp -r "$bearssl" "$scratch/bearssl-src"
cp "$root/ports/bearssl/CMakeLists.txt" "$scratch/bearssl-src/"
cmake -S "$scratch/bearssl-src" -B "$scratch/bearssl-build" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DWIIU_NSSL_CMAKE_DIR="$root/cmake" >/dev/null
cmake --build "$scratch/bearssl-build" -j "$(nproc)" >/dev/null
cmake --install "$scratch/bearssl-build" >/dev/null
step "bearssl port built and installed: $(ls "$prefix"/lib*/libbearssl.a)"

# ports/wiiu-nssl/portfile.cmake's options, with the BearSSL just installed first on the path.
cmake -S "$root" -B "$scratch/wiiu-nssl-build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
      -DCMAKE_PREFIX_PATH="$prefix" -DBEARSSL_PREFER_STATIC=ON \
      -DWIIU_NSSL_BUILD_TOOLS=OFF -DWIIU_NSSL_BUILD_TESTS=OFF -DWIIU_NSSL_BUILD_BENCH=OFF -DWIIU_NSSL_INSTALL=ON \
      >"$scratch/wiiu-nssl-configure.log"
grep -q "BEARSSL_LIBRARY:FILEPATH=$prefix" "$scratch/wiiu-nssl-build/CMakeCache.txt" || {
  echo "ports/check: the module did not take the port's BearSSL" >&2; exit 1; }
cmake --build "$scratch/wiiu-nssl-build" -j "$(nproc)" >/dev/null
cmake --install "$scratch/wiiu-nssl-build" >/dev/null
step "wiiu-nssl port's options built and installed"

cmake -S "$root/tests/consumer" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/consumer" >/dev/null
"$scratch/consumer/consumer"
step "consumer built against the ports' prefix and run"
