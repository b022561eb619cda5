// POSIX half of platform/socket.h (Linux; the BSD calls also build on macOS).
#include "platform/socket.h"

#include <array>
#include <cerrno>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/sockios.h>  // SIOCOUTQ
#include <sys/eventfd.h>
#endif

#include "platform/bsd_shared.h"

namespace wiiu::platform {
namespace {

using detail::toSockaddr;

int fd(NativeSocket s)
{
    return static_cast<int>(s);
}

int result(int rc)
{
    return rc == 0 ? 0 : errno;
}


}  // namespace

int lastSocketError()
{
    return errno;
}

int openStream(NativeSocket& out)
{
    const int s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s < 0)
        return errno;
    if (const int err = ::fcntl(s, F_SETFD, FD_CLOEXEC) == 0 ? setNonBlocking(s) : errno; err != 0) {
        ::close(s);
        return err;
    }
#ifdef SO_NOSIGPIPE  // macOS has no MSG_NOSIGNAL; Asio's own open() sets this, assign() does not
    const int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    out = s;
    return 0;
}

int setNonBlocking(NativeSocket s)
{
    const int flags = ::fcntl(fd(s), F_GETFL);
    return flags < 0 ? errno : result(::fcntl(fd(s), F_SETFL, flags | O_NONBLOCK));
}

void closeSocket(NativeSocket s)
{
    ::close(fd(s));
}

int duplicateSocket(NativeSocket s, NativeSocket& out)
{
    const int copy = ::fcntl(fd(s), F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return errno;
    out = copy;
    return 0;
}

bool connectInProgress(int hostError)
{
    return hostError == EINPROGRESS || hostError == EAGAIN || hostError == EALREADY;
}

bool wouldBlock(int hostError)
{
    return hostError == EAGAIN || hostError == EWOULDBLOCK;
}

int receiveNow(NativeSocket s, std::span<std::uint8_t> buffer, std::size_t& moved)
{
    const ssize_t n = ::recv(fd(s), buffer.data(), buffer.size(), MSG_DONTWAIT);
    moved = n > 0 ? static_cast<std::size_t>(n) : 0;
    return n < 0 ? errno : 0;
}

int sendNow(NativeSocket s, std::span<const std::uint8_t> data, std::size_t& moved)
{
#ifdef MSG_NOSIGNAL
    constexpr int noSignal = MSG_NOSIGNAL;
#else
    constexpr int noSignal = 0;  // macOS: SO_NOSIGPIPE is the socket owner's to set
#endif
    const ssize_t n = ::send(fd(s), data.data(), data.size(), MSG_DONTWAIT | noSignal);
    moved = n > 0 ? static_cast<std::size_t>(n) : 0;
    return n < 0 ? errno : 0;
}

int shutdown(NativeSocket s, bool read, bool write)
{
    const int how = read && write ? SHUT_RDWR : (read ? SHUT_RD : SHUT_WR);
    return result(::shutdown(fd(s), how));
}

int queuedBytes(NativeSocket s, bool receive, int& bytes)
{
    bytes = 0;
    if (receive)
        return result(::ioctl(fd(s), FIONREAD, &bytes));
#ifdef SIOCOUTQ
    return result(::ioctl(fd(s), SIOCOUTQ, &bytes));
#else
    return EOPNOTSUPP;
#endif
}

int poll(std::span<PollEntry> entries, int timeoutMs)
{
    std::vector<pollfd> fds;
    fds.reserve(entries.size());
    for (const PollEntry& e : entries)
        fds.push_back({fd(e.socket), static_cast<short>((e.read ? POLLIN : 0) | (e.write ? POLLOUT : 0)), 0});
    const int n = ::poll(fds.data(), fds.size(), timeoutMs);
    if (n <= 0)
        return 0;  // timeout, or EINTR: a spurious return the caller retries
    int ready = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const short r = fds[i].revents;
        entries[i].readReady = (r & POLLIN) != 0;
        entries[i].writeReady = (r & POLLOUT) != 0;
        entries[i].failed = (r & (POLLERR | POLLHUP | POLLNVAL)) != 0;
        ready += entries[i].readReady || entries[i].writeReady || entries[i].failed ? 1 : 0;
    }
    return ready;
}

WakeSignal::WakeSignal()
{
#ifdef __linux__
    read_ = write_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
#else
    int p[2];
    if (::pipe(p) == 0) {
        for (int d : p) {
            ::fcntl(d, F_SETFD, FD_CLOEXEC);
            ::fcntl(d, F_SETFL, O_NONBLOCK);
        }
        read_ = p[0];
        write_ = p[1];
    }
#endif
}

WakeSignal::~WakeSignal()
{
    if (read_ >= 0)
        ::close(fd(read_));
    if (write_ >= 0 && write_ != read_)
        ::close(fd(write_));
}

void WakeSignal::signal()
{
    const std::uint64_t one = 1;  // an eventfd takes 8 bytes; a pipe any
    // Never read back, so the descriptor stays readable: every later wait sees the signal too.
    [[maybe_unused]] auto n = ::write(fd(write_), &one, sizeof one);
}

bool WakeSignal::signalled() const
{
    pollfd p{fd(read_), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

void WakeSignal::clear()
{
    std::uint64_t drained[8];  // an eventfd gives its count in one read; a pipe what was written
    while (::read(fd(read_), drained, sizeof drained) > 0)
        ;
}

HostLookup lookupHost(const std::string& name)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    addrinfo* list = nullptr;
    HostLookup out;
    switch (::getaddrinfo(name.c_str(), nullptr, &hints, &list)) {
    case 0: out.status = LookupStatus::Ok; break;
    case EAI_NONAME: out.status = LookupStatus::NotFound; return out;
    case EAI_AGAIN: out.status = LookupStatus::TryAgain; return out;
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
        out.status = LookupStatus::NoData;
        return out;
    default: out.status = LookupStatus::Failed; return out;
    }
    detail::takeAddresses(list, out);
    return out;
}

std::string reverseLookup(std::uint32_t address)
{
    const sockaddr_in sa = toSockaddr({address, 0});
    std::array<char, NI_MAXHOST> host{};
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&sa), sizeof sa, host.data(), host.size(), nullptr, 0,
                      NI_NAMEREQD) != 0)
        return {};
    return host.data();
}

std::optional<std::uint32_t> parseAton(const std::string& text)
{
    in_addr a{};
    if (::inet_aton(text.c_str(), &a) == 0)
        return std::nullopt;
    return ntohl(a.s_addr);
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
    servent entry{};
    servent* found = nullptr;
    std::array<char, 1024> buffer{};
#ifdef __linux__
    if (::getservbyname_r(name.c_str(), udp ? "udp" : "tcp", &entry, buffer.data(), buffer.size(), &found) != 0)
        return std::nullopt;
#else
    found = ::getservbyname(name.c_str(), udp ? "udp" : "tcp");  // thread-local on macOS
#endif
    if (!found)
        return std::nullopt;
    return ntohs(static_cast<std::uint16_t>(found->s_port));
}

std::optional<std::string> serviceName(std::uint16_t port, bool udp)
{
    servent entry{};
    servent* found = nullptr;
    std::array<char, 1024> buffer{};
#ifdef __linux__
    if (::getservbyport_r(htons(port), udp ? "udp" : "tcp", &entry, buffer.data(), buffer.size(), &found) != 0)
        return std::nullopt;
#else
    found = ::getservbyport(htons(port), udp ? "udp" : "tcp");
#endif
    if (!found || !found->s_name)
        return std::nullopt;
    return std::string(found->s_name);
}

}  // namespace wiiu::platform
