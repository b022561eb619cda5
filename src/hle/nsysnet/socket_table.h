// The nsysnet socket service: the per-process socket table (guest descriptors, small integers that
// fit the guest's one-word fd_set, mapped onto shared host sockets), the library's init state,
// per-thread socketlasterr, and the socket operations in host types. A blocking operation takes
// the decision itself (the socket's SO_NBIO state, IoFlags::dontWait) and waits through waitFor,
// so the exports only translate guest arguments, and an emulator's own HLE (nlibcurl) or a test
// can call the same operations without guest memory.
//
// Why one class and not a service beside the table: every operation needs the table's
// descriptors, teardown signal and hooks, and an emulator holds one object per process. The
// operations are implemented by concept in socket_connection.cpp, socket_data.cpp and select.cpp.
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

#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/hooks.h>
#include "hle/guest/wait.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "hle/nsysnet/guest_blocks.h"
#include "hle/nsysnet/host_socket.h"
#include "hle/nsysnet/resolver.h"
#include "hle/nsysnet/select.h"
#include "hle/nsysnet/socket_options.h"
#include "hle/nsysnet/thread_errors.h"
#include "common/module_lock.h"

namespace wiiu::nsysnet {

inline constexpr std::int32_t kFirstDescriptor = 1;
inline constexpr std::int32_t kLastDescriptor = 31;  ///< bit 31 of the guest fd_set
inline constexpr std::int32_t kMaxSockets = kLastDescriptor - kFirstDescriptor + 1;

using guest::WaitResult;

/// A connection accept() took: its new descriptor and the peer.
struct Accepted {
    std::int32_t fd = 0;
    Ipv4Endpoint peer;
};

/// What receiveFrom() got: the bytes, and the sender (none when a stream's peer closed).
struct Received {
    std::size_t bytes = 0;
    std::optional<Ipv4Endpoint> from;
};

struct Linger {
    bool on = false;
    std::int32_t seconds = 0;
};

enum class ShutdownHow { Read, Write, Both };

/// A host-socket SO_E* status as a service result.
inline Expected<void, SoError> check(SoError e)
{
    if (e != SoError::SO_SUCCESS)
        return fail(e);
    return {};
}

class SocketTable {
public:
    explicit SocketTable(guest::EmbeddingHooks& hooks);
    /// Closes every socket, wakes every waiter and waits for calls still inside the table (none
    /// inside a Process, whose calls share ownership of it).
    ~SocketTable();
    SocketTable(const SocketTable&) = delete;
    SocketTable& operator=(const SocketTable&) = delete;

    // --- library state (socket_lib_init / socket_lib_finish) -------------------------------------
    /// Starts a library session (idempotent while one runs).
    void initialize();
    /// Ends the session: signals its end, which wakes the selects of the session. false when the
    /// library was not initialised (socket_lib_finish then fails with ENOLIBRM).
    bool finish();
    bool initialized() const { return initialized_.load(); }

    // --- descriptors --------------------------------------------------------------------------
    /// Opens a host socket and gives it the lowest free descriptor.
    Expected<std::int32_t, SoError> open(SocketKind kind);
    /// Gives an existing socket (e.g. an accepted one) a descriptor; SO_EMFILE when full.
    Expected<std::int32_t, SoError> add(std::shared_ptr<HostSocket> socket);
    /// The socket behind `fd`, or null for a descriptor that is not open in this process.
    std::shared_ptr<HostSocket> find(std::int32_t fd) const;
    /// Frees the descriptor and closes the host socket (ending waits on it with Aborted).
    Expected<void, SoError> close(std::int32_t fd);
    /// Closes every socket of the process (socketclose_all, teardown).
    void closeAll();
    /// Sockets the emulator owns (socket_adopt.cpp; Process::adoptSocket explains ownership):
    /// an open host socket becomes the lowest free descriptor (the table owns it from then on;
    /// on failure it stays the caller's), and a descriptor's host socket is handed back open.
    Expected<std::int32_t, SoError> adopt(platform::NativeSocket hostSocket);
    /// The same for a socket the caller keeps: the table adopts a second handle to it.
    Expected<std::int32_t, SoError> share(platform::NativeSocket hostSocket);
    Expected<platform::NativeSocket, SoError> detach(std::int32_t fd);
    /// Descriptors in use, ascending.
    std::vector<std::int32_t> descriptors() const;

