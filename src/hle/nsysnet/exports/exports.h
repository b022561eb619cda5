// nsysnet's socket and resolver exports (the guest-facing layer over the socket table).
#pragma once

#include <wiiu_nssl/import_table.h>

namespace wiiu::nsysnet {

/// Registers every nsysnet socket and resolver export, implemented or not, one line each.
void registerExports(guest::ImportTable& table);

// One group per file; registerExports calls them all.
void registerSocketExports(guest::ImportTable& table);    // socket_exports.cpp
void registerIoExports(guest::ImportTable& table);        // io_exports.cpp
void registerInetExports(guest::ImportTable& table);      // inet_exports.cpp
void registerResolverExports(guest::ImportTable& table);  // resolver_exports.cpp
void registerAddrinfoExports(guest::ImportTable& table);  // addrinfo_exports.cpp
void registerNetconfExports(guest::ImportTable& table);   // netconf_exports.cpp

}  // namespace wiiu::nsysnet
