// One host socket behind a guest descriptor: a Boost.Asio TCP or UDP socket that is ALWAYS
// non-blocking. Every operation here is one non-blocking step; waiting is the caller's job
// (the socket service, SocketTable, and the NSSL layer wait through guest::waitFor).
//
// Shared through std::shared_ptr: the socket table and an NSSL connection may hold the same
// socket. Once close() ran (the guest closed the descriptor, or the process ended) every
// operation fails cleanly with SO_EBADF and closeSignal() stays signalled.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <wiiu_nssl/expected.h>
#include "common/io_result.h"
#include <wiiu_nssl/hooks.h>
#include "hle/nsysnet/endpoint.h"
#include <wiiu_nssl/nsysnet_errors.h>
#include "hle/nsysnet/socket_options.h"
#include "hle/guest/interrupt.h"
#include "common/module_lock.h"

namespace wiiu::nsysnet {

enum class SocketKind { Stream, Datagram };

enum class ConnectState {
    None,        ///< no connect issued (or a failed one was reported and cleared)
    InProgress,  ///< non-blocking connect pending; pollConnect() completes it
    Connected,
    Failed,      ///< the pending connect failed; the reason is in pendingError()
};

/// A failed step as the shared I/O result: it keeps the exact SO_E* code (the socket service
/// answers the guest with it), and a reset gets its own status for the TLS engine's text.
constexpr IoResult ioFailure(SoError e)
{
    const auto code = static_cast<std::int32_t>(e);
    return e == SoError::SO_ECONNRESET ? IoResult::reset(code, errorName(e)) : IoResult::failed(code, errorName(e));
}

/// The SO_E* a finished step stands for: the failure's own code, SO_EWOULDBLOCK for a step that
/// could not move, SO_SUCCESS otherwise (an orderly close is not an error to nsysnet).
constexpr SoError soErrorOf(const IoResult& r)
{
    switch (r.status) {
    case IoStatus::Ok:
    case IoStatus::Closed:
        return SoError::SO_SUCCESS;
    case IoStatus::WouldBlock:
        return SoError::SO_EWOULDBLOCK;
    case IoStatus::Reset:
    case IoStatus::Error:
        break;
    }
    return static_cast<SoError>(r.code);
}

struct ShutdownState {
    bool read = false;   ///< SHUT_RD or SHUT_RDWR done
    bool write = false;  ///< SHUT_WR or SHUT_RDWR done: the transport can send no more
};

/// Flags of one receive/send call. MSG_PEEK is the only one the host step sees; dontWait
/// (MSG_DONTWAIT) is the socket service's blocking decision.
struct IoFlags {
    bool peek = false;
    bool dontWait = false;
};

class HostSocket {
public:
    /// Opens a new IPv4 socket of `kind` on `io`, already non-blocking on the host.
    static Expected<std::shared_ptr<HostSocket>, SoError> open(std::shared_ptr<boost::asio::io_context> io,
                                                                SocketKind kind);
    /// Takes over an open IPv4 host socket (TCP, listening or not, or UDP), making it non-blocking
    /// (socket_adopt.cpp). On failure the descriptor is untouched and stays the caller's.
    static Expected<std::shared_ptr<HostSocket>, SoError> adopt(std::shared_ptr<boost::asio::io_context> io,
                                                                 platform::NativeSocket hostSocket);
    /// Hands the host descriptor back open (still non-blocking) and leaves this object closed:
    /// closeSignal() fires, every later operation fails with SO_EBADF. -1 when already closed.
    platform::NativeSocket release();
    ~HostSocket();
    HostSocket(const HostSocket&) = delete;
    HostSocket& operator=(const HostSocket&) = delete;

    // --- identity and state ------------------------------------------------------------------
    guest::NativeHandle nativeHandle() const;  ///< host descriptor, -1 once closed
    SocketKind kind() const { return kind_; }
    bool isStream() const { return kind_ == SocketKind::Stream; }
    bool isListening() const;
    bool guestNonBlocking() const { return guestNonBlocking_.load(); }
    void setGuestNonBlocking(bool on) { guestNonBlocking_.store(on); }
    bool closed() const { return closed_.load(); }
    const guest::Interrupt& closeSignal() const { return closeSignal_; }
    /// Closes the host socket and signals closeSignal(); idempotent.
    void close();

