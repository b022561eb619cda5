// Guest memory the socket library hands to the guest (inet_ntoa's buffer, gethostbyname's
// hostent, addrinfo chains, gai_strerror strings), allocated through the embedding hooks and
// freed when the process ends. Only addresses are kept: building the contents is the exports' job.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <wiiu_nssl/hooks.h>
#include "common/module_lock.h"

namespace wiiu::nsysnet {

class GuestBlocks {
public:
    explicit GuestBlocks(guest::EmbeddingHooks& hooks) : hooks_(hooks) {}
    ~GuestBlocks();
    GuestBlocks(const GuestBlocks&) = delete;
    GuestBlocks& operator=(const GuestBlocks&) = delete;

    /// A block owned by the library until release(); 0 when the guest heap is exhausted.
    std::uint32_t allocate(std::uint32_t size, std::uint32_t alignment = 4);
    /// Frees a block from allocate(); false (nothing freed) for any other address.
    bool release(std::uint32_t address);

    /// The per-process static buffer called `name` (allocated on first use, kept until the
    /// process ends); 0 when no guest memory is available.
    std::uint32_t persistent(const std::string& name, std::uint32_t size, std::uint32_t alignment = 4);

private:
    /// Runs `record` (which may run out of memory) for a block just allocated; on failure the
    /// block goes back to the guest heap before the exception goes on, so nothing leaks.
    template <class F>
    void remember(std::uint32_t address, F record)
    {
        try {
            record();
        } catch (...) {
            hooks_.guestFree(address);
            throw;
        }
    }

    guest::EmbeddingHooks& hooks_;
    ModuleMutex mutex_;
    std::set<std::uint32_t> blocks_;
    std::map<std::string, std::uint32_t> persistent_;
};

}  // namespace wiiu::nsysnet
