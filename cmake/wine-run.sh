#!/bin/sh
# Runs one Windows program under Debian's Wine: the CMake cross-compiling emulator of
# cmake/mingw-w64-x86_64.cmake. The Wine prefix lives in the build tree, not in $HOME, so a build
# is self-contained; WINEDEBUG=-all keeps Wine's own diagnostics out of the test output.
export WINEPREFIX="${WIIU_NSSL_WINEPREFIX:-${WINEPREFIX:-$HOME/.wine}}"
export WINEDEBUG="${WINEDEBUG:--all}"
if command -v wine64 >/dev/null 2>&1; then exec wine64 "$@"; fi
exec /usr/lib/wine/wine64 "$@"   # Debian's wine64 package without the wine wrapper package
