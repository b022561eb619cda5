#include "hle/nsysnet/guest_blocks.h"

#include "common/log.h"

namespace wiiu::nsysnet {

GuestBlocks::~GuestBlocks()
{
    // Blocks from the guest's own allocator are left to the guest's heap: running guest code
    // here, at the process's end, is not possible.
    for (std::uint32_t address : blocks_)
        hooks_.guestFree(address);
    for (const auto& [name, address] : persistent_)
        hooks_.guestFree(address);
}

// The guest heap and guest code are embedding hooks: they run outside mutex_ (no hook under a
// lock), which only guards the bookkeeping.

void GuestBlocks::useGuestAllocator(std::uint32_t allocFunction, std::uint32_t freeFunction)
{
    std::lock_guard lock(mutex_);
    guestAllocator_ = {allocFunction, freeFunction};
}

std::optional<std::uint32_t> GuestBlocks::allocateFromGuest(guest::GuestThreadId thread, std::uint32_t size)
{
    GuestAllocator own;
    {
        std::lock_guard lock(mutex_);
        own = guestAllocator_;
    }
    if (own.alloc == 0)
        return std::nullopt;
    const std::uint32_t args[] = {size};
    auto address = hooks_.callGuest(thread, own.alloc, args);
    if (!address) {
        if (!toldNoGuestCode_.exchange(true))
            log::nsysnet().info("set_resolver_allocator: the emulator runs no guest code for the module "
                                "(EmbeddingHooks::callGuest); resolver results come from its guest heap");
        return std::nullopt;
    }
    if (*address != 0)
        remember([&] {
            std::lock_guard lock(mutex_);
            guestOwned_.emplace(*address, own.free);
        }, [&] { hooks_.callGuest(thread, own.free, std::span<const std::uint32_t>(&*address, 1)); });
    return address;
}

std::uint32_t GuestBlocks::allocate(guest::GuestThreadId thread, std::uint32_t size, std::uint32_t alignment)
{
    if (auto fromGuest = allocateFromGuest(thread, size))
        return *fromGuest;
    const std::uint32_t address = hooks_.guestAlloc(size, alignment);
    if (address != 0)
        remember([&] {
            std::lock_guard lock(mutex_);
            blocks_.insert(address);
        }, [&] { hooks_.guestFree(address); });
    return address;
}

bool GuestBlocks::release(guest::GuestThreadId thread, std::uint32_t address)
{
    std::uint32_t guestFree = 0;
    {
        std::lock_guard lock(mutex_);
        if (auto it = guestOwned_.find(address); it != guestOwned_.end()) {
            guestFree = it->second;
            guestOwned_.erase(it);
        } else if (blocks_.erase(address) == 0) {
            return false;
        }
    }
    if (guestFree != 0)
        hooks_.callGuest(thread, guestFree, std::span<const std::uint32_t>(&address, 1));
    else
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
    remember([&] {
        std::lock_guard lock(mutex_);
        kept = persistent_.emplace(name, address).first->second;
    }, [&] { hooks_.guestFree(address); });
    if (kept != address)
        hooks_.guestFree(address);  // another thread made the buffer meanwhile: everyone uses its
    return kept;
}

}  // namespace wiiu::nsysnet
