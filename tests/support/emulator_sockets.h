// An emulator that keeps its own nsysnet, as Cemu does: a small table of plain host sockets it
// serves the guest's socket calls from, lent to the module's NSSL through SocketProvider.
// POSIX only (the Windows set does not build the embedding tests).
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

#include <wiiu_nssl/process.h>
#include <wiiu_nssl/socket_provider.h>

#include "support/loopback_listener.h"

namespace wiiu::test {

class EmulatorSockets final : public SocketProvider {
public:
    ~EmulatorSockets() override
    {
        for (auto& [fd, s] : sockets_)
            ::close(s.host);
    }

    /// The guest's socket + connect to 127.0.0.1:port on the emulator's side: a blocking host
    /// socket (the emulator's choice), connected; its guest descriptor, or -1.
    std::int32_t connect(std::uint16_t port, bool guestNonBlocking = false)
    {
        const int host = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in a = LoopbackListener::address(port);
        if (host < 0 || ::connect(host, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
            if (host >= 0)
                ::close(host);
            return -1;
        }
        std::lock_guard lock(mutex_);
        const std::int32_t fd = next_++;
        sockets_[fd] = {host, guestNonBlocking};
        return fd;
    }
    /// The guest's socketclose, as the emulator serves it: tells the module first.
    void close(std::int32_t fd, Process& process)
    {
        process.guestSocketClosing(fd);
        std::lock_guard lock(mutex_);
        auto it = sockets_.find(fd);
        if (it == sockets_.end())
            return;
        ::close(it->second.host);
        sockets_.erase(it);
    }
    void setGuestNonBlocking(std::int32_t fd, bool on)
    {
        std::lock_guard lock(mutex_);
        sockets_.at(fd).nonBlocking = on;
    }
    int host(std::int32_t fd) const
    {
        std::lock_guard lock(mutex_);
        auto it = sockets_.find(fd);
        return it == sockets_.end() ? -1 : it->second.host;
    }
    /// The host socket is still open and in the blocking mode the emulator gave it.
    bool openAndBlocking(std::int32_t fd) const
    {
        const int h = host(fd);
        const int flags = h < 0 ? -1 : ::fcntl(h, F_GETFL);
        return flags != -1 && (flags & O_NONBLOCK) == 0;
    }

    std::optional<guest::NativeHandle> hostSocket(std::int32_t fd) override
    {
        const int h = host(fd);
        return h < 0 ? std::nullopt : std::optional<guest::NativeHandle>(h);
    }
    bool guestNonBlocking(std::int32_t fd) override
    {
        std::lock_guard lock(mutex_);
        auto it = sockets_.find(fd);
        return it != sockets_.end() && it->second.nonBlocking;
    }

private:
    struct Socket {
        int host = -1;
        bool nonBlocking = false;
    };
    mutable std::mutex mutex_;
    std::map<std::int32_t, Socket> sockets_;
    std::int32_t next_ = 3;  // the emulator's numbering, not the module's
};

}  // namespace wiiu::test
