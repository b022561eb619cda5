// Paths as UTF-8 text, the same on every host. nssl::Config's paths (pcapPath, keyLogPath,
// chainDumpDir) are UTF-8; on Windows a std::string path would be read in the ANSI code page,
// which cannot spell every name. These are the conversions the module itself uses, for an
// emulator (or a tool) that fills Config from a std::filesystem::path or from its command line.
#pragma once

#include <wiiu_nssl/language.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wiiu::platform {

/// A path from UTF-8 text and back.
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

}  // namespace wiiu::platform
