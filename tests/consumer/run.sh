#!/usr/bin/env bash
# The consumer tests: an outside project built against the module the two ways an emulator takes
# it, then run; and checks that nothing the consumer compiled came from the module's internals:
# neither include flags beyond the public include root, nor fmt/spdlog/Boost definitions, nor the
# headers its compiler opened (Boost, spdlog, fmt, BearSSL).
#   run.sh installed    BUILD_DIR  SCRATCH_DIR [CMAKE_ARGS...]   find_package on `cmake --install`
#   run.sh subdirectory SOURCE_DIR SCRATCH_DIR [CMAKE_ARGS...]   add_subdirectory of the checkout
# CMAKE_ARGS: the tree's compiler and sanitizer flags.
set -euo pipefail
mode=$1 tree=$2 scratch=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch" && mkdir -p "$scratch"

case $mode in
installed)
  prefix=$scratch/prefix
  include=$prefix/include
  cmake --install "$tree" --prefix "$prefix" >/dev/null
  # The installed headers: the public include root only.
  if find "$include" -type f | grep -v "^$include/wiiu_nssl/"; then
    echo "consumer: headers installed outside include/wiiu_nssl/" >&2; exit 1
  fi
  cmake -S "$here" -B "$scratch/build" -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_BUILD_TYPE=Release "$@" >"$scratch/configure.log" 2>&1 || { cat "$scratch/configure.log"; exit 1; }
  ;;
subdirectory)
  include=$(cd "$tree" && pwd)/include
  cmake -S "$here/subdirectory" -B "$scratch/build" -G "Unix Makefiles" -DWIIU_NSSL_SOURCE_DIR="$tree" \
        -DCMAKE_BUILD_TYPE=Release "$@" >"$scratch/configure.log" 2>&1 || { cat "$scratch/configure.log"; exit 1; }
  # Not the top-level project: no tools, tests, benchmarks or install rules of the module.
  if grep -q "nssl-probe\|dump_certs\|gtest" "$scratch/build/Makefile" "$scratch/build/wiiu_nssl/Makefile"; then
    echo "consumer: the module built its tools or tests inside a parent project" >&2; exit 1
  fi
  ;;
*) echo "usage: run.sh installed|subdirectory TREE SCRATCH [CMAKE_ARGS...]" >&2; exit 2 ;;
esac
cmake --build "$scratch/build" -j "$(nproc)" >"$scratch/build.log" 2>&1 || { tail -50 "$scratch/build.log"; exit 1; }
"$scratch/build/consumer"

# The consumer's own compile line: the public include root only, no dependency's definitions.
python3 - "$scratch/build/compile_commands.json" "$include" <<'PY'
import json, shlex, sys
entry = next(e for e in json.load(open(sys.argv[1])) if e["file"].endswith("consumer/main.cpp"))
words = shlex.split(entry["command"])
dirs = [w[2:] or words[i + 1] for i, w in enumerate(words) if w.startswith("-I")]
dirs += [words[i + 1] for i, w in enumerate(words) if w in ("-isystem", "-idirafter", "-iquote")]
wrong = [d for d in dirs if d != sys.argv[2]]
if wrong:
    sys.exit("consumer: include paths beyond the public ones: " + " ".join(wrong))
defines = [w for w in words if w.startswith("-D") and w[2:].startswith(("FMT_", "SPDLOG_", "BOOST_", "WIIU_"))]
if defines:
    sys.exit("consumer: the module's dependencies' definitions reached it: " + " ".join(defines))
PY
# Headers the compiler read for main.cpp (the Makefile generator keeps the depfile).
deps=$(find "$scratch/build" -path '*consumer.dir*' -name 'main.cpp.o.d')
if grep -E '/(boost|spdlog|fmt)/|/bearssl[_a-z0-9]*\.h' "$deps"; then
  echo "consumer: a public header pulls in a third-party header (above)" >&2; exit 1
fi
echo "consumer ($mode): $(grep -c 'wiiu_nssl/' "$deps") public headers, no third-party ones, no internal flags"
