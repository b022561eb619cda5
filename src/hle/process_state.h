// The state of one guest process that its calls share (<wiiu_nssl/process.h> explains why): the socket
// table (or the emulator's sockets), the NSSL service and the once-per-process failure reports. Exports reach it through
// Call::process(); the emulator holds a Process, which owns one share.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <wiiu_nssl/cert_store.h>
#include "hle/guest/call.h"
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nssl_config.h>
#include "hle/hook_gate.h"
#include <wiiu_nssl/socket_provider.h>
#include "hle/nssl/borrowed_sockets.h"
#include "hle/nssl/service.h"
#include "hle/nsysnet/socket_table.h"
#include "common/module_lock.h"

namespace wiiu {

class ProcessState {
public:
    /// `owned`: the hooks when the process shares them (null when the emulator keeps them alive).
    /// `provider`: the emulator's sockets for NSSL; null: the module's own nsysnet serves them.
    ProcessState(std::shared_ptr<guest::EmbeddingHooks> owned, guest::EmbeddingHooks& hooks,
                 std::shared_ptr<const certstore::CertStore> store, nssl::Config config,
                 std::shared_ptr<SocketProvider> provider = nullptr);
    ~ProcessState();
    ProcessState(const ProcessState&) = delete;
    ProcessState& operator=(const ProcessState&) = delete;

    /// The emulator's hooks (the libraries call them through a gate that abandon() closes).
    guest::EmbeddingHooks& hooks() const { return hooks_; }
    nsysnet::SocketTable& sockets() { return sockets_; }
    nssl::Service& nssl() { return nssl_; }
    /// False when the emulator's own nsysnet serves the sockets (a SocketProvider).
    bool servesSockets() const { return !borrowed_; }
    /// Process::guestSocketClosing: NSSL connections over `fd` stop using it.
    void guestSocketClosing(std::int32_t fd);

    /// Process::shutdown(): bounded, idempotent, never waits through the hooks.
    void shutdown();
    bool isShutDown() const { return shutDown_.load(); }
    /// Process::abandon(): shutdown() with the hooks' gate closed first, so neither the
    /// teardown nor anything the process does afterwards reaches the emulator.
    void abandon();
    bool isAbandoned() const { return gate_.closed(); }

    /// True the first time this process reports export `index` failing (not implemented, or the
    /// host failed under it): such failures are logged once per process, not on every call.
    bool firstFailureOf(guest::ExportIndex index);

private:
    std::shared_ptr<guest::EmbeddingHooks> ownedHooks_;  // first: destroyed after everything that uses them
    guest::EmbeddingHooks& hooks_;
    HookGate gate_;  // what the libraries below call instead of hooks_
    std::atomic<bool> shutDown_{false};

    // The socket table is the FIRST library member so it is destroyed LAST: the NSSL service
    // (declared after it) holds handles to its sockets.
    nsysnet::SocketTable sockets_;
    std::unique_ptr<nssl::BorrowedSockets> borrowed_;  // with a SocketProvider
    nssl::TableSockets tableSockets_{sockets_};
    nssl::Service nssl_;

    ModuleMutex reportedMutex_;
    std::unordered_set<guest::ExportIndex> reported_;
};

}  // namespace wiiu
