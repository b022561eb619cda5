// The calls of platform/socket.h that are the same BSD call on both hosts, written once: only the
// handle type, the length type and where the error comes from (errno or WSAGetLastError, both
// behind lastSocketError()) differ. The rest of each half is in posix/ and windows/.
#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <cerrno>

#include <arpa/inet.h>
#include <netdb.h>  // addrinfo, which bsd_shared.h names
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include "platform/bsd_shared.h"

namespace wiiu::platform {
namespace {

#ifdef _WIN32
using Handle = SOCKET;
using Length = int;
constexpr int kNotIpv4 = WSAEAFNOSUPPORT;
#else
using Handle = int;
using Length = socklen_t;
constexpr int kNotIpv4 = EAFNOSUPPORT;
#endif

Handle native(NativeSocket s)
{
    return static_cast<Handle>(s);
}

/// 0, or the host error of the call that returned `rc`.
int result(int rc)
{
    return rc == 0 ? 0 : lastSocketError();
}

/// getsockopt into a value of type T (Winsock takes char*, POSIX void*: char* suits both).
template <class T>
int getOption(NativeSocket s, int level, int name, T& value)
{
    Length len = sizeof value;
    return result(::getsockopt(native(s), level, name, reinterpret_cast<char*>(&value), &len));
}

template <class T>
int setOptionTo(NativeSocket s, int level, int name, const T& value)
{
    return result(::setsockopt(native(s), level, name, reinterpret_cast<const char*>(&value), sizeof value));
}

int name(NativeSocket s, Ipv4& out, bool peer)
{
    sockaddr_storage ss{};
    Length len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if ((peer ? ::getpeername(native(s), sa, &len) : ::getsockname(native(s), sa, &len)) != 0) {
        const int err = lastSocketError();
#ifdef _WIN32
        if (!peer && err == WSAEINVAL) {  // Winsock: an unbound socket has no name; BSD says 0.0.0.0:0
            out = {};
            return 0;
        }
#endif
        return err;
    }
    if (ss.ss_family != AF_INET)
        return kNotIpv4;
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    out = {ntohl(in->sin_addr.s_addr), ntohs(in->sin_port)};
    return 0;
}

}  // namespace

int bind(NativeSocket s, Ipv4 local)
{
    const sockaddr_in sa = detail::toSockaddr(local);
    return result(::bind(native(s), reinterpret_cast<const sockaddr*>(&sa), sizeof sa));
}

int connect(NativeSocket s, Ipv4 peer)
{
    const sockaddr_in sa = detail::toSockaddr(peer);
    return result(::connect(native(s), reinterpret_cast<const sockaddr*>(&sa), sizeof sa));
}

int pendingError(NativeSocket s, int& error)
{
    error = 0;
    return getOption(s, SOL_SOCKET, SO_ERROR, error);
}

int localName(NativeSocket s, Ipv4& out)
{
    return name(s, out, false);
}

int peerName(NativeSocket s, Ipv4& out)
{
    return name(s, out, true);
}

int socketFacts(NativeSocket s, SocketFacts& out)
{
    int type = 0;
    if (const int err = getOption(s, SOL_SOCKET, SO_TYPE, type); err != 0)
        return err;
    sockaddr_storage local{};
    Length len = sizeof local;
    if (::getsockname(native(s), reinterpret_cast<sockaddr*>(&local), &len) != 0)
        return lastSocketError();
    out.stream = type == SOCK_STREAM;
    out.datagram = type == SOCK_DGRAM;
    out.ipv4 = local.ss_family == AF_INET;
    int accepting = 0;
    out.listening = out.stream && getOption(s, SOL_SOCKET, SO_ACCEPTCONN, accepting) == 0 && accepting != 0;
    Ipv4 peer;
    out.connected = name(s, peer, true) == 0;
    return 0;
}

int setOption(NativeSocket s, HostOption option, int value)
{
    const detail::Name n = detail::hostName(option);
    return setOptionTo(s, n.level, n.name, value);
}

int option(NativeSocket s, HostOption option, int& value)
{
    const detail::Name n = detail::hostName(option);
    value = 0;
    return getOption(s, n.level, n.name, value);
}

int setLinger(NativeSocket s, bool on, int seconds)
{
    ::linger l{};
    l.l_onoff = static_cast<decltype(l.l_onoff)>(on ? 1 : 0);
    l.l_linger = static_cast<decltype(l.l_linger)>(seconds);
    return setOptionTo(s, SOL_SOCKET, SO_LINGER, l);
}

int linger(NativeSocket s, bool& on, int& seconds)
{
    ::linger l{};
    if (const int err = getOption(s, SOL_SOCKET, SO_LINGER, l); err != 0)
        return err;
    on = l.l_onoff != 0;
    seconds = l.l_linger;
    return 0;
}

}  // namespace wiiu::platform
