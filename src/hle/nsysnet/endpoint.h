// An IPv4 endpoint in host byte order: the only address family nsysnet speaks (AF_INET).
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/ip/address_v4.hpp>
#include <fmt/format.h>

namespace wiiu::nsysnet {

struct Ipv4Endpoint {
    std::uint32_t address = 0;  ///< e.g. 0x7F000001 for 127.0.0.1
    std::uint16_t port = 0;

    bool operator==(const Ipv4Endpoint&) const = default;

    boost::asio::ip::address_v4 asioAddress() const { return boost::asio::ip::address_v4(address); }
    std::string toString() const
    {
        return fmt::format("{}.{}.{}.{}:{}", address >> 24, (address >> 16) & 0xFF, (address >> 8) & 0xFF,
                           address & 0xFF, port);
    }
};

}  // namespace wiiu::nsysnet
