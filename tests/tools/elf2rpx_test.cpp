// elf2rpx's output, read back with the strict reader: the loaders' rules (file order, CRCs and
// FILEINFO right after the section headers and last in the table, version fields, relocation
// types) on every RPX the build makes, and refusals that name the problem for inputs it cannot
// convert.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>

#include "rpl/file.h"
#include "rpl/reader.h"

namespace wiiu::test {
namespace {

namespace fs = std::filesystem;
const fs::path kPrograms = fs::path(WIIU_NSSL_BINARY_DIR) / "tests/guest/programs";

TEST(Elf2Rpx, OutputFollowsTheLoadersRules)
{
    for (const std::string name : {"tls_flow", "tls_nonblocking", "error_paths", "structs", "bench", "tls_flow_plain"}) {
        SCOPED_TRACE(name);
        auto bytes = rpl::readFile(kPrograms / (name + ".rpx"));
        ASSERT_TRUE(bytes) << bytes.error().message;
        auto m = rpl::read(*bytes);
        ASSERT_TRUE(m) << m.error().message;
        const auto& s = m->sections;
        const std::size_t n = s.size();
        const std::uint32_t headersEnd = 0x40 + static_cast<std::uint32_t>(n) * rpl::kSectionHeaderSize;
        EXPECT_EQ(s[n - 2].type, rpl::section_type::crcs);
        EXPECT_EQ(s[n - 1].type, rpl::section_type::fileinfo);
        EXPECT_EQ(s[n - 2].offset, headersEnd);
        EXPECT_EQ(s[n - 1].offset, headersEnd + 4 * n);
        EXPECT_TRUE(m->isRpx());
        EXPECT_EQ(m->fileInfo.version, rpl::kFileInfoVersion);
        EXPECT_GE(m->fileInfo.minVersion, rpl::kMinSdkVersion);
        EXPECT_LE(m->fileInfo.minVersion, rpl::kMaxSdkVersion);
        EXPECT_EQ(m->abiVersion, rpl::kAbiVersionCafe);
        const bool compressed = name != "tls_flow_plain";
        EXPECT_EQ(m->fileInfo.compressionLevel, compressed ? 6 : -1);
        bool anyDeflated = false, text = false;
        std::set<std::uint8_t> types;
        for (const auto& section : s) {
            anyDeflated |= section.deflated();
            text |= section.name == ".text" && section.addr == rpl::kCodeBase && section.exec();
        }
        EXPECT_EQ(anyDeflated, compressed);
        EXPECT_TRUE(text);
        for (const auto& rs : m->relocations)
            for (const auto& r : rs.entries)
                types.insert(r.type);
        // crt0's bl guest_main, and the lis/addi pairs that load an import's address.
        EXPECT_TRUE(types.count(rpl::reloc::rel24));
        EXPECT_TRUE(types.count(rpl::reloc::addr16_ha));
        EXPECT_TRUE(types.count(rpl::reloc::addr16_lo));
        ASSERT_FALSE(m->importLibraries.empty());
        for (const auto& lib : m->importLibraries) {
            const auto count = std::count_if(m->imports.begin(), m->imports.end(),
                                             [&](const rpl::Import& im) { return im.library == lib.name; });
            EXPECT_EQ(lib.count, static_cast<std::uint32_t>(count)) << lib.name;  // one stub per import
            EXPECT_GT(count, 0) << "an import section without imports makes a loader load " << lib.name;
        }
    }
}

int run(const std::string& command, std::string* err = nullptr)
{
    const fs::path log = fs::path(WIIU_NSSL_BINARY_DIR) / "elf2rpx-test.err";
    const int status = std::system((command + " 2>'" + log.string() + "'").c_str());
    if (err) {
        std::ifstream in(log);
        std::stringstream s;
        s << in.rdbuf();
        *err = s.str();
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Elf2Rpx, RefusesWhatItCannotConvert)
{
    const std::string tool = std::string(WIIU_NSSL_BINARY_DIR) + "/bin/elf2rpx";
    const fs::path dir = fs::path(WIIU_NSSL_BINARY_DIR) / "elf2rpx-test-out";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string err;

    std::ofstream(dir / "text.elf") << "not an ELF";
    EXPECT_EQ(run(tool + " '" + (dir / "text.elf").string() + "' '" + (dir / "a.rpx").string() + "'", &err), 1);
    EXPECT_NE(err.find("not an ELF file"), std::string::npos) << err;

    // A host executable: not big-endian PowerPC.
    EXPECT_EQ(run(tool + " /bin/true '" + (dir / "b.rpx").string() + "'", &err), 1);
    EXPECT_NE(err.find("PowerPC"), std::string::npos) << err;

    // Linked without --emit-relocs: the loader could not place it.
    const fs::path noRelocs = dir / "norelocs.elf";
    ASSERT_EQ(run("powerpc-linux-gnu-objcopy --remove-section=.rela.text '" + (kPrograms / "bench.elf").string() +
                  "' '" + noRelocs.string() + "'"),
              0);
    EXPECT_EQ(run(tool + " '" + noRelocs.string() + "' '" + (dir / "c.rpx").string() + "'", &err), 1);
    EXPECT_NE(err.find("--emit-relocs"), std::string::npos) << err;

    // Truncated: the section table runs past the end.
    auto elf = rpl::readFile(kPrograms / "bench.elf");
    ASSERT_TRUE(elf);
    std::ofstream(dir / "cut.elf", std::ios::binary).write(reinterpret_cast<const char*>(elf->data()), 200);
    EXPECT_EQ(run(tool + " '" + (dir / "cut.elf").string() + "' '" + (dir / "d.rpx").string() + "'", &err), 1);
    EXPECT_NE(err.find("outside the file"), std::string::npos) << err;
    for (const char* out : {"a.rpx", "b.rpx", "c.rpx", "d.rpx"})
        EXPECT_FALSE(fs::exists(dir / out)) << out << ": nothing is written on failure";
}

}  // namespace
}  // namespace wiiu::test
