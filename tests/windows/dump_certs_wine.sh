#!/bin/sh
# dump_certs.exe under Wine on a synthetic console dump (tests/fixtures/make_console_dump.sh, made
# on the host with openssl), every path given the Windows way: Z: drive letter, backslashes, and
# an output folder whose name the ANSI code page cannot spell (it must come through the wide
# command line). Checks the exit codes and messages of dump, refusal, --force replacement (the
# old store replaced as a whole, nothing left beside it), --verify (the name intact in its JSON)
# and a usage error.
# Usage: dump_certs_wine.sh WINE_RUN DUMP_CERTS_EXE WORK_DIR
set -eu
wine_run=$1 tool=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/stores"
sh "$here/../fixtures/make_console_dump.sh" "$work/dump" >/dev/null
win() { printf 'Z:%s' "$1" | tr / '\\'; }
out="$work/stores/wiiu_certs-störe-証明書"
dump="--mlc $(win "$work/dump/mlc") --otp $(win "$work/dump/otp.bin") --out $(win "$out")"

fails=0
# run NAME EXPECTED_EXIT PATTERN ARGS...: the tool's exit code and one pattern of its output.
run() {
    name=$1 code=$2 pattern=$3; shift 3
    set +e
    # shellcheck disable=SC2086  # $dump is split into its arguments on purpose
    "$wine_run" "$tool" "$@" >"$work/$name.out" 2>&1
    rc=$?
    set -e
    if [ "$rc" -eq "$code" ] && grep -qF -- "$pattern" "$work/$name.out"; then
        echo "$name: ok"
    else
        echo "$name: exit $rc (expected $code), looked for '$pattern':"
        cat "$work/$name.out"
        fails=$((fails + 1))
    fi
}
check() { if eval "$2"; then echo "$1: ok"; else echo "$1: failed ($2)"; fails=$((fails + 1)); fi; }

# shellcheck disable=SC2086
run dump 0 "11 certificates written to" $dump
check manifest '[ -f "$out/manifest.json" ]'
# shellcheck disable=SC2086
run refuse 2 "already exists (use --force to replace it)" $dump
echo stale >"$out/stale.txt"
# shellcheck disable=SC2086
run replace 0 "11 certificates written to" $dump --force
check replaced-whole '[ ! -e "$out/stale.txt" ] && [ -f "$out/manifest.json" ]'
check nothing-beside '[ "$(ls -A "$work/stores")" = "wiiu_certs-störe-証明書" ]'
run verify 0 "\"ok\": true" --verify "$(win "$out")" --json
check name-in-json 'grep -qF "wiiu_certs-störe-証明書" "$work/verify.out"'
rm "$out/manifest.json"
run verify-missing 2 "manifest.json: file is missing" --verify "$(win "$out")"
run usage 1 "--otp" --mlc "$(win "$work/dump/mlc")" --out "$(win "$out")"
[ $fails -eq 0 ] || { echo "dump_certs_wine: $fails check(s) failed"; exit 1; }
echo "dump_certs_wine: every check as expected"
