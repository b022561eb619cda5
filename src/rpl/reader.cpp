#include "rpl/reader.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include <fmt/format.h>
#include <zlib.h>

#include "rpl/bytes.h"

namespace wiiu::rpl {

namespace {

/// Thrown inside the reader only; read() turns it into the Error it returns.
struct Refused {
    std::string message;
};

[[noreturn]] void refuse(std::string message) { throw Refused{std::move(message)}; }

std::string_view typeName(std::uint32_t type)
{
    switch (type) {
    case section_type::exports: return "EXPORTS";
    case section_type::imports: return "IMPORTS";
    case section_type::crcs: return "CRCS";
    case section_type::fileinfo: return "FILEINFO";
    case section_type::symtab: return "SYMTAB";
    case section_type::strtab: return "STRTAB";
    case section_type::rela: return "RELA";
    default: return "";
    }
}

/// How many bytes a relocation of `type` patches at its offset.
std::uint32_t relocationWidth(std::uint8_t type)
{
    using namespace reloc;
    if (type == none)
        return 0;
    if ((type >= addr16_lo && type <= addr16_ha) || (type >= ghs_rel16_ha && type <= ghs_rel16_lo))
        return 2;
    return 4;
}

class Reader {
public:
    Reader(std::span<const std::uint8_t> file, const ReadLimits& limits) : file_(file), limits_(limits) {}

    Module run()
    {
        header();
        sectionHeaders();
        names();
        for (auto& s : m_.sections)
            if (s.index != shstrndx_)
                contents(s);
        crcsAndFileInfo();
        fileOrder();
        symbols();
        relocations();
        imports();
        exports();
        fileInfoCoversSections();
        return std::move(m_);
    }

private:
    std::string where(const Section& s) const
    {
        return fmt::format("section {} '{}' (file offset {:#x})", s.index, s.name, s.offset);
    }
    std::string where(std::uint32_t index) const
    {
        return index < m_.sections.size() ? where(m_.sections[index]) : fmt::format("section {}", index);
    }

    void header()
    {
        if (file_.size() < kHeaderSize)
            refuse(fmt::format("file of {} bytes is shorter than an ELF header ({:#x} bytes)", file_.size(), kHeaderSize));
        static constexpr std::uint8_t kMagic[4] = {0x7F, 'E', 'L', 'F'};
        if (!std::equal(kMagic, kMagic + 4, file_.begin()))
            refuse("offset 0x0: not an ELF file (bad magic)");
        if (file_[4] != 1)
            refuse(fmt::format("offset 0x4: ELF class {} (an RPL is ELFCLASS32)", file_[4]));
        if (file_[5] != 2)
            refuse(fmt::format("offset 0x5: data encoding {} (an RPL is big-endian, ELFDATA2MSB)", file_[5]));
        if (file_[6] != 1)
            refuse(fmt::format("offset 0x6: ELF version {} (expected 1)", file_[6]));
        if (file_[7] != kAbiCafe)
            refuse(fmt::format("offset 0x7: OS ABI {:#04x} (an RPL has the Cafe ABI {:#04x})", file_[7], kAbiCafe));
        m_.abiVersion = file_[8];
        if (const auto type = be16(file_, 0x10); type != kTypeRpl)
            refuse(fmt::format("offset 0x10: e_type {:#06x} (an RPL/RPX has {:#06x})", type, kTypeRpl));
        if (const auto machine = be16(file_, 0x12); machine != kMachinePpc)
            refuse(fmt::format("offset 0x12: machine {} (expected EM_PPC, 20)", machine));
        if (const auto version = be32(file_, 0x14); version != 1)
            refuse(fmt::format("offset 0x14: e_version {} (expected 1)", version));
        if (file_.size() < kMinFileSize)
            refuse(fmt::format("file of {} bytes is shorter than the loader's minimum of {:#x}", file_.size(),
                               kMinFileSize));
        m_.entry = be32(file_, 0x18);
        const auto phoff = be32(file_, 0x1C);
        const auto phnum = be16(file_, 0x2C);
        if (phnum != 0 || phoff != 0)
            refuse(fmt::format("offset 0x1c: program headers ({} at {:#x}); an RPL has none", phnum, phoff));
        shoff_ = be32(file_, 0x20);
        if (const auto ehsize = be16(file_, 0x28); ehsize != kHeaderSize)
            refuse(fmt::format("offset 0x28: header size {:#x} (expected {:#x})", ehsize, kHeaderSize));
        if (const auto shentsize = be16(file_, 0x2E); shentsize != kSectionHeaderSize)
            refuse(fmt::format("offset 0x2e: section header size {:#x} (expected {:#x})", shentsize,
                               kSectionHeaderSize));
        shnum_ = be16(file_, 0x30);
        shstrndx_ = be16(file_, 0x32);
        if (shnum_ < 3)
            refuse(fmt::format("offset 0x30: {} sections; an RPL has at least the null section, CRCs and FILEINFO",
                               shnum_));
        const std::uint64_t tableEnd = std::uint64_t{shoff_} + std::uint64_t{shnum_} * kSectionHeaderSize;
        if (shoff_ < kHeaderSize || tableEnd > file_.size())
            refuse(fmt::format("offset 0x20: section header table at {:#x} ({} entries) lies outside the {}-byte file",
                               shoff_, shnum_, file_.size()));
        tableEnd_ = static_cast<std::uint32_t>(tableEnd);
        if (shstrndx_ == 0 || shstrndx_ >= shnum_)
            refuse(fmt::format("offset 0x32: section name table index {} (of {} sections)", shstrndx_, shnum_));
    }

