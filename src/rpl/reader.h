// The strict RPL/RPX reader: everything a console's loader checks, plus what a hostile or
// truncated file could use to lie (sizes, offsets, indexes, names, CRCs, zlib streams).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <wiiu_nssl/expected.h>

#include "rpl/module.h"

namespace wiiu::rpl {

struct ReadLimits {
    std::size_t maxSectionSize = 256u << 20;  ///< per inflated section
    std::size_t maxTotalSize = 1024u << 20;   ///< all inflated sections together
};

/// Parses and checks a whole file. Every error names the section (index and name) and the
/// file offset that is wrong.
Expected<Module, Error> read(std::span<const std::uint8_t> file, const ReadLimits& limits = {});

}  // namespace wiiu::rpl
