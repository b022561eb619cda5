#!/usr/bin/env bash
# Installs exactly the Debian packages the project needs to build, test and benchmark.
# Idempotent: does nothing (and needs no network) when everything is already installed.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries
  libbearssl-dev libfmt-dev libspdlog-dev libboost-dev nlohmann-json3-dev libcli11-dev
  # the RPL/RPX reader (tools, guest tests)
  zlib1g-dev
  # tests, sanitizers, fuzzing
  libgtest-dev libgmock-dev clang libclang-rt-14-dev
  # real TLS peers and network tools the tests talk to
  openssl gnutls-bin socat python3 tshark
  # the host CA bundle dump_certs --public-cas reads (and its tests check)
  ca-certificates
  # PowerPC guest programs under Unicorn
  libunicorn-dev gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu
  # benchmarks (bench/probe_vs_curl.sh: Debian's curl, GNU time for the peak RSS)
  libbenchmark-dev libssl-dev curl time
  # the nlibcurl bridge test: a host libcurl with the OpenSSL backend
  libcurl4-openssl-dev
  # the add_subdirectory consumer test builds BearSSL from Debian's source package (apt-get source)
  dpkg-dev xz-utils
  # the consumer tests include X11 before the public headers, as Cemu's precompiled header does
  libx11-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
