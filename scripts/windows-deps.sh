#!/usr/bin/env bash
# The Windows build's toolchain and dependencies, from Debian only (scripts/test.sh --windows).
#   scripts/windows-deps.sh [build-dir]     (default build-windows)
# Installs MinGW-w64 (posix threads) and Wine, then builds Windows versions of the dependencies
# into <build-dir>/deps, the only prefix the toolchain file searches besides the MinGW sysroot:
#   BearSSL 0.6, fmt, spdlog   from Debian's source packages (the versions the Linux build uses)
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

# 2. Debian source packages: a deb-src twin of the machine's own Debian entry, in a file of ours.
fetch_source() {  # fetch_source <source package> -> prints the unpacked directory
  local pkg=$1 dir
  dir=$(find "$sources" -maxdepth 1 -type d -name "$pkg-*" | head -n1)
  if [[ -z $dir ]]; then
    if ! apt-get source --print-uris -qq "$pkg" >/dev/null 2>&1; then
      local list=/etc/apt/sources.list.d/wiiu-nssl-deb-src.sources
      awk 'BEGIN { RS=""; FS="\n" } /URIs:.*\/debian\/?($|\n)/ && !done {
             for (i = 1; i <= NF; i++) {
               if ($i ~ /^Types:/) print "Types: deb-src"
               else if ($i ~ /^Suites:/) print "Suites: bookworm"
               else if ($i ~ /^Components:/) print "Components: main"
               else print $i
             }
             done = 1 }' /etc/apt/sources.list.d/debian.sources | $sudo tee "$list" >/dev/null
      $sudo apt-get update -qq
    fi
    (cd "$sources" && apt-get source -qq "$pkg" >/dev/null 2>&1)
    dir=$(find "$sources" -maxdepth 1 -type d -name "$pkg-*" | head -n1)
  fi
  echo "$dir"
}

cmake_dep() {  # cmake_dep <name> <source dir> <cmake args...>: configure, build, install
  local name=$1 src=$2
  shift 2
  cmake -S "$src" -B "$sources/build-$name" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DWIIU_NSSL_WINDOWS_PREFIX="$prefix" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF "$@" >/dev/null
  cmake --build "$sources/build-$name" -j "$(nproc)" >/dev/null
  cmake --install "$sources/build-$name" >/dev/null
}

# 3. BearSSL: compiled from its sources as one static library (its own makefiles are for Unix
#    shared libraries or for MSVC; the sources need nothing but a C compiler).
key="bearssl $(version libbearssl-dev)"
if ! fresh bearssl "$key"; then
  src=$(fetch_source bearssl)
  obj=$sources/build-bearssl
  rm -rf "$obj" && mkdir -p "$obj"
  (cd "$src" && find src -name '*.c' | sort) | xargs -P "$(nproc)" -I{} sh -c \
    'o="$3/$(echo "$4" | tr / _).o"; ${CMAKE_C_COMPILER_LAUNCHER:-} x86_64-w64-mingw32-gcc-posix -O2 -I"$1/inc" -I"$1/src" -c "$1/$4" -o "$o"' \
    _ "$src" "$src" "$obj" {}
  rm -f "$prefix/lib/libbearssl.a"
  x86_64-w64-mingw32-ar rcs "$prefix/lib/libbearssl.a" "$obj"/*.o
  cp "$src"/inc/*.h "$prefix/include/"
  done_stamp bearssl "$key"
fi
step "BearSSL $(version libbearssl-dev)"

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
