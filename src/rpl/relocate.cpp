#include "rpl/relocate.h"

#include <fmt/format.h>

#include "rpl/bytes.h"

namespace wiiu::rpl {

namespace {

std::uint16_t lo(std::uint32_t v) { return static_cast<std::uint16_t>(v); }
std::uint16_t hi(std::uint32_t v) { return static_cast<std::uint16_t>(v >> 16); }
std::uint16_t ha(std::uint32_t v) { return static_cast<std::uint16_t>((v + 0x8000) >> 16); }

}  // namespace

Expected<void, Error> applyRelocation(std::uint8_t type, std::span<std::uint8_t> field, std::uint32_t value,
                                      std::uint32_t place)
{
    const std::size_t width = (type == reloc::addr32 || type == reloc::rel24 || type == reloc::rel14) ? 4 : 2;
    if (type != reloc::none && field.size() < width)
        return fail(Error{fmt::format("relocation type {} at {:#x}: {} bytes to patch, needs {}", type, place,
                                      field.size(), width)});
    const std::uint32_t relative = value - place;
    // Branch displacements are signed: 26 bits for REL24, 16 bits for REL14, low two bits zero.
    const auto branch = [&](std::uint32_t mask, std::int64_t limit) -> Expected<void, Error> {
        const auto displacement = static_cast<std::int32_t>(relative);
        if (displacement < -limit || displacement >= limit || (relative & 3))
            return fail(Error{fmt::format("relocation type {} at {:#x}: branch to {:#x} out of range or misaligned",
                                          type, place, value)});
        putBe32(field, 0, (be32(field, 0) & ~mask) | (relative & mask));
        return {};
    };
    switch (type) {
    case reloc::none: return {};
    case reloc::addr32: putBe32(field, 0, value); return {};
    case reloc::addr16_lo: putBe16(field, 0, lo(value)); return {};
    case reloc::addr16_hi: putBe16(field, 0, hi(value)); return {};
    case reloc::addr16_ha: putBe16(field, 0, ha(value)); return {};
    case reloc::rel24: return branch(0x03FFFFFC, std::int64_t{1} << 25);
    case reloc::rel14: return branch(0x0000FFFC, std::int64_t{1} << 15);
    case reloc::ghs_rel16_ha: putBe16(field, 0, ha(relative)); return {};
    case reloc::ghs_rel16_ha + 1: putBe16(field, 0, hi(relative)); return {};
    case reloc::ghs_rel16_lo: putBe16(field, 0, lo(relative)); return {};
    default:
        return fail(Error{fmt::format("relocation type {} at {:#x}: small-data and TLS relocations are not applied",
                                      type, place)});
    }
}

}  // namespace wiiu::rpl
