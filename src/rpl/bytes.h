// Big-endian reads and writes on byte spans (the container is big-endian throughout).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wiiu::rpl {

inline std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

inline std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at)
{
    return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

inline void putBe16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v)
{
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

inline void putBe32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v)
{
    for (int i = 3; i >= 0; --i, v >>= 8)
        b[at + i] = static_cast<std::uint8_t>(v);
}

inline void appendBe32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    out.resize(out.size() + 4);
    putBe32(out, out.size() - 4, v);
}

}  // namespace wiiu::rpl
