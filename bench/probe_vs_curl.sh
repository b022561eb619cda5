#!/usr/bin/env bash
# The CPU one HTTPS download costs nssl-probe (--http-get, release build) against Debian's curl,
# measured side by side in one run against the same local server: openssl s_server -WWW serving
# a random file, TLS 1.2 with one suite pinned so both clients do the same cryptography. The
# probe also counts and SHA-256-hashes the body (it never holds it), so a third row, curl piped
# into sha256sum, shows the same work done by the usual tools, and a fourth, openssl dgst of the
# file, what SHA-256 alone costs at OpenSSL's speed. Each repetition runs them in turn; CPU is user + sys of the client process tree (wait4), peak RSS the client's maximum
# resident set as GNU time reports it (a child of this script would also count the script's own
# memory from before its exec).
# Target (issue 19): probe median <= 1.3 x curl median. A miss never fails the script.
#
#   bench/probe_vs_curl.sh
#
# Environment: PROBE_BENCH_BYTES (body size, default 268435456 = 256 MiB),
# PROBE_BENCH_REPETITIONS (default 5), PROBE_BENCH_BUILD_DIR (default build-probe-bench: a
# Release tree with only the tools), BENCH_NO_PIN=1 (do not pin the clients to CPU 0 and the
# server to CPU 1).
set -euo pipefail
cd "$(dirname "$0")/.."

bytes=${PROBE_BENCH_BYTES:-268435456}
reps=${PROBE_BENCH_REPETITIONS:-5}
build=${PROBE_BENCH_BUILD_DIR:-build-probe-bench}
for tool in curl openssl python3 sha256sum /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "probe_vs_curl: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

mkdir -p "$build"
log="$build/probe-bench-build.log"
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DWIIU_NSSL_BUILD_TOOLS=ON -DWIIU_NSSL_BUILD_TESTS=OFF \
         -DWIIU_NSSL_BUILD_BENCH=OFF -DWIIU_NSSL_INSTALL=OFF &&
       cmake --build "$build" --target nssl-probe -j "$(nproc)"; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "probe_vs_curl: build failed (full log: $log)" >&2
  exit 1
fi
probe=$(cd "$build" && pwd)/bin/nssl-probe

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A CA and a leaf for localhost, made for this run.
(
  cd "$work"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=probe bench CA"
  openssl req -newkey rsa:2048 -nodes -keyout key.pem -out leaf.csr -subj "/CN=localhost"
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' >leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out cert.pem
  head -c "$bytes" /dev/urandom >body.bin
) >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }

server_cpu=() client_cpu=()
if [ "${BENCH_NO_PIN:-0}" != 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 1) client_cpu=(taskset -c 0)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# -WWW serves files of its working directory and ends each reply with close_notify.
(cd "$work" && exec "${server_cpu[@]}" openssl s_server -accept "$port" -cert cert.pem -key key.pem -WWW \
   -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -quiet) >"$work/server.log" 2>&1 &
server_pid=$!

PORT=$port PROBE=$probe WORK=$work BYTES=$bytes REPS=$reps PIN="${client_cpu[*]}" python3 - <<'EOF'
import hashlib, json, os, socket, statistics, subprocess, sys, time

port, probe, work = int(os.environ["PORT"]), os.environ["PROBE"], os.environ["WORK"]
size, reps, pin = int(os.environ["BYTES"]), int(os.environ["REPS"]), os.environ["PIN"].split()
url = f"https://localhost:{port}/body.bin"
ca = os.path.join(work, "ca.pem")

for _ in range(200):  # until s_server listens
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("probe_vs_curl: openssl s_server did not start: " + open(os.path.join(work, "server.log")).read())

with open(os.path.join(work, "body.bin"), "rb") as f:
    expected = hashlib.file_digest(f, "sha256").hexdigest() if hasattr(hashlib, "file_digest") else None
if expected is None:
    expected = subprocess.run(["sha256sum", os.path.join(work, "body.bin")], capture_output=True,
                              text=True, check=True).stdout.split()[0]

