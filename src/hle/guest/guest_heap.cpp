#include <wiiu_nssl/guest_heap.h>

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
        // Exception-safe: the allocations come first, so an out-of-memory leaves both maps as they
        // were; the block's own node then becomes the remainder (a node moves without allocating).
        const auto suffixStart = static_cast<std::uint32_t>(aligned + size);
        const auto suffixSize = static_cast<std::uint32_t>(blockEnd - aligned - size);
        const bool prefix = aligned > blockStart, suffix = suffixSize > 0;
        const auto usedIt = used_.emplace(static_cast<std::uint32_t>(aligned), size).first;
        if (prefix && suffix) {
            try {
                free_.emplace(suffixStart, suffixSize);
            } catch (...) {
                used_.erase(usedIt);
                throw;
            }
        }
        if (prefix) {
            it->second = static_cast<std::uint32_t>(aligned - blockStart);
        } else if (suffix) {
            auto node = free_.extract(it);
            node.key() = suffixStart;
            node.mapped() = suffixSize;
            free_.insert(std::move(node));
        } else {
            free_.erase(it);
        }
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
    // The used node becomes the free block: freeing never allocates, so it cannot fail halfway.
    auto node = used_.extract(used);
    std::uint32_t start = node.key();
    std::uint64_t size = node.mapped();
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
    node.key() = start;
    node.mapped() = static_cast<std::uint32_t>(size);
    free_.insert(std::move(node));
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
