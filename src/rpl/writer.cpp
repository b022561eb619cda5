#include "rpl/writer.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <zlib.h>

#include "rpl/bytes.h"

namespace wiiu::rpl {

namespace {

constexpr std::uint32_t kSectionTable = 0x40;  ///< section headers right after the ELF header
constexpr std::uint32_t kMinDeflate = 0x18;

std::uint32_t crcOf(const std::vector<std::uint8_t>& data)
{
    if (data.empty())
        return 0;
    return static_cast<std::uint32_t>(crc32(crc32(0, nullptr, 0), data.data(), static_cast<uInt>(data.size())));
}

std::uint64_t alignUp(std::uint64_t v, std::uint64_t a) { return a > 1 ? (v + a - 1) / a * a : v; }

Expected<std::vector<std::uint8_t>, Error> deflateSection(const SectionSpec& s, int level)
{
    uLongf bound = compressBound(static_cast<uLong>(s.data.size()));
    std::vector<std::uint8_t> out(4 + bound);
    putBe32(out, 0, static_cast<std::uint32_t>(s.data.size()));
    if (compress2(out.data() + 4, &bound, s.data.data(), static_cast<uLong>(s.data.size()), level) != Z_OK)
        return fail(Error{fmt::format("section '{}': zlib could not deflate {} bytes", s.name, s.data.size())});
    out.resize(4 + bound);
    return out;
}

/// The file-order group of a section: writable data, read-only data, code, temporary.
int group(const SectionSpec& s)
{
    if (!(s.flags & section_flag::alloc))
        return 3;
    if ((s.flags & section_flag::exec) && s.type != section_type::imports && s.type != section_type::exports)
        return 2;
    return (s.flags & section_flag::write) ? 0 : 1;
}

}  // namespace

Expected<std::vector<std::uint8_t>, Error> write(const std::vector<SectionSpec>& given, std::uint32_t entry,
                                                 const WriteOptions& options)
{
    std::vector<SectionSpec> all;
    all.push_back(SectionSpec{"", section_type::null, 0, 0, 0, 0, 0, 0, {}, 0});
    all.insert(all.end(), given.begin(), given.end());
    if (all.size() + 3 > 0xFF00)
        return fail(Error{fmt::format("{} sections are more than an RPL can index", all.size())});

    // .shstrtab, then the CRCs and FILEINFO last, as the loader expects.
    SectionSpec names{".shstrtab", section_type::strtab, 0, 0, 1, 0, 0, 0, {0}, 0};
    std::vector<std::uint32_t> nameAt;
    all.push_back(names);
    all.push_back(SectionSpec{".rplcrcs", section_type::crcs, 0, 0, 4, 4, 0, 0, {}, 0});
    all.push_back(SectionSpec{".rplfileinfo", section_type::fileinfo, 0, 0, 4, 0, 0, 0, {}, 0});
    const std::size_t shnum = all.size(), shstrndx = shnum - 3, crcIndex = shnum - 2, infoIndex = shnum - 1;
    for (const auto& s : all) {
        nameAt.push_back(s.name.empty() ? 0 : static_cast<std::uint32_t>(all[shstrndx].data.size()));
        if (!s.name.empty()) {
            all[shstrndx].data.insert(all[shstrndx].data.end(), s.name.begin(), s.name.end());
            all[shstrndx].data.push_back(0);
        }
    }
    // link names a section; so does info for relocations (a symbol table's info is a symbol index).
    for (std::size_t i = 1; i < all.size(); ++i)
        if (all[i].link >= shnum || (all[i].type == section_type::rela && all[i].info >= shnum))
            return fail(Error{fmt::format("section {} '{}': link {} / info {} outside the {} sections", i, all[i].name,
                                          all[i].link, all[i].info, shnum)});

    // FILEINFO: the loader's allocation per group, from the sections' addresses.
    struct Extent {
        std::uint64_t min = std::numeric_limits<std::uint64_t>::max(), max = 0;
        std::uint32_t align = 1;
        void add(std::uint64_t addr, std::uint64_t size, std::uint32_t a)
        {
            min = std::min(min, addr);
            max = std::max(max, addr + size);
            align = std::max(align, a);
        }
        std::uint32_t size(std::uint32_t roundTo) const
        {
            return max ? static_cast<std::uint32_t>(alignUp(max - min, std::max(align, roundTo))) : 0;
        }
    } text, data, load;
    std::uint64_t temp = 0;
    for (std::size_t i = 1; i < shstrndx; ++i) {
        const auto& s = all[i];
        const std::uint64_t size = s.type == section_type::nobits ? s.nobitsSize : s.data.size();
        if (!(s.flags & section_flag::alloc))
            temp += alignUp(size, 4);
        else if (s.addr >= kLoaderBase || s.type == section_type::imports || s.type == section_type::exports)
            load.add(s.addr, size, 4);
        else if (s.flags & section_flag::exec)
            text.add(s.addr, size, std::max(s.addralign, 32u));
        else
            data.add(s.addr, size, std::max(s.addralign, 1u));
    }
    temp += all[shstrndx].data.size();
    std::vector<std::uint8_t>& info = all[infoIndex].data;
    info.assign(kFileInfoSize, 0);
    const std::uint32_t words[] = {kFileInfoVersion,
                                   text.size(32),
                                   std::max(text.align, 32u),
                                   data.size(4096),
                                   std::max(data.align, 4096u),
                                   load.size(4),
                                   4,
                                   static_cast<std::uint32_t>(temp),
                                   0,  // trampAdjust
                                   options.sdaBase,
                                   options.sda2Base,
                                   options.stackSize,
                                   0,  // filename
                                   options.rpx ? kFileInfoFlagRpx : 0u,
                                   options.heapSize,
                                   0,  // tagOffset
                                   options.minVersion,
                                   static_cast<std::uint32_t>(options.compressionLevel),
                                   0,  // trampAddition
                                   0,  // fileInfoPad
                                   options.cafeSdkVersion,
                                   0};  // cafeSdkRevision (tlsModuleIndex, tlsAlignShift, runtime size: 0)
    for (std::size_t i = 0; i < std::size(words); ++i)
        putBe32(info, 4 * i, words[i]);

    // CRCs of the inflated contents; the CRC section's own entry stays 0.
    std::vector<std::uint8_t>& crcs = all[crcIndex].data;
    crcs.assign(4 * shnum, 0);
    for (std::size_t i = 0; i < shnum; ++i)
        if (i != crcIndex)
            putBe32(crcs, 4 * i, crcOf(all[i].data));

    // Contents as stored: deflated where asked and worth it.
    std::vector<std::vector<std::uint8_t>> stored(shnum);
    std::vector<std::uint32_t> flags(shnum);
    for (std::size_t i = 1; i < shnum; ++i) {
        const auto& s = all[i];
        flags[i] = s.flags;
        if (s.type == section_type::nobits)
            continue;
        if (options.compressionLevel >= 0 && i < crcIndex && s.data.size() >= kMinDeflate) {
            auto deflated = deflateSection(s, options.compressionLevel);
            if (!deflated)
                return fail(deflated.error());
            stored[i] = std::move(*deflated);
            flags[i] |= section_flag::deflated;
        } else {
            stored[i] = s.data;
        }
    }

    // File order: headers, CRCs, FILEINFO, then each group in section order.
    std::vector<std::uint32_t> offset(shnum, 0);
    std::uint64_t at = kSectionTable + shnum * kSectionHeaderSize;
    const auto place = [&](std::size_t i) {
        if (stored[i].empty())
            return;
        at = alignUp(at, 4);
        offset[i] = static_cast<std::uint32_t>(at);
        at += stored[i].size();
    };
    place(crcIndex);
    place(infoIndex);
    for (int g = 0; g < 4; ++g)
        for (std::size_t i = 1; i < crcIndex; ++i)
            if (group(all[i]) == g)
                place(i);
    if (at > std::numeric_limits<std::uint32_t>::max())
        return fail(Error{"the file would exceed 4 GiB"});

    std::vector<std::uint8_t> out(static_cast<std::size_t>(at), 0);
    static constexpr std::uint8_t kIdent[] = {0x7F, 'E', 'L', 'F', 1, 2, 1, kAbiCafe, kAbiVersionCafe};
    std::copy(std::begin(kIdent), std::end(kIdent), out.begin());
    putBe16(out, 0x10, kTypeRpl);
    putBe16(out, 0x12, kMachinePpc);
    putBe32(out, 0x14, 1);
    putBe32(out, 0x18, entry);
    putBe32(out, 0x20, kSectionTable);
    putBe16(out, 0x28, kHeaderSize);
    putBe16(out, 0x2E, kSectionHeaderSize);
    putBe16(out, 0x30, static_cast<std::uint16_t>(shnum));
    putBe16(out, 0x32, static_cast<std::uint16_t>(shstrndx));
    for (std::size_t i = 1; i < shnum; ++i) {
        const auto& s = all[i];
        const std::size_t h = kSectionTable + i * kSectionHeaderSize;
        putBe32(out, h + 0, nameAt[i]);
        putBe32(out, h + 4, s.type);
        putBe32(out, h + 8, flags[i]);
        putBe32(out, h + 12, s.addr);
        putBe32(out, h + 16, offset[i]);
        putBe32(out, h + 20, s.type == section_type::nobits ? s.nobitsSize : static_cast<std::uint32_t>(stored[i].size()));
        putBe32(out, h + 24, s.link);
        putBe32(out, h + 28, s.info);
        putBe32(out, h + 32, s.addralign);
        putBe32(out, h + 36, s.entsize);
        std::copy(stored[i].begin(), stored[i].end(), out.begin() + offset[i]);
    }
    return out;
}

}  // namespace wiiu::rpl
