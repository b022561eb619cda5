#include "platform/file.h"

#include <cerrno>
#include <memory>
#include <string>

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
