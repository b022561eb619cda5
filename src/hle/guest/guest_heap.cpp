#include "hle/guest/guest_heap.h"

#include <iterator>

namespace wiiu::guest {

GuestHeap::GuestHeap(std::uint32_t start, std::uint32_t size)
{
    if (size > 0)
        free_.emplace(start, size);
}

std::uint32_t GuestHeap::allocate(std::uint32_t size, std::uint32_t alignment)
{
    if (size == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0)
        return 0;
    std::lock_guard lock(mutex_);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
        const std::uint64_t blockStart = it->first;
        const std::uint64_t blockEnd = blockStart + it->second;
        const std::uint64_t aligned = (blockStart + alignment - 1) & ~static_cast<std::uint64_t>(alignment - 1);
        if (aligned == 0 || aligned + size > blockEnd)
            continue;  // address 0 is never handed out: the guest reads it as NULL
        free_.erase(it);
        if (aligned > blockStart)
            free_.emplace(static_cast<std::uint32_t>(blockStart), static_cast<std::uint32_t>(aligned - blockStart));
        if (aligned + size < blockEnd)
            free_.emplace(static_cast<std::uint32_t>(aligned + size), static_cast<std::uint32_t>(blockEnd - aligned - size));
        used_.emplace(static_cast<std::uint32_t>(aligned), size);
        return static_cast<std::uint32_t>(aligned);
    }
    return 0;
}

bool GuestHeap::free(std::uint32_t address)
{
    std::lock_guard lock(mutex_);
    auto used = used_.find(address);
    if (used == used_.end())
        return false;
    std::uint32_t start = used->first;
    std::uint64_t size = used->second;
    used_.erase(used);
    // Coalesce with the free neighbours on both sides.
    auto next = free_.lower_bound(start);
    if (next != free_.end() && start + size == next->first) {
        size += next->second;
        next = free_.erase(next);
    }
    if (next != free_.begin()) {
        auto prev = std::prev(next);
        if (static_cast<std::uint64_t>(prev->first) + prev->second == start) {
            start = prev->first;
            size += prev->second;
            free_.erase(prev);
        }
    }
    free_.emplace(start, static_cast<std::uint32_t>(size));
    return true;
}

std::uint32_t GuestHeap::bytesInUse() const
{
    std::lock_guard lock(mutex_);
    std::uint32_t total = 0;
    for (const auto& [start, size] : used_)
        total += size;
    return total;
}

std::size_t GuestHeap::blocksInUse() const
{
    std::lock_guard lock(mutex_);
    return used_.size();
}

}  // namespace wiiu::guest
