// Registration of NSSL's exports: nsysnet.rpl's NSSL calls (exports.cpp) and nn_nets2.rpl's
// context extensions (nets2_exports.cpp).
#pragma once

#include "hle/guest/import_table.h"

namespace wiiu::nssl {

void registerExports(guest::ImportTable& table);
void registerNets2Exports(guest::ImportTable& table);

}  // namespace wiiu::nssl
