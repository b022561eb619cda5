#!/usr/bin/env bash
# Checks that every fmt call of the project compiles under fmt 10's rules, with Debian 12's fmt 9
# (Debian 12 has no fmt 10 to build from): a copy of fmt's headers in which an enum without
# format_as or a formatter is unformattable, as in fmt 10 (fmt 9 formats it as its integer, with
# only a deprecation warning that its own system headers hide). Every C++ translation unit of the
# project — src/, tools/, tests/, bench/ and fuzz/, and include/ through them — is compiled against
# that copy, syntax only, from the compile database of a tree configured (not built) with all of
# them on: clang, since the fuzz targets need it. A project source the database does not hold
# (one only another platform compiles) is named, so none is skipped unnoticed.
#   scripts/check-fmt10-rules.sh [tree [path...]]
#     tree: default build-fmt10, configured when it has no compile database
#     path: only the sources below these (e.g. tools/nssl_probe/), for a quick check of a change
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
build=${1:-build-fmt10}
shift || true
if [[ ! -f $build/compile_commands.json ]]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DWIIU_NSSL_BUILD_TESTS=ON -DWIIU_NSSL_BUILD_TOOLS=ON -DWIIU_NSSL_BUILD_BENCH=ON -DWIIU_NSSL_FUZZ=ON \
    -DWIIU_NSSL_INSTALL=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
fi
fmt_include=$(dirname "$(echo '#include <fmt/core.h>' | c++ -x c++ -E -H - 2>&1 >/dev/null | grep -m1 'fmt/core.h' | sed 's/^\.* //')")
rules=$(mktemp -d)
trap 'rm -rf "$rules"' EXIT
cp -r "$fmt_include" "$rules/fmt"
python3 - "$rules/fmt/core.h" <<'PY'
import sys
path = sys.argv[1]
s = open(path).read()
start = s.index("std::is_enum<T>::value&& std::is_convertible<T, int>::value &&")
body = s.index("FMT_DEPRECATED FMT_CONSTEXPR FMT_INLINE auto map(const T& val)", start)
end = s.index("  }\n", body) + 4
open(path, "w").write(s[:body] + "FMT_CONSTEXPR FMT_INLINE auto map(const T&) -> unformattable { return {}; }\n" + s[end:])
PY
python3 - "$build/compile_commands.json" "$rules" "$PWD" "$rules/commands" "$@" <<'PY'
import json, os, shlex, subprocess, sys
database, rules, root, out = sys.argv[1:5]
dirs = tuple(sys.argv[5:]) or ("src/", "tools/", "tests/", "bench/", "fuzz/")
tracked = subprocess.run(["git", "ls-files", "--", *[d + "*.cpp" for d in dirs]], capture_output=True,
                         text=True, check=True).stdout.split()
commands, seen = [], set()
for e in json.load(open(database)):
    path = os.path.relpath(e["file"], root)
    if not path.startswith(dirs) or not path.endswith(".cpp") or path in seen:
        continue
    seen.add(path)
    words, kept = [w for w in shlex.split(e["command"]) if w != "ccache"], []
    skip = False
    for w in words[1:]:  # no object, no depfile: the build tree's own stay as they are
        if skip or w in ("-c", "-MD"):
            skip = False
            continue
        skip = w in ("-o", "-MT", "-MF")
        if not skip:
            kept.append(w)
    words = [words[0], "-fsyntax-only", "-isystem", rules] + kept
    commands.append(f"cd {shlex.quote(e['directory'])} && {shlex.join(words)} || "
                    f"{{ echo 'check-fmt10-rules: {path}' >&2; exit 255; }}")
with open(out, "w") as f:
    f.write("\0".join(commands))
for path in sorted(set(tracked) - seen):
    print(f"check-fmt10-rules: not compiled on this host: {path}")
print(f"check-fmt10-rules: {len(commands)} translation units", file=sys.stderr)
PY
xargs -0 -P "$(nproc)" -n 1 sh -c <"$rules/commands"
echo "check-fmt10-rules: every translation unit compiles under fmt 10's enum rule ($((SECONDS - start)) s)"
