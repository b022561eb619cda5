#include "hle/nsysnet/guest_blocks.h"

namespace wiiu::nsysnet {

GuestBlocks::~GuestBlocks()
{
    for (std::uint32_t address : blocks_)
        hooks_.guestFree(address);
    for (const auto& [name, address] : persistent_)
        hooks_.guestFree(address);
}

// The guest heap is an embedding hook: it runs outside mutex_ (no hook under a lock), which
// only guards the sets of addresses.

std::uint32_t GuestBlocks::allocate(std::uint32_t size, std::uint32_t alignment)
{
    const std::uint32_t address = hooks_.guestAlloc(size, alignment);
    if (address != 0)
        remember(address, [&] {
            std::lock_guard lock(mutex_);
            blocks_.insert(address);
        });
    return address;
}

bool GuestBlocks::release(std::uint32_t address)
{
    {
        std::lock_guard lock(mutex_);
        if (blocks_.erase(address) == 0)
            return false;
    }
    hooks_.guestFree(address);
    return true;
}

std::uint32_t GuestBlocks::persistent(const std::string& name, std::uint32_t size, std::uint32_t alignment)
{
    {
        std::lock_guard lock(mutex_);
        if (auto it = persistent_.find(name); it != persistent_.end())
            return it->second;
    }
    const std::uint32_t address = hooks_.guestAlloc(size, alignment);
    if (address == 0)
        return 0;
    std::uint32_t kept = address;
    remember(address, [&] {
        std::lock_guard lock(mutex_);
        kept = persistent_.emplace(name, address).first->second;
    });
    if (kept != address)
        hooks_.guestFree(address);  // another thread made the buffer meanwhile: everyone uses its
    return kept;
}

}  // namespace wiiu::nsysnet
