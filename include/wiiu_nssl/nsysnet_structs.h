// The guest's big-endian socket structures (wiiu-nssl-facts §7.7), declared as plain structs of
// be<> fields so GuestMemory can view them in place: what the exports read and write, and what a
// host tool making guest calls, or an emulator's debug view, puts into guest memory or reads back.
#pragma once

#include <wiiu_nssl/language.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include <wiiu_nssl/endian.h>

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

/// recvfrom_multi's buffer set (wut's recvfrom_multi_buffers): three areas, each address and
/// byte size a multiple of 64.
struct GuestRecvMultiBuffers {
    guest::be32 buffer;  ///< the datagrams, one slot of recv_datagram_len bytes each
    guest::be32 bufferLength;
    guest::be32 froms;   ///< sockaddr_in[count]
    guest::be32 fromsLength;
    guest::be32 results;  ///< int[count]: each datagram's size, -1 for the one that failed
    guest::be32 resultsLength;
};
static_assert(sizeof(GuestRecvMultiBuffers) == 24);

/// sendto_multi_ex's buffer set (wut's sendto_multi_ex_buffers), aligned likewise.
struct GuestSendMultiBuffers {
    guest::be32 buffer;  ///< the datagrams' bytes, one after another
    guest::be32 bufferLength;
    guest::be32 lengths;  ///< int[count]
    guest::be32 lengthsLength;
    guest::be32 dests;  ///< sockaddr_in[count]
    guest::be32 destsLength;
    guest::be32 results;  ///< int[count]: bytes sent, -1 for the one that failed
    guest::be32 resultsLength;
};
static_assert(sizeof(GuestSendMultiBuffers) == 32);

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

inline constexpr std::uint32_t kMaxHostName = 255;     ///< longest name the resolver exports take or return
inline constexpr std::uint32_t kMaxHostAddresses = 16;  ///< addresses gethostbyname/getaddrinfo report

/// gethostbyname's per-process result block, one allocation: the hostent, its alias list (always
/// empty), the NULL-terminated address list, the addresses it points at, and the name.
struct GuestHostentBlock {
    GuestHostent hostent;
    guest::be32 aliases;                                      ///< char*[1]: the terminating NULL
    std::array<guest::be32, kMaxHostAddresses + 1> addrList;  ///< char*[]: into `addresses`, NULL-terminated
    std::array<guest::be32, kMaxHostAddresses> addresses;     ///< in_addr
    std::array<char, kMaxHostName + 1> name;
};
static_assert(offsetof(GuestHostentBlock, aliases) == 0x14);
static_assert(offsetof(GuestHostentBlock, addrList) == 0x18);
static_assert(offsetof(GuestHostentBlock, addresses) == 0x5C);
static_assert(offsetof(GuestHostentBlock, name) == 0x9C);
static_assert(sizeof(GuestHostentBlock) == 0x19C);

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
