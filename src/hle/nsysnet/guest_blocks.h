// Guest memory the socket library hands to the guest (inet_ntoa's buffer, gethostbyname's
// hostent, addrinfo chains, gai_strerror strings), allocated through the embedding hooks and
// freed when the process ends. Only addresses are kept: building the contents is the exports' job.
// The resolver's blocks (addrinfo chains) come from the guest's own allocator once it installed
// one with set_resolver_allocator and the emulator runs guest code (EmbeddingHooks::callGuest);
// those belong to the guest's heap and are freed only by freeaddrinfo.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
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

    /// A resolver block, owned by the library until release(); 0 when the heap is exhausted.
    /// `thread` runs the guest's allocator, if one is installed.
    std::uint32_t allocate(guest::GuestThreadId thread, std::uint32_t size, std::uint32_t alignment = 4);
    /// Frees a block from allocate(); false (nothing freed) for any other address.
    bool release(guest::GuestThreadId thread, std::uint32_t address);
    /// set_resolver_allocator: later resolver blocks come from these guest functions.
    void useGuestAllocator(std::uint32_t allocFunction, std::uint32_t freeFunction);

    /// The per-process static buffer called `name` (allocated on first use, kept until the
    /// process ends); 0 when no guest memory is available.
    std::uint32_t persistent(const std::string& name, std::uint32_t size, std::uint32_t alignment = 4);

private:
    struct GuestAllocator {
        std::uint32_t alloc = 0;  ///< void* (*)(uint32_t size); 0: none installed
        std::uint32_t free = 0;   ///< void (*)(void*)
    };
    /// A block from the guest's allocator; nothing when none is installed or the emulator runs
    /// no guest code (then 0 is an exhausted guest heap).
    std::optional<std::uint32_t> allocateFromGuest(guest::GuestThreadId thread, std::uint32_t size);

    /// Runs `record` (which may run out of memory) for a block just allocated; on failure
    /// `undo` gives the block back before the exception goes on, so nothing leaks.
    template <class F, class U>
    static void remember(F record, U undo)
    {
        try {
            record();
        } catch (...) {
            undo();
            throw;
        }
    }

    guest::EmbeddingHooks& hooks_;
    ModuleMutex mutex_;
    std::set<std::uint32_t> blocks_;
    std::map<std::uint32_t, std::uint32_t> guestOwned_;  ///< block -> the guest free function it goes back to
    std::map<std::string, std::uint32_t> persistent_;
    GuestAllocator guestAllocator_;
    std::atomic<bool> toldNoGuestCode_{false};
};

}  // namespace wiiu::nsysnet
