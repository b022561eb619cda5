// Zeroing that the optimiser cannot drop, for keys, master secrets and TLS buffers.
#pragma once

#include <string.h>  // explicit_bzero (glibc 2.25+)

#include <cstddef>
#include <cstring>

namespace wiiu {

/// Overwrites `size` bytes with zeros. explicit_bzero is libc's vectorised memset with a
/// guarantee that the stores stay: a byte loop through a volatile pointer costs ~20 us on each
/// 44 KB TLS engine a connection frees.
inline void secureWipe(void* data, std::size_t size) noexcept
{
    if (size == 0)
        return;
#if defined(__GLIBC__) || defined(__FreeBSD__) || defined(__OpenBSD__)
    ::explicit_bzero(data, size);
#else
    // Elsewhere (Windows, macOS) the same memset, called through a volatile pointer the
    // optimiser cannot see through, so the stores stay.
    static void* (*const volatile wipe)(void*, int, std::size_t) = std::memset;
    wipe(data, 0, size);
#endif
}

}  // namespace wiiu
