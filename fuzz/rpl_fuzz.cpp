// Fuzz target: the RPL/RPX reader (rpl::read) on any file, then what a loader does with a file
// the reader accepted: every relocation applied to a copy of its target section.
#include <cstddef>
#include <cstdint>
#include <span>

#include "rpl/reader.h"
#include "rpl/relocate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wiiu::rpl;
    ReadLimits limits;
    limits.maxSectionSize = 16u << 20;  // the harness's memory, not the format's
    limits.maxTotalSize = 64u << 20;
    auto module = read(std::span(data, size), limits);
    if (!module)
        return 0;
    for (const auto& rs : module->relocations) {
        auto target = module->sections[rs.target].data;
        const std::uint32_t base = module->sections[rs.target].addr;
        for (const auto& r : rs.entries) {
            // The reader promised the field lies inside the section.
            const auto field = std::span(target).subspan(r.offset - base);
            const auto& symbol = module->symbols[r.symbol];
            (void)applyRelocation(r.type, field, symbol.value + static_cast<std::uint32_t>(r.addend), r.offset);
        }
    }
    return 0;
}
