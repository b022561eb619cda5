#!/usr/bin/env bash
# The README's main-job command: installs what is needed, builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$(nproc)" --target guest_tests
# Until nssl-probe exists, the demo is the guest-ABI test: calls through the import table.
build/bin/guest_tests --gtest_brief=1
