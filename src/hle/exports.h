// The import table of the whole module: what an emulator resolves guest imports against.
#pragma once

#include "hle/guest/import_table.h"

namespace wiiu {

/// The module's import table, built on first use (thread-safe) and immutable afterwards.
const guest::ImportTable& importTable();

/// Registers every export the module knows of into `table`: each library's list, implemented
/// and not implemented alike (nsysnet/exports/, nssl/exports/).
void registerExports(guest::ImportTable& table);

}  // namespace wiiu
