#include <wiiu_nssl/hooks.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace wiiu::guest {

Interrupt::Interrupt() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

Interrupt::~Interrupt()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void Interrupt::signal()
{
    const std::uint64_t one = 1;
    // Never read back, so the descriptor stays readable: every later wait sees the signal too.
    [[maybe_unused]] auto n = ::write(fd_, &one, sizeof one);
}

bool Interrupt::signalled() const
{
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

int EmbeddingHooks::wait(std::span<WaitItem> items, Deadline deadline)
{
    int timeoutMs = -1;
    if (deadline) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
        timeoutMs = static_cast<int>(std::max<std::int64_t>(0, std::min<std::int64_t>(left.count(), INT32_MAX)));
    }
    return pollItems(items, timeoutMs);
}

int pollItems(std::span<WaitItem> items, int timeoutMs)
{
    std::vector<pollfd> fds;
    fds.reserve(items.size());
    for (WaitItem& item : items) {
        item.readReady = item.writeReady = item.failed = false;
        short events = 0;
        if (item.readable)
            events |= POLLIN;
        if (item.writable)
            events |= POLLOUT;
        fds.push_back({item.fd, events, 0});
    }
    int n = ::poll(fds.data(), fds.size(), timeoutMs);
    if (n <= 0)
        return 0;  // timeout, or EINTR: a spurious return the caller retries
    int ready = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const short r = fds[i].revents;
        items[i].readReady = (r & POLLIN) != 0;
        items[i].writeReady = (r & POLLOUT) != 0;
        items[i].failed = (r & (POLLERR | POLLHUP | POLLNVAL)) != 0;
        ready += items[i].ready() ? 1 : 0;
    }
    return ready;
}

std::chrono::system_clock::time_point EmbeddingHooks::now()
{
    return std::chrono::system_clock::now();
}

std::uint32_t EmbeddingHooks::guestAlloc(std::uint32_t, std::uint32_t)
{
    return 0;
}

void EmbeddingHooks::guestFree(std::uint32_t) {}

void EmbeddingHooks::socketErrorChanged(GuestThreadId, std::int32_t) {}

}  // namespace wiiu::guest
