// The host's socket API behind portable signatures: the one place that includes <sys/socket.h>
// or <winsock2.h> (posix/ and windows/ hold the two halves; CMake compiles one of them).
// Everything Boost.Asio already does portably (open, send, receive, accept, close) stays in
// Asio; this covers what Asio has no non-blocking or non-detail call for, so the rest of the
// library includes no system socket header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wiiu::platform {

/// A host socket: a file descriptor on POSIX, a SOCKET on Windows (both fit; -1 is invalid,
/// which is also Windows' INVALID_SOCKET).
using NativeSocket = std::intptr_t;
inline constexpr NativeSocket invalidSocket = -1;

/// An IPv4 address and port in host byte order.
struct Ipv4 {
    std::uint32_t address = 0;
    std::uint16_t port = 0;
};

/// The calling thread's last socket error: errno, or WSAGetLastError() on Windows. The functions
/// below return 0 or such a host error code; nsysnet's error table maps both kinds.
int lastSocketError();

/// A new IPv4 TCP socket, non-blocking (and not inherited by child processes), into `out`;
/// returns 0 or the host error. HostSocket keeps it unwrapped until connect or listen decides
/// which Asio object it becomes (Windows' IOCP cannot move a socket between Asio objects).
int openStream(NativeSocket& out);
/// Makes a socket non-blocking on the host; 0 or the host error.
int setNonBlocking(NativeSocket s);
/// The host error says nothing could move now (EAGAIN, EWOULDBLOCK, WSAEWOULDBLOCK).
bool wouldBlock(int hostError);
/// One receive / send that never blocks, whatever the socket's own mode (a socket the emulator
/// lends keeps the mode it gave it): POSIX passes MSG_DONTWAIT; Windows has no such flag and
/// polls first, so a send on a blocking Windows socket may still wait until the data fits.
/// The bytes moved go to `moved` (0 from a receive: the peer closed); returns 0 or the host error.
int receiveNow(NativeSocket s, std::span<std::uint8_t> buffer, std::size_t& moved);
int sendNow(NativeSocket s, std::span<const std::uint8_t> data, std::size_t& moved);
/// Closes a socket no Asio object owns.
void closeSocket(NativeSocket s);
/// A second handle to the same socket (POSIX dup, not inherited; Windows WSADuplicateSocket into
/// this process), into `out`; returns 0 or the host error. Closing one handle leaves the socket
/// open for the other; the socket's mode and options are the same through both.
int duplicateSocket(NativeSocket s, NativeSocket& out);

int bind(NativeSocket s, Ipv4 local);
/// One non-blocking connect step: 0 (connected), or the host error.
int connect(NativeSocket s, Ipv4 peer);
/// The connect step's error says "still connecting" (EINPROGRESS, WSAEWOULDBLOCK, ...).
bool connectInProgress(int hostError);
/// SO_ERROR: the socket's pending error into `error`; returns 0 or the failure of the query.
int pendingError(NativeSocket s, int& error);
int shutdown(NativeSocket s, bool read, bool write);
int localName(NativeSocket s, Ipv4& out);

/// What an open host socket is, for taking over one the emulator made (Process::adoptSocket).
struct SocketFacts {
    bool stream = false;    ///< SOCK_STREAM
    bool datagram = false;  ///< SOCK_DGRAM
    bool ipv4 = false;      ///< its local address is AF_INET (nsysnet is IPv4 only)
    bool listening = false;
    bool connected = false;
};
/// 0, or the host error of the first query that failed (not a socket, not open).
int socketFacts(NativeSocket s, SocketFacts& out);
int peerName(NativeSocket s, Ipv4& out);

/// The host options nsysnet maps console options onto (all int-valued).
enum class HostOption {
    ReuseAddr, KeepAlive, DontRoute, Broadcast, OobInline, SendBuffer, ReceiveBuffer,
    IpTos, IpTtl, TcpNoDelay, TcpMaxSegment,
};
int setOption(NativeSocket s, HostOption option, int value);
int option(NativeSocket s, HostOption option, int& value);
int setLinger(NativeSocket s, bool on, int seconds);
int linger(NativeSocket s, bool& on, int& seconds);
/// Bytes queued for receiving (FIONREAD) or not yet acknowledged for sending (Linux SIOCOUTQ;
/// Windows has no such query and answers the host's "not supported" error).
int queuedBytes(NativeSocket s, bool receive, int& bytes);

/// One socket a poll watches, and what became of it.
struct PollEntry {
    NativeSocket socket = invalidSocket;
    bool read = false;
    bool write = false;
    bool readReady = false;
    bool writeReady = false;
    bool failed = false;  ///< error, hang-up or invalid socket
};
/// Waits up to `timeoutMs` (-1: no limit) until an entry is ready; returns how many are
/// ready, 0 on timeout or interruption (callers retry).
int poll(std::span<PollEntry> entries, int timeoutMs);

/// A one-shot wake-up a poll can include: readable once signalled, and it stays so. Linux: an
/// eventfd; other POSIX: a pipe; Windows: a connected loopback TCP pair (WSAPoll polls sockets
/// only).
class WakeSignal {
public:
    WakeSignal();
    ~WakeSignal();
    WakeSignal(const WakeSignal&) = delete;
    WakeSignal& operator=(const WakeSignal&) = delete;

    void signal();
    bool signalled() const;
    /// Lowers the signal again (for a signal reused as a doorbell; the module's own stay raised).
    void clear();
    NativeSocket handle() const { return read_; }

private:
    NativeSocket read_ = invalidSocket;
    NativeSocket write_ = invalidSocket;
};

// --- names and addresses (the resolver and the TLS engine's IP literals) ----------------------

enum class LookupStatus { Ok, NotFound, TryAgain, NoData, Failed };
struct HostLookup {
    LookupStatus status = LookupStatus::Failed;
    std::string canonicalName;
    std::vector<std::uint32_t> addresses;  ///< IPv4, host order, in the host's order
};
/// getaddrinfo for IPv4 (blocking; the resolver runs it with a deadline).
HostLookup lookupHost(const std::string& name);
/// getnameinfo with NI_NAMEREQD; empty when the address has no name.
std::string reverseLookup(std::uint32_t address);
/// inet_aton's forms (a, a.b, a.b.c, a.b.c.d; octal and hex parts).
std::optional<std::uint32_t> parseAton(const std::string& text);
/// A literal IPv4 (4 bytes) or IPv6 (16 bytes) address in network order, as inet_pton reads it.
std::optional<std::vector<std::uint8_t>> parseIpLiteral(const std::string& text);
/// The services database (getservbyname / getservbyport).
std::optional<std::uint16_t> servicePort(const std::string& name, bool udp);
std::optional<std::string> serviceName(std::uint16_t port, bool udp);

}  // namespace wiiu::platform
