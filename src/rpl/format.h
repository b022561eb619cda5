// The RPL/RPX container: ELF32, big-endian PowerPC, with the Cafe OS ABI's own file type, section
// types and the FILEINFO/CRC sections the console's loader reads. Values only; no logic.
#pragma once

#include <cstdint>

namespace wiiu::rpl {

inline constexpr std::uint8_t kAbiCafe = 0xCA;          ///< e_ident[EI_OSABI]
inline constexpr std::uint8_t kAbiVersionCafe = 0xFE;   ///< e_ident[EI_ABIVERSION]
inline constexpr std::uint16_t kTypeRpl = 0xFE01;       ///< e_type of every .rpl and .rpx
inline constexpr std::uint16_t kMachinePpc = 20;        ///< EM_PPC
inline constexpr std::uint32_t kHeaderSize = 0x34;
inline constexpr std::uint32_t kSectionHeaderSize = 0x28;
inline constexpr std::uint32_t kSymbolSize = 0x10;
inline constexpr std::uint32_t kRelaSize = 0x0C;
inline constexpr std::uint32_t kMinFileSize = 0x104;    ///< the loader refuses anything shorter

namespace section_type {
inline constexpr std::uint32_t null = 0;
inline constexpr std::uint32_t progbits = 1;
inline constexpr std::uint32_t symtab = 2;
inline constexpr std::uint32_t strtab = 3;
inline constexpr std::uint32_t rela = 4;
inline constexpr std::uint32_t nobits = 8;
inline constexpr std::uint32_t exports = 0x80000001;   ///< .fexports / .dexports
inline constexpr std::uint32_t imports = 0x80000002;   ///< .fimport_<lib> / .dimport_<lib>
inline constexpr std::uint32_t crcs = 0x80000003;      ///< one CRC-32 per section, at index shnum-2
inline constexpr std::uint32_t fileinfo = 0x80000004;  ///< RPLFileInfo, at index shnum-1
}  // namespace section_type

namespace section_flag {
inline constexpr std::uint32_t write = 0x1;
inline constexpr std::uint32_t alloc = 0x2;
inline constexpr std::uint32_t exec = 0x4;
inline constexpr std::uint32_t tls = 0x04000000;
inline constexpr std::uint32_t deflated = 0x08000000;  ///< data = be32 inflated size + zlib stream
}  // namespace section_flag

/// Where the loader's address spaces start (the SDK's and wut's layout): code, data, and the
/// loader-only sections (imports, exports, symbol tables) that never reach the program.
inline constexpr std::uint32_t kCodeBase = 0x02000000;
inline constexpr std::uint32_t kDataBase = 0x10000000;
inline constexpr std::uint32_t kLoaderBase = 0xC0000000;

namespace symbol_type {
inline constexpr std::uint8_t notype = 0, object = 1, func = 2, section = 3, file = 4, tls = 6;
}
namespace symbol_binding {
inline constexpr std::uint8_t local = 0, global = 1, weak = 2;
}
inline constexpr std::uint16_t kShnUndef = 0;
inline constexpr std::uint16_t kShnLoReserve = 0xFF00;
inline constexpr std::uint16_t kShnAbs = 0xFFF1;
inline constexpr std::uint16_t kShnCommon = 0xFFF2;

/// The relocation types the console's loader accepts (every other type is refused).
namespace reloc {
inline constexpr std::uint8_t none = 0;
inline constexpr std::uint8_t addr32 = 1;
inline constexpr std::uint8_t addr16_lo = 4;
inline constexpr std::uint8_t addr16_hi = 5;
inline constexpr std::uint8_t addr16_ha = 6;
inline constexpr std::uint8_t rel24 = 10;
inline constexpr std::uint8_t rel14 = 11;
inline constexpr std::uint8_t dtpmod32 = 68;
inline constexpr std::uint8_t dtprel32 = 78;
inline constexpr std::uint8_t emb_sda21 = 109;
inline constexpr std::uint8_t emb_relsda = 116;
inline constexpr std::uint8_t diab_sda21_lo = 180;
inline constexpr std::uint8_t diab_relsda_ha = 185;  ///< 180..185: the DIAB SDA forms
inline constexpr std::uint8_t ghs_rel16_ha = 251;
inline constexpr std::uint8_t ghs_rel16_lo = 253;    ///< 251..253: GHS_REL16_HA/HI/LO

constexpr bool loaderAccepts(std::uint8_t type)
{
    return type == none || type == addr32 || (type >= addr16_lo && type <= addr16_ha) || type == rel24 ||
           type == rel14 || type == dtpmod32 || type == dtprel32 || type == emb_sda21 || type == emb_relsda ||
           (type >= diab_sda21_lo && type <= diab_relsda_ha) || (type >= ghs_rel16_ha && type <= ghs_rel16_lo);
}
}  // namespace reloc

/// FILEINFO: the version the loader requires at least, and the SDK versions it accepts.
inline constexpr std::uint32_t kFileInfoVersion = 0xCAFE0402;
inline constexpr std::uint32_t kFileInfoSize = 0x60;
inline constexpr std::uint32_t kMinSdkVersion = 20500;
inline constexpr std::uint32_t kMaxSdkVersion = 21301;
inline constexpr std::uint32_t kFileInfoFlagRpx = 0x2;

}  // namespace wiiu::rpl
