// Each row of the table registers its benchmarks (a benchmark per client: NSSL through the
// import table, raw BearSSL, OpenSSL). bench/report.py pairs them by name into the table.
#pragma once

#include <string>

namespace wiiu::bench {

void registerCallRow();       // 1. import-table call vs direct service call
void registerBulkRows();      // 2. bulk receive / send
void registerHandshakeRows(); // 3. full and resumed handshakes
void registerFloorRow();      // 3. the public-key work under a full handshake
void registerMemoryRow();     // 4. heap per live connection
void registerStoreRow();      // 5. portable store load + context with every group
void registerWakeRow();       // 6. wake latency: park-and-wake vs poll-then-sleep
void registerFiberRows();     // 7. download and handshakes by guest threads as fibers

/// Writes the ~45-entry portable store used by row 5 (once per build folder).
bool ensurePortableStore(std::string& why);

}  // namespace wiiu::bench
