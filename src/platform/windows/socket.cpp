// Windows half of platform/socket.h: Winsock 2 (ws2_32). Error codes are WSA values, which
// nsysnet's error table maps beside errno.
#include "platform/socket.h"

#include <array>
#include <cstring>

#include <winsock2.h>
#include <ws2tcpip.h>

#include "platform/bsd_shared.h"

namespace wiiu::platform {
namespace {

using detail::toSockaddr;

SOCKET sock(NativeSocket s)
{
    return static_cast<SOCKET>(s);
}

// Winsock needs WSAStartup before any call; Asio does it too, but a wake signal or a lookup may
// come first. Never cleaned up: the process's end does it.
void ensureWinsock()
{
    static const bool started = [] {
        WSADATA data;
        return ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
    }();
    (void)started;
}

int result(int rc)
{
    return rc == 0 ? 0 : ::WSAGetLastError();
}


}  // namespace

int lastSocketError()
{
    return ::WSAGetLastError();
}

int openStream(NativeSocket& out)
{
    ensureWinsock();
    // WSA_FLAG_OVERLAPPED as Asio opens its sockets, so the IOCP it is later assigned to takes it.
    const SOCKET s = ::WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                                  WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (s == INVALID_SOCKET)
        return ::WSAGetLastError();
    if (const int err = setNonBlocking(static_cast<NativeSocket>(s)); err != 0) {
        ::closesocket(s);
        return err;
    }
    out = static_cast<NativeSocket>(s);
    return 0;
}

int setNonBlocking(NativeSocket s)
{
    u_long on = 1;
    return result(::ioctlsocket(sock(s), FIONBIO, &on));
}

void closeSocket(NativeSocket s)
{
    ::closesocket(sock(s));
}

int duplicateSocket(NativeSocket s, NativeSocket& out)
{
    ensureWinsock();
    WSAPROTOCOL_INFOW info;
    if (::WSADuplicateSocketW(sock(s), ::GetCurrentProcessId(), &info) != 0)
        return ::WSAGetLastError();
    // Overlapped, as Asio opens its sockets, so the module's I/O completion port takes it.
    const SOCKET copy = ::WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                                     WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (copy == INVALID_SOCKET)
        return ::WSAGetLastError();
    out = static_cast<NativeSocket>(copy);
    return 0;
}

bool wouldBlock(int hostError)
{
    return hostError == WSAEWOULDBLOCK;
}

namespace {

/// Whether `s` can move data now without blocking (or has an error that the call will report).
bool readyNow(NativeSocket s, bool write)
{
    WSAPOLLFD fd{sock(s), static_cast<short>(write ? POLLWRNORM : POLLRDNORM), 0};
    return ::WSAPoll(&fd, 1, 0) > 0 && fd.revents != 0;
}

}  // namespace

int receiveNow(NativeSocket s, std::span<std::uint8_t> buffer, std::size_t& moved)
{
    moved = 0;
    if (!readyNow(s, false))
        return WSAEWOULDBLOCK;
    const int n = ::recv(sock(s), reinterpret_cast<char*>(buffer.data()), static_cast<int>(buffer.size()), 0);
    if (n == SOCKET_ERROR)
        return ::WSAGetLastError();
    moved = static_cast<std::size_t>(n);
    return 0;
}

int sendNow(NativeSocket s, std::span<const std::uint8_t> data, std::size_t& moved)
{
    moved = 0;
    if (!readyNow(s, true))
        return WSAEWOULDBLOCK;
    const int n = ::send(sock(s), reinterpret_cast<const char*>(data.data()), static_cast<int>(data.size()), 0);
    if (n == SOCKET_ERROR)
        return ::WSAGetLastError();
    moved = static_cast<std::size_t>(n);
    return 0;
}

bool connectInProgress(int hostError)
{
    // A non-blocking Winsock connect answers WSAEWOULDBLOCK where POSIX says EINPROGRESS.
    return hostError == WSAEWOULDBLOCK || hostError == WSAEINPROGRESS || hostError == WSAEALREADY;
}

int shutdown(NativeSocket s, bool read, bool write)
{
    const int how = read && write ? SD_BOTH : (read ? SD_RECEIVE : SD_SEND);
    return result(::shutdown(sock(s), how));
}

int queuedBytes(NativeSocket s, bool receive, int& bytes)
{
    bytes = 0;
    if (!receive)
        return WSAEOPNOTSUPP;  // Winsock has no SIOCOUTQ
    u_long n = 0;
    if (::ioctlsocket(sock(s), FIONREAD, &n) != 0)
        return ::WSAGetLastError();
    bytes = static_cast<int>(n);
    return 0;
}

int poll(std::span<PollEntry> entries, int timeoutMs)
{
    ensureWinsock();
    std::vector<WSAPOLLFD> fds;
    fds.reserve(entries.size());
    for (const PollEntry& e : entries)
        fds.push_back({sock(e.socket), static_cast<short>((e.read ? POLLRDNORM : 0) | (e.write ? POLLWRNORM : 0)), 0});
    const int n = ::WSAPoll(fds.data(), static_cast<ULONG>(fds.size()), timeoutMs);
    if (n <= 0)
        return 0;
    int ready = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const short r = fds[i].revents;
        entries[i].readReady = (r & POLLRDNORM) != 0;
        entries[i].writeReady = (r & POLLWRNORM) != 0;
        entries[i].failed = (r & (POLLERR | POLLHUP | POLLNVAL)) != 0;
        ready += entries[i].readReady || entries[i].writeReady || entries[i].failed ? 1 : 0;
    }
    return ready;
}

