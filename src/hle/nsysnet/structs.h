// The guest's big-endian socket structures (wiiu-nssl-facts §7.7), declared as plain structs of
// be<> fields so GuestMemory can view them in place.
#pragma once

#include <array>
#include <cstdint>

#include "hle/guest/endian.h"

namespace wiiu::nsysnet {

inline constexpr std::int32_t kAfInet = 2;
inline constexpr std::int32_t kSockStream = 1;
inline constexpr std::int32_t kSockDgram = 2;
inline constexpr std::int32_t kIpProtoUdp = 17;

/// sockaddr_in: no sa_len byte (unlike BSD); the port and address are in network order, which on
/// the big-endian guest is simply their value.
struct GuestSockaddrIn {
    guest::be16 family;
    guest::be16 port;
    guest::be32 address;
    std::array<std::uint8_t, 8> zero;
};
static_assert(sizeof(GuestSockaddrIn) == 16);
inline constexpr std::int32_t kSockaddrSize = 16;

struct GuestTimeval {
    guest::bei32 seconds;
    guest::bei32 microseconds;
};
static_assert(sizeof(GuestTimeval) == 8);

struct GuestLinger {
    guest::bei32 onoff;
    guest::bei32 seconds;
};
static_assert(sizeof(GuestLinger) == 8);

struct GuestHostent {
    guest::be32 name;      ///< char*
    guest::be32 aliases;   ///< char**
    guest::bei32 addrtype;
    guest::bei32 length;
    guest::be32 addrList;  ///< char**
};
static_assert(sizeof(GuestHostent) == 0x14);

/// addrinfo: canonname (0x14) comes BEFORE addr (0x18), BSD order, unlike glibc.
struct GuestAddrinfo {
    guest::bei32 flags;
    guest::bei32 family;
    guest::bei32 socktype;
    guest::bei32 protocol;
    guest::be32 addrlen;
    guest::be32 canonname;  ///< char*
    guest::be32 addr;       ///< sockaddr*
    guest::be32 next;       ///< addrinfo*
};
static_assert(sizeof(GuestAddrinfo) == 0x20);

}  // namespace wiiu::nsysnet
