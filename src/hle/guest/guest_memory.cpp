#include "hle/guest/guest_memory.h"

#include <algorithm>
#include <cstring>

namespace wiiu::guest {

std::optional<std::string> GuestMemory::string(GuestPtr<const char> ptr, std::uint32_t maxLength) const
{
    if (!ptr)
        return std::nullopt;
    // Read in page-sized pieces so a short string near the end of memory is still readable.
    constexpr std::uint32_t piece = 256;
    std::string out;
    GuestAddress at = ptr.address;
    while (out.size() <= maxLength) {
        std::uint32_t want = std::min<std::uint32_t>(piece, maxLength + 1 - static_cast<std::uint32_t>(out.size()));
        std::optional<std::span<std::byte>> bytes;
        // Shrink the piece until it fits: the terminator may sit right before the end of memory.
        for (std::uint32_t n = want; n > 0 && !bytes; n /= 2)
            bytes = translate(at, n);
        if (!bytes || bytes->empty())
            return std::nullopt;
        const char* p = reinterpret_cast<const char*>(bytes->data());
        if (const void* nul = std::memchr(p, 0, bytes->size())) {
            out.append(p, static_cast<const char*>(nul));
            return out.size() <= maxLength ? std::optional(out) : std::nullopt;
        }
        out.append(p, bytes->size());
        at += static_cast<GuestAddress>(bytes->size());
    }
    return std::nullopt;
}

std::optional<std::string> GuestMemory::chars(GuestPtr<const char> ptr, std::uint32_t length) const
{
    auto bytes = span(ptr, length);
    if (!bytes)
        return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
}

FlatGuestMemory::FlatGuestMemory(std::byte* host, GuestAddress start, std::uint32_t size)
    : host_(host), start_(start), size_(size)
{
}

std::optional<std::span<std::byte>> FlatGuestMemory::translate(GuestAddress address, std::uint32_t size) const
{
    // 64-bit arithmetic: address + size must not wrap past 4 GiB.
    const std::uint64_t first = address;
    const std::uint64_t last = first + size;
    if (first < start_ || last > end())
        return std::nullopt;
    return std::span<std::byte>(host_ + (first - start_), size);
}

}  // namespace wiiu::guest
