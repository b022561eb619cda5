// The per-process object an emulator holds: every emulated library's state for one guest process
// (title). Create one at title start (RPL map), destroy it at title end (unmap, "close game").
//
// Teardown contract (docs/embedding.md, "Ending a process"):
// - shutdown(), abandon() and the destructor are bounded in time and never wait for a guest call:
//   they end every wait, close every host socket and TLS connection, wipe secrets (session keys,
//   master secrets, client keys) and stop the libraries; later calls get the libraries' errors.
// - shutdown() (what the destructor does) is for a process whose guest OS still runs: the hooks
//   stay in use, and the state's end gives the guest heap its blocks back through guestFree.
//   abandon() is for after the emulator's scheduler stopped (no guest thread will run again, the
//   guest heap may be gone): from its first instruction no hook is called again, by anyone, and
//   no guest memory is freed (the blocks go with the title's heap).
// - Each guest call holds a share of the process's state (ProcessState) while it runs, so a call
//   that is suspended in the emulator's wait() hook and resumed after the Process was destroyed
//   returns at once (NSSL_ERROR_IO_ERROR, or -1 with SO_EABORTED) without touching freed memory,
//   and the state is freed when the last such call returns.
// - A suspended call whose stack the emulator frees without resuming it keeps its share: the
//   process's bookkeeping (no socket, no TLS state, no secret) stays allocated.
//
// This header includes no third-party header: it is part of the embedding API.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <memory>

#include <wiiu_nssl/call_frame.h>
#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/hooks.h>
#include <wiiu_nssl/nssl_config.h>
#include <wiiu_nssl/nsysnet_errors.h>
#include <wiiu_nssl/socket_provider.h>

namespace wiiu::certstore {
class CertStore;
}

namespace wiiu {

/// A host socket descriptor as the platform names it (what WaitItem carries).
using NativeSocket = guest::NativeHandle;

class Process : public guest::ProcessHandle {
public:
    /// `store`: the console's certificates (shared by every process; empty when null).
    /// `config`: NSSL's settings for this process (version policy, verification, limits).
    /// `hooks` must outlive every call made into this process.
    explicit Process(guest::EmbeddingHooks& hooks, std::shared_ptr<const certstore::CertStore> store = nullptr,
                     nssl::Config config = {});
    /// The same with hooks the process shares: they live until the Process and every call into
    /// it are gone, so glue may drop its own reference when the title ends. Not null.
    explicit Process(std::shared_ptr<guest::EmbeddingHooks> hooks,
                     std::shared_ptr<const certstore::CertStore> store = nullptr, nssl::Config config = {});
    /// The same with guest memory the process shares too: calls may then omit it
    /// (ImportTable::call(index, process, frame)), and it lives until the Process and every call
    /// into it are gone. Neither may be null.
    Process(std::shared_ptr<guest::EmbeddingHooks> hooks, std::shared_ptr<guest::GuestMemory> memory,
            std::shared_ptr<const certstore::CertStore> store = nullptr, nssl::Config config = {});
    /// NSSL alone, over the emulator's own sockets (<wiiu_nssl/socket_provider.h>): the module's
    /// nsysnet is off (its socket exports, ExportPart::Sockets, are the emulator's to serve and
    /// answer SO_ELIBNOTREADY here), and NSSLCreateConnection borrows the host socket `sockets`
    /// gives for the guest descriptor. `sockets` and `hooks` are shared like the hooks above.
    Process(std::shared_ptr<guest::EmbeddingHooks> hooks, std::shared_ptr<SocketProvider> sockets,
            std::shared_ptr<const certstore::CertStore> store = nullptr, nssl::Config config = {});
    /// shutdown() (nothing more after abandon()), then gives up this object's share of the state.
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    /// Ends the process now, in bounded time, whatever its guest threads are doing (see the
    /// contract above). Idempotent; the object stays valid and answers every later call with the
    /// libraries' errors. Call it from any thread, including one of the process's own fibers.
    void shutdown();
    bool isShutDown() const;
    /// Ends the process after the emulator's scheduler stopped ("after the scheduler": Cemu's
    /// ShutdownTitle, decaf's exit, which never unloads nsysnet): shutdown() without any hook.
    /// It calls no hook, frees no guest memory and waits for nothing, and no later work of the
    /// process (its destruction, a call resumed anyway, the nlibcurl bridge) reaches a hook
    /// either: such a call gets the libraries' errors. Idempotent; after shutdown() it still
    /// keeps the hooks from being called again.
    void abandon();
    bool isAbandoned() const;

    /// Sockets the emulator owns (docs/embedding.md, "Sharing sockets with the emulator").
    /// adoptSocket: the host socket becomes the lowest free guest descriptor; from then on the
    /// module owns it (made non-blocking; closed by the guest's socketclose or the process's end).
    /// On failure (SO_EMFILE, SO_EBADF, SO_ENOTSOCK, SO_EABORTED after shutdown) it stays yours.
    Expected<std::int32_t, nsysnet::SoError> adoptSocket(NativeSocket hostSocket);
    /// shareSocket: the same for a socket you keep using (Cemu's nlibcurl aliases curl's sockets
    /// this way). The module adopts its own handle to the socket (dup, WSADuplicateSocket), so the
    /// guest's socketclose and the process's end close only that handle: your socket stays open
    /// and connected, and is yours to close. Its mode is the socket's, so it is non-blocking
    /// afterwards, as libcurl's sockets already are. The same failures as adoptSocket.
    Expected<std::int32_t, nsysnet::SoError> shareSocket(NativeSocket hostSocket);
    /// detachSocket: the guest descriptor is freed and its host socket handed back open, in
    /// non-blocking mode; the caller owns it. Waits on it end, and an NSSL connection over it
    /// fails its next call with NSSL_ERROR_IO_ERROR. SO_EBADF for a descriptor that is not open.
    Expected<NativeSocket, nsysnet::SoError> detachSocket(std::int32_t fd);

    /// With a SocketProvider: the guest is closing `fd`. Call it from your socketclose before
    /// the host socket is closed; NSSL connections over it stop touching it at once and their
    /// calls answer NSSL_ERROR_IO_ERROR (a descriptor number reused later is never used).
    /// Without one it does nothing (the module's socketclose does the same itself).
    void guestSocketClosing(std::int32_t fd);
    /// False for a Process made with a SocketProvider.
    bool servesSockets() const;

    guest::EmbeddingHooks& hooks() const;
    // What the process holds (contexts, connections, sockets): wiiu::inspect(), <wiiu_nssl/inspection.h>.
};

}  // namespace wiiu
