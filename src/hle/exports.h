// The import table of the whole module: what an emulator resolves guest imports against.
#pragma once

#include "hle/guest/import_table.h"

namespace wiiu {

/// The module's import table, built on first use (thread-safe) and immutable afterwards.
const guest::ImportTable& importTable();

/// Registers every known export into `table`: each library's implemented exports, then every
/// other known export as not implemented (see known_exports.h).
void registerExports(guest::ImportTable& table);

}  // namespace wiiu