    void sectionHeaders()
    {
        m_.sections.resize(shnum_);
        for (std::uint32_t i = 0; i < shnum_; ++i) {
            const std::size_t at = shoff_ + i * kSectionHeaderSize;
            Section& s = m_.sections[i];
            s.index = i;
            const SectionHeader h = sectionHeaderAt(file_, at);
            s.name = fmt::format("#{}", h.nameOffset);  // until the name table is read
            s.type = h.type, s.flags = h.flags, s.addr = h.addr, s.offset = h.offset;
            s.fileSize = s.size = h.size;
            s.link = h.link, s.info = h.info, s.addralign = h.addralign, s.entsize = h.entsize;
            if (i == 0) {
                if (s.type != section_type::null || s.fileSize != 0 || s.offset != 0)
                    refuse(fmt::format("section 0 (header at file offset {:#x}): the first section must be null", at));
                continue;
            }
        }
    }

    /// Where a section's data lies in the file (checked once its name is known).
    void placement(const Section& s) const
    {
        if (s.addralign > 1 && (s.addralign & (s.addralign - 1)))
            refuse(fmt::format("{}: alignment {} is not a power of two", where(s), s.addralign));
        if (!s.hasFileData())
            return;
        const std::uint64_t end = std::uint64_t{s.offset} + s.fileSize;
        if (s.offset < kHeaderSize || end > file_.size())
            refuse(fmt::format("{}: {} bytes of data run outside the {}-byte file", where(s), s.fileSize,
                               file_.size()));
        if (s.offset < tableEnd_ && end > shoff_)
            refuse(fmt::format("{}: data overlaps the section header table", where(s)));
        if (s.deflated() && (s.type == section_type::crcs || s.type == section_type::fileinfo))
            refuse(fmt::format("{}: must not be deflated", where(s)));
    }

    void names()
    {
        Section& table = m_.sections[shstrndx_];
        if (table.type != section_type::strtab)
            refuse(fmt::format("{}: the section name table is not a string table", where(table)));
        placement(table);
        contents(table);
        for (auto& s : m_.sections) {
            const auto raw = sectionHeaderAt(file_, shoff_ + s.index * kSectionHeaderSize).nameOffset;
            s.name = stringAt(table, raw, fmt::format("section {}'s name", s.index));
        }
        for (const auto& s : m_.sections)
            placement(s);
    }

