// A small first-fit allocator over a guest memory region, for emulators (and tests) that give the
// module a region of its own to build resolver results in. Bookkeeping lives on the host side, so
// the guest can neither read nor corrupt it.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstdint>
#include <map>
#include <mutex>

namespace wiiu::guest {

class GuestHeap {
public:
    GuestHeap(std::uint32_t start, std::uint32_t size);

    /// A block of `size` bytes aligned to `alignment` (a power of two), or 0 when none is free.
    std::uint32_t allocate(std::uint32_t size, std::uint32_t alignment);
    /// Frees a block returned by allocate(); false (nothing changed) for any other address.
    bool free(std::uint32_t address);

    std::uint32_t bytesInUse() const;
    std::size_t blocksInUse() const;

private:
    mutable std::mutex mutex_;
    std::map<std::uint32_t, std::uint32_t> free_;  ///< start -> size, coalesced
    std::map<std::uint32_t, std::uint32_t> used_;  ///< start -> size
};

}  // namespace wiiu::guest
