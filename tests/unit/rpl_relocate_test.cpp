// The loader's relocation arithmetic for each PowerPC type a PowerPC RPX uses.
#include <gtest/gtest.h>

#include "rpl/bytes.h"
#include "rpl/relocate.h"

namespace wiiu::rpl {
namespace {

std::uint32_t patched(std::uint8_t type, std::uint32_t before, std::uint32_t value, std::uint32_t place)
{
    std::vector<std::uint8_t> field(4);
    putBe32(field, 0, before);
    auto r = applyRelocation(type, field, value, place);
    EXPECT_TRUE(r) << r.error().message;
    return be32(field, 0);
}

TEST(RplRelocate, AbsoluteForms)
{
    EXPECT_EQ(patched(reloc::addr32, 0, 0x12345678, 0), 0x12345678u);
    // lis r12, sym@ha / addi r12, r12, sym@l: the high half rounds up when the low half is negative.
    EXPECT_EQ(patched(reloc::addr16_ha, 0x3D800000, 0x0100FFF0, 0) >> 16, 0x0101u);
    EXPECT_EQ(patched(reloc::addr16_hi, 0, 0x0100FFF0, 0) >> 16, 0x0100u);
    EXPECT_EQ(patched(reloc::addr16_lo, 0, 0x0100FFF0, 0) >> 16, 0xFFF0u);
}

TEST(RplRelocate, BranchesKeepTheOpcodeAndCheckTheRange)
{
    // bl: opcode 18 with LK; forward and backward.
    EXPECT_EQ(patched(reloc::rel24, 0x48000001, 0x01000100, 0x01000000), 0x48000101u);
    EXPECT_EQ(patched(reloc::rel24, 0x48000001, 0x00FFFF00, 0x01000000), 0x4BFFFF01u);
    EXPECT_EQ(patched(reloc::rel14, 0x41820000, 0x01000040, 0x01000000), 0x41820040u);
    std::vector<std::uint8_t> field(4);
    EXPECT_FALSE(applyRelocation(reloc::rel24, field, 0xC0000000, 0x02000000));  // 2.5 GiB away
    EXPECT_FALSE(applyRelocation(reloc::rel24, field, 0x01000002, 0x01000000));  // misaligned
    EXPECT_FALSE(applyRelocation(reloc::rel14, field, 0x01010000, 0x01000000));  // past 32 KiB
    EXPECT_FALSE(applyRelocation(reloc::emb_sda21, field, 0, 0));
    std::vector<std::uint8_t> shortField(2);
    EXPECT_FALSE(applyRelocation(reloc::addr32, shortField, 0, 0));
}

}  // namespace
}  // namespace wiiu::rpl
