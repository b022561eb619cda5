// Applying one relocation, as a loader does once it has placed the sections and bound the
// imports: the arithmetic of each PowerPC type, with range and alignment checks.
#pragma once

#include <cstdint>
#include <span>

#include <wiiu_nssl/expected.h>

#include "rpl/module.h"

namespace wiiu::rpl {

/// Patches `field` (the bytes at the relocation's place, at least the type's width) with the
/// value of relocation `type` for S+A = `value` at address P = `place`. Refuses a type it does
/// not apply (small-data and TLS forms) and a branch out of range or misaligned.
Expected<void, Error> applyRelocation(std::uint8_t type, std::span<std::uint8_t> field, std::uint32_t value,
                                      std::uint32_t place);

}  // namespace wiiu::rpl
