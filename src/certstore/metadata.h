// certstore_metadata.txt: one certificate per line, `KEY=VALUE` items separated by ';'.
// Format notes: shared/reference/wiiu-nssl-facts.md §5.2 and docs/certstore.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/cert_entry.h>

namespace wiiu::certstore {

struct MetadataRecord {
    int line = 0;                 ///< 1-based line in the file, for later error messages
    std::int32_t id = 0;
    std::uint32_t groups = 0;
    Permissions permissions;
    std::string certPath;         ///< PATHS[0], relative to content/
    std::string keyPath;          ///< PATHS[1]; empty without PROPERTIES 0x1
    std::optional<std::uint32_t> rawE0Size;  ///< RAW_E0_SIZE / RAW_SIZE
    std::optional<std::uint32_t> rawE1Size;  ///< RAW_E1_SIZE / KEYSIZEDER: DER key length
};

/// Parses the whole file. `fileName` only appears in error messages ("<fileName>:<line>: ...").
/// With `skipped`, a line that cannot be read (or repeats an ID) is left out and its error
/// appended there, instead of failing the whole file.
Expected<std::vector<MetadataRecord>, LoadError> parseMetadata(std::string_view text, std::string_view fileName,
                                                               std::vector<std::string>* skipped = nullptr);

/// True when `path` is relative and stays inside its base folder: no root, no "..", no '\\'.
bool isContainedRelativePath(std::string_view path);

}  // namespace wiiu::certstore
