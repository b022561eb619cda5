#include <wiiu_nssl/guest_memory.h>

#include <algorithm>
#include <cstring>

namespace wiiu::guest {

Expected<std::string, GuestMemory::StringError> GuestMemory::checkedString(GuestPtr<const char> ptr,
                                                                           std::uint32_t maxLength) const
{
    if (!ptr)
        return fail(StringError::Null);
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
            return fail(StringError::OutOfRange);
        const char* p = reinterpret_cast<const char*>(bytes->data());
        if (const void* nul = std::memchr(p, 0, bytes->size())) {
            out.append(p, static_cast<const char*>(nul));
            if (out.size() > maxLength)
                return fail(StringError::TooLong);
            return out;
        }
        out.append(p, bytes->size());
        at += static_cast<GuestAddress>(bytes->size());
    }
    return fail(StringError::TooLong);
}

std::optional<std::string> GuestMemory::string(GuestPtr<const char> ptr, std::uint32_t maxLength) const
{
    auto s = checkedString(ptr, maxLength);
    if (!s)
        return std::nullopt;
    return std::move(*s);
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
