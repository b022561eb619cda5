// The whole public API of wiiu_nssl, for an emulator that embeds it (docs/embedding.md). These
// headers include only the standard library and each other: no Boost, spdlog, fmt or BearSSL.
#pragma once

#include <wiiu_nssl/language.h>

#include <wiiu_nssl/call_frame.h>     // CallFrame: r1, r3..r10 of one guest call
#include <wiiu_nssl/cert_store.h>     // the console's certificates, shared by every process
#include <wiiu_nssl/certificate.h>    // a user's DER/PEM certificate file; a certificate as text
#include <wiiu_nssl/console_dump.h>   // reading them from a console dump (mlc01 + otp.bin)
#include <wiiu_nssl/curl_bridge.h>    // serving nlibcurl with a host libcurl
#include <wiiu_nssl/firmware.h>       // the emulated firmware and its verification quirks
#include <wiiu_nssl/guest_memory.h>   // GuestMemory: how the module reaches guest RAM
#include <wiiu_nssl/hooks.h>          // EmbeddingHooks: waiting, the console clock, guest heap
#include <wiiu_nssl/import_table.h>   // importTable(): resolve imports, dispatch calls
#include <wiiu_nssl/log.h>            // log channels, levels, the emulator's sink
#include <wiiu_nssl/nssl_config.h>    // nssl::Config: NSSL's settings per process
#include <wiiu_nssl/nsysnet_errors.h> // SO_E* codes (socket adopt/detach)
#include <wiiu_nssl/nssl_errors.h>    // NSSL_ERROR_* codes, what every NSSL export returns
#include <wiiu_nssl/nssl_structs.h>   // NSSL's structures in guest memory (cipher info)
#include <wiiu_nssl/nsysnet_structs.h> // the guest's socket structures (sockaddr_in, addrinfo, ...)
#include <wiiu_nssl/inspection.h>     // inspect(): open contexts, connections (why one failed), sockets
#include <wiiu_nssl/park_and_wake.h>  // a wait hook for emulators that park guest threads and wake them
#include <wiiu_nssl/polling_wait.h>   // a wait hook for emulators that poll, then sleep the guest thread
#include <wiiu_nssl/portable_store.h> // the portable store dump_certs writes
#include <wiiu_nssl/process.h>        // Process: one guest process's libraries
#include <wiiu_nssl/socket_provider.h> // NSSL alone over the emulator's own sockets
#include <wiiu_nssl/utf8_path.h>      // paths as UTF-8 text (Config's paths), command lines
