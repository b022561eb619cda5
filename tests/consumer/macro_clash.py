#!/usr/bin/env python3
"""Lists identifiers of the public headers that a platform header's macros would replace.

    macro_clash.py INCLUDE_DIR --cxx CXX [--mingw MINGW_CXX]

Asks each compiler for the macros of the platform headers an emulator's translation units
include before ours (X11 and the POSIX socket headers for --cxx; <windows.h> with and without
WIN32_LEAN_AND_MEAN and NOMINMAX, and Winsock, for --mingw). An object-like macro clashes with any
use of its name; a function-like one only where the name is followed by "(". Macros the
standard library defines too (UINT32_MAX, ...) are meant to be used and are not reported. A header may take a macro out of its way
(#pragma push_macro, #undef, ... #pragma pop_macro): names it #undefs are not reported until the
pop. Exit 1 with file:line for every clash.
"""
import argparse
import pathlib
import re
import subprocess
import sys

DEFINE = re.compile(r"#define ([A-Za-z_]\w*)(\()?")
UNDEF = re.compile(r"\s*#\s*undef\s+(\w+)")
POP = re.compile(r"\s*#\s*pragma\s+pop_macro\(\"(\w+)\"\)")
TOKEN = re.compile(r"[A-Za-z_]\w*")
STD = ["cstddef", "cstdint", "cstring", "chrono", "filesystem", "functional", "map", "memory",
       "mutex", "optional", "span", "string", "string_view", "variant", "vector"]
POSIX = ["X11/Xlib.h", "X11/Xutil.h", "sys/socket.h", "netdb.h", "netinet/in.h", "arpa/inet.h",
         "unistd.h", "errno.h"]
WINDOWS = ["winsock2.h", "ws2tcpip.h", "windows.h"]
# The Windows SDK's <windows.h> defines these for C++ too unless NOMINMAX; MinGW's only for C.
WINDOWS_SDK_ONLY = {"min": True, "max": True}


def dump(cxx, headers, defines=()):
    """The macros a translation unit of `headers` (after `defines`) ends with, by name."""
    source = "".join(f"#define {d}\n" for d in defines) + "".join(f"#include <{h}>\n" for h in headers)
    out = subprocess.run([cxx, "-std=c++20", "-dM", "-E", "-x", "c++", "-"], input=source,
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = DEFINE.match(line)
        if m and not m.group(1).startswith("_"):  # reserved names are the implementation's
            found[m.group(1)] = bool(m.group(2))
    return found


def code_lines(text):
    """The header's lines with comments, string and character literals blanked out."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return text.split("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("include")
    ap.add_argument("--cxx", required=True)
    ap.add_argument("--mingw")
    args = ap.parse_args()
    platform = {}
    platform.update(dump(args.cxx, POSIX))
    for name in dump(args.cxx, STD):
        platform.pop(name, None)
    if args.mingw:
        windows = dict(WINDOWS_SDK_ONLY)
        for defines in ((), ("WIN32_LEAN_AND_MEAN",), ("WIN32_LEAN_AND_MEAN", "NOMINMAX")):
            windows.update(dump(args.mingw, WINDOWS, defines))
        for name in dump(args.mingw, STD):
            windows.pop(name, None)
        platform.update(windows)
    clashes = []
    headers = sorted(pathlib.Path(args.include).rglob("*.h"))
    for header in headers:
        text = header.read_text(encoding="utf-8")
        undone = set()  # macros the header has #undef'd and not yet restored
        for number, (raw, line) in enumerate(zip(text.split("\n"), code_lines(text)), 1):
            if m := UNDEF.match(raw):
                undone.add(m.group(1))
            if m := POP.match(raw):
                undone.discard(m.group(1))
            if line.lstrip().startswith("#"):
                continue
            for m in TOKEN.finditer(line):
                name = m.group(0)
                if name not in platform or name in undone:
                    continue
                if platform[name] and not line[m.end():].lstrip().startswith("("):
                    continue
                clashes.append(f"{header}:{number}: '{name}' is a platform macro")
    for clash in clashes:
        print(clash, file=sys.stderr)
    print(f"macro_clash: {len(headers)} headers, {len(platform)} platform macros, {len(clashes)} clash(es)")
    return 1 if clashes else 0


if __name__ == "__main__":
    sys.exit(main())
