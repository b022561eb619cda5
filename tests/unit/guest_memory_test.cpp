#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include <wiiu_nssl/endian.h>
#include <wiiu_nssl/guest_heap.h>
#include <wiiu_nssl/guest_memory.h>

using namespace wiiu::guest;

namespace {

struct Memory : ::testing::Test {
    static constexpr GuestAddress kStart = 0x01000000;
    static constexpr std::uint32_t kSize = 0x1000;
    std::vector<std::byte> ram = std::vector<std::byte>(kSize);
    FlatGuestMemory memory{ram.data(), kStart, kSize};
};

TEST(BigEndian, StoresMostSignificantByteFirst)
{
    be32 v(0x11223344u);
    unsigned char raw[4];
    std::memcpy(raw, &v, 4);
    EXPECT_EQ(raw[0], 0x11);
    EXPECT_EQ(raw[3], 0x44);
    EXPECT_EQ(static_cast<std::uint32_t>(v), 0x11223344u);
    bei32 negative(-2);
    EXPECT_EQ(static_cast<std::int32_t>(negative), -2);
    be<std::uint16_t> port(0x1F90);
    std::memcpy(raw, &port, 2);
    EXPECT_EQ(raw[0], 0x1F);
    EXPECT_EQ(raw[1], 0x90);
}

TEST_F(Memory, TranslatesRangesWhollyInside)
{
    auto first = memory.translate(kStart, 16);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->data(), ram.data());
    auto last = memory.translate(kStart + kSize - 4, 4);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->data(), ram.data() + kSize - 4);
    EXPECT_TRUE(memory.translate(kStart + kSize, 0));  // empty view at the very end
}

TEST_F(Memory, RefusesNullOutOfRangeStraddlingAndWrapping)
{
    EXPECT_FALSE(memory.translate(0, 4));
    EXPECT_FALSE(memory.translate(kStart - 1, 4));          // straddles the start
    EXPECT_FALSE(memory.translate(kStart + kSize - 2, 4));  // straddles the end
    EXPECT_FALSE(memory.translate(kStart + kSize, 1));
    EXPECT_FALSE(memory.translate(0xFFFFFFF0u, 0x20));      // wraps past 4 GiB
    EXPECT_FALSE(memory.translate(kStart, 0xFFFFFFFFu));    // huge length
    EXPECT_FALSE(memory.span(GuestPtr<be32>{0}, 0));        // null is refused even when empty
    EXPECT_FALSE(memory.span(GuestPtr<be32>{kStart}, 0x40000001u));  // count * 4 overflows
}

TEST_F(Memory, LoadsAndStoresBigEndianValues)
{
    GuestPtr<be32> p{kStart + 8};
    ASSERT_TRUE(memory.store(p, be32(0xCAFEBABEu)));
    EXPECT_EQ(static_cast<unsigned char>(ram[8]), 0xCA);
    EXPECT_EQ(static_cast<std::uint32_t>(*memory.load(p)), 0xCAFEBABEu);
    EXPECT_FALSE(memory.store(GuestPtr<be32>{kStart + kSize - 3}, be32(1u)));
    EXPECT_FALSE(memory.load(GuestPtr<be32>{kStart + kSize - 3}));
}

TEST_F(Memory, ReadsBoundedStrings)
{
    std::memcpy(ram.data() + 16, "hello", 6);
    EXPECT_EQ(memory.string(GuestPtr<const char>{kStart + 16}, 5), "hello");
    EXPECT_FALSE(memory.string(GuestPtr<const char>{kStart + 16}, 4));  // longer than allowed
    EXPECT_FALSE(memory.string(GuestPtr<const char>{0}, 100));
    // A string whose terminator is the last byte of memory is still readable...
    std::memset(ram.data() + kSize - 300, 'a', 299);
    ram[kSize - 1] = std::byte{0};
    auto tail = memory.string(GuestPtr<const char>{kStart + kSize - 300}, 1000);
    ASSERT_TRUE(tail);
    EXPECT_EQ(tail->size(), 299u);
    // ...but one that runs off the end of memory is refused, never read past it.
    ram[kSize - 1] = std::byte{'a'};
    EXPECT_FALSE(memory.string(GuestPtr<const char>{kStart + kSize - 300}, 1000));
    EXPECT_EQ(memory.chars(GuestPtr<const char>{kStart + 16}, 3), "hel");
    EXPECT_FALSE(memory.chars(GuestPtr<const char>{kStart + kSize - 2}, 3));
}

TEST(GuestHeapTest, AllocatesAlignedFreesAndCoalesces)
{
    GuestHeap heap(0x20000000, 0x1000);
    auto a = heap.allocate(10, 16);
    auto b = heap.allocate(100, 64);
    ASSERT_NE(a, 0u);
    ASSERT_NE(b, 0u);
    EXPECT_EQ(a % 16, 0u);
    EXPECT_EQ(b % 64, 0u);
    EXPECT_GE(b, a + 10);
    EXPECT_EQ(heap.blocksInUse(), 2u);
    EXPECT_FALSE(heap.free(a + 1));  // not a block start
    EXPECT_TRUE(heap.free(a));
    EXPECT_FALSE(heap.free(a));  // double free refused
    EXPECT_TRUE(heap.free(b));
    EXPECT_EQ(heap.bytesInUse(), 0u);
    // Everything coalesced: the whole region is one block again.
    EXPECT_EQ(heap.allocate(0x1000, 1), 0x20000000u);
    EXPECT_EQ(heap.allocate(1, 1), 0u);  // exhausted
    EXPECT_EQ(heap.allocate(0, 4), 0u);
    EXPECT_EQ(heap.allocate(4, 3), 0u);  // alignment must be a power of two
}

}  // namespace