    // --- operations (each SO_EBADF for a descriptor that is not open) ---------------------------
    // Connections (socket_connection.cpp). connect and accept block unless the socket is
    // non-blocking: then SO_EINPROGRESS / SO_EALREADY and SO_EWOULDBLOCK.
    Expected<void, SoError> bind(std::int32_t fd, const Ipv4Endpoint& local);
    Expected<void, SoError> listen(std::int32_t fd, int backlog);
    Expected<void, SoError> connect(std::int32_t fd, const Ipv4Endpoint& peer);
    Expected<Accepted, SoError> accept(std::int32_t fd);
    Expected<void, SoError> shutdown(std::int32_t fd, ShutdownHow how);
    Expected<Ipv4Endpoint, SoError> peerName(std::int32_t fd) const;
    Expected<Ipv4Endpoint, SoError> localName(std::int32_t fd) const;
    Expected<void, SoError> setOption(std::int32_t fd, SocketOption option, std::int32_t value);
    Expected<std::int32_t, SoError> option(std::int32_t fd, SocketOption option);
    Expected<void, SoError> setLinger(std::int32_t fd, Linger linger);
    Expected<Linger, SoError> linger(std::int32_t fd) const;

    // Data (socket_data.cpp): the bytes moved; receive's 0 is the peer's orderly close. They
    // block unless the socket is non-blocking or flags.dontWait; then SO_EWOULDBLOCK. A blocking
    // stream send moves everything, or what went out before a failure.
    Expected<std::size_t, SoError> send(std::int32_t fd, std::span<const std::uint8_t> data, IoFlags flags = {});
    Expected<std::size_t, SoError> sendTo(std::int32_t fd, std::span<const std::uint8_t> data, const Ipv4Endpoint& to,
                                          IoFlags flags = {});
    Expected<std::size_t, SoError> receive(std::int32_t fd, std::span<std::uint8_t> buffer, IoFlags flags = {});
    Expected<Received, SoError> receiveFrom(std::int32_t fd, std::span<std::uint8_t> buffer, IoFlags flags = {});

    /// select.cpp: waits until an entry is ready or the deadline passes (nullopt: none); the
    /// number of ready conditions, 0 on timeout. SO_EABORTED when a watched socket is closed or
    /// the process ends meanwhile. Like Linux, an error or hang-up counts as readable and writable.
    Expected<int, SoError> select(std::span<SelectEntry> entries, guest::Deadline deadline);

    // --- waiting ------------------------------------------------------------------------------
    /// Waits until `socket` may be readable/writable, the deadline passes, or the socket or the
    /// process is closed (guest::waitFor, so an emulator's wait() hook can yield to its scheduler).
    WaitResult waitFor(HostSocket& socket, bool read, bool write, guest::Deadline deadline);
    /// Begins teardown: signals every waiter and closes every socket (idempotent).
    void teardown();

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
    GuestBlocks& guestBlocks() { return guestBlocks_; }
    Resolver& resolver() { return resolver_; }

private:
    /// Frees descriptor `fd`; its socket (null when not open), to close outside the lock.
    std::shared_ptr<HostSocket> take(std::int32_t fd);
    /// Empties the table; the sockets it held, for closing outside the lock.
    std::array<std::shared_ptr<HostSocket>, kMaxSockets> takeAll();
    Expected<std::size_t, SoError> transmit(std::int32_t fd, std::span<const std::uint8_t> data,
                                            const Ipv4Endpoint* to, IoFlags flags);

    guest::EmbeddingHooks& hooks_;
    std::shared_ptr<boost::asio::io_context> io_;
    std::atomic<bool> initialized_{false};
    guest::Interrupt teardown_;

    mutable ModuleMutex mutex_;
    std::array<std::shared_ptr<HostSocket>, kMaxSockets> slots_;
    // The end of the current library session. A select over no descriptor watches no socket that
    // socket_lib_finish closes, so it watches this. A new one per session: a signal stays raised.
    std::shared_ptr<guest::Interrupt> sessionEnd_;

    ModuleMutex callsMutex_;
    std::condition_variable_any callsDone_;
    int activeCalls_ = 0;

    ThreadErrors lastErrors_;
    GuestBlocks guestBlocks_;
    Resolver resolver_;
};

}  // namespace wiiu::nsysnet