    // --- data (one non-blocking step each) ------------------------------------------------------
    IoResult receiveSome(std::span<std::uint8_t> buffer, IoFlags flags = {});
    IoResult sendSome(std::span<const std::uint8_t> data);
    /// Receive that also reports the sender into `from` when it is not null (stream sockets: the
    /// peer, which costs a getpeername, so plain receives pass null).
    IoResult receiveFrom(std::span<std::uint8_t> buffer, IoFlags flags, Ipv4Endpoint* from);
    IoResult sendTo(std::span<const std::uint8_t> data, const Ipv4Endpoint& to);
    std::uint64_t bytesReceived() const { return bytesIn_.load(); }
    std::uint64_t bytesSent() const { return bytesOut_.load(); }

    // --- connection --------------------------------------------------------------------------
    SoError bind(const Ipv4Endpoint& local);
    SoError listen(int backlog);
    /// One non-blocking accept: the new (connected, host non-blocking) socket, or SO_EWOULDBLOCK.
    Expected<std::shared_ptr<HostSocket>, SoError> acceptOne(Ipv4Endpoint& peer);
    /// Starts a connect: SO_SUCCESS (connected at once), SO_EINPROGRESS, SO_EALREADY (still
    /// pending), SO_EISCONN, or the failure (a failed pending connect is reported once).
    SoError startConnect(const Ipv4Endpoint& peer);
    ConnectState connectState() const;
    /// Completes a pending connect without waiting; returns the state afterwards.
    ConnectState pollConnect();
    /// SO_LASTERROR: the socket's pending error (a failed connect, or the host's SO_ERROR),
    /// cleared by reading. A failed connect returns to ConnectState::None.
    SoError takePendingError();

    SoError shutdown(bool read, bool write);
    ShutdownState shutdownState() const;

    Expected<Ipv4Endpoint, SoError> localEndpoint() const;
    Expected<Ipv4Endpoint, SoError> peerEndpoint() const;

    // --- options (host_socket_options.cpp) -----------------------------------------------------
    SoError setOption(SocketOption option, std::int32_t value);
    Expected<std::int32_t, SoError> option(SocketOption option);
    SoError setLinger(bool on, std::int32_t seconds);
    Expected<std::pair<bool, std::int32_t>, SoError> linger() const;

private:
    /// localEndpoint/peerEndpoint: `query` is platform::localName or platform::peerName.
    Expected<Ipv4Endpoint, SoError> endpoint(int (*query)(platform::NativeSocket, platform::Ipv4&)) const;
    HostSocket(std::shared_ptr<boost::asio::io_context> io, SocketKind kind);
    guest::NativeHandle handleLocked() const;
    /// A stream socket that neither connected nor listened: fd_ is a bare platform socket. On
    /// Windows an Asio socket is bound to its io_context's completion port for good, so the
    /// socket is wrapped once, when its role is known: a connect makes it a tcp::socket
    /// (wrapStream), a listen a tcp::acceptor (wrapAcceptor).
    bool unwrappedLocked() const;
    SoError wrapStream();
    SoError wrapAcceptor();
    SoError wrapDatagram();  ///< an adopted datagram socket (open() makes its own)
    IoResult finishReceive(std::size_t n, const boost::system::error_code& ec, std::size_t requested);
    IoResult finishSend(std::size_t n, const boost::system::error_code& ec);
    ConnectState pollConnectLocked();
    /// Hands out pendingError_ once (SO_LASTERROR or the next connect), leaving ConnectState::None.
    SoError takeConnectFailureLocked();

    std::shared_ptr<boost::asio::io_context> io_;  // shared: a socket may outlive its table
    const SocketKind kind_;

    mutable ModuleMutex mutex_;  // guards everything below; held only for non-blocking steps
    std::optional<boost::asio::ip::tcp::socket> stream_;      // a stream socket after connect()
    std::optional<boost::asio::ip::tcp::acceptor> acceptor_;  // a stream socket after listen()
    std::optional<boost::asio::ip::udp::socket> datagram_;
    guest::NativeHandle fd_ = platform::invalidSocket;  // the host descriptor (Asio's native_handle() is not const)
    ConnectState connect_ = ConnectState::None;
    SoError pendingError_ = SoError::SO_SUCCESS;
    bool failureReported_ = false;  // since the last connect attempt: the host's SO_ERROR is stale
    ShutdownState shutdown_;
    OptionState options_;  // what the guest set, as the console reads it back

    std::atomic<bool> closed_{false};
    std::atomic<bool> guestNonBlocking_{false};
    std::atomic<std::uint64_t> bytesIn_{0};
    std::atomic<std::uint64_t> bytesOut_{0};
    guest::Interrupt closeSignal_;
};

}  // namespace wiiu::nsysnet
