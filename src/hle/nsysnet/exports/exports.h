// nsysnet's socket and resolver exports (the guest-facing layer over the socket table).
#pragma once

#include "hle/guest/export_list.h"

namespace wiiu::nsysnet {

/// Registers every nsysnet socket and resolver export, implemented or not, one line each.
void registerExports(guest::ImportTableBuilder& table);

// One group per file; registerExports calls them all.
void registerSocketExports(guest::ImportTableBuilder& table);    // socket_exports.cpp
void registerIoExports(guest::ImportTableBuilder& table);        // io_exports.cpp
void registerInetExports(guest::ImportTableBuilder& table);      // inet_exports.cpp
void registerResolverExports(guest::ImportTableBuilder& table);  // resolver_exports.cpp
void registerAddrinfoExports(guest::ImportTableBuilder& table);  // addrinfo_exports.cpp
void registerNetconfExports(guest::ImportTableBuilder& table);   // netconf_exports.cpp

}  // namespace wiiu::nsysnet
