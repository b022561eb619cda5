// BearSSL for what the probe does with it itself: its SHA-256 fallback and the demo's test peer
// (server and PKI), which stand apart from the module as a real server would. BearSSL 0.6
// (Debian's) declares br_get_config() outside the extern "C" guard of its sub-headers, so C++
// includes it inside one, as the module does (src/common/bearssl.h, private to the module).
#pragma once

extern "C" {
#include <bearssl.h>
}
