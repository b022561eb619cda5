// Big-endian values as the guest (a big-endian PowerPC) stores them.
//
// be<T> has the size of T and alignment 1, so guest structures are declared as plain structs of
// be<> fields and read or written through GuestMemory without any alignment assumption.
#pragma once

#include <wiiu_nssl/language.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace wiiu::guest {

template <class T>
concept BigEndianStorable = (std::is_integral_v<T> || std::is_enum_v<T>) && sizeof(T) <= 8;

namespace detail {
template <class T>
struct Integer { using type = T; };
template <class T>
    requires std::is_enum_v<T>
struct Integer<T> { using type = std::underlying_type_t<T>; };
/// The unsigned integer a value of T is shifted through.
template <class T>
using Bits = std::make_unsigned_t<typename Integer<T>::type>;
}  // namespace detail

template <BigEndianStorable T>
class be {
public:
    be() = default;
    be(T value) { *this = value; }  // NOLINT(google-explicit-constructor): reads like a T

    operator T() const { return value(); }  // NOLINT(google-explicit-constructor)

    T value() const
    {
        using U = detail::Bits<T>;
        U u = 0;
        for (std::uint8_t byte : bytes_)
            u = static_cast<U>((u << 8) | byte);
        return static_cast<T>(u);
    }

    be& operator=(T value)
    {
        using U = detail::Bits<T>;
        auto u = static_cast<U>(value);
        for (std::size_t i = sizeof(T); i-- > 0;) {
            bytes_[i] = static_cast<std::uint8_t>(u & 0xFF);
            u = static_cast<U>(u >> 8);
        }
        return *this;
    }

private:
    std::array<std::uint8_t, sizeof(T)> bytes_{};
};

static_assert(sizeof(be<std::uint32_t>) == 4 && alignof(be<std::uint32_t>) == 1);

using be16 = be<std::uint16_t>;
using be32 = be<std::uint32_t>;
using bei32 = be<std::int32_t>;

}  // namespace wiiu::guest