WakeSignal::WakeSignal()
{
    // A connected loopback pair: WSAPoll waits on sockets only, so an event object would not do.
    ensureWinsock();
    SOCKET listener = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET)
        return;
    sockaddr_in sa = toSockaddr({0x7F000001, 0});
    int len = sizeof sa;
    SOCKET writer = INVALID_SOCKET;
    SOCKET reader = INVALID_SOCKET;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 && ::listen(listener, 1) == 0 &&
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) == 0) {
        writer = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (writer != INVALID_SOCKET && ::connect(writer, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0)
            reader = ::accept(listener, nullptr, nullptr);
    }
    ::closesocket(listener);
    if (reader == INVALID_SOCKET) {
        if (writer != INVALID_SOCKET)
            ::closesocket(writer);
        return;
    }
    const int one = 1;
    ::setsockopt(writer, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&one), sizeof one);
    read_ = static_cast<NativeSocket>(reader);
    write_ = static_cast<NativeSocket>(writer);
}

WakeSignal::~WakeSignal()
{
    if (read_ != invalidSocket)
        ::closesocket(sock(read_));
    if (write_ != invalidSocket)
        ::closesocket(sock(write_));
}

void WakeSignal::signal()
{
    // Never read back, so the socket stays readable: every later wait sees the signal too.
    const char one = 1;
    ::send(sock(write_), &one, 1, 0);
}

bool WakeSignal::signalled() const
{
    WSAPOLLFD p{sock(read_), POLLRDNORM, 0};
    return ::WSAPoll(&p, 1, 0) > 0;
}

void WakeSignal::clear()
{
    char drained[64];
    while (signalled() && ::recv(sock(read_), drained, sizeof drained, 0) > 0)
        ;
}

HostLookup lookupHost(const std::string& name)
{
    ensureWinsock();
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    addrinfo* list = nullptr;
    HostLookup out;
    switch (::getaddrinfo(name.c_str(), nullptr, &hints, &list)) {
    case 0: out.status = LookupStatus::Ok; break;
    case WSAHOST_NOT_FOUND: out.status = LookupStatus::NotFound; return out;
    case WSATRY_AGAIN: out.status = LookupStatus::TryAgain; return out;
    case WSANO_DATA: out.status = LookupStatus::NoData; return out;
    default: out.status = LookupStatus::Failed; return out;
    }
    detail::takeAddresses(list, out);
    return out;
}

std::string reverseLookup(std::uint32_t address)
{
    ensureWinsock();
    const sockaddr_in sa = toSockaddr({address, 0});
    std::array<char, NI_MAXHOST> host{};
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&sa), sizeof sa, host.data(),
                      static_cast<DWORD>(host.size()), nullptr, 0, NI_NAMEREQD) != 0)
        return {};
    return host.data();
}

std::optional<std::uint32_t> parseAton(const std::string& text)
{
    // inet_addr reads inet_aton's forms; its one ambiguity is the broadcast address.
    const unsigned long a = ::inet_addr(text.c_str());
    if (a == INADDR_NONE && text != "255.255.255.255")
        return std::nullopt;
    return ntohl(a);
}

std::optional<std::vector<std::uint8_t>> parseIpLiteral(const std::string& text)
{
    unsigned char buf[16];
    if (::inet_pton(AF_INET, text.c_str(), buf) == 1)
        return std::vector<std::uint8_t>(buf, buf + 4);
    if (::inet_pton(AF_INET6, text.c_str(), buf) == 1)
        return std::vector<std::uint8_t>(buf, buf + 16);
    return std::nullopt;
}

std::optional<std::uint16_t> servicePort(const std::string& name, bool udp)
{
    ensureWinsock();
    const servent* found = ::getservbyname(name.c_str(), udp ? "udp" : "tcp");  // per-thread storage
    if (!found)
        return std::nullopt;
    return ntohs(static_cast<std::uint16_t>(found->s_port));
}

std::optional<std::string> serviceName(std::uint16_t port, bool udp)
{
    ensureWinsock();
    const servent* found = ::getservbyport(htons(port), udp ? "udp" : "tcp");
    if (!found || !found->s_name)
        return std::nullopt;
    return std::string(found->s_name);
}

}  // namespace wiiu::platform
