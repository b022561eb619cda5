#include "reliability/raw_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace wiiu::test {

std::unique_ptr<RawPeer> RawPeer::start(Script script)
{
    std::unique_ptr<RawPeer> peer(new RawPeer());
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0)
            ::close(fd);
        return nullptr;
    }
    peer->listenFd_ = fd;
    peer->port_ = ntohs(addr.sin_port);
    if (::pipe2(peer->stopFd_, O_CLOEXEC) != 0)
        return nullptr;
    peer->thread_ = std::thread([p = peer.get(), s = std::move(script)]() mutable { p->run(std::move(s)); });
    return peer;
}

RawPeer::~RawPeer()
{
    stop();
    for (int* fd : {&listenFd_, &stopFd_[0], &stopFd_[1]})
        if (*fd >= 0)
            ::close(*fd), *fd = -1;
}

void RawPeer::stop()
{
    if (thread_.joinable()) {
        const char c = 'x';
        [[maybe_unused]] auto n = ::write(stopFd_[1], &c, 1);
        thread_.join();
    }
}

void RawPeer::run(Script script)
{
    pollfd p[2] = {{listenFd_, POLLIN, 0}, {stopFd_[0], POLLIN, 0}};
    if (::poll(p, 2, 30000) <= 0 || (p[1].revents & POLLIN) || !(p[0].revents & POLLIN))
        return;
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    script(*this, fd);
    ::close(fd);
}

std::vector<std::uint8_t> RawPeer::readAtLeast(int fd, std::size_t count, std::chrono::milliseconds timeout)
{
    std::vector<std::uint8_t> got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got.size() < count) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            break;
        pollfd p[2] = {{fd, POLLIN, 0}, {stopFd_[0], POLLIN, 0}};
        if (::poll(p, 2, static_cast<int>(left.count())) <= 0 || (p[1].revents & POLLIN))
            break;
        std::uint8_t buf[4096];
        const ssize_t n = ::recv(fd, buf, std::min(sizeof buf, count - got.size()), 0);
        if (n <= 0)
            break;
        got.insert(got.end(), buf, buf + n);
    }
    return got;
}

std::vector<std::uint8_t> RawPeer::readRecord(int fd, std::chrono::milliseconds timeout)
{
    auto header = readAtLeast(fd, 5, timeout);
    if (header.size() < 5)
        return {};
    const std::size_t body = (std::size_t{header[3]} << 8) | header[4];
    auto rest = readAtLeast(fd, body, timeout);
    if (rest.size() < body)
        return {};
    header.insert(header.end(), rest.begin(), rest.end());
    return header;
}

bool RawPeer::send(int fd, std::string_view bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0 && errno != EINTR)
            return false;
        if (n > 0)
            done += static_cast<std::size_t>(n);
    }
    return true;
}

bool RawPeer::send(int fd, const std::vector<std::uint8_t>& bytes)
{
    return send(fd, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void RawPeer::resetOnClose(int fd)
{
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

void RawPeer::waitForStopOrEof(int fd, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return;
        pollfd p[2] = {{fd, POLLIN, 0}, {stopFd_[0], POLLIN, 0}};
        if (::poll(p, 2, static_cast<int>(left.count())) <= 0 || (p[1].revents & POLLIN))
            return;
        std::uint8_t buf[4096];
        if (::recv(fd, buf, sizeof buf, 0) <= 0)
            return;
    }
}

}  // namespace wiiu::test
