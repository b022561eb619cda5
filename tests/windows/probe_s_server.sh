#!/bin/sh
# nssl-probe.exe under Wine against openssl s_server on the host side of Wine (127.0.0.1, a free
# port the server picks), with the test PKI the host made (fixture Fixtures.WindowsPki):
#   1. the right CA, given as a Windows path (drive letter, backslashes): exit 0, handshake OK,
#      the HTTP answer read, the verdict "accepted";
#   2. a CA that is not the chain's: exit 2, NSSL_ERROR_HANDSHAKE_ERROR, verdict "refused";
#   3. a CA file that does not exist: exit 1, the path named in the error;
#   4. every path the probe reads or writes (--ca-file, --send, --pcap, --keylog, --dump-chain)
#      in a folder whose name the ANSI code page cannot spell: the arguments must come through
#      the wide command line and the files open by their wide names. Exit 0, and each output is
#      there under its name.
# Usage: probe_s_server.sh WINE_RUN NSSL_PROBE_EXE PKI_DIR WORK_DIR
set -eu
wine_run=$1 probe=$2 pki=$3 work=$4
mkdir -p "$work"
log="$work/s_server.log"
openssl s_server -accept 127.0.0.1:0 -cert "$pki/server.pem" -key "$pki/server.key" \
    -cert_chain "$pki/int.pem" -www -naccept 10 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
port=
for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "openssl s_server did not start:"; cat "$log"; exit 1; }

fails=0
# expect NAME EXIT PATTERN... -- ARGS: runs the probe, checks its exit code and each pattern.
expect() {
    name=$1 code=$2; shift 2
    patterns=
    while [ "$1" != -- ]; do patterns="$patterns$1
"; shift; done
    shift
    set +e
    "$wine_run" "$probe" --connect "127.0.0.1:$port" --host localhost "$@" >"$work/$name.out" 2>&1
    rc=$?
    set -e
    ok=yes
    [ "$rc" -eq "$code" ] || { echo "$name: exit $rc, expected $code"; ok=no; }
    printf '%s' "$patterns" | while IFS= read -r p; do
        grep -qF -- "$p" "$work/$name.out" || { echo "$name: no '$p' in the output"; exit 1; }
    done || ok=no
    if [ $ok = yes ]; then echo "$name: ok"; else fails=$((fails + 1)); cat "$work/$name.out"; fi
}

winpki="Z:$(printf '%s' "$pki" | tr / '\\')"
expect accepted 0 "NSSLDoHandshake(conn=0) -> NSSL_ERROR_OK" "verdict on firmware" "accepted" "result: OK" -- \
    --ca-file "$winpki\\root.pem" --http-get /
expect untrusted 2 "refused (Untrusted)" "NSSL_ERROR_HANDSHAKE_ERROR" -- --ca-file "$pki/ec-root.pem"
expect missing-ca 1 "nssl-probe: error: $winpki\\nonexistent.pem: cannot open" -- --ca-file "$winpki\\nonexistent.pem"
uni="$work/störe-証明書"
rm -rf "$uni" && mkdir -p "$uni"
cp "$pki/root.pem" "$uni/root.pem"
printf 'GET / HTTP/1.0\r\n\r\n' >"$uni/request.txt"
winuni="Z:$(printf '%s' "$uni" | tr / '\\')"
expect unicode-paths 0 "NSSLDoHandshake(conn=0) -> NSSL_ERROR_OK" "result: OK" "$winuni\\traffic.pcap" -- \
    --ca-file "$winuni\\root.pem" --send "$winuni\\request.txt" --pcap "$winuni\\traffic.pcap" \
    --keylog "$winuni\\keys.log" --dump-chain "$winuni\\chains"
for f in traffic.pcap keys.log chains/conn*-localhost-0.der; do
    # shellcheck disable=SC2086  # the chain's name is a pattern on purpose
    [ -s "$(echo $uni/$f)" ] || { echo "unicode-paths: no $uni/$f"; ls -R "$work"; fails=$((fails + 1)); }
done
[ $fails -eq 0 ] || { echo "probe_s_server: $fails case(s) failed"; exit 1; }
echo "probe_s_server: every case as expected"
