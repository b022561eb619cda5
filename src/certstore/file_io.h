// Whole-file reads and writes with errors that name the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include <wiiu_nssl/cert_store.h>
#include <wiiu_nssl/secret_bytes.h>

namespace wiiu::certstore {

Expected<std::vector<std::uint8_t>, LoadError> readFileBytes(const std::filesystem::path& path);
/// For key material: the bytes never sit in an unwiped buffer.
Expected<SecretBytes, LoadError> readSecretFile(const std::filesystem::path& path);
/// Writes and flushes; `privateFile` restricts the permissions to the owner (keys).
Expected<void, LoadError> writeFileBytes(const std::filesystem::path& path, std::span<const std::uint8_t> data,
                                         bool privateFile = false);

}  // namespace wiiu::certstore
