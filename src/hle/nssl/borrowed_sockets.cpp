#include "hle/nssl/borrowed_sockets.h"

#include <atomic>
#include <mutex>

#include "hle/nsysnet/error_map.h"
#include "hle/nsysnet/host_socket.h"
#include "platform/socket.h"

namespace wiiu::nssl {

class BorrowedTransport final : public SocketTransport {
public:
    BorrowedTransport(std::shared_ptr<SocketProvider> provider, std::int32_t fd, platform::NativeSocket socket)
        : provider_(std::move(provider)), fd_(fd), socket_(socket)
    {
    }

    IoResult receive(std::span<std::uint8_t> buffer) override
    {
        std::lock_guard lock(io_);
        if (cutOff())
            return closedByGuest();
        std::size_t moved = 0;
        const int error = platform::receiveNow(socket_, buffer, moved);
        if (error != 0)
            return failure(error);
        return moved == 0 && !buffer.empty() ? IoResult::closed() : IoResult::ok(moved);
    }

    IoResult send(std::span<const std::uint8_t> data) override
    {
        std::lock_guard lock(io_);
        if (cutOff())
            return closedByGuest();
        std::size_t moved = 0;
        const int error = platform::sendNow(socket_, data, moved);
        return error != 0 ? failure(error) : IoResult::ok(moved);
    }

    Link link() override
    {
        std::lock_guard lock(io_);
        if (cutOff())
            return Link::Closed;
        platform::Ipv4 peer;
        if (platform::peerName(socket_, peer) == 0)
            return Link::Connected;
        // Not connected (yet): a pending connect shows as neither writable nor failed; one that
        // failed leaves its error; a socket that never connected hangs up at once.
        int pending = 0;
        if (platform::pendingError(socket_, pending) != 0 || pending != 0)
            return Link::Failed;
        platform::PollEntry entry{.socket = socket_, .write = true};
        platform::poll({&entry, 1}, 0);
        if (entry.writeReady && platform::peerName(socket_, peer) == 0)
            return Link::Connected;
        return entry.failed || entry.writeReady ? Link::NotConnected : Link::Connecting;
    }

    bool guestNonBlocking() const override { return !cutOff() && provider_->guestNonBlocking(fd_); }
    bool shutForWriting() const override { return cutOff(); }

    // Waited on only together with closeSignal(), which ends the wait once the guest closed it.
    guest::WaitItem waitItem(bool readable, bool writable) const override
    {
        return guest::WaitItem{.fd = socket_, .readable = readable, .writable = writable};
    }
    const guest::Interrupt& closeSignal() const override { return closed_; }

    std::int32_t fd() const { return fd_; }
    /// After this returns no call here touches the host socket again: one that was inside a
    /// system call on it has left (they never block), so the emulator may close it now.
    void cut()
    {
        {
            std::lock_guard lock(io_);
            cut_.store(true);
        }
        closed_.signal();
    }

private:
    bool cutOff() const { return cut_.load(); }

    static IoResult closedByGuest()
    {
        return nsysnet::ioFailure(nsysnet::SoError::SO_EBADF);
    }

    static IoResult failure(int hostError)
    {
        if (platform::wouldBlock(hostError))
            return IoResult::wouldBlock();
        return nsysnet::ioFailure(nsysnet::soErrorFromErrno(hostError));
    }

    std::shared_ptr<SocketProvider> provider_;
    const std::int32_t fd_;
    const platform::NativeSocket socket_;
    ModuleMutex io_;  // a system call on socket_ against cut(); no hook runs under it
    std::atomic<bool> cut_{false};
    guest::Interrupt closed_;
};

BorrowedSockets::BorrowedSockets(std::shared_ptr<SocketProvider> provider) : provider_(std::move(provider)) {}

std::shared_ptr<SocketTransport> BorrowedSockets::open(std::int32_t fd)
{
    // Asked with no lock held: the provider is the emulator's code.
    const auto socket = provider_->hostSocket(fd);
    if (!socket || *socket == guest::kNoHandle)
        return nullptr;
    auto transport = std::make_shared<BorrowedTransport>(provider_, fd, *socket);
    std::lock_guard lock(mutex_);
    std::erase_if(open_, [](const auto& entry) { return entry.second.expired(); });
    open_.emplace(fd, transport);
    return transport;
}

void BorrowedSockets::cut(std::optional<std::int32_t> fd)
{
    std::vector<std::shared_ptr<BorrowedTransport>> taken;
    {
        std::lock_guard lock(mutex_);
        for (auto it = open_.begin(); it != open_.end();) {
            if (fd && it->first != *fd) {
                ++it;
                continue;
            }
            if (auto transport = it->second.lock())
                taken.push_back(std::move(transport));
            it = open_.erase(it);
        }
    }
    for (auto& transport : taken)  // outside the list's lock: cut() waits out a call on the socket
        transport->cut();
}

void BorrowedSockets::closing(std::int32_t fd)
{
    cut(fd);
}

void BorrowedSockets::closeAll()
{
    cut(std::nullopt);
}

}  // namespace wiiu::nssl
