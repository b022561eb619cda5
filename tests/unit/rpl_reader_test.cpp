// The RPL/RPX reader on files the writer builds, and on every kind of lie a hostile or
// truncated file can tell: each is refused with a message that names the section and offset.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include <zlib.h>

#include "rpl/bytes.h"
#include "rpl/reader.h"
#include "rpl/writer.h"

namespace wiiu::rpl {
namespace {

constexpr std::uint32_t kText = kCodeBase, kData = kDataBase, kImports = kLoaderBase;

std::vector<std::uint8_t> symbol(std::uint32_t name, std::uint32_t value, std::uint8_t type, std::uint8_t binding,
                                 std::uint16_t section)
{
    std::vector<std::uint8_t> s(kSymbolSize);
    putBe32(s, 0, name);
    putBe32(s, 4, value);
    s[12] = static_cast<std::uint8_t>(binding << 4 | type);
    putBe16(s, 14, section);
    return s;
}

/// A small RPX: code with a call to an import, data, bss, .fimport_nsysnet with two stubs,
/// symbols and relocations. Section indexes: 1 .text, 2 .data, 3 .bss, 4 .fimport_nsysnet,
/// 5 .symtab, 6 .strtab, 7 .rela.text, then .shstrtab 8, CRCs 9, FILEINFO 10.
std::vector<SectionSpec> sampleSections()
{
    std::vector<SectionSpec> s;
    std::vector<std::uint8_t> code(64, 0x60);  // nops, then lis/addi pairs the relocations patch
    s.push_back({".text", section_type::progbits, section_flag::alloc | section_flag::exec, kText, 32, 0, 0, 0, code, 0});
    s.push_back({".data", section_type::progbits, section_flag::alloc | section_flag::write, kData, 8, 0, 0, 0,
                 std::vector<std::uint8_t>(40, 0xAB), 0});
    s.push_back({".bss", section_type::nobits, section_flag::alloc | section_flag::write, kData + 64, 8, 0, 0, 0, {}, 0x100});
    std::vector<std::uint8_t> imports(8 + 8 + 16);
    putBe32(imports, 0, 2);
    std::copy_n("nsysnet", 7, imports.begin() + 8);
    s.push_back({".fimport_nsysnet", section_type::imports, section_flag::alloc | section_flag::exec, kImports, 16, 0,
                 0, 0, imports, 0});
    const std::string names = std::string("\0socket\0NSSLRead\0_start\0", 24);
    std::vector<std::uint8_t> symtab = symbol(0, 0, 0, 0, 0);
    for (auto sym : {symbol(1, kImports + 16, symbol_type::func, symbol_binding::global, 4),
                     symbol(8, kImports + 24, symbol_type::func, symbol_binding::global, 4),
                     symbol(17, kText, symbol_type::func, symbol_binding::global, 1),
                     symbol(0, kData, symbol_type::section, symbol_binding::local, 2)})
        symtab.insert(symtab.end(), sym.begin(), sym.end());
    s.push_back({".symtab", section_type::symtab, section_flag::alloc, kImports + 0x40, 4, kSymbolSize, 6, 0, symtab, 0});
    s.push_back({".strtab", section_type::strtab, section_flag::alloc, kImports + 0x100, 1, 0, 0, 0,
                 std::vector<std::uint8_t>(names.begin(), names.end()), 0});
    std::vector<std::uint8_t> rela;
    const auto add = [&](std::uint32_t offset, std::uint8_t type, std::uint32_t sym, std::int32_t addend) {
        appendBe32(rela, offset);
        appendBe32(rela, sym << 8 | type);
        appendBe32(rela, static_cast<std::uint32_t>(addend));
    };
    add(kText + 2, reloc::addr16_ha, 1, 0);
    add(kText + 6, reloc::addr16_lo, 1, 0);
    add(kText + 8, reloc::rel24, 2, 0);
    add(kText + 12, reloc::addr32, 4, 0x10);
    s.push_back({".rela.text", section_type::rela, 0, 0, 4, kRelaSize, 5, 1, rela, 0});
    return s;
}

std::vector<std::uint8_t> sampleFile(int level = 6)
{
    WriteOptions o;
    o.compressionLevel = level;
    auto file = write(sampleSections(), kText, o);
    EXPECT_TRUE(file) << file.error().message;
    return *file;
}

std::size_t header(std::uint32_t index) { return 0x40 + index * kSectionHeaderSize; }

/// The refusal message for `file`, or "accepted".
std::string refusal(const std::vector<std::uint8_t>& file)
{
    auto m = read(file);
    return m ? std::string("accepted") : m.error().message;
}

/// Edits the stored bytes of section `index` (in an uncompressed file) and rewrites its CRC, so
/// the test reaches the check it aims at rather than the CRC check.
void editSection(std::vector<std::uint8_t>& file, std::uint32_t index, void (*edit)(std::span<std::uint8_t>))
{
    const std::uint32_t at = be32(file, header(index) + 16), size = be32(file, header(index) + 20);
    const auto data = std::span(file).subspan(at, size);
    edit(data);
    const std::uint32_t crcs = be32(file, header(9) + 16);
    putBe32(file, crcs + 4 * index,
            static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), data.data(), static_cast<uInt>(data.size()))));
}

