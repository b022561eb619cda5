#!/usr/bin/env bash
# The Windows build's toolchain and dependencies, from Debian only (scripts/test.sh --windows).
#   scripts/windows-deps.sh [build-dir]     (default build-windows)
# Installs MinGW-w64 (posix threads) and Wine, then builds Windows versions of the dependencies
# into <build-dir>/deps, the only prefix the toolchain file searches besides the MinGW sysroot:
#   fmt, spdlog                from Debian's source packages (the versions the Linux build uses)
#   BearSSL 0.6                its Debian source package, compiled by the module's own build
#                              (WIIU_NSSL_BEARSSL_SOURCE_DIR=<build-dir>/bearssl-src)
#   GoogleTest                 from /usr/src/googletest (package googletest)
#   Boost.Asio, nlohmann-json, CLI11   header-only, Debian's headers linked or copied in by folder
#                              (never /usr/include itself: it holds Linux headers)
# Each dependency is rebuilt only when its Debian version changes, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build-windows}
mkdir -p "$build"
build=$(cd "$build" && pwd)
prefix=$build/deps
sources=$build/deps-src
toolchain=$root/cmake/mingw-w64-x86_64.cmake
mkdir -p "$prefix/include" "$prefix/lib" "$sources"

start=$SECONDS
step() { echo "windows-deps: $* ($((SECONDS - start)) s)"; }
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# 1. Toolchain and Wine (plus dpkg-dev for `apt-get source`).
packages=(g++-mingw-w64-x86-64-posix wine64 dpkg-dev xz-utils cmake ninja-build
          googletest libboost-dev nlohmann-json3-dev libcli11-dev libbearssl-dev libfmt-dev
          libspdlog-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "windows-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
step "toolchain and Wine installed"

version() { dpkg-query -W -f='${Version}' "$1"; }
# stamp <name> <key>: true when <name> was built from exactly <key> already.
fresh() { [[ -f $prefix/.stamp-$1 && $(cat "$prefix/.stamp-$1") == "$2" ]]; }
done_stamp() { echo "$2" >"$prefix/.stamp-$1"; }

# 2. Debian source packages, fetched once into the build tree.
fetch_source() { "$root/scripts/debian-source.sh" "$1" "$sources"; }

cmake_dep() {  # cmake_dep <name> <source dir> <cmake args...>: configure, build, install
  local name=$1 src=$2
  shift 2
  cmake -S "$src" -B "$sources/build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DWIIU_NSSL_WINDOWS_PREFIX="$prefix" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF "$@" >/dev/null
  cmake --build "$sources/build-$name" -j "$(nproc)" >/dev/null
  cmake --install "$sources/build-$name" >/dev/null
}

# 3. BearSSL: its sources only; the module's build compiles them (WIIU_NSSL_BEARSSL_SOURCE_DIR,
#    which scripts/test.sh --windows passes as <build-dir>/bearssl-src).
ln -sfn "$(fetch_source bearssl)" "$build/bearssl-src"
step "BearSSL sources $(version libbearssl-dev)"

key="fmt $(version libfmt-dev)"
if ! fresh fmt "$key"; then
  cmake_dep fmt "$(fetch_source fmtlib)" -DFMT_TEST=OFF -DFMT_DOC=OFF
  done_stamp fmt "$key"
fi
step "fmt $(version libfmt-dev)"

key="spdlog $(version libspdlog-dev)"
if ! fresh spdlog "$key"; then
  cmake_dep spdlog "$(fetch_source spdlog)" -DSPDLOG_FMT_EXTERNAL=ON -DSPDLOG_BUILD_EXAMPLE=OFF \
    -DSPDLOG_BUILD_TESTS=OFF -DSPDLOG_BUILD_BENCH=OFF
  done_stamp spdlog "$key"
fi
step "spdlog $(version libspdlog-dev)"

key="googletest $(version googletest)"
if ! fresh googletest "$key"; then
  cmake_dep googletest /usr/src/googletest -DINSTALL_GTEST=ON -DBUILD_GMOCK=ON
  done_stamp googletest "$key"
fi
step "GoogleTest $(version googletest)"

# 4. Header-only libraries: their folders only, plus their CMake package files.
ln -sfn /usr/include/boost "$prefix/include/boost"
ln -sfn /usr/include/nlohmann "$prefix/include/nlohmann"
ln -sfn /usr/include/CLI "$prefix/include/CLI"
mkdir -p "$prefix/share/cmake"
# Debian's own package files locate the headers relative to themselves, so copies find these.
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$prefix/share/cmake/"
boost=$(version libboost-dev | sed 's/^\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/')
mkdir -p "$prefix/lib/cmake/Boost"
cat >"$prefix/lib/cmake/Boost/BoostConfig.cmake" <<EOF
# Written by scripts/windows-deps.sh: Debian's Boost $boost headers (boost/ only), header-only.
if(NOT TARGET Boost::headers)
  add_library(Boost::headers INTERFACE IMPORTED)
  set_target_properties(Boost::headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "$prefix/include" INTERFACE_COMPILE_DEFINITIONS BOOST_ALL_NO_LIB)
endif()
EOF
cat >"$prefix/lib/cmake/Boost/BoostConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION "$boost")
set(PACKAGE_VERSION_COMPATIBLE TRUE)
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
EOF
step "header-only Boost $boost, nlohmann-json, CLI11"

# 5. A Wine prefix inside the build tree, created once (the first start of Wine takes a while).
if [[ ! -f $build/wineprefix/system.reg ]]; then
  WIIU_NSSL_WINEPREFIX=$build/wineprefix "$root/cmake/wine-run.sh" wineboot.exe --init >/dev/null 2>&1 || true
fi
step "Wine prefix $build/wineprefix"
