// Whole-file reads and atomic writes for the RPL tools, with errors that name the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include <wiiu_nssl/expected.h>

#include "rpl/module.h"

namespace wiiu::rpl {

/// Refuses files over `maxSize` bytes (a title's largest RPX is well under 256 MiB).
Expected<std::vector<std::uint8_t>, Error> readFile(const std::filesystem::path& path,
                                                    std::uintmax_t maxSize = 512u << 20);
/// Writes a sibling temporary file and renames it over `path`: readers never see half a file.
Expected<void, Error> writeFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace wiiu::rpl
