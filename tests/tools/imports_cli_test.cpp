// nssl-imports end to end: the built tool on the project's own RPX files (exact import lists,
// derived independently from the programs' sources and the export list the stubs came from), on
// a title-like folder, on files importing what the module lacks, and on hostile files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <wiiu_nssl/import_table.h>

#include "rpl/bytes.h"
#include "rpl/file.h"
#include "rpl/writer.h"

namespace wiiu::test {
namespace {

namespace fs = std::filesystem;
const fs::path kPrograms = fs::path(WIIU_NSSL_BINARY_DIR) / "tests/guest/programs";

struct ToolRun {
    int exitCode = -1;
    std::string out, err;
};

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch(const std::string& name)
{
    const auto dir = fs::path(WIIU_NSSL_BINARY_DIR) / "imports-test-out" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

ToolRun imports(const std::vector<std::string>& args, const std::string& name)
{
    const auto dir = scratch(name + "-run");
    std::string command = std::string(WIIU_NSSL_BINARY_DIR) + "/bin/nssl-imports";
    for (const auto& a : args)
        command += " '" + a + "'";
    command += " >'" + (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

/// (library, name) pairs a program's source calls: the GUEST_IMPORTS entries of guest_rt.h whose
/// name appears as a call in the program (comments removed), plus coreinit's exit from crt0.S.
std::set<std::pair<std::string, std::string>> calledBy(const std::string& program)
{
    const std::string programs = std::string(WIIU_NSSL_SOURCE_DIR) + "/tests/guest/programs/";
    const std::string source =
        std::regex_replace(slurp(programs + program + ".c"), std::regex(R"(/\*[\s\S]*?\*/)"), " ");
    const std::string header = slurp(programs + "guest_rt.h");
    std::set<std::pair<std::string, std::string>> called{{"coreinit", "exit"}};
    const std::regex entry(R"rx(X\("(\w+)",\s*\w+,\s*(\w+),)rx");
    for (auto it = std::sregex_iterator(header.begin(), header.end(), entry); it != std::sregex_iterator(); ++it) {
        const std::string library = (*it)[1], name = (*it)[2];
        if (std::regex_search(source, std::regex("\\b" + name + "\\s*\\(")))
            called.insert({library, name});
    }
    return called;
}

TEST(ImportsTool, ListsTheExactImportsOfTheProjectsRpxFiles)
{
    for (const std::string program : {"tls_flow", "tls_nonblocking", "error_paths", "structs", "bench"}) {
        SCOPED_TRACE(program);
        const ToolRun run = imports({"--json", (kPrograms / (program + ".rpx")).string()}, program);
        EXPECT_EQ(run.exitCode, 0) << run.err;
        const auto doc = nlohmann::json::parse(run.out, nullptr, false);
        ASSERT_FALSE(doc.is_discarded()) << run.out;
        ASSERT_EQ(doc["files"].size(), 1u);
        const auto& file = doc["files"][0];
        EXPECT_EQ(file["kind"], "rpx");
        std::set<std::pair<std::string, std::string>> listed;
        for (const auto& lib : file["libraries"]) {
            for (const auto& im : lib["imports"]) {
                const std::string library = lib["name"], name = im["name"];
                EXPECT_TRUE(listed.insert({library, name}).second) << name << " listed twice";
                EXPECT_EQ(im["kind"], "function");
                if (library == "nsysnet") {
                    // Served, and in the export list the stubs were generated from.
                    EXPECT_EQ(lib["role"], "module");
                    EXPECT_EQ(im["status"], "implemented") << name;
                    EXPECT_TRUE(importTable().find(library, name)) << name;
                }
            }
        }
        EXPECT_EQ(listed, calledBy(program));
    }
}

TEST(ImportsTool, ScansATitleFolderAndPrintsATable)
{
    const auto title = scratch("title");
    fs::create_directories(title / "code");
    fs::copy_file(kPrograms / "tls_flow.rpx", title / "code" / "game.rpx");
    fs::copy_file(kPrograms / "structs.rpx", title / "code" / "helper.rpl");
    std::ofstream(title / "code" / "app.xml") << "<app/>";
    const ToolRun run = imports({title.string()}, "title");
    EXPECT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.out.find("game.rpx (RPX,"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("helper.rpl (RPX,"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("NSSLDoHandshake"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("implemented"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("other libraries: coreinit (1), host (1)"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find("app.xml"), std::string::npos);
}

/// An RPX importing what the module lacks: nsysnet's NSSLEncrypt (listed, not implemented), an
/// nn_nets2 name the module does not know, and nlibcurl (reaches NSSL).
std::vector<std::uint8_t> lackingRpx()
{
    using namespace rpl;
    std::vector<SectionSpec> s;
    s.push_back({".text", section_type::progbits, section_flag::alloc | section_flag::exec, kCodeBase, 32, 0, 0, 0,
                 std::vector<std::uint8_t>(16, 0x60), 0});
    const auto importSection = [&](const std::string& library, std::uint32_t addr) {
        std::vector<std::uint8_t> d(8 + ((library.size() + 8) & ~7u) + 8);
        putBe32(d, 0, 1);
        std::copy(library.begin(), library.end(), d.begin() + 8);
        s.push_back({".fimport_" + library, section_type::imports, section_flag::alloc | section_flag::exec, addr, 8,
                     0, 0, 0, d, 0});
        return addr + static_cast<std::uint32_t>(d.size()) - 8;  // the one stub
    };
    const std::uint32_t stubs[] = {importSection("nsysnet", kLoaderBase), importSection("nn_nets2", kLoaderBase + 0x40),
                                   importSection("nlibcurl", kLoaderBase + 0x80)};
    const std::string names("\0NSSLEncrypt\0NSSLNoSuchCall\0curl_easy_init\0", 43);
    const std::uint32_t nameAt[] = {1, 13, 28};
    std::vector<std::uint8_t> symtab(kSymbolSize);
    for (int i = 0; i < 3; ++i) {
        std::vector<std::uint8_t> sym(kSymbolSize);
        putBe32(sym, 0, nameAt[i]);
        putBe32(sym, 4, stubs[i]);
        sym[12] = symbol_binding::global << 4 | symbol_type::func;
        putBe16(sym, 14, static_cast<std::uint16_t>(2 + i));
        symtab.insert(symtab.end(), sym.begin(), sym.end());
    }
    s.push_back({".symtab", section_type::symtab, section_flag::alloc, kLoaderBase + 0x100, 4, kSymbolSize, 6, 1, symtab, 0});
    s.push_back({".strtab", section_type::strtab, section_flag::alloc, kLoaderBase + 0x200, 1, 0, 0, 0,
                 std::vector<std::uint8_t>(names.begin(), names.end()), 0});
    auto file = write(s, kCodeBase);
    EXPECT_TRUE(file) << file.error().message;
    return *file;
}

TEST(ImportsTool, SaysWhatTheModuleDoesNotServe)
{
    const auto dir = scratch("lacking");
    const auto bytes = lackingRpx();
    ASSERT_TRUE(rpl::writeFileAtomic(dir / "lacking.rpx", bytes));
    const ToolRun run = imports({"--json", (dir / "lacking.rpx").string()}, "lacking");
    EXPECT_EQ(run.exitCode, 1) << run.err;
    const auto doc = nlohmann::json::parse(run.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << run.out;
    std::map<std::string, std::string> status;
    for (const auto& lib : doc["files"][0]["libraries"])
        for (const auto& im : lib["imports"])
            status[im["name"]] = im.contains("status") ? im["status"].get<std::string>() : lib["role"].get<std::string>();
    EXPECT_EQ(status["NSSLEncrypt"], "not-implemented");
    EXPECT_EQ(status["NSSLNoSuchCall"], "unknown");
    EXPECT_EQ(status["curl_easy_init"], "reaches-nssl");
    const ToolRun table = imports({(dir / "lacking.rpx").string()}, "lacking-table");
    EXPECT_NE(table.out.find("nlibcurl"), std::string::npos) << table.out;
}

TEST(ImportsTool, RefusesHostileFilesNamingTheProblem)
{
    const auto dir = scratch("hostile");
    const auto good = slurp(kPrograms / "tls_flow_plain.rpx");
    std::ofstream(dir / "truncated.rpx", std::ios::binary) << good.substr(0, good.size() / 2);
    std::ofstream(dir / "text.rpx", std::ios::binary) << "this is not an RPX file, only text long enough to pass the "
                                                         "first size check of the reader: " + std::string(300, 'x');
    std::string lying = good;
    lying[lying.size() - 40] ^= 0x20;  // inside the last section's data: its CRC no longer matches
    std::ofstream(dir / "lying.rpx", std::ios::binary) << lying;
    std::ofstream(dir / "empty.rpx", std::ios::binary) << "";

    for (const auto& [file, expected] : std::vector<std::pair<std::string, std::string>>{
             {"truncated.rpx", "outside the"},
             {"text.rpx", "not an ELF file"},
             {"lying.rpx", "CRC"},
             {"empty.rpx", "shorter than an ELF header"}}) {
        SCOPED_TRACE(file);
        const ToolRun run = imports({(dir / file).string()}, "hostile-" + file);
        EXPECT_EQ(run.exitCode, 2);
        EXPECT_NE(run.err.find((dir / file).string() + ": "), std::string::npos) << run.err;
        EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    }
    // A folder with one bad file: the others are still listed, the exit status says 2.
    const ToolRun mixed = imports({"--json", dir.string()}, "hostile-folder");
    EXPECT_EQ(mixed.exitCode, 2);
    const auto doc = nlohmann::json::parse(mixed.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << mixed.out;
    EXPECT_EQ(doc["files"].size(), 4u);

    const ToolRun missing = imports({(dir / "nothing-here").string()}, "hostile-missing");
    EXPECT_EQ(missing.exitCode, 64);
    EXPECT_NE(missing.err.find("no such file or folder"), std::string::npos) << missing.err;
    const auto emptyFolder = scratch("empty-folder");
    EXPECT_EQ(imports({emptyFolder.string()}, "hostile-empty-folder").exitCode, 64);
}

}  // namespace
}  // namespace wiiu::test