TEST(RplReader, ReadsWhatTheWriterWrote)
{
    for (int level : {-1, 6}) {
        SCOPED_TRACE(level);
        const auto file = sampleFile(level);
        auto m = read(file);
        ASSERT_TRUE(m) << m.error().message;
        EXPECT_TRUE(m->isRpx());
        EXPECT_EQ(m->entry, kText);
        EXPECT_EQ(m->abiVersion, kAbiVersionCafe);
        ASSERT_EQ(m->sections.size(), 11u);
        EXPECT_EQ(m->sections[1].name, ".text");
        EXPECT_EQ(m->sections[1].data, std::vector<std::uint8_t>(64, 0x60));
        EXPECT_EQ(m->sections[1].deflated(), level >= 0);
        EXPECT_EQ(m->sections[3].size, 0x100u);
        EXPECT_EQ(m->sections[9].type, section_type::crcs);
        EXPECT_EQ(m->sections[10].type, section_type::fileinfo);
        EXPECT_EQ(m->fileInfo.version, kFileInfoVersion);
        EXPECT_EQ(m->fileInfo.minVersion, 20600u);
        EXPECT_GE(m->fileInfo.textSize, 64u);
        EXPECT_GE(m->fileInfo.dataSize, 64u + 0x100u);
        EXPECT_EQ(m->fileInfo.compressionLevel, level);
        ASSERT_EQ(m->importLibraries.size(), 1u);
        EXPECT_EQ(m->importLibraries[0].name, "nsysnet");
        EXPECT_EQ(m->importLibraries[0].count, 2u);
        ASSERT_EQ(m->imports.size(), 2u);
        EXPECT_EQ(m->imports[0].name, "socket");
        EXPECT_EQ(m->imports[1].name, "NSSLRead");
        EXPECT_EQ(m->imports[1].library, "nsysnet");
        ASSERT_EQ(m->relocations.size(), 1u);
        EXPECT_EQ(m->relocations[0].target, 1u);
        ASSERT_EQ(m->relocations[0].entries.size(), 4u);
        EXPECT_EQ(m->relocations[0].entries[2].type, reloc::rel24);
        EXPECT_EQ(m->relocations[0].entries[3].addend, 0x10);
    }
}

TEST(RplReader, FileLayoutFollowsTheLoadersOrder)
{
    const auto file = sampleFile();
    auto m = read(file);
    ASSERT_TRUE(m) << m.error().message;
    const auto& s = m->sections;
    const std::uint32_t headersEnd = 0x40 + 11 * kSectionHeaderSize;
    EXPECT_EQ(s[9].offset, headersEnd);                // CRCs right after the section headers
    EXPECT_EQ(s[10].offset, headersEnd + 4 * 11);      // then FILEINFO
    EXPECT_LT(s[2].offset, s[5].offset);               // writable data before read-only
    EXPECT_LT(s[6].offset, s[1].offset);               // read-only before code
    EXPECT_LT(s[1].offset, s[7].offset);               // code before relocations
    EXPECT_FALSE(s[9].deflated());
    EXPECT_FALSE(s[10].deflated());
}

struct Case {
    const char* what;
    void (*mutate)(std::vector<std::uint8_t>&);
    const char* expected;  ///< a part of the message
};

class RplHostile : public ::testing::TestWithParam<Case> {};

TEST_P(RplHostile, IsRefusedWithItsLocation)
{
    auto file = sampleFile(-1);
    GetParam().mutate(file);
    const std::string why = refusal(file);
    EXPECT_NE(why.find(GetParam().expected), std::string::npos) << GetParam().what << ": " << why;
}

