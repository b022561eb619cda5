// Opening files by std::filesystem::path on every host: Windows paths are wide (drive letters,
// backslashes and non-ASCII names all survive), POSIX paths narrow.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wiiu::platform {

/// std::fopen for a path; `mode` as fopen's ("rb", "wb", "ab"). Null with errno set on failure.
std::FILE* openFile(const std::filesystem::path& path, const char* mode);

/// A path from UTF-8 text and back, the same on every host. On Windows a std::string path is
/// read in the ANSI code page, which cannot spell every name: text that came from the command
/// line (utf8Arguments) or goes into a message or JSON passes through these instead.
std::filesystem::path pathFromUtf8(std::string_view text);
std::string utf8(const std::filesystem::path& path);

/// The program's arguments as UTF-8, argv[0] first: on Windows from the wide command line
/// (argv holds them in the ANSI code page), elsewhere argv as given.
std::vector<std::string> utf8Arguments(int argc, char** argv);

/// utf8Arguments as an argc/argv pair for an argument parser, kept alive with this object.
class Utf8Argv {
public:
    Utf8Argv(int argc, char** argv);
    int argc() const { return static_cast<int>(pointers_.size()); }
    const char* const* argv() const { return pointers_.data(); }

private:
    std::vector<std::string> args_;
    std::vector<const char*> pointers_;
};

/// Appends `text` to the file, creating it readable by the owner only; returns 0 or errno.
int appendToPrivateFile(const std::filesystem::path& path, std::string_view text);

}  // namespace wiiu::platform
