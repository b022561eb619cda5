#!/usr/bin/env bash
# The consumer test: installs the build tree into a scratch prefix, builds tests/consumer against
# it with find_package, runs it, and checks that nothing the consumer compiled came from Boost,
# spdlog, fmt or BearSSL: neither its include flags nor the headers its compiler opened.
#   run.sh BUILD_DIR SCRATCH_DIR [CMAKE_ARGS...]   (the tree's compiler and sanitizer flags)
set -euo pipefail
build=$1 scratch=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$scratch" && mkdir -p "$scratch"
prefix=$scratch/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$here" -B "$scratch/build" -G "Unix Makefiles" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/consumer"

# The installed headers: the public include root only.
if find "$prefix/include" -type f | grep -v "^$prefix/include/wiiu_nssl/"; then
  echo "consumer: headers installed outside include/wiiu_nssl/" >&2; exit 1
fi
# Include flags the package gave the consumer: only the prefix's own include folder.
python3 - "$scratch/build/compile_commands.json" "$prefix/include" <<'PY'
import json, shlex, sys
words = shlex.split(json.load(open(sys.argv[1]))[0]["command"])
dirs = [w[2:] or words[i + 1] for i, w in enumerate(words) if w.startswith("-I")]
dirs += [words[i + 1] for i, w in enumerate(words) if w in ("-isystem", "-idirafter", "-iquote")]
wrong = [d for d in dirs if d != sys.argv[2]]
if wrong:
    sys.exit("consumer: include paths beyond the package's: " + " ".join(wrong))
PY
# Headers the compiler read for main.cpp (the Makefile generator keeps the depfile).
deps=$(find "$scratch/build" -name 'main.cpp.o.d')
if grep -E '/(boost|spdlog|fmt)/|/bearssl[_a-z0-9]*\.h' "$deps"; then
  echo "consumer: a public header pulls in a third-party header (above)" >&2; exit 1
fi
echo "consumer: built against $prefix; $(grep -c 'wiiu_nssl/' "$deps") public headers, no third-party ones"