const Case kCases[] = {
    {"truncated to the header", [](auto& f) { f.resize(0x30); }, "shorter than an ELF header"},
    {"truncated below the minimum", [](auto& f) { f.resize(0x100); }, "loader's minimum"},
    {"truncated mid-file", [](auto& f) { f.resize(f.size() - 10); }, "outside the"},
    {"not ELF", [](auto& f) { f[1] = 'X'; }, "bad magic"},
    {"64-bit class", [](auto& f) { f[4] = 2; }, "offset 0x4"},
    {"little-endian", [](auto& f) { f[5] = 1; }, "big-endian"},
    {"Linux ABI", [](auto& f) { f[7] = 0; }, "Cafe ABI"},
    {"plain executable", [](auto& f) { putBe16(f, 0x10, 2); }, "e_type 0x0002"},
    {"x86", [](auto& f) { putBe16(f, 0x12, 3); }, "machine 3"},
    {"program headers", [](auto& f) { putBe16(f, 0x2C, 1); }, "program headers"},
    {"section table past the end", [](auto& f) { putBe32(f, 0x20, 0xFFFFFF00); }, "section header table"},
    {"section count huge", [](auto& f) { putBe16(f, 0x30, 0xFFFF); }, "section header table"},
    {"name table index outside", [](auto& f) { putBe16(f, 0x32, 40); }, "name table index 40"},
    {"name offset outside", [](auto& f) { putBe32(f, header(1), 0x7FFF); }, "section 1's name"},
    {"data past the end", [](auto& f) { putBe32(f, header(1) + 20, 0x7FFFFFF0); }, "section 1 '.text'"},
    {"data inside the headers", [](auto& f) { putBe32(f, header(1) + 16, 0x40); }, "overlaps the section header"},
    {"CRC mismatch", [](auto& f) { f[be32(f, header(2) + 16)] ^= 1; }, "section 2 '.data'"},
    {"CRC section moved", [](auto& f) { putBe32(f, header(9) + 4, section_type::progbits); }, "must be the CRCs"},
    {"FILEINFO deflated", [](auto& f) { putBe32(f, header(10) + 8, section_flag::deflated); }, "must not be deflated"},
    {"FILEINFO old version", [](auto& f) { putBe32(f, be32(f, header(10) + 16), 0xCAFE0401); }, "version 0xcafe0401"},
    {"odd alignment", [](auto& f) { putBe32(f, header(2) + 32, 3); }, "not a power of two"},
    {"relocation to a missing symbol",
     [](auto& f) { editSection(f, 7, [](std::span<std::uint8_t> d) { putBe32(d, 4, 99u << 8 | reloc::addr32); }); },
     "names symbol 99"},
    {"relocation type the loader refuses",
     [](auto& f) { editSection(f, 7, [](std::span<std::uint8_t> d) { putBe32(d, 4, 1u << 8 | 26); }); },  // R_PPC_REL32
     "type 26"},
    {"relocation outside its section",
     [](auto& f) { editSection(f, 7, [](std::span<std::uint8_t> d) { putBe32(d, 0, kText + 63); }); },  // 2 bytes at 63 of 64
     "outside section 1"},
    {"import library lies about its name",
     [](auto& f) { editSection(f, 4, [](std::span<std::uint8_t> d) { d[8] = 'N'; }); },
     "holds 'Nsysnet'"},
    {"import count beyond the section",
     [](auto& f) { editSection(f, 4, [](std::span<std::uint8_t> d) { putBe32(d, 0, 1000); }); },
     "counts 1000 imports"},
    {"import symbol outside its stubs",
     [](auto& f) { editSection(f, 5, [](std::span<std::uint8_t> d) { putBe32(d, 16 + 4, kImports + 0x1000); }); },
     "import 'socket'"},
    {"symbol in a section that does not exist",
     [](auto& f) { editSection(f, 5, [](std::span<std::uint8_t> d) { putBe16(d, 16 + 14, 77); }); },
     "names section 77"},
    {"entry point outside the code", [](auto& f) { putBe32(f, 0x18, 0x12345678); }, "entry point"},
};

INSTANTIATE_TEST_SUITE_P(Lies, RplHostile, ::testing::ValuesIn(kCases),
                         [](const auto& param) {
                             std::string name = param.param.what;
                             std::replace_if(
                                 name.begin(), name.end(),
                                 [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                             return name;
                         });

TEST(RplReader, RefusesZlibThatLies)
{
    auto file = sampleFile(6);
    auto m = read(file);
    ASSERT_TRUE(m);
    const auto& text = m->sections[1];
    ASSERT_TRUE(text.deflated());
    {
        auto f = file;  // announces fewer bytes than the stream holds
        putBe32(f, text.offset, 10);
        EXPECT_NE(refusal(f).find("more than the 10 bytes"), std::string::npos) << refusal(f);
    }
    {
        auto f = file;  // announces more
        putBe32(f, text.offset, 1000);
        EXPECT_NE(refusal(f).find("section 1 '.text'"), std::string::npos) << refusal(f);
    }
    {
        auto f = file;  // a broken stream
        f[text.offset + 6] ^= 0xFF;
        EXPECT_NE(refusal(f).find("section 1 '.text'"), std::string::npos) << refusal(f);
    }
    {
        auto f = file;  // a bomb: more than the reader's limit
        putBe32(f, text.offset, 0xFFFFFFF0);
        EXPECT_NE(refusal(f).find("limit"), std::string::npos) << refusal(f);
    }
}

TEST(RplReader, SurvivesEveryTruncationAndByteFlip)
{
    const auto file = sampleFile(6);
    for (std::size_t n = 0; n < file.size(); n += 7) {
        std::vector<std::uint8_t> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_FALSE(read(cut)) << n;
    }
    for (std::size_t i = 0; i < file.size(); ++i) {
        auto f = file;
        f[i] ^= 0x5A;
        (void)read(f);  // accepted or refused, never a crash (the sanitizer build checks)
    }
}

}  // namespace
}  // namespace wiiu::rpl
