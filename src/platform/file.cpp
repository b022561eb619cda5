#include "platform/file.h"

#include <cerrno>
#include <memory>
#include <string>

#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>  // CommandLineToArgvW
#endif

namespace wiiu::platform {

std::FILE* openFile(const std::filesystem::path& path, const char* mode)
{
#ifdef _WIN32
    const std::wstring wideMode(mode, mode + std::char_traits<char>::length(mode));
    return ::_wfopen(path.c_str(), wideMode.c_str());
#else
    return std::fopen(path.c_str(), mode);
#endif
}

std::filesystem::path pathFromUtf8(std::string_view text)
{
    return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

std::string utf8(const std::filesystem::path& path)
{
    const std::u8string text = path.u8string();
    return {text.begin(), text.end()};
}

std::vector<std::string> utf8Arguments(int argc, char** argv)
{
#ifdef _WIN32
    int count = 0;
    if (wchar_t** wide = ::CommandLineToArgvW(::GetCommandLineW(), &count)) {
        std::vector<std::string> args;
        for (int i = 0; i < count; ++i)
            args.push_back(utf8(std::filesystem::path(wide[i])));
        ::LocalFree(wide);
        if (count == argc)  // the same arguments, only spelt right
            return args;
    }
#endif
    return {argv, argv + argc};
}

Utf8Argv::Utf8Argv(int argc, char** argv) : args_(utf8Arguments(argc, argv))
{
    for (const std::string& a : args_)
        pointers_.push_back(a.c_str());
}

int appendToPrivateFile(const std::filesystem::path& path, std::string_view text)
{
    std::error_code ec;
    const bool existed = std::filesystem::exists(path, ec);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(openFile(path, "ab"), &std::fclose);
    if (!f)
        return errno;
    if (!existed)  // the race with another creator is harmless: both restrict the same file
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace, ec);
    if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() || std::fflush(f.get()) != 0)
        return errno != 0 ? errno : EIO;
    return 0;
}

}  // namespace wiiu::platform
