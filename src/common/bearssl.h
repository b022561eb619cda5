// The one way to include BearSSL from C++.
//
// BearSSL 0.6 (Debian's) declares br_get_config() in bearssl.h outside the extern "C" guard its
// sub-headers carry; without this wrapper C++ callers fail to link.
#pragma once

extern "C" {
#include <bearssl.h>
}
