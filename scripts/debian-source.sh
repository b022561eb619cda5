#!/usr/bin/env bash
# Fetches and unpacks a Debian source package once, and prints the unpacked folder:
#   scripts/debian-source.sh <source package> <folder>
# e.g. `scripts/debian-source.sh bearssl build/sources` for -DWIIU_NSSL_BEARSSL_SOURCE_DIR. When
# apt has no deb-src entry, a deb-src twin of the machine's own Debian entry is added in a file of
# ours (/etc/apt/sources.list.d/wiiu-nssl-deb-src.sources). Needs dpkg-dev (apt-get source).
set -euo pipefail
pkg=$1 sources=$2
mkdir -p "$sources"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
dir=$(find "$sources" -maxdepth 1 -type d -name "$pkg-*" | head -n1)
if [[ -z $dir ]]; then
  if ! dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q 'install ok installed'; then
    $sudo apt-get install -y -qq --no-install-recommends dpkg-dev xz-utils >/dev/null
  fi
  if ! apt-get source --print-uris -qq "$pkg" >/dev/null 2>&1; then
    list=/etc/apt/sources.list.d/wiiu-nssl-deb-src.sources
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
[[ -n $dir ]] || { echo "debian-source: could not fetch $pkg" >&2; exit 1; }
echo "$(cd "$dir" && pwd)"
