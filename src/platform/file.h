// Opening files by std::filesystem::path on every host: Windows paths are wide (drive letters,
// backslashes and non-ASCII names all survive), POSIX paths narrow. Paths from and to UTF-8 text
// are public (<wiiu_nssl/utf8_path.h>, implemented in file.cpp).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <wiiu_nssl/utf8_path.h>

namespace wiiu::platform {

/// std::fopen for a path; `mode` as fopen's ("rb", "wb", "ab"). Null with errno set on failure.
std::FILE* openFile(const std::filesystem::path& path, const char* mode);

/// Appends `text` to the file, creating it readable by the owner only; returns 0 or errno.
int appendToPrivateFile(const std::filesystem::path& path, std::string_view text);

}  // namespace wiiu::platform
