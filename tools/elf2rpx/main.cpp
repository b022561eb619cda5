// elf2rpx: a PowerPC ELF (powerpc-linux-gnu-gcc, the project's RPX linker script and import
// stubs, --emit-relocs) -> an RPX. The output is read back with the strict reader before it is
// written (atomically), so a file this tool writes is one the reader and the loaders accept.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "convert.h"
#include "rpl/file.h"
#include "rpl/reader.h"

int main(int argc, char** argv)
{
    CLI::App app{"Converts a PowerPC ELF executable into a Wii U RPX (or RPL)"};
    std::string input, output;
    bool noCompress = false, library = false;
    app.add_option("input", input, "ELF executable linked with the RPX linker script and --emit-relocs")->required();
    app.add_option("output", output, "the .rpx (or .rpl) to write")->required();
    app.add_flag("--no-compress", noCompress, "store every section uncompressed");
    app.add_flag("--rpl", library, "write a library (FILEINFO without the RPX flag)");
    CLI11_PARSE(app, argc, argv);

    auto elf = wiiu::rpl::readFile(input);
    if (!elf) {
        fmt::print(stderr, "elf2rpx: {}\n", elf.error().message);
        return 1;
    }
    wiiu::rpl::WriteOptions options;
    options.rpx = !library;
    options.compressionLevel = noCompress ? -1 : 6;
    auto rpx = wiiu::elf2rpx::convert(*elf, options);
    if (!rpx) {
        fmt::print(stderr, "elf2rpx: {}: {}\n", input, rpx.error().message);
        return 1;
    }
    if (auto check = wiiu::rpl::read(*rpx); !check) {
        fmt::print(stderr, "elf2rpx: {}: the converted file fails the reader's checks: {}\n", input,
                   check.error().message);
        return 1;
    }
    if (auto written = wiiu::rpl::writeFileAtomic(output, *rpx); !written) {
        fmt::print(stderr, "elf2rpx: {}\n", written.error().message);
        return 1;
    }
    return 0;
}
