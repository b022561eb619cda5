// Registration of NSSL's exports: nsysnet.rpl's NSSL calls (nssl_exports.cpp) and nn_nets2.rpl's
// context extensions (nets2_exports.cpp), implemented or not, each named once in its list.
#pragma once

#include "hle/guest/export_list.h"

namespace wiiu::nssl {

/// Registers both lists.
void registerExports(guest::ImportTableBuilder& table);
void registerNets2Exports(guest::ImportTableBuilder& table);

}  // namespace wiiu::nssl