    /// A NUL-terminated string at `offset` inside a string table section.
    std::string stringAt(const Section& table, std::uint32_t offset, std::string_view what) const
    {
        if (offset >= table.data.size())
            refuse(fmt::format("{}: {} at string offset {:#x} lies outside the table ({} bytes)", where(table), what,
                               offset, table.data.size()));
        const auto begin = table.data.begin() + offset;
        const auto end = std::find(begin, table.data.end(), std::uint8_t{0});
        if (end == table.data.end())
            refuse(fmt::format("{}: {} at string offset {:#x} is not NUL-terminated", where(table), what, offset));
        return std::string(begin, end);
    }

    void contents(Section& s)
    {
        if (!s.hasFileData() || s.index == 0)
            return;
        const auto raw = file_.subspan(s.offset, s.fileSize);
        if (!s.deflated()) {
            s.data.assign(raw.begin(), raw.end());
        } else {
            if (raw.size() < 4)
                refuse(fmt::format("{}: deflated section of {} bytes has no inflated-size word", where(s), raw.size()));
            const std::uint32_t inflated = be32(raw, 0);
            if (inflated > limits_.maxSectionSize || total_ + inflated > limits_.maxTotalSize)
                refuse(fmt::format("{}: inflated size {:#x} exceeds the reader's limit", where(s), inflated));
            s.data.resize(inflated);
            z_stream z{};
            if (inflateInit(&z) != Z_OK)
                refuse(fmt::format("{}: zlib could not start", where(s)));
            z.next_in = const_cast<Bytef*>(raw.data() + 4);
            z.avail_in = static_cast<uInt>(raw.size() - 4);
            z.next_out = s.data.data();
            z.avail_out = inflated;
            const int rc = inflate(&z, Z_FINISH);
            const auto produced = z.total_out;
            const auto consumed = z.total_in;
            inflateEnd(&z);
            if (rc != Z_STREAM_END) {
                if (rc == Z_BUF_ERROR && z.avail_out == 0)
                    refuse(fmt::format("{}: the zlib stream inflates to more than the {} bytes announced", where(s),
                                       inflated));
                refuse(fmt::format("{}: broken zlib stream after {} of {} inflated bytes (file offset {:#x})",
                                   where(s), produced, inflated, s.offset + 4 + consumed));
            }
            if (produced != inflated)
                refuse(fmt::format("{}: the zlib stream inflates to {} bytes, {} announced", where(s), produced,
                                   inflated));
            if (consumed != raw.size() - 4)
                refuse(fmt::format("{}: {} bytes after the end of the zlib stream", where(s),
                                   raw.size() - 4 - consumed));
        }
        s.size = static_cast<std::uint32_t>(s.data.size());
        total_ += s.data.size();
    }

