#!/usr/bin/env bash
# The README's main-job command: installs what is needed, builds nssl-probe, and runs its demo —
# a generated certificate store, an in-process TLS server on 127.0.0.1 and the whole guest flow
# through the import table (no console dump, no network). Extra arguments go to nssl-probe.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" --target nssl-probe
exec build/bin/nssl-probe --demo "$@"
