// Checked access to guest memory. A guest pointer is never dereferenced raw: every access goes
// through GuestMemory::translate, which refuses any range not wholly inside guest memory.
#pragma once

#include <wiiu_nssl/language.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>

#include <wiiu_nssl/expected.h>
#include <wiiu_nssl/endian.h>

namespace wiiu::guest {

using GuestAddress = std::uint32_t;

/// A typed guest virtual address. T is the guest-side element type (a byte type, be<> or a struct
/// of be<> fields); the pointer is only an address until GuestMemory translates it.
template <class T>
struct GuestPtr {
    GuestAddress address = 0;

    explicit operator bool() const { return address != 0; }
    bool operator==(const GuestPtr&) const = default;
    GuestPtr<T> operator+(std::uint32_t elements) const
    {
        return {static_cast<GuestAddress>(address + elements * sizeof(T))};
    }
};

/// Types that may be viewed in place in guest memory: alignment 1 and no invariants, so any guest
/// bytes are a valid value.
template <class T>
concept GuestViewable = std::is_trivially_copyable_v<std::remove_const_t<T>> && alignof(T) == 1;

/// The guest's address space as the emulator maps it. Implementations must be thread-safe for
/// concurrent translate() calls (guest threads on several emulated cores call in at once).
class GuestMemory {
public:
    virtual ~GuestMemory() = default;

    /// Host view of guest bytes [address, address + size), or nothing when any part of that range
    /// is outside guest memory (or wraps around). A zero size at a valid address is an empty view.
    virtual std::optional<std::span<std::byte>> translate(GuestAddress address, std::uint32_t size) const = 0;

    /// `count` elements at `ptr`; a null pointer is refused even when count is 0.
    template <GuestViewable T>
    std::optional<std::span<T>> span(GuestPtr<T> ptr, std::uint32_t count) const
    {
        if (!ptr || count > UINT32_MAX / sizeof(T))
            return std::nullopt;
        auto bytes = translate(ptr.address, static_cast<std::uint32_t>(count * sizeof(T)));
        if (!bytes)
            return std::nullopt;
        return std::span<T>(reinterpret_cast<T*>(bytes->data()), count);
    }

    /// One element at `ptr`, or nothing when the pointer is null or out of range.
    template <GuestViewable T>
    T* object(GuestPtr<T> ptr) const
    {
        auto s = span(ptr, 1);
        return s ? s->data() : nullptr;
    }

    template <GuestViewable T>
    std::optional<std::remove_const_t<T>> load(GuestPtr<T> ptr) const
    {
        if (const T* p = object(ptr))
            return *p;
        return std::nullopt;
    }

    /// Writes `value` at `ptr`; false (nothing written) when the pointer is null or out of range.
    template <GuestViewable T>
    bool store(GuestPtr<T> ptr, const T& value) const
    {
        if (T* p = object(ptr)) {
            *p = value;
            return true;
        }
        return false;
    }

    /// Why a guest string could not be read.
    enum class StringError {
        Null,        ///< a null pointer
        OutOfRange,  ///< memory ends before the terminator (or the pointer is unmapped)
        TooLong,     ///< no terminator within maxLength + 1 bytes
    };
    /// A NUL-terminated guest string of at most `maxLength` characters (the terminator must lie
    /// within maxLength + 1 bytes), or why not.
    Expected<std::string, StringError> checkedString(GuestPtr<const char> ptr, std::uint32_t maxLength) const;
    /// checkedString without the reason: nothing when null, out of range or unterminated.
    std::optional<std::string> string(GuestPtr<const char> ptr, std::uint32_t maxLength) const;

    /// Exactly `length` guest characters (not necessarily terminated, e.g. NSSL host names).
    std::optional<std::string> chars(GuestPtr<const char> ptr, std::uint32_t length) const;
};

/// Guest memory mapped as one contiguous host block: guest address A lives at host + (A - start).
/// Addresses below `start` (including 0) or at/after `start + size` are refused.
class FlatGuestMemory final : public GuestMemory {
public:
    FlatGuestMemory(std::byte* host, GuestAddress start, std::uint32_t size);

    std::optional<std::span<std::byte>> translate(GuestAddress address, std::uint32_t size) const override;

    GuestAddress start() const { return start_; }
    std::uint64_t end() const { return static_cast<std::uint64_t>(start_) + size_; }

private:
    std::byte* host_;
    GuestAddress start_;
    std::uint32_t size_;
};

}  // namespace wiiu::guest
