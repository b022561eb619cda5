// ELF -> RPX: turns a PowerPC ELF executable linked with the project's RPX linker script
// (code at 0x02000000, data at 0x10000000, import stubs in .fimport_<lib>/.dimport_<lib> at
// 0xC0000000) and --emit-relocs into an RPX the console's loader accepts.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <wiiu_nssl/expected.h>

#include "rpl/module.h"
#include "rpl/writer.h"

namespace wiiu::elf2rpx {

Expected<std::vector<std::uint8_t>, rpl::Error> convert(std::span<const std::uint8_t> elf,
                                                        const rpl::WriteOptions& options);

}  // namespace wiiu::elf2rpx
