// One select() entry: a descriptor, what to watch it for, and what was ready (SocketTable::select).
#pragma once

#include <cstdint>

namespace wiiu::nsysnet {

struct SelectEntry {
    std::int32_t fd = 0;
    bool read = false;
    bool write = false;
    bool except = false;
    // Results:
    bool readReady = false;
    bool writeReady = false;
    bool exceptReady = false;  ///< never set: nsysnet has no out-of-band data on the host side
};

}  // namespace wiiu::nsysnet
