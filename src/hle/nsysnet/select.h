// select() over guest descriptors, on the host sockets behind them.
#pragma once

#include <cstdint>
#include <span>

#include "common/expected.h"
#include "hle/guest/hooks.h"
#include "hle/nsysnet/errors.h"

namespace wiiu::nsysnet {

class SocketTable;

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

/// Waits until one of the entries is ready or the deadline passes (nullopt: no deadline) and
/// returns the number of ready conditions (0 on timeout). SO_EBADF for a descriptor that is not
/// open; SO_EABORTED when a watched socket is closed or the process ends meanwhile. Like Linux,
/// an error or hang-up on a socket counts as readable and writable.
Expected<int, SoError> selectSockets(SocketTable& table, std::span<SelectEntry> entries, guest::Deadline deadline);

}  // namespace wiiu::nsysnet
