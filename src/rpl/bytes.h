// Big-endian reads and writes on byte spans (the container is big-endian throughout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
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

/// One ELF32 section header as the file holds it (the caller checked the 40 bytes are there).
struct SectionHeader {
    std::uint32_t nameOffset = 0, type = 0, flags = 0, addr = 0, offset = 0, size = 0, link = 0, info = 0, addralign = 0,
                  entsize = 0;
};

inline SectionHeader sectionHeaderAt(std::span<const std::uint8_t> file, std::size_t at)
{
    SectionHeader h;
    std::uint32_t* fields[] = {&h.nameOffset, &h.type, &h.flags, &h.addr, &h.offset,
                               &h.size, &h.link, &h.info,  &h.addralign, &h.entsize};
    for (std::size_t i = 0; i < std::size(fields); ++i)
        *fields[i] = be32(file, at + 4 * i);
    return h;
}

}  // namespace wiiu::rpl
