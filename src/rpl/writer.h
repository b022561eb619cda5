// The RPL/RPX writer: lays out sections the way the console's loader demands (section headers
// first, CRCs and FILEINFO right after them, then writable data, read-only data, code and the
// temporary sections), deflates sections on request, and computes every CRC and FILEINFO size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <wiiu_nssl/expected.h>

#include "rpl/module.h"

namespace wiiu::rpl {

/// One section to write. Its index in the output is its position in the list plus one (0 is the
/// null section); link/info are output indexes. The writer adds .shstrtab, the CRCs and FILEINFO
/// after the given sections.
struct SectionSpec {
    std::string name;
    std::uint32_t type = section_type::progbits;
    std::uint32_t flags = 0, addr = 0, addralign = 1, entsize = 0, link = 0, info = 0;
    std::vector<std::uint8_t> data;  ///< contents (not for NOBITS)
    std::uint32_t nobitsSize = 0;    ///< a NOBITS section's size
};

struct WriteOptions {
    bool rpx = true;               ///< FILEINFO flag: an executable, not a library
    int compressionLevel = 6;      ///< zlib level for sections of 0x18 bytes or more; -1: none
    std::uint32_t stackSize = 0x10000;
    std::uint32_t heapSize = 0x8000;
    std::uint32_t sdaBase = 0, sda2Base = 0;
    std::uint32_t minVersion = 20600;       ///< an SDK version inside the loader's 20500..21301
    std::uint32_t cafeSdkVersion = 21301;
};

Expected<std::vector<std::uint8_t>, Error> write(const std::vector<SectionSpec>& sections, std::uint32_t entry,
                                                 const WriteOptions& options = {});

}  // namespace wiiu::rpl
