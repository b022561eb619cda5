// Building the module's import table (importTable() itself is declared in <wiiu_nssl/import_table.h>).
#pragma once

#include "hle/guest/export_list.h"

namespace wiiu {

/// Registers every export the module knows of into `table`: each library's list, implemented
/// and not implemented alike (nsysnet/exports/, nssl/exports/).
void registerExports(guest::ImportTableBuilder& table);

}  // namespace wiiu
