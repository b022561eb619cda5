#include "support/tcp_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace wiiu::test {

namespace {

/// A failed POSIX call as the shared I/O result; the name is a static string (no strerror).
IoResult fromErrno(int err)
{
    switch (err) {
    case ECONNRESET: return IoResult::reset(err, "ECONNRESET");
    case ECONNREFUSED: return IoResult::failed(err, "ECONNREFUSED");
    case ECONNABORTED: return IoResult::failed(err, "ECONNABORTED");
    case ETIMEDOUT: return IoResult::failed(err, "ETIMEDOUT");
    case ENOTCONN: return IoResult::failed(err, "ENOTCONN");
    case EHOSTUNREACH: return IoResult::failed(err, "EHOSTUNREACH");
    case ENETUNREACH: return IoResult::failed(err, "ENETUNREACH");
    case EBADF: return IoResult::failed(err, "EBADF");
    default: return IoResult::failed(err, {});  // the engine prints the code
    }
}

}  // namespace

std::shared_ptr<TcpTransport> TcpTransport::connect(std::uint16_t port, int sendBuffer,
                                                    std::chrono::milliseconds timeout)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return nullptr;
    if (sendBuffer > 0) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    auto transport = std::shared_ptr<TcpTransport>(new TcpTransport(fd));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        if (errno != EINPROGRESS) return nullptr;
        if (!transport->wait(true, timeout)) return nullptr;
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return nullptr;
    }
    return transport;
}

TcpTransport::~TcpTransport()
{
    if (fd_ >= 0) ::close(fd_);
}

IoResult TcpTransport::receive(std::span<std::uint8_t> buffer)
{
    for (;;) {
        ++receives_;
        ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
        if (n > 0) return IoResult::ok(static_cast<std::size_t>(n));
        if (n == 0) return IoResult::closed();
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            ++wouldBlock_;
            return IoResult::wouldBlock();
        }
        return fromErrno(errno);
    }
}

IoResult TcpTransport::send(std::span<const std::uint8_t> data)
{
    for (;;) {
        ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n >= 0) return IoResult::ok(static_cast<std::size_t>(n));
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            ++wouldBlock_;
            return IoResult::wouldBlock();
        }
        if (errno == EPIPE) return IoResult::closed();
        return fromErrno(errno);
    }
}

void TcpTransport::shutdownWrite() { ::shutdown(fd_, SHUT_WR); }

bool TcpTransport::wait(bool forWrite, std::chrono::milliseconds timeout) const
{
    pollfd p{fd_, static_cast<short>(forWrite ? POLLOUT : POLLIN), 0};
    for (;;) {
        int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (r < 0 && errno == EINTR) continue;
        return r > 0;
    }
}

}  // namespace wiiu::test
