// The per-process socket table: guest descriptors (small integers that fit the guest's one-word
// fd_set) mapped onto shared host sockets, the library's init state, per-thread socketlasterr,
// and the one waiting strategy every blocking call uses (waitFor).
//
// Descriptors are kFirstDescriptor..kLastDescriptor (1..31); the lowest free one is handed out,
// SO_EMFILE beyond. Descriptor 0 is never used (as in Cemu and decaf), so a zeroed fd_set or a
// zero-initialised descriptor variable never names a live socket.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include <boost/asio/io_context.hpp>

#include "common/expected.h"
#include "hle/guest/hooks.h"
#include "hle/guest/wait.h"
#include "hle/nsysnet/errors.h"
#include "hle/nsysnet/guest_blocks.h"
#include "hle/nsysnet/host_socket.h"
#include "hle/nsysnet/resolver.h"
#include "hle/nsysnet/thread_errors.h"

namespace wiiu::nsysnet {

inline constexpr std::int32_t kFirstDescriptor = 1;
inline constexpr std::int32_t kLastDescriptor = 31;  ///< bit 31 of the guest fd_set
inline constexpr std::int32_t kMaxSockets = kLastDescriptor - kFirstDescriptor + 1;

using guest::WaitResult;

class SocketTable {
public:
    explicit SocketTable(guest::EmbeddingHooks& hooks);
    /// Closes every socket, wakes every waiter and waits for calls still inside the table.
    ~SocketTable();
    SocketTable(const SocketTable&) = delete;
    SocketTable& operator=(const SocketTable&) = delete;

    // --- library state (socket_lib_init / socket_lib_finish) -------------------------------------
    void initialize() { initialized_.store(true); }
    /// false when the library was not initialised (socket_lib_finish then fails with ENOLIBRM).
    bool finish() { return initialized_.exchange(false); }
    bool initialized() const { return initialized_.load(); }

    // --- descriptors --------------------------------------------------------------------------
    /// Opens a host socket and gives it the lowest free descriptor.
    Expected<std::int32_t, SoError> open(SocketKind kind);
    /// Gives an existing socket (e.g. an accepted one) a descriptor; SO_EMFILE when full.
    Expected<std::int32_t, SoError> add(std::shared_ptr<HostSocket> socket);
    /// The socket behind `fd`, or null for a descriptor that is not open in this process.
    std::shared_ptr<HostSocket> find(std::int32_t fd) const;
    /// Frees the descriptor and closes the host socket (ending waits on it with Aborted).
    SoError close(std::int32_t fd);
    /// Closes every socket of the process (socketclose_all, teardown).
    void closeAll();
    /// Descriptors in use, ascending.
    std::vector<std::int32_t> descriptors() const;

    // --- waiting ------------------------------------------------------------------------------
    /// Waits until `socket` may be readable/writable, the deadline passes, or the socket or the
    /// process is closed (guest::waitFor, so an emulator's wait() hook can yield to its scheduler).
    WaitResult waitFor(HostSocket& socket, bool read, bool write, guest::Deadline deadline);
    /// Signalled when the process is torn down; include it in any custom wait.
    const guest::Interrupt& teardownSignal() const { return teardown_; }
    /// Begins teardown: signals every waiter and closes every socket (idempotent).
    void teardown();
    bool tearingDown() const { return teardown_.signalled(); }

    /// Counts a guest call inside the table, so destruction waits for it to leave.
    class CallScope {
    public:
        explicit CallScope(SocketTable& table);
        ~CallScope();
        CallScope(const CallScope&) = delete;
        CallScope& operator=(const CallScope&) = delete;

    private:
        SocketTable& table_;
    };

    guest::EmbeddingHooks& hooks() const { return hooks_; }
    ThreadErrors& lastErrors() { return lastErrors_; }
    PerThread<std::int32_t>& hostErrors() { return hostErrors_; }  ///< h_errno per guest thread
    GuestBlocks& guestBlocks() { return guestBlocks_; }
    Resolver& resolver() { return resolver_; }

private:
    guest::EmbeddingHooks& hooks_;
    std::shared_ptr<boost::asio::io_context> io_;
    std::atomic<bool> initialized_{false};
    guest::Interrupt teardown_;

    mutable std::mutex mutex_;
    std::array<std::shared_ptr<HostSocket>, kMaxSockets> slots_;

    std::mutex callsMutex_;
    std::condition_variable callsDone_;
    int activeCalls_ = 0;

    ThreadErrors lastErrors_;
    PerThread<std::int32_t> hostErrors_;
    GuestBlocks guestBlocks_;
    Resolver resolver_;
};

}  // namespace wiiu::nsysnet
