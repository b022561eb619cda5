#include "convert.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <zlib.h>

#include "rpl/bytes.h"
#include "rpl/format.h"

namespace wiiu::elf2rpx {

namespace {

using rpl::be16;
using rpl::be32;
using rpl::Error;
namespace type = rpl::section_type;
namespace flag = rpl::section_flag;

struct InSection : rpl::SectionHeader {
    std::uint32_t index = 0;
    std::string name;
    std::span<const std::uint8_t> data;
};

struct Refused {
    std::string message;
};
[[noreturn]] void refuse(std::string message) { throw Refused{std::move(message)}; }

bool isImport(const InSection& s) { return s.name.starts_with(".fimport_") || s.name.starts_with(".dimport_"); }

/// The input: a big-endian 32-bit PowerPC executable, every offset checked.
std::vector<InSection> readElf(std::span<const std::uint8_t> f, std::uint32_t& entry)
{
    if (f.size() < rpl::kHeaderSize || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        refuse("not an ELF file");
    if (f[4] != 1 || f[5] != 2 || be16(f, 0x12) != rpl::kMachinePpc)
        refuse("not a 32-bit big-endian PowerPC ELF (build with powerpc-linux-gnu-gcc)");
    if (be16(f, 0x10) != 2)
        refuse(fmt::format("offset 0x10: e_type {} (link an executable, ET_EXEC)", be16(f, 0x10)));
    entry = be32(f, 0x18);
    const std::uint32_t shoff = be32(f, 0x20);
    const std::uint16_t shentsize = be16(f, 0x2E), shnum = be16(f, 0x30), shstrndx = be16(f, 0x32);
    if (shentsize != rpl::kSectionHeaderSize || shnum == 0 ||
        std::uint64_t{shoff} + std::uint64_t{shnum} * shentsize > f.size() || shstrndx >= shnum)
        refuse(fmt::format("offset 0x20: section header table ({} entries at {:#x}) outside the file", shnum, shoff));
    std::vector<InSection> sections(shnum);
    for (std::uint32_t i = 0; i < shnum; ++i) {
        const std::size_t h = shoff + i * std::size_t{shentsize};
        InSection& s = sections[i];
        static_cast<rpl::SectionHeader&>(s) = rpl::sectionHeaderAt(f, h);
        s.index = i;
        if (s.type != type::nobits && s.size) {
            if (std::uint64_t{s.offset} + s.size > f.size())
                refuse(fmt::format("section {}: data at {:#x}+{:#x} outside the file", i, s.offset, s.size));
            s.data = f.subspan(s.offset, s.size);
        }
    }
    const auto& names = sections[shstrndx].data;
    for (std::uint32_t i = 0; i < shnum; ++i) {
        const std::uint32_t at = sections[i].nameOffset;
        const auto end = at < names.size() ? std::find(names.begin() + at, names.end(), 0) : names.end();
        if (end == names.end())
            refuse(fmt::format("section {}: name offset {:#x} outside the name table", i, at));
        sections[i].name.assign(names.begin() + at, end);
    }
    return sections;
}

class Converter {
public:
    explicit Converter(std::vector<InSection> in) : in_(std::move(in)) {}

    std::vector<rpl::SectionSpec> run(rpl::WriteOptions& options)
    {
        choose();
        symbols(options);
        importHeaders();
        relocations();
        return std::move(out_);
    }

private:
    std::string where(const InSection& s) const { return fmt::format("section {} '{}'", s.index, s.name); }

    std::uint32_t add(const InSection& s, rpl::SectionSpec spec)
    {
        out_.push_back(std::move(spec));
        map_[s.index] = static_cast<std::uint32_t>(out_.size());  // output index: position + 1
        return map_[s.index];
    }

    rpl::SectionSpec copy(const InSection& s, std::uint32_t outType, std::uint32_t outFlags) const
    {
        rpl::SectionSpec spec{s.name, outType, outFlags, s.addr, std::max(s.addralign, 1u), s.entsize, 0, 0, {}, 0};
        if (outType == type::nobits)
            spec.nobitsSize = s.size;
        else
            spec.data.assign(s.data.begin(), s.data.end());
        return spec;
    }

    /// What the RPX keeps, in its section order: code, data, imports, symbols, relocations.
    void choose()
    {
        const auto loaded = [](const InSection& s) {
            return (s.flags & flag::alloc) && (s.type == type::progbits || s.type == type::nobits) && s.size;
        };
        for (const auto& s : in_)
            if (loaded(s) && !isImport(s) && (s.flags & flag::exec)) {
                if (s.addr < rpl::kCodeBase || s.addr >= rpl::kDataBase)
                    refuse(fmt::format("{}: code at {:#x}, outside 0x02000000..0x10000000 (use the RPX linker script)",
                                       where(s), s.addr));
                add(s, copy(s, s.type, s.flags & (flag::alloc | flag::exec | flag::write)));
            }
        for (const auto& s : in_)
            if (loaded(s) && !isImport(s) && !(s.flags & flag::exec)) {
                if (s.addr < rpl::kDataBase || s.addr >= rpl::kLoaderBase)
                    refuse(fmt::format("{}: data at {:#x}, outside 0x10000000..0xC0000000 (use the RPX linker script)",
                                       where(s), s.addr));
                add(s, copy(s, s.type, s.flags & (flag::alloc | flag::write)));
            }
        // An import section whose stubs the link dropped would still make a loader load its
        // library (the runner's "host" on a console: a library that does not exist). Leave it out.
        std::set<std::uint32_t> stubbed;
        for (const auto& s : in_)
            if (s.type == type::symtab)
                for (std::size_t at = 0; at + rpl::kSymbolSize <= s.data.size(); at += rpl::kSymbolSize)
                    if ((s.data[at + 12] & 0xF) != rpl::symbol_type::section)
                        stubbed.insert(be16(s.data, at + 14));
        loaderEnd_ = rpl::kLoaderBase;
        for (const auto& s : in_)
            if (isImport(s) && s.size && stubbed.count(s.index)) {
                if (s.addr < rpl::kLoaderBase)
                    refuse(fmt::format("{}: import stubs at {:#x}, below 0xC0000000", where(s), s.addr));
                const bool data = s.name.starts_with(".dimport_");
                add(s, copy(s, type::imports, flag::alloc | (data ? 0 : flag::exec)));
                loaderEnd_ = std::max(loaderEnd_, s.addr + s.size);
            }
        const auto symtab = std::find_if(in_.begin(), in_.end(), [](const InSection& s) { return s.type == type::symtab; });
        if (symtab == in_.end() || symtab->link >= in_.size())
            refuse("no symbol table (do not strip the ELF)");
        symtab_ = &*symtab;
        const InSection& strtab = in_[symtab_->link];
        // The symbol tables go to the loader's area after the imports, as the SDK's files have them.
        const auto loaderSection = [&](const InSection& s, std::uint32_t outType, std::uint32_t align) {
            auto spec = copy(s, outType, flag::alloc);
            loaderEnd_ = (loaderEnd_ + align - 1) / align * align;
            spec.addr = loaderEnd_;
            spec.addralign = align;
            loaderEnd_ += s.size;
            return spec;
        };
        auto symbolSpec = loaderSection(*symtab_, type::symtab, 4);
        symbolSpec.info = symtab_->info;  // the first global symbol
        symbolSpec.entsize = rpl::kSymbolSize;
        add(*symtab_, std::move(symbolSpec));
        add(strtab, loaderSection(strtab, type::strtab, 1));
        out_[map_[symtab_->index] - 1].link = map_[strtab.index];
        for (const auto& s : in_)
            if (s.type == type::rela && map_.count(s.info) && s.size) {
                if (s.link != symtab_->index)
                    refuse(fmt::format("{}: relocations against a second symbol table", where(s)));
                auto spec = copy(s, type::rela, 0);
                spec.link = map_[symtab_->index];
                spec.info = map_[s.info];
                spec.entsize = rpl::kRelaSize;
                add(s, std::move(spec));
            }
        if (std::none_of(in_.begin(), in_.end(), [](const InSection& s) { return s.type == type::rela && s.size; }))
            refuse("no relocation sections: link with --emit-relocs (-Wl,-q)");
    }

    /// Symbols keep their indexes (relocations name them); section indexes are renumbered.
    void symbols(rpl::WriteOptions& options)
    {
        auto& spec = out_[map_[symtab_->index] - 1];
        if (spec.data.size() % rpl::kSymbolSize)
            refuse(fmt::format("{}: not a whole number of symbols", where(*symtab_)));
        const InSection& strtab = in_[symtab_->link];
        kept_.assign(spec.data.size() / rpl::kSymbolSize, true);
        for (std::size_t i = 0; i < kept_.size(); ++i) {
            const std::size_t at = i * rpl::kSymbolSize;
            const std::uint16_t shndx = be16(spec.data, at + 14);
            const std::string name = nameOf(strtab, be32(spec.data, at));
            if (name == "_SDA_BASE_")
                options.sdaBase = be32(spec.data, at + 4);
            if (name == "_SDA2_BASE_")
                options.sda2Base = be32(spec.data, at + 4);
            if (shndx == rpl::kShnUndef || shndx >= rpl::kShnLoReserve)
                continue;
            if (auto it = map_.find(shndx); it != map_.end()) {
                rpl::putBe16(spec.data, at + 14, static_cast<std::uint16_t>(it->second));
                if (isImport(in_.at(shndx)) && (spec.data[at + 12] & 0xF) != rpl::symbol_type::section)
                    imports_[shndx].push_back(name);
            } else {
                rpl::putBe16(spec.data, at + 14, rpl::kShnAbs);  // a dropped section's symbol: kept as a value
                kept_[i] = false;
            }
        }
    }

    std::string nameOf(const InSection& strtab, std::uint32_t at) const
    {
        const auto end = at < strtab.data.size() ? std::find(strtab.data.begin() + at, strtab.data.end(), 0)
                                                 : strtab.data.end();
        if (end == strtab.data.end())
            refuse(fmt::format("{}: symbol name offset {:#x} outside the table", where(strtab), at));
        return std::string(strtab.data.begin() + at, end);
    }

    /// Each import section starts with its count, a signature and the library's name; the stubs
    /// that survived the link are the imports.
    void importHeaders()
    {
        for (const auto& s : in_) {
            const auto kept = map_.find(s.index);
            if (!isImport(s) || kept == map_.end())
                continue;
            auto& spec = out_[kept->second - 1];
            const std::string library = s.name.substr(9);
            if (spec.data.size() < 8 + library.size() + 1 ||
                std::string(reinterpret_cast<const char*>(spec.data.data()) + 8) != library)
                refuse(fmt::format("{}: does not start with the import header for '{}' (use the generated stubs)",
                                   where(s), library));
            const auto& names = imports_[s.index];
            std::uint32_t signature = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
            for (const auto& n : names)
                signature = static_cast<std::uint32_t>(
                    crc32(signature, reinterpret_cast<const Bytef*>(n.c_str()), static_cast<uInt>(n.size() + 1)));
            rpl::putBe32(spec.data, 0, static_cast<std::uint32_t>(names.size()));
            rpl::putBe32(spec.data, 4, signature);
        }
    }

    void relocations()
    {
        for (const auto& s : in_) {
            if (s.type != type::rela || !map_.count(s.index))
                continue;
            auto& spec = out_[map_[s.index] - 1];
            if (spec.data.size() % rpl::kRelaSize)
                refuse(fmt::format("{}: not a whole number of relocations", where(s)));
            std::vector<std::uint8_t> kept;
            for (std::size_t at = 0; at < spec.data.size(); at += rpl::kRelaSize) {
                const std::uint32_t info = be32(spec.data, at + 4);
                const auto relocType = static_cast<std::uint8_t>(info & 0xFF);
                const std::uint32_t sym = info >> 8;
                if (relocType == rpl::reloc::none)
                    continue;
                if (!rpl::reloc::loaderAccepts(relocType))
                    refuse(fmt::format("{}: relocation {} (offset {:#x}) has type {}, which the console's loader "
                                       "refuses (build with -fno-pic -mno-sdata)",
                                       where(s), at / rpl::kRelaSize, be32(spec.data, at), relocType));
                if (sym >= kept_.size() || !kept_[sym])
                    refuse(fmt::format("{}: relocation {} names symbol {}, which is missing or in a dropped section",
                                       where(s), at / rpl::kRelaSize, sym));
                kept.insert(kept.end(), spec.data.begin() + static_cast<std::ptrdiff_t>(at),
                            spec.data.begin() + static_cast<std::ptrdiff_t>(at + rpl::kRelaSize));
            }
            spec.data = std::move(kept);
        }
    }

    std::vector<InSection> in_;
    std::vector<rpl::SectionSpec> out_;
    std::map<std::uint32_t, std::uint32_t> map_;  ///< ELF section index -> RPX section index
    std::map<std::uint32_t, std::vector<std::string>> imports_;  ///< per ELF import section
    std::vector<bool> kept_;                                     ///< per symbol
    const InSection* symtab_ = nullptr;
    std::uint32_t loaderEnd_ = 0;
};

}  // namespace

Expected<std::vector<std::uint8_t>, rpl::Error> convert(std::span<const std::uint8_t> elf,
                                                        const rpl::WriteOptions& given)
{
    try {
        std::uint32_t entry = 0;
        rpl::WriteOptions options = given;
        auto sections = Converter(readElf(elf, entry)).run(options);
        return rpl::write(sections, entry, options);
    } catch (const Refused& r) {
        return fail(Error{r.message});
    }
}

}  // namespace wiiu::elf2rpx
