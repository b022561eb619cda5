// A host-side TCP peer for the nsysnet tests, written with POSIX calls (Linux only: the tests
// that use it are not in the Windows set, see tests/windows.cmake).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace wiiu::test {

/// A TCP socket bound to 127.0.0.1 on a free port, which goes into `port`.
inline int boundLoopbackSocket(std::uint16_t& port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    port = ntohs(sa.sin_port);
    return fd;
}

/// A POSIX TCP listener on 127.0.0.1 (ephemeral port) for tests to accept from.
class HostListener {
public:
    HostListener() : fd_(boundLoopbackSocket(port_)) { ::listen(fd_, 16); }
    ~HostListener() { ::close(fd_); }
    HostListener(const HostListener&) = delete;
    HostListener& operator=(const HostListener&) = delete;

    std::uint16_t port() const { return port_; }
    /// Accepts one connection, waiting at most `timeout`; -1 on timeout.
    int accept(std::chrono::milliseconds timeout = std::chrono::seconds(5))
    {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
            return -1;
        return ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    }

private:
    std::uint16_t port_ = 0;  // before fd_: the constructor fills it
    int fd_ = -1;
};

/// Echoes everything on an accepted connection until EOF (bounded by a 10 s idle timeout).
inline void echoUntilClosed(int fd)
{
    char buf[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0)
            break;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        if (::send(fd, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL) != n)
            break;
    }
    ::close(fd);
}

}  // namespace wiiu::test
