// An RPL/RPX as the reader hands it out: every section inflated and checked, the FILEINFO, the
// symbols, the relocations, and the imports and exports by library and name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rpl/format.h"

namespace wiiu::rpl {

/// What is wrong with a file, and where: "section 7 '.rela.text' (file offset 0x1a40): ...".
struct Error {
    std::string message;
};

struct Section {
    std::uint32_t index = 0;
    std::string name;
    std::uint32_t type = 0, flags = 0, addr = 0, offset = 0;
    std::uint32_t fileSize = 0;  ///< bytes in the file (deflated size for a deflated section)
    std::uint32_t size = 0;      ///< bytes in memory: inflated, or a NOBITS section's size
    std::uint32_t link = 0, info = 0, addralign = 0, entsize = 0;
    std::vector<std::uint8_t> data;  ///< inflated contents; empty for NOBITS

    bool alloc() const { return flags & section_flag::alloc; }
    bool exec() const { return flags & section_flag::exec; }
    bool writable() const { return flags & section_flag::write; }
    bool deflated() const { return flags & section_flag::deflated; }
    bool hasFileData() const { return type != section_type::nobits && fileSize != 0; }
};

/// RPLFileInfo version 0xCAFE0402 (0x60 bytes), every field as the file holds it.
struct FileInfo {
    std::uint32_t version = 0, textSize = 0, textAlign = 0, dataSize = 0, dataAlign = 0, loadSize = 0,
                  loadAlign = 0, tempSize = 0, trampAdjust = 0, sdaBase = 0, sda2Base = 0, stackSize = 0,
                  filename = 0, flags = 0, heapSize = 0, tagOffset = 0, minVersion = 0;
    std::int32_t compressionLevel = 0;
    std::uint32_t trampAddition = 0, fileInfoPad = 0, cafeSdkVersion = 0, cafeSdkRevision = 0;
    std::int16_t tlsModuleIndex = 0;
    std::uint16_t tlsAlignShift = 0;
    std::uint32_t runtimeFileInfoSize = 0;
};

struct Symbol {
    std::string name;
    std::uint32_t value = 0, size = 0;
    std::uint8_t type = 0, binding = 0;
    std::uint16_t section = 0;  ///< section index or kShn*
};

struct Relocation {
    std::uint32_t offset = 0;  ///< address in the target section's addr space
    std::uint8_t type = 0;     ///< reloc::*
    std::uint32_t symbol = 0;  ///< index into Module::symbols
    std::int32_t addend = 0;
};

struct RelocationSection {
    std::uint32_t section = 0;  ///< the SHT_RELA section
    std::uint32_t target = 0;   ///< the section it patches
    std::vector<Relocation> entries;
};

/// One .fimport_<lib> / .dimport_<lib> section.
struct ImportLibrary {
    std::string name;  ///< "nsysnet" (as the section names it, without ".rpl")
    std::uint32_t section = 0;
    bool data = false;  ///< .dimport_: data symbols
    std::uint32_t count = 0, signature = 0;  ///< the section's header
};

/// One imported symbol: the symbol that names it lives in its library's import section.
struct Import {
    std::string library;
    std::string name;
    bool data = false;
    std::uint32_t symbol = 0;  ///< index into Module::symbols
};

struct Export {
    std::string name;
    std::uint32_t value = 0;
    bool data = false;  ///< .dexports
    bool tls = false;
};

struct Module {
    std::uint32_t entry = 0;
    std::uint8_t abiVersion = 0;
    std::vector<Section> sections;  ///< by index; sections[0] is the null section
    FileInfo fileInfo;
    std::vector<std::uint32_t> crcs;  ///< as stored (and checked) per section
    std::vector<Symbol> symbols;      ///< the one SHT_SYMTAB
    std::vector<RelocationSection> relocations;
    std::vector<ImportLibrary> importLibraries;
    std::vector<Import> imports;  ///< in symbol order
    std::vector<Export> exports;

    bool isRpx() const { return fileInfo.flags & kFileInfoFlagRpx; }
};

}  // namespace wiiu::rpl