    void crcsAndFileInfo()
    {
        const Section& crcs = m_.sections[shnum_ - 2];
        const Section& info = m_.sections[shnum_ - 1];
        if (crcs.type != section_type::crcs)
            refuse(fmt::format("{}: the second-last section must be the CRCs (type {:#x}), not type {:#x}",
                               where(crcs), section_type::crcs, crcs.type));
        if (info.type != section_type::fileinfo)
            refuse(fmt::format("{}: the last section must be FILEINFO (type {:#x}), not type {:#x}", where(info),
                               section_type::fileinfo, info.type));
        for (const Section* s : {&crcs, &info}) {
            // The loader reads both before the rest and refuses them when they reach the file's end.
            if (std::uint64_t{s->offset} + s->fileSize >= file_.size())
                refuse(fmt::format("{}: must end before the end of the file", where(*s)));
        }
        for (const auto& s : m_.sections)
            if (s.index < shnum_ - 2 && (s.type == section_type::crcs || s.type == section_type::fileinfo))
                refuse(fmt::format("{}: a second {} section", where(s), typeName(s.type)));
        if (crcs.data.size() != 4u * shnum_)
            refuse(fmt::format("{}: {} bytes; {} sections need {}", where(crcs), crcs.data.size(), shnum_, 4 * shnum_));
        if (info.data.size() < kFileInfoSize)
            refuse(fmt::format("{}: {} bytes, shorter than FILEINFO {:#x} ({:#x} bytes)", where(info),
                               info.data.size(), kFileInfoVersion, kFileInfoSize));

        const std::span<const std::uint8_t> d = info.data;
        FileInfo& f = m_.fileInfo;
        std::uint32_t* words[] = {&f.version,  &f.textSize,    &f.textAlign, &f.dataSize,  &f.dataAlign, &f.loadSize,
                                  &f.loadAlign, &f.tempSize,   &f.trampAdjust, &f.sdaBase, &f.sda2Base,  &f.stackSize,
                                  &f.filename, &f.flags,       &f.heapSize,  &f.tagOffset, &f.minVersion};
        for (std::size_t i = 0; i < std::size(words); ++i)
            *words[i] = be32(d, 4 * i);
        f.compressionLevel = static_cast<std::int32_t>(be32(d, 0x44));
        f.trampAddition = be32(d, 0x48);
        f.fileInfoPad = be32(d, 0x4C);
        f.cafeSdkVersion = be32(d, 0x50);
        f.cafeSdkRevision = be32(d, 0x54);
        f.tlsModuleIndex = static_cast<std::int16_t>(be16(d, 0x58));
        f.tlsAlignShift = be16(d, 0x5A);
        f.runtimeFileInfoSize = be32(d, 0x5C);
        if (f.version < kFileInfoVersion)
            refuse(fmt::format("{}: FILEINFO version {:#010x}; the loader needs {:#010x} or later", where(info),
                               f.version, kFileInfoVersion));
        if (f.minVersion < kMinSdkVersion || f.minVersion > kMaxSdkVersion)
            refuse(fmt::format("{}: minVersion {} outside {}..{} (field at file offset {:#x})", where(info),
                               f.minVersion, kMinSdkVersion, kMaxSdkVersion, info.offset + 0x40));
        if (f.tagOffset != 0 && f.tagOffset >= info.data.size())
            refuse(fmt::format("{}: tag offset {:#x} lies outside FILEINFO", where(info), f.tagOffset));

        for (std::uint32_t i = 0; i < shnum_; ++i)
            m_.crcs.push_back(be32(crcs.data, 4 * i));
        for (const auto& s : m_.sections) {
            const std::uint32_t expected =
                (s.index == crcs.index || s.data.empty())
                    ? 0
                    : static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), s.data.data(), static_cast<uInt>(s.data.size())));
            if (m_.crcs[s.index] != expected)
                refuse(fmt::format("{}: CRC {:#010x} stored at file offset {:#x}, the data's is {:#010x}", where(s),
                                   m_.crcs[s.index], crcs.offset + 4 * s.index, expected));
        }
    }

    /// The loader's file layout: section headers, then writable data, read-only data, code, and
    /// the temporary sections (relocations, ...), each group after the one before.
    void fileOrder()
    {
        enum Group { Data, Read, Text, Temp, Count };
        static constexpr std::string_view kGroup[] = {"writable data", "read-only data", "code", "temporary"};
        struct Span {
            std::uint64_t min = std::numeric_limits<std::uint64_t>::max(), max = 0;
            std::uint32_t first = 0, last = 0;
        } spans[Count];
        for (const auto& s : m_.sections) {
            if (!s.hasFileData() || s.type == section_type::crcs || s.type == section_type::fileinfo ||
                s.type == section_type::imports)
                continue;
            Group g = Temp;
            if (s.exec() && s.type != section_type::exports)
                g = Text;
            else if (s.alloc())
                g = s.writable() ? Data : Read;
            Span& sp = spans[g];
            if (s.offset < sp.min) {
                sp.min = s.offset;
                sp.first = s.index;
            }
            if (s.offset + std::uint64_t{s.fileSize} > sp.max) {
                sp.max = s.offset + std::uint64_t{s.fileSize};
                sp.last = s.index;
            }
        }
        int previous = -1;
        for (int g = 0; g < Count; ++g) {
            if (spans[g].max == 0)
                continue;
            if (spans[g].min < tableEnd_)
                refuse(fmt::format("{}: {} placed before the end of the section headers ({:#x})", where(spans[g].first),
                                   kGroup[g], tableEnd_));
            if (previous >= 0 && spans[g].min < spans[previous].max)
                refuse(fmt::format("{}: {} placed before the end of the {} ({})", where(spans[g].first), kGroup[g],
                                   kGroup[previous], where(spans[previous].last)));
            previous = g;
        }
    }

    void symbols()
    {
        const Section* symtab = nullptr;
        for (const auto& s : m_.sections) {
            if (s.type != section_type::symtab)
                continue;
            if (symtab)
                refuse(fmt::format("{}: a second symbol table", where(s)));
            symtab = &s;
        }
        if (!symtab)
            return;
        symtab_ = symtab->index;
        if (symtab->entsize != 0 && symtab->entsize != kSymbolSize)
            refuse(fmt::format("{}: symbol size {} (expected {})", where(*symtab), symtab->entsize, kSymbolSize));
        if (symtab->data.size() % kSymbolSize)
            refuse(fmt::format("{}: {} bytes is not a whole number of symbols", where(*symtab), symtab->data.size()));
        if (symtab->link == 0 || symtab->link >= shnum_ || m_.sections[symtab->link].type != section_type::strtab)
            refuse(fmt::format("{}: link {} is not a string table", where(*symtab), symtab->link));
        const Section& strings = m_.sections[symtab->link];
        const std::span<const std::uint8_t> d = symtab->data;
        for (std::size_t i = 0; i < d.size() / kSymbolSize; ++i) {
            const std::size_t at = i * kSymbolSize;
            Symbol sym;
            sym.value = be32(d, at + 4);
            sym.size = be32(d, at + 8);
            sym.type = d[at + 12] & 0xF;
            sym.binding = d[at + 12] >> 4;
            sym.section = be16(d, at + 14);
            sym.name = stringAt(strings, be32(d, at), fmt::format("symbol {}'s name", i));
            if (sym.section != kShnUndef && sym.section < kShnLoReserve && sym.section >= shnum_)
                refuse(fmt::format("{}: symbol {} '{}' names section {} (of {}) at symbol offset {:#x}", where(*symtab),
                                   i, sym.name, sym.section, shnum_, at));
            if (sym.section >= kShnLoReserve && sym.section != kShnAbs && sym.section != kShnCommon)
                refuse(fmt::format("{}: symbol {} '{}' has the reserved section index {:#x}", where(*symtab), i,
                                   sym.name, sym.section));
            m_.symbols.push_back(std::move(sym));
        }
    }

    void relocations()
    {
        for (const auto& s : m_.sections) {
            if (s.type != section_type::rela)
                continue;
            if (s.entsize != 0 && s.entsize != kRelaSize)
                refuse(fmt::format("{}: relocation size {} (expected {})", where(s), s.entsize, kRelaSize));
            if (s.data.size() % kRelaSize)
                refuse(fmt::format("{}: {} bytes is not a whole number of relocations", where(s), s.data.size()));
            if (s.link != symtab_ || symtab_ == 0)
                refuse(fmt::format("{}: link {} is not the symbol table", where(s), s.link));
            if (s.info == 0 || s.info >= shnum_)
                refuse(fmt::format("{}: target section {} (of {})", where(s), s.info, shnum_));
            const Section& target = m_.sections[s.info];
            if (target.type == section_type::nobits || target.data.empty())
                refuse(fmt::format("{}: patches {}, which holds no data", where(s), where(target)));
            RelocationSection rs{s.index, s.info, {}};
            for (std::size_t at = 0; at < s.data.size(); at += kRelaSize) {
                Relocation r;
                r.offset = be32(s.data, at);
                const auto info = be32(s.data, at + 4);
                r.type = static_cast<std::uint8_t>(info & 0xFF);
                r.symbol = info >> 8;
                r.addend = static_cast<std::int32_t>(be32(s.data, at + 8));
                const auto entry = [&] { return fmt::format("{}: relocation at file offset {:#x}", where(s), s.deflated() ? at : s.offset + at); };
                if (!reloc::loaderAccepts(r.type))
                    refuse(fmt::format("{} has type {}, which the loader refuses", entry(), r.type));
                if (r.symbol >= m_.symbols.size())
                    refuse(fmt::format("{} names symbol {} (the table has {})", entry(), r.symbol, m_.symbols.size()));
                const std::uint64_t in = std::uint64_t{r.offset} - target.addr;
                if (r.offset < target.addr || in + relocationWidth(r.type) > target.size)
                    refuse(fmt::format("{} patches address {:#x}, outside {}", entry(), r.offset, where(target)));
                rs.entries.push_back(r);
            }
            m_.relocations.push_back(std::move(rs));
        }
    }

    void imports()
    {
        for (const auto& s : m_.sections) {
            if (s.type != section_type::imports)
                continue;
            const bool data = s.name.starts_with(".dimport_");
            if (!data && !s.name.starts_with(".fimport_"))
                refuse(fmt::format("{}: an import section must be named .fimport_<library> or .dimport_<library>", where(s)));
            if (s.data.size() < 9)
                refuse(fmt::format("{}: {} bytes, too short for the import header and a library name", where(s),
                                   s.data.size()));
            ImportLibrary lib;
            lib.section = s.index;
            lib.data = data;
            lib.count = be32(s.data, 0);
            lib.signature = be32(s.data, 4);
            const auto nameEnd = std::find(s.data.begin() + 8, s.data.end(), std::uint8_t{0});
            if (nameEnd == s.data.end())
                refuse(fmt::format("{}: the library name at offset 8 is not NUL-terminated", where(s)));
            lib.name.assign(s.data.begin() + 8, nameEnd);
            if (lib.name != s.name.substr(9))
                refuse(fmt::format("{}: the section names library '{}' but holds '{}'", where(s), s.name.substr(9),
                                   lib.name));
            if (lib.count > s.data.size() / 8)
                refuse(fmt::format("{}: header counts {} imports, the section holds at most {}", where(s), lib.count,
                                   s.data.size() / 8));
            m_.importLibraries.push_back(std::move(lib));
        }
        for (std::uint32_t i = 0; i < m_.symbols.size(); ++i) {
            const Symbol& sym = m_.symbols[i];
            if (sym.section == kShnUndef || sym.section >= shnum_ || sym.type == symbol_type::section ||
                sym.type == symbol_type::file)
                continue;
            const Section& s = m_.sections[sym.section];
            if (s.type != section_type::imports)
                continue;
            const auto lib = std::find_if(m_.importLibraries.begin(), m_.importLibraries.end(),
                                          [&](const ImportLibrary& l) { return l.section == s.index; });
            if (sym.name.empty())
                refuse(fmt::format("{}: symbol {} imports a nameless symbol", where(symtab_), i));
            const std::uint64_t in = std::uint64_t{sym.value} - s.addr;
            if (sym.value < s.addr + 8 || in + 8 > s.size)
                refuse(fmt::format("{}: import '{}' (symbol {}) at {:#x} lies outside the stubs of {}", where(symtab_),
                                   sym.name, i, sym.value, where(s)));
            m_.imports.push_back(Import{lib->name, sym.name, lib->data, i});
        }
    }

    void exports()
    {
        for (const auto& s : m_.sections) {
            if (s.type != section_type::exports)
                continue;
            const bool data = s.name == ".dexports";
            if (!data && s.name != ".fexports")
                refuse(fmt::format("{}: an export section must be named .fexports or .dexports", where(s)));
            if (s.data.size() < 8)
                refuse(fmt::format("{}: {} bytes, too short for the export header", where(s), s.data.size()));
            const std::uint32_t count = be32(s.data, 0);
            if (count > (s.data.size() - 8) / 8)
                refuse(fmt::format("{}: header counts {} exports, the section holds at most {}", where(s), count,
                                   (s.data.size() - 8) / 8));
            for (std::uint32_t i = 0; i < count; ++i) {
                const std::size_t at = 8 + 8 * i;
                const std::uint32_t nameWord = be32(s.data, at + 4);
                const std::uint32_t nameAt = nameWord & 0x7FFFFFFF;
                if (nameAt < 8 + 8 * count || nameAt >= s.data.size())
                    refuse(fmt::format("{}: export {}'s name at section offset {:#x} lies outside the name area",
                                       where(s), i, nameAt));
                const auto begin = s.data.begin() + nameAt;
                const auto end = std::find(begin, s.data.end(), std::uint8_t{0});
                if (end == s.data.end())
                    refuse(fmt::format("{}: export {}'s name is not NUL-terminated", where(s), i));
                m_.exports.push_back(Export{std::string(begin, end), be32(s.data, at), data, (nameWord >> 31) != 0});
            }
        }
    }

    /// FILEINFO's sizes are what the loader allocates: each must hold its group of sections.
    void fileInfoCoversSections()
    {
        std::uint64_t text = 0, data = 0, load = 0;
        for (const auto& s : m_.sections) {
            if (!s.alloc() || s.type == section_type::crcs || s.type == section_type::fileinfo)
                continue;
            if (s.addr >= kLoaderBase || s.type == section_type::imports || s.type == section_type::exports)
                load += s.size;
            else if (s.exec())
                text += s.size;
            else
                data += s.size;
        }
        const Section& info = m_.sections[shnum_ - 1];
        const FileInfo& f = m_.fileInfo;
        if (text > f.textSize)
            refuse(fmt::format("{}: textSize {:#x} is smaller than the code sections ({:#x} bytes)", where(info),
                               f.textSize, text));
        if (data > f.dataSize)
            refuse(fmt::format("{}: dataSize {:#x} is smaller than the data sections ({:#x} bytes)", where(info),
                               f.dataSize, data));
        if (load > f.loadSize)
            refuse(fmt::format("{}: loadSize {:#x} is smaller than the loader sections ({:#x} bytes)", where(info),
                               f.loadSize, load));
        if (m_.entry != 0) {
            const bool inCode = std::any_of(m_.sections.begin(), m_.sections.end(), [&](const Section& s) {
                return s.exec() && s.alloc() && s.type == section_type::progbits && m_.entry >= s.addr &&
                       m_.entry - s.addr < s.size;
            });
            if (!inCode)
                refuse(fmt::format("offset 0x18: entry point {:#x} lies in no code section", m_.entry));
        }
    }

    std::span<const std::uint8_t> file_;
    ReadLimits limits_;
    Module m_;
    std::uint32_t shoff_ = 0, tableEnd_ = 0, shnum_ = 0, shstrndx_ = 0, symtab_ = 0;
    std::size_t total_ = 0;
};

}  // namespace

Expected<Module, Error> read(std::span<const std::uint8_t> file, const ReadLimits& limits)
{
    try {
        return Reader(file, limits).run();
    } catch (const Refused& r) {
        return fail(Error{r.message});
    }
}

}  // namespace wiiu::rpl