rows = {
    "nssl-probe --http-get": pin + [probe, "--connect", f"127.0.0.1:{port}", "--host", "localhost",
                                    "--ca-file", ca, "--http-get", "/body.bin", "--json", "--timeout", "120"],
    "curl": pin + ["curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{size_download}", "--cacert", ca, url],
    "curl | sha256sum": pin + ["bash", "-o", "pipefail", "-c",
                               f"curl -sS --fail --cacert {ca} {url} | sha256sum"],
    "openssl dgst (hash only)": pin + ["openssl", "dgst", "-sha256", "-r", os.path.join(work, "body.bin")],
}


def check(name, out):
    """Each run must have moved the whole body (and the probe must have hashed it right)."""
    if name == "curl":
        return out.strip() == str(size) or f"downloaded {out.strip()} of {size} bytes"
    if name != "nssl-probe --http-get":
        return out.split()[:1] == [expected] or f"sha256 {out.split()[:1]}, expected {expected}"
    j = json.loads(out)
    got = j.get("received") or {}
    if j["result"] != "OK" or got.get("body_bytes") != size or got.get("sha256") != expected:
        return f"result {j['result']} ({j['reason']}), body {got.get('body_bytes')} bytes, sha256 {got.get('sha256')}"
    return True


def measure(name, cmd):
    rss = os.path.join(work, "rss")
    with open(os.path.join(work, "out"), "w+") as out, open(os.path.join(work, "err"), "w+") as err:
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss] + cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)  # the rusage of the client and everything it waited for
        out.seek(0)
        err.seek(0)
        text, why = out.read(), err.read()
    ok = check(name, text) if os.waitstatus_to_exitcode(status) == 0 else f"exit {status}: {why[-400:]}"
    if ok is not True:
        sys.exit(f"probe_vs_curl: {name} failed: {ok}")
    return ru.ru_utime + ru.ru_stime, ru.ru_utime, ru.ru_stime, int(open(rss).read().split()[-1])


runs = {name: [] for name in rows}
for _ in range(reps):
    for name, cmd in rows.items():
        runs[name].append(measure(name, cmd))

gib = size / (1 << 30)
print(f"probe_vs_curl: {size} bytes ({size / (1 << 20):.0f} MiB) over TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 "
      f"from openssl s_server -WWW on 127.0.0.1, {reps} repetitions, {os.cpu_count()} CPUs"
      f"{', clients pinned to CPU 0' if pin else ''}")
print(f"{'client':24} {'CPU s min':>9} {'median':>8} {'max':>8} {'s/GiB':>7} {'user':>7} {'sys':>7} {'peak RSS':>10}")
median = {}
for name, samples in runs.items():
    cpu = sorted(s[0] for s in samples)
    median[name] = statistics.median(cpu)
    print(f"{name:24} {cpu[0]:9.3f} {median[name]:8.3f} {cpu[-1]:8.3f} {median[name] / gib:7.2f} "
          f"{statistics.median(s[1] for s in samples):7.3f} {statistics.median(s[2] for s in samples):7.3f} "
          f"{int(statistics.median(s[3] for s in samples)) / 1024:7.1f} MiB")
probe = median["nssl-probe --http-get"]
ratio = probe / median["curl"] if median["curl"] > 0 else float("inf")
same_work = probe / median["curl | sha256sum"] if median["curl | sha256sum"] > 0 else float("inf")
print(f"probe / curl (medians): {ratio:.2f}x, target <= 1.30x: {'PASS' if ratio <= 1.3 else 'MISS'}")
print(f"probe / (curl | sha256sum), the same work: {same_work:.2f}x (not a target)")
print(f"probe peak RSS {max(s[3] for s in runs['nssl-probe --http-get']) / 1024:.1f} MiB for a "
      f"{size / (1 << 20):.0f} MiB body: the body is counted and hashed, not held")
EOF
