#!/usr/bin/env bash
# Checks that every fmt call of the project compiles under fmt 10's rules, with Debian 12's fmt 9
# (Debian 12 has no fmt 10 to build from): a copy of fmt's headers in which an enum without
# format_as or a formatter is unformattable, as in fmt 10 (fmt 9 formats it as its integer, with
# only a deprecation warning that its own system headers hide). Every C++ translation unit of a
# configured build tree is compiled against that copy, syntax only.
#   scripts/check-fmt10-rules.sh [build-dir]     (default build; needs compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
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
python3 - "$build/compile_commands.json" "$rules" "$PWD" <<'PY' | xargs -0 -P "$(nproc)" -n 1 sh -c
import json, shlex, sys
root = sys.argv[3]
for e in json.load(open(sys.argv[1])):
    if not e["file"].startswith(root) or not e["file"].endswith(".cpp"):
        continue
    words, kept = [w for w in shlex.split(e["command"]) if w != "ccache"], []
    skip = False
    for w in words[1:]:  # no object, no depfile: the build tree's own stay as they are
        if skip or w in ("-c", "-MD"):
            skip = False
            continue
        skip = w in ("-o", "-MT", "-MF")
        if not skip:
            kept.append(w)
    words = [words[0], "-fsyntax-only", "-isystem", sys.argv[2]] + kept
    print(f"cd {shlex.quote(e['directory'])} && {shlex.join(words)} || {{ echo 'check-fmt10-rules: {e['file']}' >&2; exit 255; }}", end="\0")
PY
echo "check-fmt10-rules: every translation unit of $build compiles under fmt 10's enum rule"
