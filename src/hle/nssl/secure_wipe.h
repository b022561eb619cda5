// Zeroing that the optimiser cannot drop, for keys, master secrets and TLS buffers.
#pragma once

#include <cstddef>

namespace wiiu::nssl {

inline void secureWipe(void* p, std::size_t n)
{
    auto* v = static_cast<volatile unsigned char*>(p);
    while (n--) *v++ = 0;
}

}  // namespace wiiu::nssl
